"""REJ01-REJ03: referral rejection.

What the family is and its metrics (``FAMILY``, ``METRICS``), :func:`reference` over objects,
:func:`frames` over dataframes, and :func:`explain` for ``cypmh why`` (:mod:`cypmh.metrics.families`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cypmh import clauses as cl
from cypmh.codes import RejectionReason
from cypmh.metrics.definition import Family, MetricDefinition
from cypmh.metrics.families.case import Case, cohort_reason
from cypmh.metrics.families.declared import (
    Declared,
    frame_populations,
    reason,
    reference_members,
)
from cypmh.metrics.families.lazy import fb, fx, nw
from cypmh.metrics.families.members import (
    COHORT_DERIVED,
    CYP_COHORT,
    Context,
    Populations,
    cyp_referrals,
    cyp_referrals_frame,
)
from cypmh.metrics.files import EPISODES, HEALTH, REJECTED, SOCIAL_WORK, column, referral_column
from cypmh.metrics.options import MetricOptions
from cypmh.metrics.results import Aggregate, Unit

if TYPE_CHECKING:
    from cypmh.metrics.blocks.bases import FrameContext, FrameFamily

__all__ = ["FAMILY", "METRICS", "explain", "frames", "reference"]


# The populations, declared as clauses over the CYP referrals (cypmh.clauses): read by
# reference, frames and explain alike.

IS_REJECTED = cl.Not(cl.IsNull(cl.Column("rejection_date")))
"""Rejected by the period end (the records are read as at it)."""

_reason = cl.Column("rejection_reason")
NOT_A_DUPLICATE = cl.Any(
    [
        cl.IsNull(cl.Column("rejection_date")),
        cl.IsNull(_reason),
        cl.Compare("!=", _reason, cl.Lit(RejectionReason.DUPLICATE.value)),
    ]
)
"""Not rejected as a duplicate: what ``exclude_duplicate_rejections`` keeps."""


def populations(options: MetricOptions) -> dict[str, Declared]:
    """The family's populations under ``options``: received in the month or the year."""
    kept = [NOT_A_DUPLICATE] if options.exclude_duplicate_rejections else []
    received = cl.Column("received_date")
    month = cl.All([cl.Within(received, 1), *kept])
    return {
        "received_month": Declared(member=month, numerator=IS_REJECTED),
        "rejected_month": Declared(
            member=cl.All([*month.clauses, IS_REJECTED]), numerator=IS_REJECTED
        ),
        "received_year": Declared(
            member=cl.All([cl.Within(received, 12), *kept]), numerator=IS_REJECTED
        ),
    }


# What the family is, and its metrics, in the catalogue's order.

FAMILY = Family(
    name="rejections",
    # A rejection has its date; a duplicate referral (its reason) is not counted as one.
    inputs=(*HEALTH, REJECTED, referral_column("ReferRejectReason")),
    resident=True,
    cohort=CYP_COHORT,
    derived=COHORT_DERIVED,
    populations=populations(MetricOptions()),
)

_REJ = "cypmh (no national measure; NHS England's CYP dashboard reports rejections by reason)"
_REJ_EXAMPLE = "tests/spec/metrics/test_rejections.py::test_rejection_worked_example"
BY_SOCIAL_CARE = (*FAMILY.inputs, EPISODES, SOCIAL_WORK, column(SOCIAL_WORK, "END"))
"""REJ02r compares children with a social worker and without: it reads the social-care files."""

METRICS: list[MetricDefinition] = [
    FAMILY.declare(
        id="REJ01",
        name="Referrals received in the month that were rejected",
        population="rejected_month",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window="the reporting month (rejections recorded by its end)",
        numerator="referrals received in the month with a rejection date by the period end",
        denominator=None,
        definition="Referrals of the CYP cohort ({cohort}) where {member} (a rejection date on or "
        "before the period end). Duplicates (reason 01) count as rejections unless the option "
        "exclude_duplicate_rejections removes them altogether.",
        source=_REJ,
        example=_REJ_EXAMPLE,
        improvement="decrease",
    ),
    FAMILY.declare(
        id="REJ01a",
        name="Referrals received in the month",
        population="received_month",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window="the reporting month",
        numerator="referrals received in the month",
        denominator=None,
        definition="Referrals of the CYP cohort ({cohort}) where {member}.",
        source=_REJ,
        example=_REJ_EXAMPLE,
    ),
    FAMILY.declare(
        id="REJ01b",
        name="Percentage of referrals received in the month that were rejected",
        population="received_month",
        aggregate=Aggregate.PERCENTAGE,
        unit=Unit.PERCENTAGE,
        window="the reporting month",
        numerator="REJ01",
        denominator="REJ01a",
        definition="100 x REJ01 / REJ01a: of REJ01a's referrals, those where {numerator}.",
        source=_REJ,
        example=_REJ_EXAMPLE,
        improvement="decrease",
    ),
    FAMILY.declare(
        id="REJ02",
        name="Percentage of referrals rejected, by social-care status (12-month rolling)",
        population="received_year",
        aggregate=Aggregate.PERCENTAGE,
        unit=Unit.PERCENTAGE,
        window="the 12 months ending at the period end",
        numerator="referrals received in the window that were rejected",
        denominator="referrals received in the window",
        definition="As REJ01b over 12 months: of the referrals of the CYP cohort ({cohort}) where {member}, those "
        "where {numerator}, broken down by the child's social-care status on the day the "
        "referral was received (looked after, child protection plan, child in need, none). A year, not "
        "a month, so that the smaller groups have enough referrals to compare.",
        source=_REJ + "; asked for by the 2025 recommendations for children with a social worker",
        example=_REJ_EXAMPLE,
        improvement="decrease",
    ),
    FAMILY.declare(
        id="REJ03",
        name="Percentage of referrals rejected, by social-care status and IMD quintile "
        "(12-month rolling)",
        population="received_year",
        aggregate=Aggregate.PERCENTAGE,
        unit=Unit.PERCENTAGE,
        window="the 12 months ending at the period end",
        numerator="referrals received in the window that were rejected",
        denominator="referrals received in the window",
        definition="REJ02, broken down by the child's social-care status on the day the referral "
        "was received and the IMD quintile of their neighbourhood at once (child_in_need / 01 "
        "Most deprived): of the referrals of the CYP cohort ({cohort}) where {member}, those "
        "where {numerator}. Its whole-area row is REJ02's. The cross shows whether children with "
        "a social worker are rejected more often at every level of deprivation, or only where "
        "deprivation and social care go together. It needs a deprivation file.",
        source=_REJ + "; asked for by the 2025 recommendations for children with a social worker",
        breakdowns=("social_care_imd",),
        example="tests/spec/metrics/test_rejections_by_deprivation.py"
        "::test_rejections_by_status_and_quintile_worked_example",
        improvement="decrease",
    ),
    FAMILY.declare(
        id="REJ02r",
        name="Rejection rate ratio against children with no social worker",
        population="received_year",
        aggregate=Aggregate.RATE_RATIO,
        unit=Unit.RATIO,
        window="the 12 months ending at the period end",
        numerator="the rejection proportion of each social-care status",
        denominator="the rejection proportion of children with no social-care status",
        definition="For each social-care status, its REJ02 proportion divided by that of children with "
        "none, with a 95% interval by the log method (Katz et al., 1978). Undefined when either group has "
        "no rejections.",
        source=_REJ,
        breakdowns=("social_care",),
        example=_REJ_EXAMPLE,
        improvement="decrease",
        inputs=BY_SOCIAL_CARE,
    ),
]


def reference(ctx: Context) -> Populations:
    """REJ01-REJ02: referral rejection.

    cypmh's definition: no national measure exists (reference 5.5 and 10.5).

    Referrals of the CYP cohort (:data:`~cypmh.metrics.families.members.CYP_COHORT`):
    ``received_month`` those received in the reporting month, ``received_year``
    those received in the 12 months ending at the period end; each counted as
    rejected when a rejection date is recorded by the period end. Social-care
    status is taken on the day the referral was received.
    """
    return reference_members(populations(ctx.options), cyp_referrals(ctx), ctx.month)


# The dataframe engine's version.


def frames(ctx: FrameContext) -> FrameFamily:
    """REJ01-REJ02 over frames: :func:`reference`, clause by clause."""
    start, end = ctx.window(12)
    # Every population's referrals were received in the 12 months: read those alone.
    frame = cyp_referrals_frame(ctx).filter(fx.in_range(nw.col("received_date"), start, end))
    return [fb.of_referral(frame, frame_populations(populations(ctx.options), ctx.month))]


# Why a referral is not a member (cypmh why).


def explain(case: Case, population: str) -> str | None:
    """Why the referral is not a member of ``population``: the first thing that keeps it out.

    ``None`` where nothing here names it (:func:`cypmh.metrics.explain.why` then
    quotes the definition).
    """
    if (cohort := cohort_reason(case)) is not None:
        return cohort
    return reason(case, populations(case.ctx.options)[population])
