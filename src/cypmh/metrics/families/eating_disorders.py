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
from cypmh.metrics.definition import NHSD, Family, MetricDefinition
from cypmh.metrics.families.case import Case, cohort_reason
from cypmh.metrics.families.declared import Declared, joined, reason
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
    DISCHARGED,
    HEALTH,
    MECHANISM,
    PRIORITY,
    REASON,
    TEAM,
)
from cypmh.metrics.results import Aggregate, Unit
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

_ED = NHSD + "menh_publications/notebooks/04a_CYP_ED_WaitingTimes/"
_ED_STANDARD = (
    "NHS England, Access and Waiting Time Standard for Children and Young People with an Eating "
    "Disorder (2015): 95% of urgent referrals to start NICE-approved treatment within 1 week and of "
    "routine referrals within 4 weeks"
)
_ED_EXAMPLE = "tests/spec/metrics/test_eating_disorders.py::test_eating_disorder_worked_example"
_AGG = _ED + "02_Aggregate/01_CYP_ED_WT_Aggregate.sql"
_BAND_WORDS = {
    "1_week": "within 1 week",
    "1_to_4_weeks": "within 1 to 4 weeks",
    "4_to_12_weeks": "within 4 to 12 weeks",
    "over_12_weeks": "after more than 12 weeks",
}
_PUBLISHED = (
    "None in the value. The publication shows England's unrounded and, below England, a count "
    "rounded to the nearest 5 and a percentage to a whole number, either suppressed where it "
    "or its numerator or denominator is under 5 (menh_publications/notebooks/"
    "94_Round_output.py); cypmh's --suppression mhsds shows them so."
)
_ROUTINE_WITHIN_4_WEEKS = FAMILY.declare(
    id="ED87e",
    name="Percentage of routine eating-disorder referrals entering treatment within 4 weeks",
    population="ed_routine",
    aggregate=Aggregate.PERCENTAGE,
    unit=Unit.PERCENTAGE,
    window="the 12 months ending at the period end",
    numerator="ED87j",
    denominator="ED87",
    definition="100 x ED87j / ED87: of ED87's referrals, those where {numerator} (the "
    "bands ED87a and ED87b together).",
    source=_AGG,
    deviation=_PUBLISHED,
    mhsds=True,
    example=_ED_EXAMPLE,
    improvement="increase",
    target=95.0,
    target_source=_ED_STANDARD,
)
_ROUTINE_COUNT_WITHIN_4_WEEKS = FAMILY.declare(
    id="ED87j",
    name="Routine eating-disorder referrals entering treatment within 4 weeks",
    population="ed_routine_within",
    aggregate=Aggregate.COUNT,
    unit=Unit.COUNT,
    window="the 12 months ending at the period end",
    numerator="ED87's referrals entering treatment within 4 weeks (28 days) of receipt",
    denominator=None,
    definition="ED87's referrals where {numerator}. (cypmh called this ED87a before; the "
    "publication's ED87a is within 1 week.)",
    source=_AGG,
    deviation=_PUBLISHED,
    mhsds=True,
    example=_ED_EXAMPLE,
)

METRICS: list[MetricDefinition] = []
# The letters as the publication's code gives them (01_CYP_ED_WT_Aggregate.sql): a-d count the
# referrals in each band; then ED86e is the percentage within 1 week and ED86f-h those of
# bands b-d; ED87e is the percentage within 4 weeks (the bands a and b together), ED87f-i
# those of bands a-d, and ED87j the count within 4 weeks.
for _prefix, _group, _target, _count_letters, _share_letters in (
    ("ED86", "urgent", "1 week (7 days)", "abcd", "efgh"),
    ("ED87", "routine", "4 weeks (28 days)", "abcd", "fghi"),
):
    _name = f"ed_{_group}"
    METRICS.append(
        FAMILY.declare(
            id=_prefix,
            name=f"{_group.title()} eating-disorder referrals entering treatment (12-month rolling)",
            population=_name,
            aggregate=Aggregate.COUNT,
            unit=Unit.COUNT,
            window="the 12 months ending at the period end",
            numerator=f"{_group} referrals whose treatment started in the window",
            denominator=None,
            definition=f"Referrals of priority {_group} "
            f"({'1, 2 or 4' if _group == 'urgent' else '3'}) where {{cohort}}, and where "
            "{member}; the treatment start is the first attended contact with a NICE-concordant "
            "treatment code.",
            source=_ED,
            deviation="The publication's inpatient exclusion is miskeyed in its code and the extract has "
            "no hospital spells; neither is applied.",
            mhsds=True,
            example=_ED_EXAMPLE,
        )
    )
    _shares = []
    for _band, _count_letter, _share_letter in zip(
        WAIT_BANDS, _count_letters, _share_letters, strict=True
    ):
        _words = _BAND_WORDS[_band]
        METRICS.append(
            FAMILY.declare(
                id=f"{_prefix}{_count_letter}",
                name=f"{_group.title()} eating-disorder referrals entering treatment {_words}",
                population=f"{_name}_{_band}",
                aggregate=Aggregate.COUNT,
                unit=Unit.COUNT,
                window="the 12 months ending at the period end",
                numerator=f"{_prefix}'s referrals entering treatment {_words} of receipt",
                denominator=None,
                definition=f"{_prefix}'s referrals where {{numerator}}.",
                source=_AGG,
                deviation=_PUBLISHED,
                mhsds=True,
                example=_ED_EXAMPLE,
            )
        )
        _shares.append(
            FAMILY.declare(
                id=f"{_prefix}{_share_letter}",
                name=f"Percentage of {_group} eating-disorder referrals entering treatment {_words}",
                population=f"{_name}_{_band}_share",
                aggregate=Aggregate.PERCENTAGE,
                unit=Unit.PERCENTAGE,
                window="the 12 months ending at the period end",
                numerator=f"{_prefix}{_count_letter}",
                denominator=_prefix,
                definition=f"100 x {_prefix}{_count_letter} / {_prefix}: of {_prefix}'s referrals, "
                "those where {numerator}.",
                source=_AGG,
                deviation=_PUBLISHED,
                mhsds=True,
                example=_ED_EXAMPLE,
                **(
                    {"improvement": "increase", "target": 95.0, "target_source": _ED_STANDARD}
                    if _share_letter == "e"
                    else {}
                ),
            )
        )
    if _group == "routine":
        _shares.insert(0, _ROUTINE_WITHIN_4_WEEKS)
        _shares.append(_ROUTINE_COUNT_WITHIN_4_WEEKS)
    METRICS += _shares

# ED91-ED98: the waits themselves, by the derived priority type (PrepViews.sql's
# Priority_Type, from ClinRespPriorityType: routine 3, urgent 1, 2 or 4), as the
# publication's code numbers them (LoadRefData.sql; 01_CYP_ED_WT_Aggregate.sql takes
# PERCENTILE(waiting_time_days, 0.5) and 0.9 of CYP_ED_WT_STEP4 and CYP_ED_WT_STEP6).
_WAIT_WORDS = {
    "treated": (
        "waited from referral to treatment, for ED86's (urgent) or ED87's (routine) referrals",
        "Days from receipt to the treatment start (CYP_ED_WT_STEP4's waiting_time_days), over "
        "the {group} referrals of {count} (those where {{member}}).",
        "the 12 months ending at the period end",
    ),
    "waiting": (
        "waiting for treatment at the period end",
        "Days from receipt to the period end (CYP_ED_WT_STEP6's DATEDIFF(rp_enddate, "
        "ReferralRequestReceivedDate), without the day MHS134 adds) of the {group} referrals "
        "where {{member}}.",
        "at the period end",
    ),
}
for _number, _kind, _group, _aggregate in (
    ("ED91", "treated", "routine", Aggregate.MEDIAN),
    ("ED92", "treated", "urgent", Aggregate.MEDIAN),
    ("ED93", "treated", "routine", Aggregate.PERCENTILE_90),
    ("ED94", "treated", "urgent", Aggregate.PERCENTILE_90),
    ("ED95", "waiting", "routine", Aggregate.MEDIAN),
    ("ED96", "waiting", "urgent", Aggregate.MEDIAN),
    ("ED97", "waiting", "routine", Aggregate.PERCENTILE_90),
    ("ED98", "waiting", "urgent", Aggregate.PERCENTILE_90),
):
    _what, _how, _window = _WAIT_WORDS[_kind]
    _statistic = "Median" if _aggregate is Aggregate.MEDIAN else "90th percentile of"
    METRICS.append(
        FAMILY.declare(
            id=_number,
            name=f"{_statistic} days {_group} eating-disorder referrals "
            + ("waited for treatment" if _kind == "treated" else "have been waiting"),
            population=f"ed_{_group}" + ("_waiting" if _kind == "waiting" else ""),
            aggregate=_aggregate,
            unit=Unit.DAYS,
            window=_window,
            numerator=f"days {_what}",
            denominator=None,
            definition=_how.format(group=_group, count="ED87" if _group == "routine" else "ED86")
            + " Linear interpolation between closest ranks (Spark's percentile).",
            source=_AGG,
            mhsds=True,
            example="tests/spec/metrics/test_eating_disorders.py::test_ed_wait_statistics",
            improvement="decrease",
            # Still waiting ends with a discharge (ServDischDate), not with treatment alone.
            **({"inputs": (*FAMILY.inputs, DISCHARGED)} if _kind == "waiting" else {}),
        )
    )


_SECOND = (
    "Referrals where {member}: the second treatment row falls in the window. The rows are "
    "PrepViews.sql's: CYP_ED_WT_STEP2 joins each treatment contact to each of its care "
    "activities with a treatment code, and STEP3_prep numbers them by date, so a first "
    "contact with two treatment codes is its own second contact (a wait of 0 days), as the "
    "publication counts it."
)
for _number, _group, _aggregate in (
    ("ED99", "routine", Aggregate.COUNT),
    ("ED100", "urgent", Aggregate.COUNT),
    ("ED101", "routine", Aggregate.MEDIAN),
    ("ED102", "urgent", Aggregate.MEDIAN),
    ("ED103", "routine", Aggregate.PERCENTILE_90),
    ("ED104", "urgent", Aggregate.PERCENTILE_90),
):
    _count = _aggregate is Aggregate.COUNT
    _statistic = "Median" if _aggregate is Aggregate.MEDIAN else "90th percentile of"
    METRICS.append(
        FAMILY.declare(
            id=_number,
            name=f"{_group.title()} eating-disorder referrals with a second contact in the window"
            if _count
            else f"{_statistic} days from first to second contact, {_group} eating-disorder "
            "referrals",
            population=f"ed_{_group}_second",
            aggregate=_aggregate,
            unit=Unit.COUNT if _count else Unit.DAYS,
            window="the 12 months ending at the period end",
            numerator=f"{_group} referrals whose second treatment contact falls in the window"
            if _count
            else "days from the first treatment contact to the second (CYP_ED_WT_STEP8)",
            denominator=None,
            definition=_SECOND
            + (
                ""
                if _count
                else " The value is the days from the first treatment contact (ED86's and "
                "ED87's treatment start) to the second; linear interpolation between closest "
                "ranks (Spark's percentile)."
            ),
            source=_AGG,
            mhsds=True,
            example="tests/spec/metrics/test_eating_disorders.py::test_ed_second_contacts",
            improvement="increase" if _count else "decrease",
        )
    )


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
