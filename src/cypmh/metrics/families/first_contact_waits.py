"""MHS130-MHS135: waits for a first contact.

What the family is and its metrics (``FAMILY``, ``METRICS``), :func:`reference` over objects,
:func:`frames` over dataframes, and :func:`explain` for ``cypmh why`` (:mod:`cypmh.metrics.families`).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from cypmh import clauses as cl
from cypmh.metrics.definition import NHSD, Family, MetricDefinition
from cypmh.metrics.families.case import Case, cohort_reason
from cypmh.metrics.families.declared import Declared, joined
from cypmh.metrics.families.lazy import fb, fc, fx, nw
from cypmh.metrics.families.members import (
    COHORT_DERIVED,
    CYP_COHORT,
    Context,
    Populations,
    cyp_at,
    cyp_referrals,
    cyp_referrals_frame,
    observe,
)
from cypmh.metrics.files import CLOSED, DISCHARGED, HEALTH, MECHANISM, REJECTED
from cypmh.metrics.results import Aggregate, Unit
from cypmh.model import Child, Contact, Referral

if TYPE_CHECKING:
    from cypmh.metrics.blocks.bases import Frame, FrameContext, FrameFamily

__all__ = [
    "FAMILY",
    "METRICS",
    "explain",
    "first_contact_referrals",
    "first_counted_contacts",
    "frames",
    "reference",
    "with_first_contact",
]


WAITS_FROM = date(2019, 4, 1)
"""MHS130-MHS135 count referrals received from this day (``cyp_perinatal_prep.py``)."""


def counted_direct(ctx: Context, referral: Referral, child: Child) -> list[Contact]:
    """The referral's counted direct contacts with the child 0-17 on the day, earliest first."""
    rule = ctx.options.contact_rule
    return sorted(
        (
            c
            for c in ctx.area.contacts_of(referral.referral_id)
            if rule.counts(c, referral.provider_code) and cyp_at(child, c.date)
        ),
        key=lambda c: (c.date, c.contact_id),
    )


# The populations, declared as clauses (cypmh.clauses) over a referral with its first
# counted direct contact at ages 0-17 (``first_contact_date``, a derived column, as code):
# reference, frames and explain all read them. The waits (the values) stay code.

FROM_WAITS_START = cl.Compare(">=", cl.Column("received_date"), cl.Lit(WAITS_FROM))
"""Received on or after the day the publication's waits begin."""

_first = cl.Column("first_contact_date")
_not_discharged = cl.IsNull(cl.Column("discharge_date"))
STILL_WAITING = cl.All((FROM_WAITS_START, cl.IsNull(_first), _not_discharged))
"""No counted direct contact and no discharge by the period end (MHS133: a rejected or closed
referral never discharged still waits, as the publication counts it)."""

POPULATIONS = {
    "first_contact": Declared(member=cl.All((FROM_WAITS_START, cl.Within(_first, 3)))),
    "still_waiting": Declared(member=STILL_WAITING),
    "still_waiting_open": Declared(
        member=cl.All(
            (
                *STILL_WAITING.clauses,
                cl.IsNull(cl.Column("rejection_date")),
                cl.IsNull(cl.Column("closure_date")),
            )
        )
    ),
}


def with_first_contact(ctx: Context, referral: Referral, child: Child) -> dict[str, object]:
    """What the clauses read: the referral, with its first counted direct contact's date."""
    direct = counted_direct(ctx, referral, child)
    return {**joined(referral), "first_contact_date": direct[0].date if direct else None}


_FIRST = "tests/spec/metrics/test_waits.py"

# What the family is, and its metrics, in the catalogue's order.

FAMILY = Family(
    name="first_contact_waits",
    # The first counted direct contact (MHS204 is not read), of referrals open (not
    # discharged or rejected) at the end.
    inputs=(*HEALTH, MECHANISM, DISCHARGED, REJECTED, CLOSED),
    resident=True,
    cohort=CYP_COHORT,
    populations=POPULATIONS,
    derived={
        **COHORT_DERIVED,
        "first_contact_date": "the referral's first counted direct contact with the child "
        "0-17 on its date (the options' counting rule), read as at the period end",
    },
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
        definition="Referrals of the CYP cohort ({cohort}) where {member}: the first counted direct "
        "contact (child aged 0-17 on the day) falls in the window.",
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
        definition="Referrals of the CYP cohort ({cohort}), received by the period end, where "
        "{member}: no counted direct contact and no discharge date on or before the period end. As "
        "the publication counts them, a referral rejected or closed without a discharge date still "
        "counts as waiting.",
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
        definition="Referrals of the CYP cohort ({cohort}), received by the period end, where "
        "{member}: MHS133's referrals less those rejected or closed by the period end, the children "
        "a board means by still waiting. MHS133 follows the publication, which counts a rejected or "
        "closed referral with no discharge date as waiting; WAIT01 does not.",
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

    Referrals of the CYP cohort (:data:`~cypmh.metrics.families.members.CYP_COHORT`)
    received on or after 2019-04-01 (:data:`FROM_WAITS_START`). *First contact*: the earliest counted direct
    contact with the child 0-17 on its date. ``first_contact``: referrals whose
    first contact falls in the 3 months ending at the period end, valued at
    its days from receipt. ``still_waiting``: referrals with no first contact by
    the period end and not discharged by then (a rejected or closed referral
    that was never discharged still counts, as the publication counts it),
    valued at period end + 1 day - receipt. ``still_waiting_open`` (cypmh's
    WAIT01): those of ``still_waiting`` that are still open at the period end,
    neither rejected nor closed by then either.
    """
    found: Populations = {name: [] for name in POPULATIONS}
    for referral, child in cyp_referrals(ctx):
        record = with_first_contact(ctx, referral, child)
        first = record["first_contact_date"]
        for name, declared in POPULATIONS.items():
            if not cl.holds(declared.member, record, ctx.month):
                continue
            if isinstance(first, date):
                wait = (first - referral.received_date).days
            else:
                wait = (ctx.period_end + timedelta(days=1) - referral.received_date).days
            found[name].append(observe(referral, value=wait))
    return found


# The dataframe engine's version.


def frames(ctx: FrameContext) -> FrameFamily:
    """MHS130-MHS135 over frames: :func:`reference`, clause by clause.

    A referral's first counted contact does not depend on the month
    (:func:`_first_contacts`); each month reads it, and the discharge, as
    they stood at its end.
    """
    referrals = first_contact_referrals(ctx)
    waited = nw.col("first_contact_date") - nw.col("received_date")
    waiting = ctx.end + 1 - nw.col("received_date")
    values = {"first_contact": waited, "still_waiting": waiting, "still_waiting_open": waiting}
    return [
        fb.of_referral(
            referrals,
            {
                name: fb.Population(
                    member=fc.condition(declared.member, ctx.month, anchor="referral_id"),
                    value=values[name],
                )
                for name, declared in POPULATIONS.items()
            },
        )
    ]


def first_contact_referrals(ctx: FrameContext) -> Frame:
    """The waits' referrals as at the period end, each with ``first_contact_date``.

    :func:`with_first_contact` on frames: made once for a series (:func:`_first_contacts`)
    and read as at each month, the first contact, discharge, rejection and closure
    unknown until they happen.
    """
    as_at = fb.AsAt(
        exists="received_date",
        dates=("first", "discharge_date", "rejection_date", "closure_date"),
    )
    return ctx.lasting("first_contacts", _first_contacts, as_at=as_at).with_columns(
        nw.col("first").alias("first_contact_date")
    )


def _first_contacts(ctx: FrameContext) -> Frame:
    """The waits' referrals, each with its first counted contact (``first``) at ages 0-17."""
    referrals = cyp_referrals_frame(ctx).filter(
        fc.condition(FROM_WAITS_START, ctx.month, anchor="referral_id")
    )
    return referrals.join(first_counted_contacts(ctx, referrals), on="referral_id", how="left")


def first_counted_contacts(ctx: FrameContext, referrals: Frame, *, ymd: bool = False) -> Frame:
    """Each of ``referrals``' first counted direct contact with the child 0-17 on its date.

    :func:`counted_direct`'s first on frames: ``referral_id`` and ``first`` (a day
    number), and with ``ymd`` its ``YYYYMMDD`` twin ``first_ymd``. ``referrals`` has
    ``referral_id`` and ``birth_date_ymd``.
    """
    firsts = [nw.col("date").min().alias("first")]
    if ymd:
        firsts.append(nw.col("date_ymd").min().alias("first_ymd"))
    return (
        fb.counted_contacts(ctx)
        .filter(nw.col("counted"))
        .join(referrals.select("referral_id", "birth_date_ymd"), on="referral_id", how="inner")
        .filter(fx.cyp_at(nw.col("birth_date_ymd"), nw.col("date_ymd")))
        .group_by("referral_id")
        .agg(*firsts)
    )


# Why a referral is not a member (cypmh why).


def explain(case: Case, population: str) -> str | None:
    """Why the referral is not a member of ``population``: the first thing that keeps it out.

    ``None`` where nothing here names it (:func:`cypmh.metrics.explain.why` then
    quotes the definition).
    """
    if (cohort := cohort_reason(case)) is not None:
        return cohort
    record = with_first_contact(case.ctx, case.referral, case.child)
    failure = cl.first_failure(POPULATIONS[population].member, record, case.ctx.month)
    if failure is None:
        return None
    said = cl.describe(failure, record, case.ctx.month, as_at=True)
    if population == "still_waiting_open" and failure.clause not in STILL_WAITING.clauses:
        return f"{said} (the publication's MHS133 still counts it)"
    return said
