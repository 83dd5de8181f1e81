"""THR01: children with an open referral, by THRIVE grouping.

:func:`reference` over objects, :func:`frames` over dataframes (:mod:`cypmh.metrics.families`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cypmh.metrics.families.lazy import fb, nw
from cypmh.metrics.families.members import Context, Observation, Populations
from cypmh.thrive import children_with_open_referral

if TYPE_CHECKING:
    from cypmh.metrics.frames.bases import FrameContext, FrameFamily

__all__ = ["frames", "reference"]


def reference(ctx: Context) -> Populations:
    """THR01: children with an open referral at the period end (by THRIVE grouping)."""
    open_children = children_with_open_referral(ctx.area, ctx.period_end)
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
    open_children = (
        ctx["referrals"].filter(fb.referral_end().is_null()).select("person_id").unique()
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
