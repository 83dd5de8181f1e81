"""The journey of one referral: events, state on a date, waits.

Timeline (all 2024): received 10 Jan; a missed appointment 20 Jan; indirect
activity 25 Jan; an attended face-to-face contact 5 Feb whose care activity is
an ASD assessment procedure (an intervention); an RCADS score 12 Feb (a
baseline outcome measure); discharged 30 Apr.
"""

from datetime import date

import attrs
import pytest

from cypmh.errors import InvalidValueError
from cypmh.pathways import EventKind, JourneyState, journey_of
from cypmh.pathways.journey import JourneyEvent
from tests.spec.pathways.timeline import (
    ASD_ASSESSMENT,
    ATTENDED,
    DNA,
    area,
    assessment,
    contact,
    indirect,
    referral,
)

REF = referral("R1", date(2024, 1, 10), discharge_date=date(2024, 4, 30))
MISSED = contact("C1", REF, date(2024, 1, 20), DNA)
SEEN = contact("C2", REF, date(2024, 2, 5), ATTENDED, "01", ASD_ASSESSMENT)
AREA = area(
    referrals=[REF],
    contacts=[MISSED, SEEN],
    indirect_activities=[indirect(REF, date(2024, 1, 25))],
    assessments=[assessment(REF, date(2024, 2, 12))],
)
JOURNEY = journey_of(AREA, "R1")


def test_events_in_order():
    # First counted contact: the indirect activity on 25 Jan (the 20 Jan contact was missed).
    # Second: 5 Feb. Clock stop = latest of first contact (25 Jan), first outcome (12 Feb)
    # and first intervention (5 Feb) = 12 Feb.
    assert JOURNEY.events == (
        JourneyEvent(kind=EventKind.RECEIVED, date=date(2024, 1, 10)),
        JourneyEvent(kind=EventKind.FIRST_CONTACT, date=date(2024, 1, 25)),
        JourneyEvent(kind=EventKind.SECOND_CONTACT, date=date(2024, 2, 5)),
        JourneyEvent(kind=EventKind.CLOCK_STOP, date=date(2024, 2, 12)),
        JourneyEvent(kind=EventKind.DISCHARGED, date=date(2024, 4, 30)),
    )


@pytest.mark.parametrize(
    ("on", "state"),
    [
        (date(2024, 1, 9), JourneyState.NOT_YET_RECEIVED),
        (date(2024, 1, 10), JourneyState.WAITING_FOR_FIRST_CONTACT),
        (date(2024, 1, 20), JourneyState.WAITING_FOR_FIRST_CONTACT),  # the missed appointment
        (date(2024, 1, 25), JourneyState.WAITING_FOR_CLOCK_STOP),  # indirect activity counts
        (date(2024, 2, 11), JourneyState.WAITING_FOR_CLOCK_STOP),
        (date(2024, 2, 12), JourneyState.IN_TREATMENT),  # clock stop
        (date(2024, 4, 29), JourneyState.IN_TREATMENT),
        (date(2024, 4, 30), JourneyState.CLOSED),  # discharged
    ],
)
def test_state_on_a_date(on, state):
    assert JOURNEY.state_on(on) is state


def test_rejection_wins_from_its_date():
    rejected = attrs.evolve(REF, rejection_date=date(2024, 1, 15), discharge_date=None)
    journey = journey_of(area(referrals=[rejected]), "R1")
    assert journey.state_on(date(2024, 1, 14)) is JourneyState.WAITING_FOR_FIRST_CONTACT
    assert journey.state_on(date(2024, 1, 15)) is JourneyState.REJECTED
    assert [e.kind for e in journey.events] == [EventKind.RECEIVED, EventKind.REJECTED]


def test_first_contact_wait_uses_direct_contacts_only():
    # MHS131: first counted *direct* contact (5 Feb) - receipt (10 Jan) = 21 + 5 = 26 days;
    # the indirect activity on 25 Jan does not count for this wait.
    assert JOURNEY.first_direct_contact == date(2024, 2, 5)
    assert JOURNEY.first_contact_wait == 26


def test_no_wait_without_a_direct_contact():
    journey = journey_of(area(referrals=[REF], contacts=[MISSED]), "R1")
    assert journey.first_contact_wait is None
    assert journey.state_on(date(2024, 3, 1)) is JourneyState.WAITING_FOR_FIRST_CONTACT


def test_still_waiting_wait():
    # MHS134: date + 1 - referral date. On 31 Jan: 10..31 Jan is 22 days. On the day of receipt: 1.
    assert JOURNEY.waiting_days_on(date(2024, 1, 31)) == 22
    assert JOURNEY.waiting_days_on(date(2024, 1, 10)) == 1
    with pytest.raises(InvalidValueError):
        JOURNEY.waiting_days_on(date(2024, 1, 9))


def test_a_referral_clock_needs_all_three_events():
    # Without the RCADS score there is no baseline outcome, so no clock stop.
    journey = journey_of(area(referrals=[REF], contacts=[MISSED, SEEN]), "R1")
    assert journey.clock.first_contact == date(2024, 2, 5)
    assert journey.clock.first_care_plan_or_intervention == date(2024, 2, 5)
    assert journey.clock_stop is None
    assert journey.state_on(date(2024, 4, 1)) is JourneyState.WAITING_FOR_CLOCK_STOP
