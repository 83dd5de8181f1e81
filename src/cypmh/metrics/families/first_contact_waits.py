"""MHS130-MHS135: waits for a first contact.

:func:`reference` over objects, :func:`frames` over dataframes (:mod:`cypmh.metrics.families`).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from cypmh.metrics.families.lazy import fb, fx, nw
from cypmh.metrics.families.members import (
    Context,
    Populations,
    cyp_at,
    cyp_referrals,
    cyp_referrals_frame,
    observe,
)
from cypmh.model import Child, Contact, Referral

if TYPE_CHECKING:
    from cypmh.metrics.blocks.bases import Frame, FrameContext, FrameFamily

__all__ = ["frames", "reference"]


WAITS_FROM = date(2019, 4, 1)
"""MHS130-MHS135 count referrals received from this day (``cyp_perinatal_prep.py``)."""


def _counted_direct(ctx: Context, referral: Referral, child: Child) -> list[Contact]:
    rule = ctx.options.contact_rule
    return sorted(
        (
            c
            for c in ctx.area.contacts_of(referral.referral_id)
            if rule.counts(c, referral.provider_code) and cyp_at(child, c.date)
        ),
        key=lambda c: (c.date, c.contact_id),
    )


def reference(ctx: Context) -> Populations:
    """MHS130-MHS135: waits for a first contact (NHSD ``cyp_perinatal_prep.py``; reference 5.2).

    Referrals of children 0-17 when received, received on or after 2019-04-01,
    resident in England or unknown. *First contact*: the earliest counted direct
    contact with the child 0-17 on its date. ``first_contact``: referrals whose
    first contact falls in the 3 months ending at the period end, valued at
    its days from receipt. ``still_waiting``: referrals with no first contact by
    the period end and not discharged by then (a rejected or closed referral
    that was never discharged still counts, as the publication counts it),
    valued at period end + 1 day - receipt. ``still_waiting_open`` (cypmh's
    WAIT01): those of ``still_waiting`` that are still open at the period end,
    neither rejected nor closed by then either.
    """
    window = ctx.window(3)
    first_contacts, waiting, open_waiting = [], [], []
    for referral, child in cyp_referrals(ctx):
        if referral.received_date < WAITS_FROM:
            continue
        direct = _counted_direct(ctx, referral, child)
        first = direct[0].date if direct else None
        if first is not None and window.contains(first):
            first_contacts.append(observe(referral, value=(first - referral.received_date).days))
        if first is None and referral.discharge_date is None:
            wait = (ctx.period_end + timedelta(days=1) - referral.received_date).days
            waiting.append(observe(referral, value=wait))
            if referral.rejection_date is None and referral.closure_date is None:
                open_waiting.append(waiting[-1])
    return {
        "first_contact": first_contacts,
        "still_waiting": waiting,
        "still_waiting_open": open_waiting,
    }


# The dataframe engine's version.


def frames(ctx: FrameContext) -> FrameFamily:
    """MHS130-MHS135 over frames: :func:`reference`, clause by clause.

    A referral's first counted contact does not depend on the month
    (:func:`_first_contacts`); each month reads it, and the discharge, as
    they stood at its end.
    """
    start, end = ctx.window(3)
    joined = (
        ctx.lasting("first_contacts", _first_contacts)
        .filter(nw.col("received_date") <= ctx.end)
        .with_columns(
            nw.when(nw.col("first") <= ctx.end).then(nw.col("first")).alias("first"),
            nw.when(nw.col("discharge_date") <= ctx.end)
            .then(nw.col("discharge_date"))
            .alias("discharge_date"),
            nw.when(nw.col("rejection_date") <= ctx.end)
            .then(nw.col("rejection_date"))
            .alias("rejection_date"),
            nw.when(nw.col("closure_date") <= ctx.end)
            .then(nw.col("closure_date"))
            .alias("closure_date"),
        )
    )
    discharged = ~nw.col("discharge_date").is_null()
    ended = ~nw.col("rejection_date").is_null() | ~nw.col("closure_date").is_null()
    not_yet = nw.col("first").is_null()
    return [
        fb.of_referral(
            joined,
            {
                "first_contact": fb.Population(
                    member=fx.in_range(nw.col("first"), start, end),
                    value=nw.col("first") - nw.col("received_date"),
                ),
                "still_waiting": fb.Population(
                    member=not_yet & ~discharged, value=ctx.end + 1 - nw.col("received_date")
                ),
                "still_waiting_open": fb.Population(
                    member=not_yet & ~discharged & ~ended,
                    value=ctx.end + 1 - nw.col("received_date"),
                ),
            },
        )
    ]


def _first_contacts(ctx: FrameContext) -> Frame:
    """The waits' referrals, each with its first counted contact (``first``) at ages 0-17."""
    referrals = cyp_referrals_frame(ctx).filter(
        nw.col("received_date") >= fx.day_number(WAITS_FROM)
    )
    first = (
        fb.counted_contacts(ctx)
        .filter(nw.col("counted"))
        .join(referrals.select("referral_id", "birth_date_ymd"), on="referral_id", how="inner")
        .filter(fx.cyp_at(nw.col("birth_date_ymd"), nw.col("date_ymd")))
        .group_by("referral_id")
        .agg(nw.col("date").min().alias("first"))
    )
    return referrals.join(first, on="referral_id", how="left")
