"""LAC01-LAC02: the initial mental health assessment of children entering care.

What the family is and its metrics (``FAMILY``, ``METRICS``), :func:`reference` over objects,
:func:`frames` over dataframes, and :func:`explain` for ``cypmh why`` (:mod:`cypmh.metrics.families`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from cypmh import clauses as cl
from cypmh.metrics.definition import Family, MetricDefinition
from cypmh.metrics.families.case import Case
from cypmh.metrics.families.declared import Declared, frame_populations
from cypmh.metrics.families.lazy import fb, fc, fx, nw
from cypmh.metrics.families.members import Context, Observation, Populations
from cypmh.metrics.files import EPISODES, MH_ASSESSMENTS
from cypmh.metrics.results import Aggregate, Unit
from cypmh.pathways import (
    AssessmentStatus,
    first_assessment,
    periods_of_care,
    wellbeing_assessment_status,
)
from cypmh.pathways.looked_after import periods_of_care_frame

if TYPE_CHECKING:
    from cypmh.metrics.blocks.bases import Base, Frame, FrameContext, FrameFamily

__all__ = ["FAMILY", "METRICS", "explain", "frames", "reference"]


# Its populations, declared as clauses (cypmh.clauses) over a period of care (``care_start``,
# ``care_end``) with its assessment window (``window_start``, ``window_end``: the options'
# months after the start) and its
# status at the window's close (:func:`cypmh.pathways.wellbeing_assessment_status`, the
# derived part, as code). Reference, frames and explain all read them.

_start, _end = cl.Column("care_start"), cl.Column("care_end")
_opens, _status = cl.Column("window_start"), cl.Column("status")

DUE = cl.All(
    (
        cl.Within(cl.Column("window_end"), 12),
        cl.Compare("<=", _start, _opens),
        cl.Any((cl.IsNull(_end), cl.Compare(">=", _end, _opens))),
    )
)
"""Due: the window closes in the 12 months, and the period was open when it opened."""


def _status_is(status: AssessmentStatus) -> cl.Compare:
    return cl.Compare("==", _status, cl.Lit(status.value))


DONE_IN_WINDOW = _status_is(AssessmentStatus.DONE_IN_WINDOW)
"""Assessed inside the window."""

FIRST_ASSESSED = cl.Within(cl.Column("first_assessment"), 12)
"""The period's first assessment is dated in the 12 months (LAC02's periods)."""

POPULATIONS = {
    "first_assessed": Declared(member=FIRST_ASSESSED),
    "due": Declared(member=DUE, numerator=DONE_IN_WINDOW),
    "assessed": Declared(member=cl.All((DUE, DONE_IN_WINDOW)), numerator=DONE_IN_WINDOW),
    "early": Declared(
        member=cl.All((DUE, _status_is(AssessmentStatus.DONE_EARLY))), numerator=DONE_IN_WINDOW
    ),
    "overdue": Declared(
        member=cl.All((DUE, _status_is(AssessmentStatus.DUE))), numerator=DONE_IN_WINDOW
    ),
}
"""LAC02's periods first assessed in the 12 months; then LAC01's due periods, and those of each
status (the numerator, assessed in the window, is LAC01b's)."""


# What the family is, and its metrics, in the catalogue's order.

FAMILY = Family(
    name="looked_after",
    records="period of care",
    inputs=(EPISODES,),
    populations=POPULATIONS,
    # As at the window's close a due period is assessed in it, assessed early, or not.
    sums={"due": ("assessed", "early", "overdue")},
    derived={
        "care_start": "the start of a period of care: a child's episodes in order of start, "
        "each starting on or before the latest end so far, are one period "
        "(cypmh.pathways.periods_of_care)",
        "care_end": "the end of the period of care (missing while it is open)",
        "window_start": "the day the assessment window opens: care_start plus the options' "
        "months (4 by default)",
        "window_end": "the day the window closes: care_start plus the options' months (6)",
        "status": "as at the window's close: assessed in the window, assessed early, or "
        "due (cypmh.pathways.wellbeing_assessment_status)",
        "first_assessment": "the first initial mental health and wellbeing assessment dated while "
        "the child was in the period of care, from its start to its end "
        "(cypmh.pathways.first_assessment)",
        "days to assessment": "the days from care_start to first_assessment (LAC02's value)",
    },
)

_LAC = "cypmh, from the 2025 recommendations for children in care (UCL / UK Trauma Council)"
_LAC_EXAMPLE = "tests/spec/metrics/test_social_care.py::test_lac_worked_example"
ASSESSED = (EPISODES, MH_ASSESSMENTS)
"""Assessed, early and overdue need the assessments too; LAC01 (who was due) does not."""

METRICS: list[MetricDefinition] = [
    FAMILY.declare(
        id="LAC01",
        name="Children due an initial mental health and wellbeing assessment",
        population="due",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window="windows closing in the 12 months ending at the period end",
        numerator="periods of care whose assessment window (4-6 months) closed in the 12 months",
        denominator=None,
        definition="Periods of care where {member}: the assessment window starts 4 months "
        "and ends 6 months after the child entered care (by default; the options' assessment "
        "window).",
        source=_LAC,
        example=_LAC_EXAMPLE,
    ),
    FAMILY.declare(
        id="LAC01a",
        name="Children assessed in the 4-6-month window",
        population="assessed",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window="windows closing in the 12 months ending at the period end",
        numerator="LAC01's children with an assessment inside the window",
        denominator=None,
        definition="LAC01's periods where {numerator}: an initial assessment dated inside the "
        "window.",
        source=_LAC,
        example=_LAC_EXAMPLE,
        inputs=ASSESSED,
    ),
    FAMILY.declare(
        id="LAC01b",
        name="Percentage of children assessed in the 4-6-month window",
        population="due",
        aggregate=Aggregate.PERCENTAGE,
        unit=Unit.PERCENTAGE,
        window="windows closing in the 12 months ending at the period end",
        numerator="LAC01a",
        denominator="LAC01",
        definition="100 x LAC01a / LAC01: of LAC01's periods, those where {numerator}.",
        source=_LAC,
        example=_LAC_EXAMPLE,
        improvement="increase",
        inputs=ASSESSED,
    ),
    FAMILY.declare(
        id="LAC01c",
        name="Children assessed early (before the window)",
        population="early",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window="windows closing in the 12 months ending at the period end",
        numerator="LAC01's children assessed after entry but before the window, and not in it",
        denominator=None,
        definition="Periods of care where {member}: LAC01's periods assessed before the window "
        "opened and not again inside it.",
        source=_LAC,
        example=_LAC_EXAMPLE,
        inputs=ASSESSED,
    ),
    FAMILY.declare(
        id="LAC01d",
        name="Children not assessed by the end of the window (overdue)",
        population="overdue",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window="windows closing in the 12 months ending at the period end",
        numerator="LAC01's children with no assessment by the window's close",
        denominator=None,
        definition="Periods of care where {member}: LAC01's periods with no assessment from entry "
        "to the window's close.",
        source=_LAC,
        example=_LAC_EXAMPLE,
        improvement="decrease",
        inputs=ASSESSED,
    ),
]
_LAC02_EXAMPLE = "tests/spec/metrics/test_social_care.py::test_days_to_assessment_worked_example"
for _id, _aggregate in (
    ("LAC02", Aggregate.COUNT),
    ("LAC02a", Aggregate.MEDIAN),
    ("LAC02b", Aggregate.PERCENTILE_90),
):
    _count = _aggregate is Aggregate.COUNT
    _statistic = "Median" if _aggregate is Aggregate.MEDIAN else "90th percentile of"
    METRICS.append(
        FAMILY.declare(
            id=_id,
            name="Children in care given their first mental health and wellbeing assessment"
            if _count
            else f"{_statistic} days from entering care to the first mental health assessment",
            population="first_assessed",
            aggregate=_aggregate,
            unit=Unit.COUNT if _count else Unit.DAYS,
            window="the 12 months ending at the period end",
            numerator="periods of care whose first assessment is dated in the 12 months"
            if _count
            else "days from entering care to the period's first assessment",
            denominator=None,
            definition="Periods of care where {member}: the first assessment made while the child "
            "was in the period, so an assessment before entry or after leaving care is not its."
            + (
                ""
                if _count
                else " Of LAC02's periods, the days from entry to that assessment: the "
                "distribution LAC01's 4-6-month window is a target for. Linear interpolation "
                "between closest ranks (Spark's percentile)."
            ),
            source=_LAC,
            example=_LAC02_EXAMPLE,
            improvement="increase" if _count else "decrease",
            inputs=ASSESSED,
        )
    )


def reference(ctx: Context) -> Populations:
    """LAC01-LAC02: the initial mental health and wellbeing assessment of children entering care.

    cypmh's definition, from the 2025 recommendations (reference 8).

    LAC02: periods of care whose first assessment while in the period
    (:func:`cypmh.pathways.first_assessment`) is dated in the 12 months ending
    at the period end, each valued at the days from entry to it.

    LAC01: periods of care whose window closes (by default 6 months after entry) in
    the 12 months ending at the period end and that were still open when the
    window opened (4 months); each flagged as assessed in the window, assessed
    early, or not assessed in the window (overdue), as at the window's close.
    """
    rules = ctx.options.assessment_window
    found: Populations = {name: [] for name in POPULATIONS}
    for child in ctx.area.children:
        assessments = ctx.area.wellbeing_assessments_of(child.person_id)
        for period in periods_of_care(ctx.area.care_episodes_of(child.person_id)):
            # Every member is the period, its age band and status taken on entry.
            member = Observation(
                record=f"{child.person_id}/{period.start.isoformat()}",
                person_id=child.person_id,
                provider_code=None,
                age_date=period.start,
                status_date=period.start,
            )
            opens, closes = rules.bounds(period.start)
            record: dict[str, object] = {
                "care_start": period.start,
                "care_end": period.end,
                "window_start": opens,
                "window_end": closes,
            }
            record["first_assessment"] = first = first_assessment(period, assessments)
            if cl.holds(FIRST_ASSESSED, record, ctx.month) and first is not None:
                days = (first - period.start).days
                found["first_assessed"].append(attrs.evolve(member, value=days))
            if not cl.holds(DUE, record, ctx.month):
                continue
            status = wellbeing_assessment_status(period, assessments, closes, rules)
            record["status"] = status.value
            for name, declared in POPULATIONS.items():
                if name != "first_assessed" and cl.holds(declared.member, record, ctx.month):
                    found[name].append(
                        attrs.evolve(
                            member,
                            numerator=cl.holds(DONE_IN_WINDOW, record, ctx.month),
                            levels={"status": status.value},
                        )
                    )
    return found


# The dataframe engine's version.


def frames(ctx: FrameContext) -> FrameFamily:
    """LAC01 over frames: :func:`reference`, clause by clause.

    At the window's close a period's status can only be done in the window,
    done early, or due (:func:`cypmh.pathways.wellbeing_assessment_status`:
    the period covers the window's opening, so the child did not leave care
    before it, and the day is not before the window opens nor after it closes).
    """
    rules = ctx.options.assessment_window
    keys = ["person_id", "period_no", "start", "start_ymd", "opens", "closes"]
    keys += ["care_start", "care_end", "window_start", "window_end"]
    periods = fx.with_added_months(
        periods_of_care_frame(ctx["care_episodes"]), "start_ymd", rules.opens_after_months, "opens"
    )
    periods = fx.with_added_months(periods, "start_ymd", rules.closes_after_months, "closes")
    periods = periods.with_columns(
        nw.col("start").alias("care_start"),
        nw.col("end").alias("care_end"),
        nw.col("opens").alias("window_start"),
        nw.col("closes").alias("window_end"),
    ).filter(fc.condition(DUE, ctx.month, anchor="person_id"))
    made = ctx["wellbeing_assessments"].select("person_id", nw.col("date").alias("made"))
    firsts = _first_assessed(ctx, made)
    counts = (nw.col("made") >= nw.col("start")) & (nw.col("made") <= nw.col("closes"))
    in_window = (counts & (nw.col("made") >= nw.col("opens"))).fill_null(False)
    early = (counts & (nw.col("made") < nw.col("opens"))).fill_null(False)
    statuses = (
        periods.join(made, on="person_id", how="left")
        .with_columns(
            in_window.cast(nw.Int64).alias("in_window"), early.cast(nw.Int64).alias("early")
        )
        .group_by(*keys)
        .agg(nw.col("in_window").max(), nw.col("early").max())
        .with_columns(
            nw.when(nw.col("in_window") == 1)
            .then(nw.lit(AssessmentStatus.DONE_IN_WINDOW.value))
            .when(nw.col("early") == 1)
            .then(nw.lit(AssessmentStatus.DONE_EARLY.value))
            .otherwise(nw.lit(AssessmentStatus.DUE.value))
            .alias("status")
        )
    )
    due = {k: v for k, v in POPULATIONS.items() if k != "first_assessed"}
    return [
        firsts,
        fb.base(
            statuses,
            frame_populations(due, ctx.month, anchor="person_id"),
            person=nw.col("person_id"),
            provider=None,
            age_ymd=nw.col("start_ymd"),
            status_day=nw.col("start"),
            record=nw.concat_str(
                [nw.col("person_id"), nw.lit("/"), fx.iso_date(nw.col("start_ymd"))]
            ),
        ),
    ]


def _first_assessed(ctx: FrameContext, made: Frame) -> Base:
    """LAC02's periods over frames: each period's first assessment while in it, in the 12 months."""
    start, end, day = nw.col("start"), nw.col("end"), nw.col("made")
    periods = periods_of_care_frame(ctx["care_episodes"])
    firsts = (
        periods.join(made, on="person_id", how="inner")
        .filter(day >= start, (end.is_null() | (day <= end)))
        .group_by("person_id", "period_no")
        .agg(start.min(), nw.col("start_ymd").min(), day.min().alias("first_assessment"))
    )
    return fb.base(
        firsts,
        {
            "first_assessed": fb.Population(
                member=fc.condition(FIRST_ASSESSED, ctx.month, anchor="person_id"),
                value=nw.col("first_assessment") - start,
            )
        },
        person=nw.col("person_id"),
        provider=None,
        age_ymd=nw.col("start_ymd"),
        status_day=start,
        record=nw.concat_str([nw.col("person_id"), nw.lit("/"), fx.iso_date(nw.col("start_ymd"))]),
    )


# Why a referral is not a member (cypmh why).


def explain(case: Case, population: str) -> str | None:
    """Why the referral is not a member of ``population``: the first thing that keeps it out.

    ``None`` where nothing here names it (:func:`cypmh.metrics.explain.why` then
    quotes the definition).
    """
    if population == "first_assessed":
        words = cl.words(FIRST_ASSESSED, month=case.ctx.month)
        return f"the child has no period of care where {words}, as the first while in care"
    due = case.child_in("looked_after", "due")
    if due is None:
        return f"the child has no period of care where {cl.words(DUE, month=case.ctx.month)}"
    return (
        f"the child's assessment status is {due.levels.get('status', 'another')}, not {population}"
    )
