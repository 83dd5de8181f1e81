"""MHS130-MHS135: waits for a first contact; FATE01: what became of the year's referrals.

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
from cypmh.metrics.files import CLOSED, DISCHARGED, HEALTH, INDIRECT, MECHANISM, REJECTED
from cypmh.metrics.results import Aggregate, Unit
from cypmh.model import Child, Contact, Referral

if TYPE_CHECKING:
    from cypmh.metrics.blocks.bases import Frame, FrameContext, FrameFamily

__all__ = [
    "FAMILY",
    "METRICS",
    "explain",
    "first_counted_contacts",
    "frames",
    "reference",
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

_ended = cl.Any(
    tuple(
        cl.Not(cl.IsNull(cl.Column(name)))
        for name in ("rejection_date", "closure_date", "discharge_date")
    )
)
RECEIVED_IN_YEAR = cl.All((FROM_WAITS_START, cl.Within(cl.Column("received_date"), 12)))
"""Received in the 12 months ending at the period end (FATE01's referrals)."""
SUPPORTED = cl.Not(cl.IsNull(_first))
"""Had a counted direct contact by the period end: the referral reached support."""
WAITING = cl.All((cl.IsNull(_first), cl.Not(_ended)))
"""No counted direct contact, and neither rejected, closed nor discharged by the period end."""
CLOSED_BEFORE_SUPPORT = cl.All((cl.IsNull(_first), _ended))
"""No counted direct contact, and rejected, closed or discharged by the period end."""

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
    # What became of the year's referrals: each is in exactly one of the three fates.
    "fate_received": Declared(member=RECEIVED_IN_YEAR, numerator=SUPPORTED),
    "fate_supported": Declared(member=cl.All((*RECEIVED_IN_YEAR.clauses, SUPPORTED))),
    "fate_waiting": Declared(member=cl.All((*RECEIVED_IN_YEAR.clauses, WAITING))),
    "fate_waiting_share": Declared(member=RECEIVED_IN_YEAR, numerator=WAITING),
    "fate_closed": Declared(member=cl.All((*RECEIVED_IN_YEAR.clauses, CLOSED_BEFORE_SUPPORT))),
    "fate_closed_share": Declared(member=RECEIVED_IN_YEAR, numerator=CLOSED_BEFORE_SUPPORT),
}


def _record(ctx: Context, referral: Referral, child: Child) -> dict[str, object]:
    """What the clauses read: the referral, with its first counted direct contact's date."""
    direct = counted_direct(ctx, referral, child)
    return {**joined(referral), "first_contact_date": direct[0].date if direct else None}


_FIRST = "tests/spec/metrics/test_waits.py"
_FATES = "tests/spec/metrics/test_referral_fates.py::test_fates_worked_example"
_FATE_SOURCE = (
    "cypmh, after the Children's Commissioner's annual reports on children's mental health "
    "services (for 2022-23: 32% received support, 28% were still waiting, 39% had their "
    "referral closed before support)"
)
_FATE_WINDOW = "the 12 months ending at the period end"

# What the family is, and its metrics, in the catalogue's order.

FAMILY = Family(
    name="first_contact_waits",
    # The first counted contact, of referrals open (not discharged or rejected) at the end.
    inputs=(*HEALTH, INDIRECT, MECHANISM, DISCHARGED, REJECTED, CLOSED),
    resident=True,
    cohort=CYP_COHORT,
    populations=POPULATIONS,
    # A referral of the year reached support, still waits, or was closed before support.
    sums={"fate_received": ("fate_supported", "fate_waiting", "fate_closed")},
    derived={
        **COHORT_DERIVED,
        "first_contact_date": "the referral's first counted direct contact with the child "
        "0-17 on its date (the options' counting rule), read as at the period end",
    },
)

FATES: list[MetricDefinition] = [
    FAMILY.declare(
        id="FATE01",
        name="Referrals received in the 12 months",
        population="fate_received",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window=_FATE_WINDOW,
        numerator="referrals received in the window",
        denominator=None,
        definition="Referrals of the CYP cohort ({cohort}) where {member}: the referrals whose "
        "fates FATE01a to FATE01f follow, each in exactly one of three as at the period end. "
        "The Children's Commissioner reports these three shares each year from NHS England "
        "data; the method behind them is not published with the figures cypmh has read, so "
        "these are cypmh's definitions: support is MHS130's first counted direct contact, and "
        "a fate is read as at the period end, not as at the day the data were drawn.",
        source=_FATE_SOURCE,
        example=_FATES,
    ),
    FAMILY.declare(
        id="FATE01a",
        name="Referrals of the 12 months that received support",
        population="fate_supported",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window=_FATE_WINDOW,
        numerator="FATE01's referrals with a counted direct contact by the period end",
        denominator=None,
        definition="FATE01's referrals where {member}: a first counted direct "
        "contact with the child 0-17 (the options' counting rule, as MHS130's first contact), "
        "on or before the period end, whatever happened to the referral after it.",
        source=_FATE_SOURCE,
        example=_FATES,
        improvement="increase",
    ),
    FAMILY.declare(
        id="FATE01b",
        name="Percentage of the 12 months' referrals that received support",
        population="fate_received",
        aggregate=Aggregate.PERCENTAGE,
        unit=Unit.PERCENTAGE,
        window=_FATE_WINDOW,
        numerator="FATE01a",
        denominator="FATE01",
        definition="100 x FATE01a / FATE01: of FATE01's referrals, those where {numerator}.",
        source=_FATE_SOURCE,
        example=_FATES,
        decimals=1,
        improvement="increase",
    ),
    FAMILY.declare(
        id="FATE01c",
        name="Referrals of the 12 months still waiting for support",
        population="fate_waiting",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window=_FATE_WINDOW,
        numerator="FATE01's referrals with no counted direct contact, still open at the period end",
        denominator=None,
        definition="FATE01's referrals where {member}: no counted direct contact by the period "
        "end, and neither rejected, closed nor discharged by then.",
        source=_FATE_SOURCE,
        example=_FATES,
        improvement="decrease",
    ),
    FAMILY.declare(
        id="FATE01d",
        name="Percentage of the 12 months' referrals still waiting for support",
        population="fate_waiting_share",
        aggregate=Aggregate.PERCENTAGE,
        unit=Unit.PERCENTAGE,
        window=_FATE_WINDOW,
        numerator="FATE01c",
        denominator="FATE01",
        definition="100 x FATE01c / FATE01: of FATE01's referrals, those where {numerator}.",
        source=_FATE_SOURCE,
        example=_FATES,
        decimals=1,
        improvement="decrease",
    ),
    FAMILY.declare(
        id="FATE01e",
        name="Referrals of the 12 months closed before support",
        population="fate_closed",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window=_FATE_WINDOW,
        numerator="FATE01's referrals rejected, closed or discharged with no counted direct "
        "contact",
        denominator=None,
        definition="FATE01's referrals where {member}: no counted direct contact by the period "
        "end, and rejected, closed or discharged by then.",
        source=_FATE_SOURCE,
        example=_FATES,
        improvement="decrease",
    ),
    FAMILY.declare(
        id="FATE01f",
        name="Percentage of the 12 months' referrals closed before support",
        population="fate_closed_share",
        aggregate=Aggregate.PERCENTAGE,
        unit=Unit.PERCENTAGE,
        window=_FATE_WINDOW,
        numerator="FATE01e",
        denominator="FATE01",
        definition="100 x FATE01e / FATE01: of FATE01's referrals, those where {numerator}.",
        source=_FATE_SOURCE,
        example=_FATES,
        decimals=1,
        improvement="decrease",
    ),
]
"""FATE01-FATE01f: what became of the referrals received in the 12 months (cypmh's own)."""

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
    *FATES,
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
    neither rejected nor closed by then either. The ``fate_`` populations (cypmh's
    FATE01): the referrals received in the 12 months to the period end, and each
    of their three fates as at the period end: a first contact, still waiting, or
    rejected, closed or discharged before one.
    """
    found: Populations = {name: [] for name in POPULATIONS}
    for referral, child in cyp_referrals(ctx):
        record = _record(ctx, referral, child)
        first = record["first_contact_date"]
        for name, declared in POPULATIONS.items():
            if not cl.holds(declared.member, record, ctx.month):
                continue
            if name.startswith("fate_"):
                numerator = declared.numerator is not None and cl.holds(
                    declared.numerator, record, ctx.month
                )
                found[name].append(observe(referral, numerator=numerator))
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
    as_at = fb.AsAt(
        exists="received_date",
        dates=("first", "discharge_date", "rejection_date", "closure_date"),
    )
    referrals = ctx.lasting("first_contacts", _first_contacts, as_at=as_at).with_columns(
        nw.col("first").alias("first_contact_date")
    )
    waited = nw.col("first_contact_date") - nw.col("received_date")
    waiting = ctx.end + 1 - nw.col("received_date")
    values = {"first_contact": waited, "still_waiting": waiting, "still_waiting_open": waiting}
    return [
        fb.of_referral(
            referrals,
            {
                name: fb.Population(
                    member=fc.condition(declared.member, ctx.month, anchor="referral_id"),
                    value=values.get(name),
                    numerator=None
                    if declared.numerator is None
                    else fc.condition(declared.numerator, ctx.month, anchor="referral_id"),
                )
                for name, declared in POPULATIONS.items()
            },
        )
    ]


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
    record = _record(case.ctx, case.referral, case.child)
    failure = cl.first_failure(POPULATIONS[population].member, record, case.ctx.month)
    if failure is None:
        return None
    said = cl.describe(failure, record, case.ctx.month, as_at=True)
    if population == "still_waiting_open" and failure.clause not in STILL_WAITING.clauses:
        return f"{said} (the publication's MHS133 still counts it)"
    return said
