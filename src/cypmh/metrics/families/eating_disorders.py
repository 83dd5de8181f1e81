"""ED86-ED87 and ED91-ED104: CYP eating-disorder waits.

What the family is and its metrics (``FAMILY``, ``METRICS``), :func:`reference` over objects,
:func:`frames` over dataframes, and :func:`explain` for ``cypmh why`` (:mod:`cypmh.metrics.families`).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from cypmh import clauses as cl
from cypmh import codes
from cypmh.codes import AttendanceClass, ClinicalPriority, EdPriorityGroup
from cypmh.metrics.definition import Family
from cypmh.metrics.families.case import Case, cohort_reason
from cypmh.metrics.families.declared import Declared, joined, reason
from cypmh.metrics.families.eating_disorder_metrics import declare_metrics
from cypmh.metrics.families.lazy import fb, fc, fx, nw
from cypmh.metrics.families.members import (
    CYP_WHEN_RECEIVED,
    Context,
    Populations,
    cyp_referrals,
    cyp_referrals_frame,
    observe,
)
from cypmh.metrics.files import (
    ACTIVITY,
    HEALTH,
    MECHANISM,
    PRIORITY,
    REASON,
    TEAM,
)
from cypmh.model import Referral
from cypmh.pathways import (
    EATING_DISORDER_REASON,
    TARGET_DAYS,
    eating_disorder_wait,
    second_treatment,
)

if TYPE_CHECKING:
    from cypmh.metrics.blocks.bases import Frame, FrameContext, FrameFamily

__all__ = ["FAMILY", "METRICS", "explain", "frames", "reference"]


ED_FROM = date(2016, 1, 1)
"""ED86-ED87 count referrals received from this day (``04a_CYP_ED_WaitingTimes``)."""


ED_TEAMS_EXCLUDED = ("A18", "F01")
"""Team types whose eating-disorder referrals the ED measures leave out."""

_team = cl.Column("team_type")
ED_COHORT = cl.All(
    [
        cl.Compare("==", cl.Column("primary_reason"), cl.Lit(EATING_DISORDER_REASON)),
        cl.Not(cl.IsNull(cl.Column("priority"))),
        cl.Compare(">=", cl.Column("received_date"), cl.Lit(ED_FROM)),
        # A missing team type is kept: PrepViews.sql drops a referral only for an A18/F01 row.
        cl.Any([cl.IsNull(_team), cl.Not(cl.In(_team, ED_TEAMS_EXCLUDED))]),
    ]
)
"""The referrals the ED measures look at (beyond the CYP cohort), whatever the month: for an
eating disorder, with a priority, received from 2016, outside the teams left out. Written
once, read by :func:`reference`, :func:`frames` and :func:`explain`."""

# Its populations, declared as clauses over a referral with the day it entered treatment
# (``treatment_start``, a derived column, as code): reference, frames and explain all
# read them, and the catalogue takes its words from them.

_treated = cl.Column("treatment_start")
_discharged = cl.Column("discharge_date")
NOT_DISCHARGED_BEFORE_WINDOW = cl.Any(
    [cl.IsNull(_discharged), cl.Compare(">=", _discharged, cl.PeriodStart(12))]
)
"""Not discharged before the 12 months ending at the period end start."""
TREATED_IN_WINDOW = cl.Within(_treated, 12)
"""Entered treatment in the 12 months ending at the period end."""
STILL_WAITING = cl.All(
    (
        cl.Compare("<=", cl.Column("received_date"), cl.PeriodEnd()),
        cl.Any((cl.IsNull(_treated), cl.Compare(">", _treated, cl.PeriodEnd()))),
        cl.IsNull(_discharged),
        cl.AgeBetween(cl.Column("birth_date"), cl.PeriodEnd(), 0, 17),
    )
)
"""Received, not yet in treatment and not discharged at the period end, and still 0-17 on it
(``PrepViews.sql``'s ``CYP_ED_WT_STEP5``: no treatment contact by the period end,
``ServDischDate`` missing or after it, ``AgeRepPeriodEnd < 18``). A rejected or closed
referral never discharged still waits, as the publication counts it."""


def _priorities(group: EdPriorityGroup) -> tuple[str, ...]:
    return tuple(p.value for p in ClinicalPriority if p.ed_group is group)


_waited = cl.DaysBetween(cl.Column("received_date"), _treated)


def _within_target(group: EdPriorityGroup) -> cl.Clause:
    """Entered treatment at most the group's target days after receipt (7 urgent, 28 routine)."""
    return cl.Compare("<=", _waited, cl.Lit(TARGET_DAYS[group]))


def _waited_between(low: int | None, high: int | None) -> cl.Clause:
    """Waited more than ``low`` days and at most ``high`` (either end open where ``None``)."""
    parts = []
    if low is not None:
        parts.append(cl.Compare(">", _waited, cl.Lit(low)))
    if high is not None:
        parts.append(cl.Compare("<=", _waited, cl.Lit(high)))
    return parts[0] if len(parts) == 1 else cl.All(tuple(parts))


WAIT_BANDS = {
    "1_week": (None, 7),
    "1_to_4_weeks": (7, 28),
    "4_to_12_weeks": (28, 84),
    "over_12_weeks": (84, None),
}
"""The publication's bands of the wait to treatment, in days: ``01_CYP_ED_WT_Aggregate.sql``
bands ``waiting_time``, which ``PrepViews.sql`` makes ``DATEDIFF(...)/7`` (a fraction of
weeks), at ``<= 1``, ``<= 4``, ``<= 12`` and above: at most 7 days, 8 to 28, 29 to 84, 85
or more."""


def _populations() -> dict[str, Declared]:
    found = {}
    for group in EdPriorityGroup:
        member = cl.All(
            (
                ED_COHORT,
                NOT_DISCHARGED_BEFORE_WINDOW,
                TREATED_IN_WINDOW,
                cl.In(cl.Column("priority"), _priorities(group)),
            )
        )
        within = _within_target(group)
        name = f"ed_{group.value}"
        found[name] = Declared(member=member, numerator=within)
        found[f"{name}_within"] = Declared(member=cl.All((member, within)), numerator=within)
        for band, (low, high) in WAIT_BANDS.items():
            waited = _waited_between(low, high)
            found[f"{name}_{band}"] = Declared(member=cl.All((member, waited)), numerator=waited)
            found[f"{name}_{band}_share"] = Declared(member=member, numerator=waited)
        found[f"{name}_second"] = Declared(
            member=cl.All(
                (
                    ED_COHORT,
                    NOT_DISCHARGED_BEFORE_WINDOW,
                    cl.Within(cl.Column("second_treatment"), 12),
                    cl.In(cl.Column("priority"), _priorities(group)),
                )
            )
        )
        found[f"{name}_waiting"] = Declared(
            member=cl.All(
                (ED_COHORT, STILL_WAITING, cl.In(cl.Column("priority"), _priorities(group)))
            )
        )
    return found


POPULATIONS = _populations()


# What the family is, and its metrics, in the catalogue's order.

FAMILY = Family(
    name="eating_disorders",
    # Referrals for an eating disorder (the primary reason), urgent or routine (the
    # priority), outside the teams left out; a treatment starts at an attended direct contact
    # with a treatment code (pathways.eating_disorders.enters_treatment): MHS204 is not read.
    inputs=(*HEALTH, ACTIVITY, MECHANISM, REASON, PRIORITY, TEAM),
    cohort=CYP_WHEN_RECEIVED,
    populations=POPULATIONS,
    sums={
        **{
            f"ed_{group.value}": tuple(f"ed_{group.value}_{band}" for band in WAIT_BANDS)
            for group in EdPriorityGroup
        },
        "ed_routine_within": ("ed_routine_1_week", "ed_routine_1_to_4_weeks"),
    },
    derived={
        "treatment_start": "the day the referral entered treatment: its first contact on or "
        "after receipt that was attended (5 or 6), through a consultation mechanism accepted "
        "in the contact's month, with a care activity coded as a NICE-concordant treatment "
        "valid in that month (cypmh.pathways.eating_disorder_wait)",
        "second_treatment": "the day of the referral's second treatment row: each treatment "
        "contact is a row for each of its treatment codes, numbered by date, so a first "
        "contact with two codes is its own second (cypmh.pathways.second_treatment)",
    },
)

METRICS = declare_metrics(FAMILY, WAIT_BANDS)


def _record(ctx: Context, referral: Referral) -> tuple[dict[str, object], int | None]:
    """The referral as the clauses read it, and its wait in days.

    The record has the referral's fields, its ``treatment_start`` and the child's ``birth_date``.
    """
    wait = eating_disorder_wait(ctx.area, referral.referral_id)
    child = ctx.area.child(referral.person_id)
    record = {
        **joined(referral),
        "treatment_start": wait.treatment_start,
        "second_treatment": second_treatment(ctx.area, referral.referral_id),
    }
    return {**record, "birth_date": child.birth_date}, wait.days


def reference(ctx: Context) -> Populations:
    """ED86-ED87: CYP eating-disorder waits over the 12 months ending at the period end.

    Source: NHSD ``04a_CYP_ED_WaitingTimes``; reference 5.4. The clock is
    :func:`cypmh.pathways.eating_disorder_wait`.

    Referrals received by the period end that pass the cohort's age clause
    (:data:`~cypmh.metrics.families.members.CYP_WHEN_RECEIVED`) and
    :data:`ED_COHORT` (primary reason 12, a priority, received from 2016, outside
    the teams left out), not discharged before the window starts
    (:data:`NOT_DISCHARGED_BEFORE_WINDOW`); counted when treatment started in the
    window (:data:`TREATED_IN_WINDOW`), as within target at 7 (urgent) or 28
    (routine) days, by the priority's group.
    """
    found: Populations = {name: [] for name in POPULATIONS}
    for referral, _ in cyp_referrals(ctx, english=False):
        if not cl.holds(ED_COHORT, referral, ctx.month):
            continue  # the clauses would say so too; the wait is not worked out for nothing
        record, days = _record(ctx, referral)
        waiting = (ctx.period_end - referral.received_date).days
        start, second = record["treatment_start"], record["second_treatment"]
        between = (
            (second - start).days if isinstance(start, date) and isinstance(second, date) else None
        )
        for name, population in POPULATIONS.items():
            if cl.holds(population.member, record, ctx.month):
                within = population.numerator is not None and cl.holds(
                    population.numerator, record, ctx.month
                )
                value = (
                    waiting
                    if name.endswith("_waiting")
                    else between
                    if name.endswith("_second")
                    else days
                )
                found[name].append(observe(referral, value=value, numerator=within))
    return found


# The dataframe engine's version.


def frames(ctx: FrameContext) -> FrameFamily:
    """ED86-ED87 over frames: :func:`reference`, clause by clause.

    When each referral's treatment started does not depend on the month
    (:func:`_treatment_starts`); each month reads its clauses over them.
    """
    treated = ctx.lasting(
        "eating_disorders",
        _treatment_starts,
        as_at=fb.AsAt(exists="received_date", dates=("discharge_date",)),
    )
    days = nw.col("treatment_start") - nw.col("received_date")
    waiting = ctx.end - nw.col("received_date")
    between = nw.col("second_treatment") - nw.col("treatment_start")
    populations = {
        name: fb.Population(
            member=fc.condition(p.member, ctx.month, anchor="referral_id"),
            value=waiting
            if name.endswith("_waiting")
            else between
            if name.endswith("_second")
            else days,
            numerator=None
            if p.numerator is None
            else fc.condition(p.numerator, ctx.month, anchor="referral_id"),
        )
        for name, p in POPULATIONS.items()
    }
    return [fb.of_referral(treated, populations)]


def _treatment_starts(ctx: FrameContext) -> Frame:
    """The cohort's referrals with the day treatment started (``treatment_start``), if it has.

    Every eating-disorder referral of the cohort but for the window and the
    discharge rule, which read the month: the first attended contact, on or
    after the referral, through an accepted mechanism and with a NICE-concordant
    treatment code valid in the contact's month.
    """
    referrals = cyp_referrals_frame(ctx, english=False).filter(fc.condition(ED_COHORT, ctx.month))
    month = fx.month_id(nw.col("date_ymd"))
    # Each treatment contact with its number of treatment-coded care activities (``rows``):
    # the publication's rows (cypmh.pathways.treatment_rows).
    treatment = (
        ctx["contact_procedures"]
        .join(ctx["contacts"].select("contact_id", "date_ymd"), on="contact_id", how="inner")
        .filter(fx.valid_code(codes.ed_treatment_codes(), nw.col("procedure"), month))
        .group_by("contact_id")
        .agg(nw.len().alias("rows"))
    )
    treated = (
        fb.contacts(ctx)
        .join(treatment, on="contact_id", how="inner")
        .filter(
            fx.in_list(nw.col("attend_status"), fb.attend_codes(AttendanceClass.ATTENDED)),
            fx.valid_code(
                codes.ed_consultation_mechanisms(), nw.col("consultation_mechanism"), month
            ),
        )
        .join(referrals.select("referral_id", "received_date"), on="referral_id", how="inner")
        .filter(nw.col("date") >= nw.col("received_date"))
        .select("referral_id", "date", "rows")
    )
    firsts = treated.group_by("referral_id").agg(nw.col("date").min().alias("treatment_start"))
    # The second row (cypmh.pathways.second_treatment): the first day again when that day
    # has two rows or more, else the next day with a row.
    on_first = nw.col("date") == nw.col("treatment_start")
    starts = (
        treated.join(firsts, on="referral_id", how="inner")
        # The parts are columns first: every backend sums and takes the least of a column.
        .with_columns(
            nw.when(on_first).then(nw.col("rows")).otherwise(0).alias("first_rows"),
            nw.when(~on_first).then(nw.col("date")).alias("next_day"),
        )
        .group_by("referral_id")
        .agg(
            nw.col("treatment_start").min(),
            nw.col("first_rows").sum(),
            nw.col("next_day").min(),
        )
        .with_columns(
            nw.when(nw.col("first_rows") >= 2)
            .then(nw.col("treatment_start"))
            .otherwise(nw.col("next_day"))
            .alias("second_treatment")
        )
        .drop("first_rows", "next_day")
    )
    # Left: a referral not yet in treatment is still waiting (ED95-ED98).
    return referrals.join(starts, on="referral_id", how="left")


# Why a referral is not a member (cypmh why).


def explain(case: Case, population: str) -> str | None:
    """Why the referral is not a member of ``population``: the first clause it fails.

    ``None`` where nothing here names it (:func:`cypmh.metrics.explain.why` then
    quotes the definition).
    """
    if (cohort := cohort_reason(case, english=False)) is not None:
        return cohort
    record, _ = _record(case.ctx, case.referral)
    return reason(case, POPULATIONS[population], record)
