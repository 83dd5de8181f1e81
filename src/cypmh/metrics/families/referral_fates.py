"""FATE01-FATE01f: what became of the referrals received in the 12 months (cypmh's own).

What the family is and its metrics (``FAMILY``, ``METRICS``), :func:`reference` over objects,
:func:`frames` over dataframes, and :func:`explain` for ``cypmh why`` (:mod:`cypmh.metrics.families`).
Each referral of the year reached support, still waits, or was closed before support, as at
the period end; support is the first counted direct contact of MHS130
(:mod:`cypmh.metrics.families.first_contact_waits`), which both engines read from there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cypmh import clauses as cl
from cypmh.metrics.definition import Family, MetricDefinition
from cypmh.metrics.families.case import Case, cohort_reason
from cypmh.metrics.families.declared import Declared, reason
from cypmh.metrics.families.first_contact_waits import FAMILY as WAITS
from cypmh.metrics.families.first_contact_waits import (
    FROM_WAITS_START,
    first_contact_referrals,
    with_first_contact,
)
from cypmh.metrics.families.lazy import fb, fc
from cypmh.metrics.families.members import (
    CYP_COHORT,
    Context,
    Populations,
    cyp_referrals,
    observe,
)
from cypmh.metrics.results import Aggregate, Unit

if TYPE_CHECKING:
    from cypmh.metrics.blocks.bases import FrameContext, FrameFamily

__all__ = ["FAMILY", "METRICS", "explain", "frames", "reference"]


# The fates, declared as clauses (cypmh.clauses) over a referral with its first counted
# direct contact at ages 0-17 (``first_contact_date``, derived as code by
# first_contact_waits): reference, frames and explain all read them.

_first = cl.Column("first_contact_date")
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
    "received": Declared(member=RECEIVED_IN_YEAR, numerator=SUPPORTED),
    "supported": Declared(member=cl.All((*RECEIVED_IN_YEAR.clauses, SUPPORTED))),
    "waiting": Declared(member=cl.All((*RECEIVED_IN_YEAR.clauses, WAITING))),
    "waiting_share": Declared(member=RECEIVED_IN_YEAR, numerator=WAITING),
    "closed": Declared(member=cl.All((*RECEIVED_IN_YEAR.clauses, CLOSED_BEFORE_SUPPORT))),
    "closed_share": Declared(member=RECEIVED_IN_YEAR, numerator=CLOSED_BEFORE_SUPPORT),
}
"""The year's referrals, each fate's referrals, and the year's referrals counted by a fate."""

_FATES = "tests/spec/metrics/test_referral_fates.py::test_fates_worked_example"
_FATE_SOURCE = (
    "cypmh, after the Children's Commissioner's annual reports on children's mental health "
    "services (for 2022-23: 32% received support, 28% were still waiting, 39% had their "
    "referral closed before support)"
)
_FATE_WINDOW = "the 12 months ending at the period end"

# What the family is, and its metrics, in the catalogue's order.

FAMILY = Family(
    name="referral_fates",
    # The first counted contact, and the referral's rejection, closure and discharge.
    inputs=WAITS.inputs,
    resident=True,
    cohort=CYP_COHORT,
    populations=POPULATIONS,
    # A referral of the year reached support, still waits, or was closed before support.
    sums={"received": ("supported", "waiting", "closed")},
    # The first contact is MHS130's, worked out there: its words are that family's.
    derived=WAITS.derived,
)

METRICS: list[MetricDefinition] = [
    FAMILY.declare(
        id="FATE01",
        name="Referrals received in the 12 months",
        population="received",
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
        population="supported",
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
        population="received",
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
        population="waiting",
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
        population="waiting_share",
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
        population="closed",
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
        population="closed_share",
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


def reference(ctx: Context) -> Populations:
    """FATE01-FATE01f: the referrals received in the 12 months, and what became of them.

    Referrals of the CYP cohort (:data:`~cypmh.metrics.families.members.CYP_COHORT`)
    received in the 12 months ending at the period end (and from 1 April 2019, where
    the first-contact waits begin), each in exactly one fate as at the period end: a
    first counted direct contact with the child 0-17 (:data:`SUPPORTED`); none, and
    neither rejected, closed nor discharged (:data:`WAITING`); none, and rejected,
    closed or discharged (:data:`CLOSED_BEFORE_SUPPORT`).
    """
    found: Populations = {name: [] for name in POPULATIONS}
    for referral, child in cyp_referrals(ctx):
        record = with_first_contact(ctx, referral, child)
        for name, declared in POPULATIONS.items():
            if cl.holds(declared.member, record, ctx.month):
                numerator = declared.numerator is not None and cl.holds(
                    declared.numerator, record, ctx.month
                )
                found[name].append(observe(referral, numerator=numerator))
    return found


# The dataframe engine's version.


def frames(ctx: FrameContext) -> FrameFamily:
    """FATE01-FATE01f over frames: :func:`reference`, clause by clause, over MHS130's part."""
    return [
        fb.of_referral(
            first_contact_referrals(ctx),
            {
                name: fb.Population(
                    member=fc.condition(declared.member, ctx.month, anchor="referral_id"),
                    numerator=None
                    if declared.numerator is None
                    else fc.condition(declared.numerator, ctx.month, anchor="referral_id"),
                )
                for name, declared in POPULATIONS.items()
            },
        )
    ]


# Why a referral is not a member (cypmh why).


def explain(case: Case, population: str) -> str | None:
    """Why the referral is not a member of ``population``: the first clause it fails.

    ``None`` where nothing here names it (:func:`cypmh.metrics.explain.why` then
    quotes the definition).
    """
    if (cohort := cohort_reason(case)) is not None:
        return cohort
    record = with_first_contact(case.ctx, case.referral, case.child)
    return reason(case, POPULATIONS[population], record)
