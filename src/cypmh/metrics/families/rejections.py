"""REJ01-REJ02: referral rejection.

:func:`reference` over objects, :func:`frames` over dataframes (:mod:`cypmh.metrics.families`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cypmh.codes import RejectionReason
from cypmh.metrics.families.lazy import fb, fx, nw
from cypmh.metrics.families.members import (
    Context,
    Observation,
    Populations,
    cyp_referrals,
    cyp_referrals_frame,
    observe,
)
from cypmh.periods import RollingMonths

if TYPE_CHECKING:
    from cypmh.metrics.blocks.bases import FrameContext, FrameFamily

__all__ = ["frames", "reference"]


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
