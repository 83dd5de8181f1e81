"""The journey of one referral: its events in order, its state on a date, and its waits."""

from __future__ import annotations

import enum
from datetime import date, timedelta

import attrs

from cypmh.errors import InvalidValueError
from cypmh.model import Area, Referral
from cypmh.pathways.clocks import ClockEvents, clock_events
from cypmh.pathways.rules import ContactRule, InterventionCodes

__all__ = ["EventKind", "Journey", "JourneyEvent", "JourneyState", "journey_of"]


class EventKind(enum.Enum):
    """The events of a referral's journey, in the order they are listed on the same day."""

    RECEIVED = "received"
    REJECTED = "rejected"
    FIRST_CONTACT = "first_contact"
    SECOND_CONTACT = "second_contact"
    CLOCK_STOP = "clock_stop"
    CLOSED = "closed"
    DISCHARGED = "discharged"


class JourneyState(enum.Enum):
    """Where a referral stands on a date."""

    NOT_YET_RECEIVED = "not_yet_received"
    WAITING_FOR_FIRST_CONTACT = "waiting_for_first_contact"
    WAITING_FOR_CLOCK_STOP = "waiting_for_clock_stop"
    IN_TREATMENT = "in_treatment"
    CLOSED = "closed"
    REJECTED = "rejected"


@attrs.frozen(kw_only=True)
class JourneyEvent:
    """One event of a journey."""

    kind: EventKind
    date: date


_KIND_ORDER = {kind: i for i, kind in enumerate(EventKind)}


@attrs.frozen(kw_only=True)
class Journey:
    """One referral's journey, from the records of an area.

    ``counted_contacts`` are the dates of its counted contacts, direct or
    indirect (see :class:`~cypmh.pathways.ContactRule`), in order;
    ``first_direct_contact`` is the first counted *direct* contact, which the
    first-contact waits (MHS130-MHS135) use. ``clock`` holds the first
    clock-stop events of the referral alone, from its receipt to its end
    (the four-week measures apply the same rule to whole spells).
    """

    referral: Referral
    counted_contacts: tuple[date, ...]
    first_direct_contact: date | None
    clock: ClockEvents

    @property
    def clock_stop(self) -> date | None:
        """The full clock stop of the referral alone (see :class:`~cypmh.pathways.ClockEvents`)."""
        return self.clock.clock_stop

    @property
    def events(self) -> tuple[JourneyEvent, ...]:
        """The events that happened, by date (same-day events in :class:`EventKind` order)."""
        referral = self.referral
        candidates = [
            (EventKind.RECEIVED, referral.received_date),
            (EventKind.REJECTED, referral.rejection_date),
            (EventKind.FIRST_CONTACT, self.counted_contacts[0] if self.counted_contacts else None),
            (
                EventKind.SECOND_CONTACT,
                self.counted_contacts[1] if len(self.counted_contacts) > 1 else None,
            ),
            (EventKind.CLOCK_STOP, self.clock_stop),
            (EventKind.CLOSED, referral.closure_date),
            (EventKind.DISCHARGED, referral.discharge_date),
        ]
        events = [JourneyEvent(kind=k, date=d) for k, d in candidates if d is not None]
        return tuple(sorted(events, key=lambda e: (e.date, _KIND_ORDER[e.kind])))

    def state_on(self, on: date) -> JourneyState:
        """The state of the referral on ``on``.

        In this order: not yet received before its receipt; rejected from its
        rejection date; closed from its closure or discharge date; waiting for
        a first contact until its first counted contact; waiting for a clock
        stop until its clock stop; then in treatment.
        """
        referral = self.referral
        if on < referral.received_date:
            return JourneyState.NOT_YET_RECEIVED
        if referral.rejection_date is not None and on >= referral.rejection_date:
            return JourneyState.REJECTED
        ends = [d for d in (referral.closure_date, referral.discharge_date) if d is not None]
        if ends and on >= min(ends):
            return JourneyState.CLOSED
        if not self.counted_contacts or self.counted_contacts[0] > on:
            return JourneyState.WAITING_FOR_FIRST_CONTACT
        if self.clock_stop is None or self.clock_stop > on:
            return JourneyState.WAITING_FOR_CLOCK_STOP
        return JourneyState.IN_TREATMENT

    @property
    def first_contact_wait(self) -> int | None:
        """Days from receipt to the first counted direct contact (MHS131), ``None`` if none yet."""
        if self.first_direct_contact is None:
            return None
        return (self.first_direct_contact - self.referral.received_date).days

    def waiting_days_on(self, on: date) -> int:
        """Days waited by ``on`` for someone still waiting: ``on`` + 1 day - receipt (MHS134).

        The day of receipt counts as one day waited.
        """
        if on < self.referral.received_date:
            raise InvalidValueError(
                "Journey",
                "on",
                on,
                f"must not be before the referral was received ({self.referral.received_date})",
            )
        return (on + timedelta(days=1) - self.referral.received_date).days


def journey_of(
    area: Area,
    referral_id: str,
    *,
    contact_rule: ContactRule | None = None,
    interventions: InterventionCodes | None = None,
) -> Journey:
    """Build the journey of the referral ``referral_id`` from ``area``'s records."""
    rule = contact_rule or ContactRule()
    referral = area.referral(referral_id)
    direct = [
        c.date for c in area.contacts_of(referral_id) if rule.counts(c, referral.provider_code)
    ]
    indirect = [a.date for a in area.indirect_activities_of(referral_id)]
    end = referral.end_date or date.max
    return Journey(
        referral=referral,
        counted_contacts=tuple(sorted(direct + indirect)),
        first_direct_contact=min(direct) if direct else None,
        clock=clock_events(
            area,
            [referral],
            referral.received_date,
            end,
            contact_rule=rule,
            interventions=interventions or InterventionCodes.default(),
        ),
    )
