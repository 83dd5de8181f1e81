"""SDQ01-SDQ03: SDQ scores of looked-after children.

What the family is and its metrics (``FAMILY``, ``METRICS``), :func:`reference` over objects,
:func:`frames` over dataframes, and :func:`explain` for ``cypmh why`` (:mod:`cypmh.metrics.families`).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import attrs

from cypmh import clauses as cl
from cypmh.codes import SdqBand
from cypmh.metrics.definition import Family, MetricDefinition
from cypmh.metrics.families.case import Case
from cypmh.metrics.families.lazy import fb, fc, fx, nw
from cypmh.metrics.families.members import Context, Observation, Populations
from cypmh.metrics.files import EPISODES, OC2, column
from cypmh.metrics.results import Aggregate, Unit
from cypmh.pathways import sdq_eligible
from cypmh.pathways.looked_after import add_months as add_calendar_months
from cypmh.pathways.looked_after import periods_of_care_frame

if TYPE_CHECKING:
    from cypmh.metrics.blocks.bases import FrameContext, FrameFamily
    from cypmh.periods import Month

__all__ = ["FAMILY", "METRICS", "SAME_FOR_LEVELS", "explain", "frames", "reference", "same_for"]


def last_31_march(day: date) -> date:
    """The last 31 March on or before ``day`` (the end of the SDQ collection year)."""
    candidate = date(day.year, 3, 31)
    return candidate if candidate <= day else date(day.year - 1, 3, 31)


# The conditions on an eligible child's score, as clauses (cypmh.clauses): reference,
# frames and explain all read them. Who is eligible (looked after for the year, of an
# eligible age) is a derived table (cypmh.pathways.sdq_eligible), as code.

_score = cl.Column("score")

HAS_SCORE = cl.Not(cl.IsNull(_score))
"""The child's return for the year has a score."""

IN_BAND = {
    band: cl.All(
        (
            cl.Compare(">=", _score, cl.Lit(band.score_range[0])),
            cl.Compare("<=", _score, cl.Lit(band.score_range[1])),
        )
    )
    for band in SdqBand
}
"""Each band's scores (``sdq.csv``), both ends included."""


# What the family is, and its metrics, in the catalogue's order.

FAMILY = Family(
    name="sdq",
    records="person",
    # A reason dated after a score is the year's latest SDQ, so the reasons are read too.
    # SDQ_DATE is not an input: without it every row is the OC2 return, the DfE's own rule.
    inputs=(EPISODES, OC2, column(OC2, "SDQ_SCORE"), column(OC2, "SDQ_REASON")),
    derived={
        "eligible children": "children looked after continuously for 12 months or more at the "
        "last 31 March on or before the period end, of the ages the options' SDQ age rule "
        "takes (cypmh.pathways.sdq_eligible), with their score for that year: the latest SDQ dated "
        "in the year, else the OC2 return (cypmh.model.sdq_for_year)",
    },
)

_SDQ = (
    "DfE SSDA903 OC2, or the Standard Safeguarding Dataset's dated ssd_sdq_scores; bands from "
    "LG Inform metric 2135 (id.esd.org.uk/metricType/2135)"
)
_SDQ_EXAMPLE = "tests/spec/metrics/test_social_care.py::test_sdq_worked_example"
METRICS: list[MetricDefinition] = [
    FAMILY.declare(
        id="SDQ01",
        name="Mean SDQ total difficulties score of eligible looked-after children",
        population="scored",
        aggregate=Aggregate.MEAN,
        unit=Unit.SCORE,
        window="the year ending on the last 31 March on or before the period end",
        numerator="the sum of the scores",
        denominator="eligible children with a score",
        definition="Children looked after continuously for 12 months at 31 March, of an eligible age (the "
        "options' age rule; by default the DfE collection's), with a score: their mean score (lower is "
        "better), with a normal-approximation 95% interval. A child's score is that of their latest "
        "SDQ dated in the year, else of their undated OC2 return.",
        source=_SDQ,
        example=_SDQ_EXAMPLE,
    ),
    FAMILY.declare(
        id="SDQ02",
        name="Percentage of eligible looked-after children with an SDQ score",
        population="eligible",
        aggregate=Aggregate.PERCENTAGE,
        unit=Unit.PERCENTAGE,
        window="the year ending on the last 31 March on or before the period end",
        numerator="eligible children with a score",
        denominator="eligible children",
        definition="Eligible children (as SDQ01) with a score, as a percentage of all eligible children.",
        source=_SDQ,
        example=_SDQ_EXAMPLE,
        improvement="increase",
    ),
]
for _suffix, _in_band in zip("abc", SdqBand, strict=True):
    _band, _range = _in_band.value, "-".join(str(n) for n in _in_band.score_range)
    METRICS.append(
        FAMILY.declare(
            id=f"SDQ03{_suffix}",
            name=f"Percentage of SDQ scores in the {_band} band ({_range})",
            population=f"band_{_band}",
            aggregate=Aggregate.PERCENTAGE,
            unit=Unit.PERCENTAGE,
            window="the year ending on the last 31 March on or before the period end",
            numerator=f"eligible children scoring {_range}",
            denominator="eligible children with a score",
            definition=f"Eligible children with a score in {_range}, as a percentage of those with a score.",
            source=_SDQ,
            example=_SDQ_EXAMPLE,
        )
    )


def reference(ctx: Context) -> Populations:
    """SDQ01-SDQ03: SDQ scores of looked-after children (reference 5.7).

    Children eligible in the year ending on the last 31 March on or before
    the period end (:func:`cypmh.pathways.sdq_eligible`, with the options' age
    rule): ``eligible`` all of them, counted as scored when their return for
    the year has a score; ``scored`` those with a score, valued at it, and
    flagged by band (``sdq.csv``). A child's return for the year is their
    latest SDQ dated in it, else their undated OC2 return
    (:func:`cypmh.model.sdq_for_year`): the dated SDQ is the last assessment
    of the year, which the SSD's guidance asks for.
    """
    year_end = last_31_march(ctx.period_end)
    eligible, scored = [], []
    for child in ctx.area.children:
        episodes = ctx.area.care_episodes_of(child.person_id)
        if not episodes or not sdq_eligible(child, episodes, year_end, ctx.options.sdq_age_rule):
            continue
        ret = ctx.area.sdq_of(child.person_id, year_end)
        record = {"score": ret.score if ret is not None else None}
        scored_now = cl.holds(HAS_SCORE, record, ctx.month)
        member = Observation(
            record=child.person_id,
            person_id=child.person_id,
            provider_code=None,
            age_date=year_end,
            status_date=year_end,
            value=record["score"],
            numerator=scored_now,
        )
        eligible.append(member)
        if scored_now:
            scored.append(member)
    populations: Populations = {"eligible": eligible, "scored": scored}
    for band, clause in IN_BAND.items():
        populations[f"band_{band.value}"] = [
            attrs.evolve(o, numerator=cl.holds(clause, {"score": o.value}, ctx.month))
            for o in scored
        ]
    return populations


# The dataframe engine's version.


def same_for(month: Month) -> date:
    """What the family reads of the month: only the 31 March that ends its year.

    Every month with the same 31 March has the same members, and with the
    breakdowns of :data:`SAME_FOR_LEVELS` (taken on that 31 March) the same
    levels, so a series computes them once a year. Records dated after the
    31 March are not read: eligibility needs care from the year's start and
    an end on or after the 31 March, which a later record cannot change.
    """
    return last_31_march(month.last_day)


SAME_FOR_LEVELS = frozenset({"age_band", "sex", "social_care", "provider"})
"""The breakdowns whose levels the family fixes on the 31 March (the others read the month)."""


def year_returns(returns: Any, year_start: date, year_end: date) -> Any:
    """Each child's return for the year (``person_id``, ``score``): :func:`cypmh.model.sdq_for_year`.

    The latest dated SDQ from ``year_start`` to ``year_end``, else the undated
    one: each child's returns of the year are ranked by date, an undated one
    below every dated one, and the top one kept (a child has one return per
    date, and one undated).
    """
    day = nw.col("date")
    ranked = returns.filter(
        day.is_null() | ((day >= fx.day_number(year_start)) & (day <= fx.day_number(year_end)))
    ).with_columns(_rank=day.fill_null(-(10**9)))
    top = ranked.group_by("person_id").agg(nw.col("_rank").max())
    return ranked.join(top, on=["person_id", "_rank"], how="inner").select("person_id", "score")


def frames(ctx: FrameContext) -> FrameFamily:
    """SDQ01-SDQ03 over frames: :func:`reference`, clause by clause."""
    year_end = last_31_march(ctx.month.last_day)
    year_start = add_calendar_months(year_end, -12) + timedelta(days=1)
    continuous = (
        periods_of_care_frame(ctx["care_episodes"])
        .filter(
            nw.col("start") <= fx.day_number(year_start),
            (nw.col("end") >= fx.day_number(year_end)).fill_null(True),
        )
        .select("person_id")
        .unique()
    )
    rule = ctx.options.sdq_age_rule
    on = {"year_start": fx.ymd_number(year_start), "year_end": fx.ymd_number(year_end)}
    low, high = on[rule.min_age_on], on[rule.max_age_on]
    birth = nw.col("birth_date_ymd")
    admitted = (
        (birth <= min(low, high))
        & ((low - birth) // 10000 >= rule.min_age)
        & ((high - birth) // 10000 <= rule.max_age)
    ).fill_null(False)
    eligible = (
        ctx["children"]
        .select("person_id", "birth_date_ymd")
        .join(continuous, on="person_id", how="inner")
        .filter(admitted)
        .join(year_returns(ctx["sdq_returns"], year_start, year_end), on="person_id", how="left")
    )
    score = nw.col("score")
    has_score = fc.condition(HAS_SCORE, ctx.month, anchor="person_id")
    populations = {
        "eligible": fb.Population(value=score, numerator=has_score),
        "scored": fb.Population(member=has_score, value=score, numerator=nw.lit(True)),
    }
    for band, clause in IN_BAND.items():
        populations[f"band_{band.value}"] = fb.Population(
            member=has_score,
            value=score,
            numerator=fc.condition(clause, ctx.month, anchor="person_id"),
        )
    return [
        fb.base(
            eligible,
            populations,
            person=nw.col("person_id"),
            provider=None,
            age_ymd=nw.lit(fx.ymd_number(year_end)),
            status_day=nw.lit(fx.day_number(year_end)),
            record=nw.col("person_id"),
        )
    ]


# Why a referral is not a member (cypmh why).


def explain(case: Case, population: str) -> str | None:
    """Why the referral is not a member of ``population``: the first thing that keeps it out.

    ``None`` where nothing here names it (:func:`cypmh.metrics.explain.why` then
    quotes the definition).
    """
    year_end = last_31_march(case.end)
    if case.child_in("sdq", "eligible") is None:
        return f"the child was not looked after continuously for the year to {year_end.isoformat()}"
    scored = case.ctx.area.sdq_of(case.child.person_id, year_end)
    record = {"score": scored.score if scored is not None else None}
    failure = cl.first_failure(HAS_SCORE, record, case.ctx.month)
    if failure is not None:
        return cl.describe(failure, record, case.ctx.month, as_at=True)
    return "the child's SDQ score is in another band"
