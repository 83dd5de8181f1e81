"""REF01-REF02: referrals received, this year and the year before.

What the family is and its metrics (``FAMILY``, ``METRICS``), :func:`reference` over objects,
:func:`frames` over dataframes, and :func:`explain` for ``cypmh why`` (:mod:`cypmh.metrics.families`).
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
from cypmh.metrics.families.lazy import fb, fx, nw
from cypmh.metrics.families.members import (
    COHORT_DERIVED,
    CYP_COHORT,
    Context,
    Populations,
    cyp_referrals,
    cyp_referrals_frame,
)
from cypmh.metrics.files import HEALTH
from cypmh.periods import Month, RollingMonths

if TYPE_CHECKING:
    from cypmh.metrics.blocks.bases import FrameContext, FrameFamily

__all__ = ["FAMILY", "METRICS", "explain", "frames", "prior_window", "reference"]


def prior_window(month: Month) -> RollingMonths:
    """The 12 months ending a year before ``month``'s end: REF02's base period."""
    return RollingMonths(last=Month.from_uniq_month_id(month.uniq_month_id - 12), months=12)


# Its populations, declared as clauses (cypmh.clauses): reference, frames and explain
# all read them. The year before is the 12 months before the last 12: from the start of
# the 24 months ending at the period end to the day before the last 12 start.

_received = cl.Column("received_date")
POPULATIONS = {
    "received": Declared(member=cl.Within(_received, 12)),
    "received_prior": Declared(
        member=cl.All(
            [
                cl.Compare(">=", _received, cl.PeriodStart(24)),
                cl.Compare("<", _received, cl.PeriodStart(12)),
            ]
        )
    ),
}


# What the family is, and its metrics, in the catalogue's order.

FAMILY = Family(
    name="referrals",
    inputs=HEALTH,
    resident=True,
    cohort=CYP_COHORT,
    derived=COHORT_DERIVED,
    populations=POPULATIONS,
)

# Its metrics (REF01, REF01a, REF02) read the area's population too: they are declared
# with the need measures (cypmh.metrics.need_catalogue), which work them out.
METRICS: list[MetricDefinition] = []


def reference(ctx: Context) -> Populations:
    """REF01-REF02: CYP referrals received in the 12 months to the period end, and the 12 before.

    cypmh's definition (to follow the post-pandemic rise in referrals): referrals of
    the CYP cohort (MHS95's, :data:`~cypmh.metrics.families.members.CYP_COHORT`),
    ``received`` those received in the 12 months
    ending at the period end and ``received_prior`` those received in the 12
    months before that. Both are read as the records stand at the period end,
    so a referral recorded late counts in its own year. Age band and
    social-care status are taken on the day each referral was received.
    """
    return reference_members(POPULATIONS, cyp_referrals(ctx), ctx.month)


# The dataframe engine's version.


def frames(ctx: FrameContext) -> FrameFamily:
    """REF01-REF02 over frames: :func:`reference`, clause by clause."""
    _, end = ctx.window(12)
    prior_start = fx.day_number(prior_window(ctx.month).start)
    # Both populations' referrals were received in the 24 months: read those alone.
    frame = cyp_referrals_frame(ctx).filter(fx.in_range(nw.col("received_date"), prior_start, end))
    return [fb.of_referral(frame, frame_populations(POPULATIONS, ctx.month))]


# Why a referral is not a member (cypmh why).


def explain(case: Case, population: str) -> str | None:
    """Why the referral is not a member of ``population``: the first thing that keeps it out.

    ``None`` where nothing here names it (:func:`cypmh.metrics.explain.why` then
    quotes the definition).
    """
    if (cohort := cohort_reason(case)) is not None:
        return cohort
    return reason(case, POPULATIONS[population])
