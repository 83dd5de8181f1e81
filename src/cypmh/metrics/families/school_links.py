"""LINK01-LINK03: the Schools Link programme, in schools and in pupils.

What the family is and its metrics (``FAMILY``, ``METRICS``), :func:`reference` over objects,
:func:`frames` over dataframes, and :func:`explain` for ``cypmh why`` (:mod:`cypmh.metrics.families`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from cypmh import clauses as cl
from cypmh.metrics.definition import Family, MetricDefinition
from cypmh.metrics.families.case import Case, cohort_reason
from cypmh.metrics.families.declared import Declared, joined, reason
from cypmh.metrics.families.lazy import fb, fc, nw
from cypmh.metrics.families.members import (
    COHORT_DERIVED,
    CYP_COHORT,
    Context,
    Observation,
    Populations,
    cyp_referrals,
    cyp_referrals_frame,
    observe,
)
from cypmh.metrics.families.rejections import IS_REJECTED
from cypmh.metrics.files import HEALTH, LINKS, REJECTED, SCHOOLS, SOURCE, column
from cypmh.metrics.options import MetricOptions
from cypmh.metrics.results import NO_WORKING_LINK, WORKING_LINK, Aggregate, Unit
from cypmh.pathways import school_route

if TYPE_CHECKING:
    from cypmh.metrics.blocks.bases import Frame, FrameContext, FrameFamily

__all__ = [
    "FAMILY",
    "METRICS",
    "explain",
    "frames",
    "linked_on_receipt",
    "populations",
    "reference",
    "working_links",
    "working_schools",
]


# LINK01's schools and LINK02's referrals, declared as clauses (cypmh.clauses): reference,
# frames and explain all read them. Whether a school has a working link at the period end
# (``working``) and a referral's school link on the day received are derived, as code below.

_open, _close = cl.Column("open_date"), cl.Column("close_date")
SCHOOL_OPEN = cl.All(
    (
        cl.Any((cl.IsNull(_open), cl.Compare("<=", _open, cl.PeriodEnd()))),
        cl.Any((cl.IsNull(_close), cl.Compare(">=", _close, cl.PeriodEnd()))),
    )
)
"""The school had opened by the period end and had not closed before it (no dates: open)."""
HAS_WORKING_LINK = cl.Compare("==", cl.Column("working"), cl.Lit(True))
"""The school has a working link on the period end (``working``, derived)."""
OPEN_SCHOOLS = Declared(member=SCHOOL_OPEN, numerator=HAS_WORKING_LINK)


def populations(options: MetricOptions) -> dict[str, Declared]:
    """LINK01-LINK03's populations under ``options``: the schools and the school referrals.

    The open schools (:data:`OPEN_SCHOOLS`), counted (``schools``) and weighted by
    their pupils (``school_pupils``: the same schools, each with its number of
    pupils as its value), and the referrals from a school source in the 12 months.
    """
    sources = tuple(sorted(options.school_sources))
    from_a_school = cl.In(
        cl.Column("source"),
        sources,
        name=f"the options' school sources ({', '.join(sources) or 'none'})",
    )
    received = cl.Within(cl.Column("received_date"), 12)
    return {
        "schools": OPEN_SCHOOLS,
        "school_pupils": OPEN_SCHOOLS,
        "school_referrals": Declared(
            member=cl.All((from_a_school, received)), numerator=IS_REJECTED
        ),
    }


# What the family is, and its metrics, in the catalogue's order.

_GOV_UK = (
    "DfE and DHSC, 'Almost million more pupils get access to mental health support' "
    "(GOV.UK news, May 2025)"
)
SIX_IN_TEN_BY_MARCH_2026 = (
    f"{_GOV_UK}: six in ten pupils to have access to a Mental Health Support Team by March "
    "2026, and all pupils by 2029/30."
)
"""LINK03's target: DfE's milestone for March 2026, in pupils."""
ALL_PUPILS_BY_2029 = (
    f"{_GOV_UK}: all pupils to have access to mental health support in school by 2029/30, "
    "which needs every school covered."
)
"""LINK01's target: the commitment for 2029/30, which in schools is all of them."""

# A link is working while it has not ended and the school is open.
_SCHOOL_INPUTS = (
    SCHOOLS,
    LINKS,
    column(SCHOOLS, "OPEN_DATE"),
    column(SCHOOLS, "CLOSE_DATE"),
    column(LINKS, "END"),
)

FAMILY = Family(
    name="school_links",
    population_records={"schools": "school", "school_pupils": "school"},
    inputs=_SCHOOL_INPUTS,
    cohort=CYP_COHORT,
    populations=populations(MetricOptions()),
    derived={
        **COHORT_DERIVED,
        "working": "whether the school has a working link on the period end: a link open "
        "on the day (both ends count) with both roles filled in",
        "school link on the day received": "a referral's child's school had a working link on "
        "the day the referral was received (the referral's school_link level)",
    },
)

METRICS: list[MetricDefinition] = [
    FAMILY.declare(
        id="LINK01",
        name="Percentage of schools with a working link to CAMHS",
        population="schools",
        aggregate=Aggregate.PERCENTAGE,
        unit=Unit.PERCENTAGE,
        window="at the period end",
        numerator="schools with a working link contact at the period end",
        denominator="schools in the area's schools list open at the period end",
        definition="Schools of the area's list where {member}; of them, those where {numerator}. A "
        "working link: a link contact open at the period end with both the school lead's and the "
        "CAMHS contact's roles recorded (cypmh's definition, extract contract). A school counts "
        "while open: from its opening date (GIAS OpenDate) to its closing date (CloseDate), both "
        "included; a school with no dates is open.",
        source="cypmh, after the Mental Health Services and Schools Link programme",
        breakdowns=(),
        example="tests/spec/metrics/test_schools_thrive.py::test_links_worked_example",
        improvement="increase",
        target=100.0,
        target_source=ALL_PUPILS_BY_2029,
    ),
    FAMILY.declare(
        id="LINK02",
        name="Rejection percentage of school referrals, with and without a working link",
        population="school_referrals",
        aggregate=Aggregate.PERCENTAGE,
        unit=Unit.PERCENTAGE,
        window="the 12 months ending at the period end",
        numerator="school-source referrals rejected by the period end",
        denominator="school-source referrals received in the window",
        definition="Referrals of the CYP cohort ({cohort}) where {member}: the percentage where "
        "{numerator}, split by whether the child's school had a working link on the day the "
        "referral was received (the school_link breakdown).",
        source="cypmh, after the Schools Link pilots' aim of timely and appropriate referrals",
        breakdowns=("school_link",),
        example="tests/spec/metrics/test_schools_thrive.py::test_links_worked_example",
        improvement="decrease",
        # Accepted referrals from schools: the health files (the source and the rejections),
        # not the school list; the cohort is the referrals' (resident in England or unknown).
        inputs=(*HEALTH, SOURCE, REJECTED),
        resident=True,
    ),
    FAMILY.declare(
        id="LINK03",
        name="Percentage of pupils in schools with a working link to CAMHS",
        population="school_pupils",
        aggregate=Aggregate.WEIGHTED_PERCENTAGE,
        unit=Unit.PERCENTAGE,
        window="at the period end",
        numerator="pupils of the schools with a working link contact at the period end",
        denominator="pupils of the schools in the area's schools list open at the period end "
        "whose number of pupils is known",
        definition="Schools of the area's list where {member}, each weighted by its number of "
        "pupils (GIAS NumberOfPupils, the schools file's PUPILS); of their pupils, those in "
        "schools where {numerator}: LINK01 counted in pupils, as DfE reports Mental Health "
        "Support Team coverage both ways. A school whose number of pupils is not known is left "
        "out of both sums (it still counts in LINK01). DfE counts a school covered when a Mental "
        "Health Support Team serves it; cypmh counts the working links of the schools files, so "
        "an area that records its support teams' named contacts there measures what DfE does.",
        source="cypmh, after DfE's reporting of Mental Health Support Team coverage as a share "
        "of pupils",
        breakdowns=(),
        example="tests/spec/metrics/test_schools_thrive.py::test_pupils_worked_example",
        improvement="increase",
        target=60.0,
        target_source=SIX_IN_TEN_BY_MARCH_2026,
        inputs=(*_SCHOOL_INPUTS, column(SCHOOLS, "PUPILS")),
    ),
]


def reference(ctx: Context) -> Populations:
    """LINK01-LINK03: the Schools Link programme (cypmh's definitions).

    ``schools``: every school in the area open on the period end (not closed
    before it; a school with no dates is open), counted when it has a working
    link on the period end; ``school_pupils``, the same schools with their
    pupils as their values. ``school_referrals``: referrals from a school source
    received in the 12 months ending at the period end (children 0-17 when
    received), counted when rejected by the period end, with their school
    link on the day received fixed as the ``school_link`` level.
    """
    schools, pupils = [], []
    for school in ctx.area.schools:
        record = {
            **joined(school),
            "working": ctx.area.has_working_link(school.urn, ctx.period_end),
        }
        if cl.holds(OPEN_SCHOOLS.member, record, ctx.month):
            school_row = Observation(
                record=school.urn,
                person_id=None,
                provider_code=None,
                age_date=None,
                status_date=None,
                numerator=cl.holds(HAS_WORKING_LINK, record, ctx.month),
            )
            schools.append(school_row)
            pupils.append(
                attrs.evolve(
                    school_row,
                    value=None if school.pupils is None else float(school.pupils),
                )
            )
    declared = populations(ctx.options)["school_referrals"]
    referrals = []
    for referral, _ in cyp_referrals(ctx):
        if not cl.holds(declared.member, referral, ctx.month):
            continue
        route = school_route(
            ctx.area, referral.referral_id, school_sources=ctx.options.school_sources
        )
        rejected = cl.holds(IS_REJECTED, referral, ctx.month)
        link = WORKING_LINK if route.working_link else NO_WORKING_LINK
        referrals.append(observe(referral, numerator=rejected, levels={"school_link": link}))
    return {"schools": schools, "school_pupils": pupils, "school_referrals": referrals}


# The dataframe engine's version.


def working_links(ctx: FrameContext) -> Frame:
    """Link contacts with both roles filled in (working while open)."""
    return ctx["link_contacts"].filter(
        ~nw.col("school_lead_role").is_null(), ~nw.col("camhs_contact_role").is_null()
    )


def working_schools(ctx: FrameContext, day: int) -> Frame:
    """The URNs (``school_urn``) of schools with a working link on ``day`` (a day number).

    As :meth:`cypmh.model.Area.has_working_link`: a link open on the day
    (both ends count) with both roles filled in.
    """
    return (
        working_links(ctx)
        .filter(nw.col("start") <= day, (nw.col("end") >= day).fill_null(True))
        .select("school_urn")
        .unique()
    )


def linked_on_receipt(ctx: FrameContext, referrals: Frame) -> Frame:
    """The ``referrals`` whose child's school had a working link on the day each was received.

    ``referrals`` has ``referral_id``, ``person_id`` and ``received_date``; one row per
    such referral, with ``linked`` true (:func:`cypmh.pathways.school_route`'s
    ``working_link``, on frames).
    """
    urns = ctx["children"].select("person_id", "school_urn")
    return (
        referrals.select("referral_id", "person_id", "received_date")
        .join(urns, on="person_id", how="inner")
        .join(working_links(ctx).select("school_urn", "start", "end"), on="school_urn", how="inner")
        .filter(
            nw.col("start") <= nw.col("received_date"),
            (nw.col("end") >= nw.col("received_date")).fill_null(True),
        )
        .select("referral_id")
        .unique()
        .with_columns(nw.lit(True).alias("linked"))
    )


def frames(ctx: FrameContext) -> FrameFamily:
    """LINK01-LINK03 over frames: :func:`reference`, clause by clause."""
    working = working_schools(ctx, ctx.end).with_columns(nw.lit(True).alias("working"))
    schools = ctx["schools"].join(working.rename({"school_urn": "urn"}), on="urn", how="left")
    open_school = fc.condition(OPEN_SCHOOLS.member, ctx.month, anchor="urn")
    linked = fc.condition(HAS_WORKING_LINK, ctx.month, anchor="urn")
    declared = populations(ctx.options)["school_referrals"]
    referrals = cyp_referrals_frame(ctx).filter(
        fc.condition(declared.member, ctx.month, anchor="referral_id")
    )
    referrals = referrals.join(linked_on_receipt(ctx, referrals), on="referral_id", how="left")
    link_level = (
        nw.when(nw.col("linked").fill_null(False))
        .then(nw.lit(WORKING_LINK))
        .otherwise(nw.lit(NO_WORKING_LINK))
    )
    return [
        fb.base(
            schools,
            {
                "schools": fb.Population(member=open_school, numerator=linked),
                "school_pupils": fb.Population(
                    member=open_school, numerator=linked, value=nw.col("pupils")
                ),
            },
            person=None,
            provider=None,
            age_ymd=None,
            status_day=None,
            record=nw.col("urn"),
        ),
        fb.of_referral(
            referrals,
            {
                "school_referrals": fb.Population(
                    numerator=fc.condition(IS_REJECTED, ctx.month, anchor="referral_id")
                )
            },
            school_link=link_level,
        ),
    ]


# Why a referral is not a member (cypmh why).


def explain(case: Case, population: str) -> str | None:
    """Why the referral is not a member of ``population``: the first thing that keeps it out.

    ``None`` where nothing here names it (:func:`cypmh.metrics.explain.why` then
    quotes the definition).
    """
    if (cohort := cohort_reason(case)) is not None:
        return cohort
    return reason(case, populations(case.ctx.options)[population])
