"""DIS01: CYP referrals discharged in the month, the outflow beside the referrals coming in.

What the family is and its metrics (``FAMILY``, ``METRICS``), :func:`reference` over objects,
:func:`frames` over dataframes, and :func:`explain` for ``cypmh why`` (:mod:`cypmh.metrics.families`).
This family is the worked example of ``docs/explanation/design.md``
("Add a metric").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cypmh import clauses as cl
from cypmh.metrics.definition import Family, MetricDefinition
from cypmh.metrics.families.case import Case, cohort_reason
from cypmh.metrics.families.declared import (
    Declared,
    frame_populations,
    reason,
    reference_members,
)
from cypmh.metrics.families.lazy import fb
from cypmh.metrics.families.members import (
    COHORT_DERIVED,
    CYP_COHORT,
    Context,
    Populations,
    cyp_referrals,
    cyp_referrals_frame,
)
from cypmh.metrics.files import DISCHARGED, HEALTH
from cypmh.metrics.results import Aggregate, Unit

if TYPE_CHECKING:
    from cypmh.metrics.blocks.bases import FrameContext, FrameFamily

__all__ = ["FAMILY", "METRICS", "explain", "frames", "reference"]


# Its population, declared as a clause (cypmh.clauses): reference, frames and explain
# all read it.

DISCHARGED_IN_MONTH = cl.Within(cl.Column("discharge_date"), 1)
"""Discharged in the reporting month (as recorded by the period end)."""

POPULATIONS = {"discharged": Declared(member=DISCHARGED_IN_MONTH)}


# What the family is, and its metrics, in the catalogue's order.

FAMILY = Family(
    name="discharges",
    inputs=(*HEALTH, DISCHARGED),
    resident=True,
    cohort=CYP_COHORT,
    derived=COHORT_DERIVED,
    populations=POPULATIONS,
)

METRICS: list[MetricDefinition] = [
    FAMILY.declare(
        id="DIS01",
        name="Referrals discharged in the month",
        population="discharged",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window="the reporting month",
        numerator="referrals with a discharge date in the month",
        denominator=None,
        definition="Referrals of the CYP cohort ({cohort}) where {member} (ServDischDate), as "
        "recorded by the period end: the outflow beside REJ01a, the referrals coming in.",
        source="cypmh (no national measure); MHS101Referral.ServDischDate",
        example="tests/spec/metrics/test_discharges.py::test_discharges_worked_example",
    ),
]


def reference(ctx: Context) -> Populations:
    """DIS01: referrals discharged in the reporting month.

    cypmh's definition: no national measure counts them (the field is
    ``MHS101Referral.ServDischDate``; MHS110's closed referrals, NHSD
    ``cyp_outcomes_prep.py``, are these with further filters). Referrals of
    the CYP cohort (:data:`~cypmh.metrics.families.members.CYP_COHORT`) with a
    discharge date in the reporting month (:data:`DISCHARGED_IN_MONTH`). Read as at the period end, so a discharge recorded after
    it has not happened yet. Age band and social-care status are taken on the
    day the referral was received, as for the other referral counts.
    """
    return reference_members(POPULATIONS, cyp_referrals(ctx), ctx.month)


# The dataframe engine's version.


def frames(ctx: FrameContext) -> FrameFamily:
    """DIS01 over frames: :func:`reference`, clause by clause."""
    return [fb.of_referral(cyp_referrals_frame(ctx), frame_populations(POPULATIONS, ctx.month))]


# Why a referral is not a member (cypmh why).


def explain(case: Case, population: str) -> str | None:
    """Why the referral is not a member of ``population``: the first thing that keeps it out.

    ``None`` where nothing here names it (:func:`cypmh.metrics.explain.why` then
    quotes the definition).
    """
    if (cohort := cohort_reason(case)) is not None:
        return cohort
    return reason(case, POPULATIONS[population])
