"""ED86-ED87: CYP eating-disorder waits.

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
from cypmh.metrics.families.case import Case, cohort_reason, span
from cypmh.metrics.families.lazy import fb, fc, fx, nw
from cypmh.metrics.families.members import (
    Context,
    Observation,
    Populations,
    cyp_referrals,
    cyp_referrals_frame,
    observe,
)
from cypmh.metrics.files import ACTIVITY, HEALTH, INDIRECT, MECHANISM, PRIORITY, REASON, TEAM
from cypmh.metrics.results import Aggregate, Unit
from cypmh.pathways import (
    EATING_DISORDER_REASON,
    TARGET_DAYS,
    eating_disorder_wait,
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


# What the family is, and its metrics, in the catalogue's order.

FAMILY = Family(
    name="eating_disorders",
    # Referrals for an eating disorder (the primary reason), urgent or routine (the
    # priority), outside the teams left out; a treatment starts at a counted contact or an
    # indirect activity.
    inputs=(*HEALTH, ACTIVITY, INDIRECT, MECHANISM, REASON, PRIORITY, TEAM),
    derived={
        "treatment start": "a referral's first counted contact or indirect activity, the "
        "start of NICE-approved treatment, and its wait from receipt in days "
        "(cypmh.pathways.eating_disorder_wait)",
        "wait groups": "urgent referrals within 7 days and routine ones within 28, by the "
        "priority recorded at the period end",
    },
)

_ED = NHSD + "menh_publications/notebooks/04a_CYP_ED_WaitingTimes/"
_ED_STANDARD = (
    "NHS England, Access and Waiting Time Standard for Children and Young People with an Eating "
    "Disorder (2015): 95% of urgent referrals to start NICE-approved treatment within 1 week and of "
    "routine referrals within 4 weeks"
)
_ED_EXAMPLE = "tests/spec/metrics/test_eating_disorders.py::test_eating_disorder_worked_example"
METRICS: list[MetricDefinition] = []
for _prefix, _group, _target in (
    ("ED86", "urgent", "1 week (7 days)"),
    ("ED87", "routine", "4 weeks (28 days)"),
):
    METRICS += [
        FAMILY.declare(
            id=_prefix,
            name=f"{_group.title()} eating-disorder referrals entering treatment (12-month rolling)",
            population=f"ed_{_group}",
            aggregate=Aggregate.COUNT,
            unit=Unit.COUNT,
            window="the 12 months ending at the period end",
            numerator=f"{_group} referrals whose treatment started in the window",
            denominator=None,
            definition=f"Referrals of priority {_group} "
            f"({'1, 2 or 4' if _group == 'urgent' else '3'}) of children 0-17 when received, where "
            f"{cl.words(ED_COHORT)}, not discharged before the window, whose first attended "
            "contact with a NICE-concordant treatment code falls in the window.",
            source=_ED,
            deviation="The publication's inpatient exclusion is miskeyed in its code and the extract has "
            "no hospital spells; neither is applied.",
            mhsds=True,
            example=_ED_EXAMPLE,
        ),
        FAMILY.declare(
            id=f"{_prefix}a",
            name=f"{_group.title()} eating-disorder referrals treated within {_target}",
            population=f"ed_{_group}_within",
            aggregate=Aggregate.COUNT,
            unit=Unit.COUNT,
            window="the 12 months ending at the period end",
            numerator=f"{_prefix}'s referrals treated within {_target}",
            denominator=None,
            definition=f"{_prefix}'s referrals whose wait was at most {_target}.",
            source=_ED,
            mhsds=False,
            example=_ED_EXAMPLE,
        ),
        FAMILY.declare(
            id=f"{_prefix}e",
            name=f"Percentage of {_group} eating-disorder referrals treated within {_target}",
            population=f"ed_{_group}",
            aggregate=Aggregate.PERCENTAGE,
            unit=Unit.PERCENTAGE,
            window="the 12 months ending at the period end",
            numerator=f"{_prefix}a",
            denominator=_prefix,
            definition=f"100 x {_prefix}a / {_prefix}.",
            source=_ED,
            mhsds=True,
            example=_ED_EXAMPLE,
            improvement="increase",
            target=95.0,
            target_source=_ED_STANDARD,
        ),
    ]


def reference(ctx: Context) -> Populations:
    """ED86-ED87: CYP eating-disorder waits over the 12 months ending at the period end.

    Source: NHSD ``04a_CYP_ED_WaitingTimes``; reference 5.4. The clock is
    :func:`cypmh.pathways.eating_disorder_wait`.

    Referrals of children 0-17 when received, by the period end, that pass
    :data:`ED_COHORT` (primary reason 12, a priority, received from 2016, outside
    the teams left out), not discharged before the window starts; counted when
    treatment started in the window, as within target at 7 (urgent) or 28
    (routine) days.
    """
    window = ctx.window(12)
    groups: dict[EdPriorityGroup, list[Observation]] = {g: [] for g in EdPriorityGroup}
    for referral, _ in cyp_referrals(ctx, english=False):
        if referral.priority is None or not cl.holds(ED_COHORT, referral, ctx.month):
            continue
        if referral.discharge_date is not None and referral.discharge_date < window.start:
            continue
        wait = eating_disorder_wait(ctx.area, referral.referral_id)
        if wait.treatment_start is not None and window.contains(wait.treatment_start):
            groups[referral.priority.ed_group].append(
                observe(referral, value=wait.days, numerator=bool(wait.within_target))
            )
    populations: Populations = {}
    for group, members in groups.items():
        populations[f"ed_{group.value}"] = members
        populations[f"ed_{group.value}_within"] = [o for o in members if o.numerator]
    return populations


# The dataframe engine's version.


def _priorities(group: EdPriorityGroup) -> list[str]:
    return [p.value for p in ClinicalPriority if p.ed_group is group]


def frames(ctx: FrameContext) -> FrameFamily:
    """ED86-ED87 over frames: :func:`reference`, clause by clause.

    When each referral's treatment started does not depend on the month
    (:func:`_treatment_starts`); each month keeps the starts in its window.
    """
    start, end = ctx.window(12)
    treated = ctx.lasting("eating_disorders", _treatment_starts).filter(
        fx.in_range(nw.col("treated"), start, end),
        ~(nw.col("discharge_date") < start).fill_null(False),
    )
    days = nw.col("treated") - nw.col("received_date")
    populations = {}
    for group in EdPriorityGroup:
        member = fx.in_list(nw.col("priority"), _priorities(group))
        within = (days <= TARGET_DAYS[group]).fill_null(False)
        populations[f"ed_{group.value}"] = fb.Population(
            member=member, value=days, numerator=within
        )
        populations[f"ed_{group.value}_within"] = fb.Population(
            member=member & within, value=days, numerator=nw.lit(True)
        )
    return [fb.of_referral(treated, populations)]


def _treatment_starts(ctx: FrameContext) -> Frame:
    """The cohort's referrals with the day treatment started (``treated``), if it has.

    Every eating-disorder referral of the cohort but for the window and the
    discharge rule, which read the month: the first attended contact, on or
    after the referral, through an accepted mechanism and with a NICE-concordant
    treatment code valid in the contact's month.
    """
    referrals = cyp_referrals_frame(ctx, english=False).filter(fc.condition(ED_COHORT, ctx.month))
    month = fx.month_id(nw.col("date_ymd"))
    treatment = (
        ctx["contact_procedures"]
        .join(ctx["contacts"].select("contact_id", "date_ymd"), on="contact_id", how="inner")
        .filter(fx.valid_code(codes.ed_treatment_codes(), nw.col("procedure"), month))
        .select("contact_id")
        .unique()
    )
    starts = (
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
        .group_by("referral_id")
        .agg(nw.col("date").min().alias("treated"))
    )
    return referrals.join(starts, on="referral_id", how="inner")


# Why a referral is not a member (cypmh why).


def explain(case: Case, population: str) -> str | None:
    """Why the referral is not a member of ``population``: the first thing that keeps it out.

    ``None`` where nothing here names it (:func:`cypmh.metrics.explain.why` then
    quotes the definition).
    """
    if (cohort := cohort_reason(case, english=False)) is not None:
        return cohort
    referral = case.referral
    failure = cl.first_failure(ED_COHORT, referral, case.ctx.month)
    if failure is not None:
        return cl.describe(failure, referral, case.ctx.month, as_at=True)
    assert referral.priority is not None  # ED_COHORT holds: a priority is recorded
    window = case.window(12)
    if referral.discharge_date is not None and referral.discharge_date < window.start:
        return f"discharged {referral.discharge_date.isoformat()}, before the 12 months"
    wait = eating_disorder_wait(case.ctx.area, referral.referral_id)
    if wait.treatment_start is None:
        return "no treatment start by the period end"
    if not window.contains(wait.treatment_start):
        return f"treatment started {wait.treatment_start.isoformat()}, outside {span(window)}"
    group = referral.priority.ed_group.value
    if population.removesuffix("_within") != f"ed_{group}":
        return f"priority group {group}, another group"
    return f"treatment started after {wait.days} days, outside the target"
