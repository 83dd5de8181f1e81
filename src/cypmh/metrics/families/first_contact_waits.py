"""MHS130-MHS135: waits for a first contact.

What the family is and its metrics (``FAMILY``, ``METRICS``), :func:`reference` over objects,
:func:`frames` over dataframes, and :func:`explain` for ``cypmh why`` (:mod:`cypmh.metrics.families`).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from cypmh.metrics.definition import NHSD, Family, MetricDefinition
from cypmh.metrics.families.case import Case, cohort_reason, span
from cypmh.metrics.families.lazy import fb, fx, nw
from cypmh.metrics.families.members import (
    Context,
    Populations,
    cyp_at,
    cyp_referrals,
    cyp_referrals_frame,
    observe,
)
from cypmh.metrics.files import CLOSED, DISCHARGED, HEALTH, INDIRECT, MECHANISM, REJECTED
from cypmh.metrics.results import Aggregate, Unit
from cypmh.model import Child, Contact, Referral
from cypmh.pathways import journey_of

if TYPE_CHECKING:
    from cypmh.metrics.blocks.bases import Frame, FrameContext, FrameFamily

__all__ = ["FAMILY", "METRICS", "explain", "frames", "reference"]


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


_FIRST = "tests/spec/metrics/test_waits.py"

# What the family is, and its metrics, in the catalogue's order.

FAMILY = Family(
    name="first_contact_waits",
    # The first counted contact, of referrals open (not discharged or rejected) at the end.
    inputs=(*HEALTH, INDIRECT, MECHANISM, DISCHARGED, REJECTED, CLOSED),
    resident=True,
)

METRICS: list[MetricDefinition] = [
    FAMILY.declare(
        id="MHS130",
        name="Referrals with a first contact in the 3 months to the period end",
        population="first_contact",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window="the 3 months ending at the period end",
        numerator="referrals whose first counted direct contact falls in the window",
        denominator=None,
        definition="Referrals of children aged 0-17 when received, received on or after 1 April 2019, "
        "resident in England or unknown, whose first counted direct contact (child aged 0-17 on the "
        "day) falls in the window.",
        source=NHSD
        + "menh_bbrb/notebooks/02_Specific_Prepare/04_cyp_perinatal/cyp_perinatal_prep.py",
        mhsds=True,
        example=f"{_FIRST}::test_first_contact_waits_worked_example",
    ),
    FAMILY.declare(
        id="MHS131",
        name="Median days waited to first contact",
        population="first_contact",
        aggregate=Aggregate.MEDIAN,
        unit=Unit.DAYS,
        window="the 3 months ending at the period end",
        numerator="days from receipt to first contact, for MHS130's referrals",
        denominator=None,
        definition="The median of first contact date minus referral date, in days, over MHS130's "
        "referrals; linear interpolation between closest ranks (Spark's percentile).",
        source=NHSD
        + "menh_bbrb/notebooks/02_Specific_Prepare/04_cyp_perinatal/cyp_perinatal_prep.py",
        mhsds=True,
        example=f"{_FIRST}::test_first_contact_waits_worked_example",
        improvement="decrease",
    ),
    FAMILY.declare(
        id="MHS132",
        name="90th percentile of days waited to first contact",
        population="first_contact",
        aggregate=Aggregate.PERCENTILE_90,
        unit=Unit.DAYS,
        window="the 3 months ending at the period end",
        numerator="days from receipt to first contact, for MHS130's referrals",
        denominator=None,
        definition="The 90th percentile of MHS130's waits, by linear interpolation.",
        source=NHSD
        + "menh_bbrb/notebooks/02_Specific_Prepare/04_cyp_perinatal/cyp_perinatal_prep.py",
        mhsds=True,
        example=f"{_FIRST}::test_first_contact_waits_worked_example",
        improvement="decrease",
    ),
    FAMILY.declare(
        id="MHS133",
        name="Referrals still waiting for a first contact at the period end",
        population="still_waiting",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window="at the period end",
        numerator="referrals with no first contact by the period end and not discharged by then",
        denominator=None,
        definition="MHS130's cohort, received by the period end, with no counted direct contact by the "
        "period end and no discharge date on or before it. As the publication counts them, a referral "
        "rejected or closed without a discharge date still counts as waiting.",
        source=NHSD
        + "menh_bbrb/notebooks/02_Specific_Prepare/04_cyp_perinatal/cyp_perinatal_prep.py",
        mhsds=True,
        published_months=3,
        example=f"{_FIRST}::test_first_contact_waits_worked_example",
        improvement="decrease",
    ),
    FAMILY.declare(
        id="MHS134",
        name="Median days waiting for a first contact",
        population="still_waiting",
        aggregate=Aggregate.MEDIAN,
        unit=Unit.DAYS,
        window="at the period end",
        numerator="period end + 1 day - referral date, for MHS133's referrals",
        denominator=None,
        definition="The median of (period end + 1 day - referral date) over MHS133's referrals.",
        source=NHSD
        + "menh_bbrb/notebooks/02_Specific_Prepare/04_cyp_perinatal/cyp_perinatal_prep.py",
        mhsds=True,
        published_months=3,
        example=f"{_FIRST}::test_first_contact_waits_worked_example",
        improvement="decrease",
    ),
    FAMILY.declare(
        id="MHS135",
        name="90th percentile of days waiting for a first contact",
        population="still_waiting",
        aggregate=Aggregate.PERCENTILE_90,
        unit=Unit.DAYS,
        window="at the period end",
        numerator="period end + 1 day - referral date, for MHS133's referrals",
        denominator=None,
        definition="The 90th percentile of MHS133's waits.",
        source=NHSD
        + "menh_bbrb/notebooks/02_Specific_Prepare/04_cyp_perinatal/cyp_perinatal_prep.py",
        mhsds=True,
        published_months=3,
        example=f"{_FIRST}::test_first_contact_waits_worked_example",
        improvement="decrease",
    ),
    FAMILY.declare(
        id="WAIT01",
        name="Open referrals still waiting for a first contact at the period end",
        population="still_waiting_open",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window="at the period end",
        numerator="MHS133's referrals that are still open: not rejected, closed or discharged by the period end",
        denominator=None,
        definition="MHS133's referrals less those rejected or closed by the period end: the children a board means by still waiting. MHS133 follows the publication, which counts a rejected or closed referral with no discharge date as waiting; WAIT01 does not.",
        source="cypmh, beside MHS133 ("
        + NHSD
        + "menh_bbrb/notebooks/02_Specific_Prepare/04_cyp_perinatal/cyp_perinatal_prep.py)",
        example=f"{_FIRST}::test_open_waits_worked_example",
        improvement="decrease",
    ),
    FAMILY.declare(
        id="WAIT01a",
        name="Median days waiting for a first contact, open referrals",
        population="still_waiting_open",
        aggregate=Aggregate.MEDIAN,
        unit=Unit.DAYS,
        window="at the period end",
        numerator="period end + 1 day - referral date, for WAIT01's referrals",
        denominator=None,
        definition="As MHS134, over WAIT01's referrals.",
        source="cypmh, beside MHS134",
        example=f"{_FIRST}::test_open_waits_worked_example",
        improvement="decrease",
    ),
    FAMILY.declare(
        id="WAIT01b",
        name="90th percentile of days waiting for a first contact, open referrals",
        population="still_waiting_open",
        aggregate=Aggregate.PERCENTILE_90,
        unit=Unit.DAYS,
        window="at the period end",
        numerator="period end + 1 day - referral date, for WAIT01's referrals",
        denominator=None,
        definition="As MHS135, over WAIT01's referrals.",
        source="cypmh, beside MHS135",
        example=f"{_FIRST}::test_open_waits_worked_example",
        improvement="decrease",
    ),
]


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


# Why a referral is not a member (cypmh why).


def explain(case: Case, population: str) -> str | None:
    """Why the referral is not a member of ``population``: the first thing that keeps it out.

    ``None`` where nothing here names it (:func:`cypmh.metrics.explain.why` then
    quotes the definition).
    """
    if (cohort := cohort_reason(case)) is not None:
        return cohort
    referral = case.referral
    if referral.received_date < WAITS_FROM:
        return f"received before {WAITS_FROM.isoformat()}, when the publication's waits begin"
    journey = journey_of(
        case.ctx.area, referral.referral_id, contact_rule=case.ctx.options.contact_rule
    )
    first = journey.first_direct_contact
    if population == "first_contact":
        if first is None:
            return "no counted direct contact by the period end"
        return f"first counted contact {first.isoformat()}, outside {span(case.window(3))}"
    if first is not None:
        return f"had its first counted contact on {first.isoformat()}"
    if referral.discharge_date is not None:
        return f"discharged {referral.discharge_date.isoformat()}"
    if referral.rejection_date is not None:
        return (
            f"rejected {referral.rejection_date.isoformat()} (the publication would still count it)"
        )
    if referral.closure_date is not None:
        return f"closed {referral.closure_date.isoformat()} (the publication would still count it)"
    return None
