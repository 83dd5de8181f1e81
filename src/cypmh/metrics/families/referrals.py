"""REF01-REF02: referrals received, this year and the year before.

:func:`reference` over objects, :func:`frames` over dataframes (:mod:`cypmh.metrics.families`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cypmh.metrics.families.lazy import fb, fx, nw
from cypmh.metrics.families.members import (
    Context,
    Populations,
    cyp_referrals,
    cyp_referrals_frame,
    observe,
)
from cypmh.periods import Month, RollingMonths

if TYPE_CHECKING:
    from cypmh.metrics.blocks.bases import FrameContext, FrameFamily

__all__ = ["frames", "prior_window", "reference"]


def prior_window(month: Month) -> RollingMonths:
    """The 12 months ending a year before ``month``'s end: REF02's base period."""
    return RollingMonths(last=Month.from_uniq_month_id(month.uniq_month_id - 12), months=12)


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
