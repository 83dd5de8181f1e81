"""Referral spells and the CYP four-week clock stop (the MRS08 family's building blocks).

Source: NHSDigital/mental-health-monthly-statistics, ``menh_bbrb/notebooks/
02_Specific_Prepare/02_4w_waits/4w_waits_prep.py``, section "GET ALL CYP REFERRALS"
onwards. The four-week spells are written twice, side by side: over the area's
records (:func:`four_week_spells`) and over the dataframe engine's tables
(:func:`four_week_spells_frame`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING

import attrs

from cypmh.errors import InvalidValueError
from cypmh.model import Area, Referral, as_at
from cypmh.pathways.clocks import SPELL_KEYS, ClockEvents, clock_events
from cypmh.pathways.lazy import nw
from cypmh.pathways.rules import ContactRule, FourWeekCohort, InterventionCodes
from cypmh.pathways.runs import number_runs

if TYPE_CHECKING:
    from cypmh.pathways.lazy import Frame

__all__ = [
    "FOUR_WEEKS_DAYS",
    "JOIN_WITHIN_DAYS",
    "SPELL_KEYS",
    "CohortSelection",
    "FourWeekSpells",
    "Spell",
    "SpellClock",
    "build_spells",
    "four_week_referrals",
    "four_week_spells",
    "four_week_spells_frame",
    "merge_intervals",
    "spell_clock",
    "spell_record",
]

JOIN_WITHIN_DAYS = 5
"""A referral received no more than this many days after a spell ends joins the spell."""

FOUR_WEEKS_DAYS = 28
"""*Within four weeks* means a clock stop no more than 28 days after the spell starts."""


def merge_intervals(
    intervals: Iterable[tuple[date, date]], *, join_within_days: int = JOIN_WITHIN_DAYS
) -> list[tuple[date, date]]:
    """Merge date intervals that overlap or lie at most ``join_within_days`` apart.

    Intervals are inclusive (start, end) pairs with start <= end. The result is
    sorted and its intervals are more than ``join_within_days`` apart. This is
    NHS England's method (push every end ``join_within_days`` later, merge what
    overlaps, take the days back off) written as a sweep.

    >>> d = date
    >>> merge_intervals([(d(2024, 1, 1), d(2024, 1, 10)), (d(2024, 1, 15), d(2024, 2, 1))])
    [(datetime.date(2024, 1, 1), datetime.date(2024, 2, 1))]
    >>> len(merge_intervals([(d(2024, 1, 1), d(2024, 1, 10)), (d(2024, 1, 16), d(2024, 2, 1))]))
    2
    """
    allowance = timedelta(days=join_within_days)
    merged: list[tuple[date, date]] = []
    for start, end in sorted(intervals):
        if start > end:
            raise InvalidValueError(
                "interval", "end", end, f"must not be before its start ({start})"
            )
        if merged and start <= merged[-1][1] + allowance:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


@attrs.frozen(kw_only=True)
class Spell:
    """A referral spell: one child's overlapping or adjoining referrals to one provider.

    ``start`` is the earliest referral's receipt and ``end`` the latest end
    (each referral ends at its discharge, rejection or closure date, in that
    order of preference, capped at the period end; an open referral ends at
    the period end). ``is_open`` is NHS England's: the spell ends within
    ``JOIN_WITHIN_DAYS`` days of the period end, which includes every spell
    with an open referral.
    """

    person_id: str
    provider_code: str
    start: date
    end: date
    referral_ids: tuple[str, ...]
    is_open: bool

    @property
    def record(self) -> str:
        """The spell's name in drill-down output: ``PERSON/PROVIDER/START``.

        A provider and a start day alone are not unique (two children referred
        to one provider on one day); a person's spells at one provider never
        share a start, so with the person the name is the spell's own.
        """
        return spell_record(self.person_id, self.provider_code, self.start)


def spell_record(person_id: str, provider_code: str, start: date) -> str:
    """The name :attr:`Spell.record` gives the spell of ``person_id`` at ``provider_code``."""
    return f"{person_id}/{provider_code}/{start.isoformat()}"


def _capped_end(referral: Referral, period_end: date) -> date:
    end = referral.end_date
    return period_end if end is None or end > period_end else end


def build_spells(
    referrals: Iterable[Referral], period_end: date, *, join_within_days: int = JOIN_WITHIN_DAYS
) -> tuple[Spell, ...]:
    """Merge referrals into spells per person and provider, as at ``period_end``.

    Every referral must have been received by ``period_end``
    (:class:`~cypmh.errors.InvalidValueError` otherwise). The result does not
    depend on the order of ``referrals``; it is sorted by person, provider and
    start date.
    """
    groups: defaultdict[tuple[str, str], list[Referral]] = defaultdict(list)
    for referral in referrals:
        if referral.received_date > period_end:
            raise InvalidValueError(
                "Referral",
                "received_date",
                referral.received_date,
                f"referral {referral.referral_id} was received after the period end ({period_end})",
            )
        groups[(referral.person_id, referral.provider_code)].append(referral)

    open_from = period_end - timedelta(days=join_within_days)
    spells = []
    for (person_id, provider_code), members in sorted(groups.items()):
        intervals = merge_intervals(
            ((r.received_date, _capped_end(r, period_end)) for r in members),
            join_within_days=join_within_days,
        )
        for start, end in intervals:
            inside = sorted(r.referral_id for r in members if start <= r.received_date <= end)
            spells.append(
                Spell(
                    person_id=person_id,
                    provider_code=provider_code,
                    start=start,
                    end=end,
                    referral_ids=tuple(inside),
                    is_open=end >= open_from,
                )
            )
    return tuple(spells)


@attrs.frozen(kw_only=True)
class CohortSelection:
    """The referrals kept for a measure, and each one left out with the name of the rule."""

    kept: tuple[Referral, ...]
    excluded: tuple[tuple[Referral, str], ...]


def four_week_referrals(
    area: Area, period_end: date, *, cohort: FourWeekCohort | None = None
) -> CohortSelection:
    """Split ``area``'s referrals into the four-week cohort and the rest, with reasons.

    Referrals received after ``period_end`` are left out as
    ``received_after_period_end``; the others by the first
    :class:`~cypmh.pathways.FourWeekCohort` filter that excludes them.
    """
    rules = cohort or FourWeekCohort.default()
    kept, excluded = [], []
    for referral in area.referrals:
        if referral.received_date > period_end:
            excluded.append((referral, "received_after_period_end"))
            continue
        reason = rules.exclusion(referral, area.child(referral.person_id))
        if reason is None:
            kept.append(referral)
        else:
            excluded.append((referral, reason))
    return CohortSelection(kept=tuple(kept), excluded=tuple(excluded))


@attrs.frozen(kw_only=True)
class FourWeekSpells:
    """The spells of the four-week measures as at ``period_end``.

    ``spells`` are kept; ``dropped`` started before the cohort's earliest spell
    start (every referral in them is dropped with them); ``selection`` says
    which referrals went in and why the others did not.
    """

    period_end: date
    spells: tuple[Spell, ...]
    dropped: tuple[Spell, ...]
    selection: CohortSelection


def four_week_spells(
    area: Area, period_end: date, *, cohort: FourWeekCohort | None = None
) -> FourWeekSpells:
    """Build the four-week cohort's spells for ``area`` as at ``period_end``.

    The area is first taken as it stood at the end of ``period_end``
    (:func:`~cypmh.model.as_at`): a referral closed by then and discharged
    later ends on its closure date, as NHS England's ``COALESCE`` of
    discharge, rejection and closure over the period's own record has it.
    """
    rules = cohort or FourWeekCohort.default()
    selection = four_week_referrals(as_at(area, period_end), period_end, cohort=rules)
    spells = build_spells(selection.kept, period_end)
    check_start = "spell_start" not in rules.disabled
    early = [s for s in spells if check_start and s.start < rules.earliest_spell_start]
    return FourWeekSpells(
        period_end=period_end,
        spells=tuple(s for s in spells if s not in early),
        dropped=tuple(early),
        selection=selection,
    )


def four_week_spells_frame(
    referrals: Frame,
    period_end: int,
    *,
    cohort: FourWeekCohort | None = None,
    ending_from: int | None = None,
) -> Frame:
    """:func:`four_week_spells` on the dataframe engine: the cohort's referrals and spells.

    ``referrals`` are as at the period end, each with its child's
    ``birth_date_ymd`` and ``la_district``; ``period_end`` is its day number.
    One row per kept referral, with its spell (``spell_no`` within person and
    provider) and the spell's ``start``, ``start_ymd`` and ``end``. As
    :func:`build_spells`: within a person and provider, in order of receipt, a
    referral starts a new spell when it was received more than
    :data:`JOIN_WITHIN_DAYS` days after the latest end so far, an open referral
    running to the period end; spells starting before the cohort's earliest
    start are dropped.

    With ``ending_from`` (a day number), only the people and providers with a
    referral that ends on or after it are kept, each with all their
    referrals: every spell of the others ends before it.
    """
    rules = cohort or FourWeekCohort.default()
    col = nw.col
    kept = referrals.filter(~rules.excluded_frame().fill_null(False))
    # The referral's end (discharge, else rejection, else closure); open: the period end.
    ends = nw.coalesce(col("discharge_date"), col("rejection_date"), col("closure_date"))
    capped = nw.coalesce(ends, nw.lit(period_end)).cast(nw.Int64)
    keys, order = ["person_id", "provider_code"], ["received_date", "referral_end", "referral_id"]
    frame = kept.select(
        "referral_id",
        "person_id",
        "provider_code",
        "received_date",
        "received_date_ymd",
        capped.alias("referral_end"),
    )
    if ending_from is not None:
        live = (
            frame.filter(col("referral_end") >= ending_from)
            .select("person_id", "provider_code")
            .unique()
        )
        frame = frame.join(live, on=["person_id", "provider_code"], how="inner")
    frame = number_runs(
        frame,
        keys,
        order,
        start="received_date",
        end="referral_end",
        within=JOIN_WITHIN_DAYS,
        name="spell_no",
    )
    frame = frame.with_columns(
        col("received_date").min().over(*SPELL_KEYS).alias("start"),
        col("received_date_ymd").min().over(*SPELL_KEYS).alias("start_ymd"),
        col("referral_end").max().over(*SPELL_KEYS).alias("end"),
    )
    if "spell_start" not in rules.disabled:
        earliest = (rules.earliest_spell_start - date(1970, 1, 1)).days
        frame = frame.filter(col("start") >= earliest)
    return frame.select("referral_id", *SPELL_KEYS, "start", "start_ymd", "end")


@attrs.frozen(kw_only=True)
class SpellClock:
    """A spell and its four-week clock.

    The clock starts at the spell's start and stops at the latest of the
    first counted contact, the first baseline outcome measure and the first
    agreed care plan or intervention inside the spell, when all three exist
    (see :func:`~cypmh.pathways.clocks.clock_events`).
    """

    spell: Spell
    events: ClockEvents

    @property
    def clock_stop(self) -> date | None:
        """The date the clock stopped, or ``None`` while any of the three events is missing."""
        return self.events.clock_stop

    @property
    def days_to_clock_stop(self) -> int | None:
        """Days from the spell's start to its clock stop (``Time_to_clock_stop``)."""
        stop = self.clock_stop
        return None if stop is None else (stop - self.spell.start).days

    @property
    def within_four_weeks(self) -> bool | None:
        """Whether the clock stopped within 28 days (``None`` if it has not stopped)."""
        days = self.days_to_clock_stop
        return None if days is None else days <= FOUR_WEEKS_DAYS


def spell_clock(
    area: Area,
    spell: Spell,
    *,
    contact_rule: ContactRule | None = None,
    interventions: InterventionCodes | None = None,
    with_indirect: bool = True,
) -> SpellClock:
    """The four-week clock of ``spell``, from the records of its referrals in ``area``.

    Care plans are matched on the child alone: cypmh's extract has no provider
    on a care plan, where NHS England's code also matches the provider. Without
    ``with_indirect``, indirect activity stops nothing
    (:func:`~cypmh.pathways.clocks.clock_events`).
    """
    referrals = [area.referral(rid) for rid in spell.referral_ids]
    events = clock_events(
        area,
        referrals,
        spell.start,
        spell.end,
        contact_rule=contact_rule or ContactRule(),
        interventions=interventions or InterventionCodes.default(),
        with_indirect=with_indirect,
    )
    return SpellClock(spell=spell, events=events)
