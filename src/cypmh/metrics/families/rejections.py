"""REJ01-REJ02: referral rejection.

What the family is and its metrics (``FAMILY``, ``METRICS``), :func:`reference` over objects,
:func:`frames` over dataframes, and :func:`explain` for ``cypmh why`` (:mod:`cypmh.metrics.families`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cypmh.codes import RejectionReason
from cypmh.metrics.definition import Family, MetricDefinition
from cypmh.metrics.families.case import Case, cohort_reason, received_in
from cypmh.metrics.families.lazy import fb, fx, nw
from cypmh.metrics.families.members import (
    Context,
    Observation,
    Populations,
    cyp_referrals,
    cyp_referrals_frame,
    observe,
)
from cypmh.metrics.files import EPISODES, HEALTH, REJECTED, SOCIAL_WORK, column, referral_column
from cypmh.metrics.results import Aggregate, Unit
from cypmh.periods import RollingMonths

if TYPE_CHECKING:
    from cypmh.metrics.blocks.bases import FrameContext, FrameFamily

__all__ = ["FAMILY", "METRICS", "explain", "frames", "reference"]


def _rejection_population(ctx: Context, window: RollingMonths) -> list[Observation]:
    members = []
    for referral, _ in cyp_referrals(ctx):
        if not window.contains(referral.received_date):
            continue
        rejected = referral.is_rejected
        duplicate = rejected and referral.rejection_reason is RejectionReason.DUPLICATE
        if duplicate and ctx.options.exclude_duplicate_rejections:
            continue
        members.append(observe(referral, numerator=rejected))
    return members


# What the family is, and its metrics, in the catalogue's order.

FAMILY = Family(
    name="rejections",
    # A rejection has its date; a duplicate referral (its reason) is not counted as one.
    inputs=(*HEALTH, REJECTED, referral_column("ReferRejectReason")),
    resident=True,
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
        definition="Referrals of children 0-17 when received, resident in England or unknown, received in "
        "the month and rejected (a rejection date on or before the period end). Duplicates (reason 01) "
        "count as rejections unless the option exclude_duplicate_rejections removes them altogether.",
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
        definition="Referrals of children 0-17 when received, resident in England or unknown, received in "
        "the month.",
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
        definition="100 x REJ01 / REJ01a.",
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
        definition="As REJ01b over 12 months, broken down by the child's social-care status on the day the "
        "referral was received (looked after, child protection plan, child in need, none). A year, not "
        "a month, so that the smaller groups have enough referrals to compare.",
        source=_REJ + "; asked for by the 2025 recommendations for children with a social worker",
        example=_REJ_EXAMPLE,
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

    Referrals of children 0-17 when received, resident in England or unknown:
    ``received_month`` those received in the reporting month, ``received_year``
    those received in the 12 months ending at the period end; each counted as
    rejected when a rejection date is recorded by the period end. Social-care
    status is taken on the day the referral was received.
    """
    month = _rejection_population(ctx, ctx.window(1))
    return {
        "received_month": month,
        "rejected_month": [o for o in month if o.numerator],
        "received_year": _rejection_population(ctx, ctx.window(12)),
    }


# The dataframe engine's version.


def frames(ctx: FrameContext) -> FrameFamily:
    """REJ01-REJ02 over frames: :func:`reference`, clause by clause."""
    month_start, month_end = ctx.window(1)
    start, end = ctx.window(12)
    rejected = ~nw.col("rejection_date").is_null()
    frame = cyp_referrals_frame(ctx).filter(fx.in_range(nw.col("received_date"), start, end))
    if ctx.options.exclude_duplicate_rejections:
        duplicate = rejected & (nw.col("rejection_reason") == RejectionReason.DUPLICATE.value)
        frame = frame.filter(~duplicate.fill_null(False))
    in_month = fx.in_range(nw.col("received_date"), month_start, month_end)
    return [
        fb.of_referral(
            frame,
            {
                "received_month": fb.Population(member=in_month, numerator=rejected),
                "rejected_month": fb.Population(member=in_month & rejected, numerator=nw.lit(True)),
                "received_year": fb.Population(numerator=rejected),
            },
        )
    ]


# Why a referral is not a member (cypmh why).


def explain(case: Case, population: str) -> str | None:
    """Why the referral is not a member of ``population``: the first thing that keeps it out.

    ``None`` where nothing here names it (:func:`cypmh.metrics.explain.why` then
    quotes the definition).
    """
    if (cohort := cohort_reason(case)) is not None:
        return cohort
    months = 12 if population == "received_year" else 1
    found = received_in(case, months)
    if found is None and population == "rejected_month":
        return "not rejected by the period end"
    if (
        found is None
        and case.referral.is_rejected
        and case.ctx.options.exclude_duplicate_rejections
    ):
        return "rejected as a duplicate, which the options leave out"
    return found
