"""REF01-REF02: referrals received, this year and the year before.

What the family is and its metrics (``FAMILY``, ``METRICS``), :func:`reference` over objects,
:func:`frames` over dataframes, and :func:`explain` for ``cypmh why`` (:mod:`cypmh.metrics.families`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cypmh.metrics.definition import Family, MetricDefinition
from cypmh.metrics.families.case import Case, cohort_reason, received_in
from cypmh.metrics.families.lazy import fb, fx, nw
from cypmh.metrics.families.members import (
    Context,
    Populations,
    cyp_referrals,
    cyp_referrals_frame,
    observe,
)
from cypmh.metrics.files import HEALTH
from cypmh.periods import Month, RollingMonths

if TYPE_CHECKING:
    from cypmh.metrics.blocks.bases import FrameContext, FrameFamily

__all__ = ["FAMILY", "METRICS", "explain", "frames", "prior_window", "reference"]


def prior_window(month: Month) -> RollingMonths:
    """The 12 months ending a year before ``month``'s end: REF02's base period."""
    return RollingMonths(last=Month.from_uniq_month_id(month.uniq_month_id - 12), months=12)


# What the family is, and its metrics, in the catalogue's order.

FAMILY = Family(
    name="referrals",
    inputs=HEALTH,
    resident=True,
)

# Its metrics (REF01, REF01a, REF02) read the area's population too: they are declared
# with the need measures (cypmh.metrics.need_catalogue), which work them out.
METRICS: list[MetricDefinition] = []


def reference(ctx: Context) -> Populations:
    """REF01-REF02: CYP referrals received in the 12 months to the period end, and the 12 before.

    cypmh's definition (to follow the post-pandemic rise in referrals): referrals of
    children aged 0-17 when received, resident in England or of unknown
    residence (MHS95's cohort), ``received`` those received in the 12 months
    ending at the period end and ``received_prior`` those received in the 12
    months before that. Both are read as the records stand at the period end,
    so a referral recorded late counts in its own year. Age band and
    social-care status are taken on the day each referral was received.
    """
    now, before = ctx.window(12), prior_window(ctx.month)
    received, prior = [], []
    for referral, _ in cyp_referrals(ctx):
        if now.contains(referral.received_date):
            received.append(observe(referral))
        elif before.contains(referral.received_date):
            prior.append(observe(referral))
    return {"received": received, "received_prior": prior}


# The dataframe engine's version.


def frames(ctx: FrameContext) -> FrameFamily:
    """REF01-REF02 over frames: :func:`reference`, clause by clause."""
    start, end = ctx.window(12)
    before = prior_window(ctx.month)
    prior_start = fx.day_number(before.start)
    frame = cyp_referrals_frame(ctx).filter(fx.in_range(nw.col("received_date"), prior_start, end))
    now = nw.col("received_date") >= start
    return [
        fb.of_referral(
            frame,
            {
                "received": fb.Population(member=now, numerator=nw.lit(False)),
                "received_prior": fb.Population(member=~now, numerator=nw.lit(False)),
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
    if population == "received":
        return received_in(case, 12)
    received = case.referral.received_date.isoformat()
    return f"received {received}, not in the 12 months before the last 12"
