"""THR01: children with an open referral, by THRIVE grouping.

What the family is and its metrics (``FAMILY``, ``METRICS``), :func:`reference` over objects,
:func:`frames` over dataframes, and :func:`explain` for ``cypmh why`` (:mod:`cypmh.metrics.families`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cypmh import clauses as cl
from cypmh.metrics.definition import Family, MetricDefinition
from cypmh.metrics.families.case import Case
from cypmh.metrics.families.declared import Declared, joined, reason
from cypmh.metrics.families.lazy import fb, fc, nw
from cypmh.metrics.families.members import Context, Observation, Populations, with_child
from cypmh.metrics.files import CLOSED, DISCHARGED, HEALTH, REJECTED
from cypmh.metrics.results import Aggregate, Unit

if TYPE_CHECKING:
    from cypmh.metrics.blocks.bases import FrameContext, FrameFamily

__all__ = ["FAMILY", "METRICS", "explain", "frames", "reference"]


# Its population, declared as clauses (cypmh.clauses) over a referral with its child's
# birth date: a child counts once if any of its referrals meets them. Reference, frames
# and explain all read them.

NOT_ENDED = cl.All(
    (
        cl.IsNull(cl.Column("discharge_date")),
        cl.IsNull(cl.Column("rejection_date")),
        cl.IsNull(cl.Column("closure_date")),
    )
)
"""Open at the period end: no discharge, rejection or closure recorded by then (an end on
the period end itself has happened; the same rule as a journey's states)."""

CYP_AT_END = cl.AgeBetween(cl.Column("birth_date"), cl.PeriodEnd(), 0, 17)
"""The child is aged 0-17 on the period end."""

POPULATIONS = {"open_children": Declared(member=cl.All((NOT_ENDED, CYP_AT_END)))}


# What the family is, and its metrics, in the catalogue's order.

FAMILY = Family(
    name="thrive",
    records="person",
    # Open referrals: not discharged, rejected or closed.
    inputs=(*HEALTH, DISCHARGED, REJECTED, CLOSED),
    populations=POPULATIONS,
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
        definition="Children with a referral, as recorded by the period end, where "
        "{member} (the age rule of every CYP count: "
        "a person of 18 or over, on an adult team's referral in a mixed extract, is not counted), "
        "each counted once, broken down by the grouping in force at the period end: the latest "
        "agreed one, or before any is agreed the latest suggestion, counted apart as "
        "'<grouping> (suggested)'; 'Not recorded' without one.",
        source="cypmh; THRIVE Framework for system change (Wolpert et al., 2019)",
        example="tests/spec/metrics/test_schools_thrive.py::test_thrive_worked_example",
    ),
]


def reference(ctx: Context) -> Populations:
    """THR01: children aged 0-17 at the period end with an open referral then (by grouping).

    A CYP measure counts children: a person aged 18 or over at the period end
    (an adult team's referral in a mixed extract) is not counted. The
    referrals are as at the period end, so each was received by then.
    """
    member = POPULATIONS["open_children"].member
    open_children = {
        referral.person_id
        for referral in ctx.area.referrals
        if cl.holds(member, joined(referral, ctx.area.child(referral.person_id)), ctx.month)
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
    member = fc.condition(POPULATIONS["open_children"].member, ctx.month, anchor="referral_id")
    open_children = with_child(ctx).filter(member).select("person_id").unique()
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
    """Why the referral is not a member of ``population``: the clause it fails, with its values.

    The child counts through any of its referrals; when it does not, this one fails too.
    """
    return reason(case, POPULATIONS[population], joined(case.referral, case.child))
