"""THR01: children with an open referral, by THRIVE grouping.

What the family is and its metrics (``FAMILY``, ``METRICS``), :func:`reference` over objects,
:func:`frames` over dataframes, and :func:`explain` for ``cypmh why`` (:mod:`cypmh.metrics.families`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cypmh.metrics.definition import Family, MetricDefinition
from cypmh.metrics.families.case import Case
from cypmh.metrics.families.lazy import fb, fx, nw
from cypmh.metrics.families.members import Context, Observation, Populations, cyp_at
from cypmh.metrics.files import CLOSED, DISCHARGED, HEALTH, REJECTED
from cypmh.metrics.results import Aggregate, Unit
from cypmh.thrive import children_with_open_referral

if TYPE_CHECKING:
    from cypmh.metrics.blocks.bases import FrameContext, FrameFamily

__all__ = ["FAMILY", "METRICS", "explain", "frames", "reference"]


# What the family is, and its metrics, in the catalogue's order.

FAMILY = Family(
    name="thrive",
    records="person",
    # Open referrals: not discharged, rejected or closed.
    inputs=(*HEALTH, DISCHARGED, REJECTED, CLOSED),
)

METRICS: list[MetricDefinition] = [
    FAMILY.declare(
        id="THR01",
        name="Children aged 0-17 with an open referral at the period end, by THRIVE grouping",
        population="open_children",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window="at the period end",
        numerator="children aged 0-17 at the period end with an open referral at the period end",
        denominator=None,
        definition="Children aged 0 to 17 on the period end (the age rule of every CYP count: a person of 18 or "
        "over, on an adult team's referral in a mixed extract, is not counted) with a referral received by "
        "the period end and not ended on it, broken down by "
        "the grouping in force at the period end: the latest agreed one, or before any is agreed the "
        "latest suggestion, counted apart as '<grouping> (suggested)'; 'Not recorded' without one.",
        source="cypmh; THRIVE Framework for system change (Wolpert et al., 2019)",
        example="tests/spec/metrics/test_schools_thrive.py::test_thrive_worked_example",
    ),
]


def reference(ctx: Context) -> Populations:
    """THR01: children aged 0-17 at the period end with an open referral then (by grouping).

    A CYP measure counts children: a person aged 18 or over at the period end
    (an adult team's referral in a mixed extract) is not counted.
    """
    open_children = {
        pid
        for pid in children_with_open_referral(ctx.area, ctx.period_end)
        if cyp_at(ctx.area.child(pid), ctx.period_end)
    }
    return {
        "open_children": [
            Observation(
                record=pid,
                person_id=pid,
                provider_code=None,
                age_date=ctx.period_end,
                status_date=ctx.period_end,
            )
            for pid in sorted(open_children)
        ]
    }


# The dataframe engine's version.


def frames(ctx: FrameContext) -> FrameFamily:
    """THR01 over frames: :func:`reference`, clause by clause."""
    children = ctx["children"].filter(fx.cyp_at(nw.col("birth_date_ymd"), nw.lit(ctx.end_ymd)))
    open_children = (
        ctx["referrals"]
        .filter(fb.referral_end().is_null())
        .select("person_id")
        .unique()
        .join(children.select("person_id"), on="person_id", how="inner")
    )
    return [
        fb.base(
            open_children,
            {"open_children": fb.Population()},
            person=nw.col("person_id"),
            provider=None,
            age_ymd=nw.lit(ctx.end_ymd),
            status_day=nw.lit(ctx.end),
            record=nw.col("person_id"),
        )
    ]


# Why a referral is not a member (cypmh why).


def explain(case: Case, population: str) -> str | None:
    """Why the referral is not a member of ``population``: the first thing that keeps it out.

    ``None`` where nothing here names it (:func:`cypmh.metrics.explain.why` then
    quotes the definition).
    """
    return "the child has no open referral at the period end"
