"""CIN01: children whose social-care assessment found a concern about their mental health.

What the family is and its metrics (``FAMILY``, ``METRICS``), :func:`reference` over objects,
:func:`frames` over dataframes, and :func:`explain` for ``cypmh why`` (:mod:`cypmh.metrics.families`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cypmh import clauses as cl
from cypmh.codes.cin import child_mental_health_factors
from cypmh.metrics.definition import Family, MetricDefinition
from cypmh.metrics.families.case import Case
from cypmh.metrics.families.declared import Declared, frame_populations
from cypmh.metrics.families.lazy import fb, fc, fx, nw
from cypmh.metrics.families.members import Context, Observation, Populations
from cypmh.metrics.files import FACTORS, HEALTH, MECHANISM
from cypmh.metrics.results import Aggregate, Unit
from cypmh.pathways.looked_after import add_months

if TYPE_CHECKING:
    from cypmh.metrics.blocks.bases import FrameContext, FrameFamily

__all__ = ["FAMILY", "FOLLOW_UP_MONTHS", "METRICS", "explain", "frames", "reference"]

FOLLOW_UP_MONTHS = 12
"""The months after the assessment in which a contact counts, and so the cohort's lag."""

# Its population, declared as clauses (cypmh.clauses) over a child with the day of their
# first assessment to find a concern about their own mental health on or after the start
# of the 24 months ending at the period end (``assessed``, derived), the day 12 months after
# it (``follow_up_end``) and the day of their first counted contact on or after it
# (``first_contact``, derived). Reference, frames and explain all read them.

_assessed, _seen = cl.Column("assessed"), cl.Column("first_contact")

ASSESSED = cl.All(
    (
        cl.Compare(">=", _assessed, cl.PeriodStart(24)),
        cl.Compare("<", _assessed, cl.PeriodStart(12)),
    )
)
"""The assessment is in the 12 months that end 12 months before the period end: every
member has had the whole of the 12 months after it by the period end."""

SEEN = cl.All((cl.Not(cl.IsNull(_seen)), cl.Compare("<=", _seen, cl.Column("follow_up_end"))))
"""A counted contact in the 12 months from the assessment's day."""

POPULATIONS = {
    "assessed": Declared(member=ASSESSED, numerator=SEEN),
    "seen": Declared(member=cl.All((ASSESSED, SEEN)), numerator=SEEN),
}
"""CIN01's children (the numerator, seen within 12 months, is CIN01b's); CIN01a's, those seen."""

FAMILY = Family(
    name="mental_health_factors",
    records="child",
    inputs=(FACTORS,),
    populations=POPULATIONS,
    derived={
        "assessed": "the day of the child's first child-in-need assessment that found factor "
        "4A (concerns about the child's mental health) or 15A (self-harm), of those dated on "
        "or after the start of the 24 months ending at the period end (the factors' "
        "authorisation date)",
        "follow_up_end": "assessed plus 12 calendar months (cypmh.pathways.add_months)",
        "first_contact": "the day of the child's first counted contact (the options' contact "
        "rule, as MHS95 counts one) on or after assessed, on any of their referrals",
    },
)

_SOURCE = (
    "cypmh, from the 2025 recommendations for joint CAMHS and children's social care KPIs "
    "(UCL / UK Trauma Council); factors from the DfE Children in Need census "
    "(AssessmentFactors, codes 4A and 15A)"
)
_EXAMPLE = "tests/spec/metrics/test_mental_health_factors.py::test_worked_example"
_WINDOW = "assessments in the 12 months ending 12 months before the period end"
_SEEN_INPUTS = (FACTORS, *HEALTH, MECHANISM)
"""A counted contact reads the contact's consultation mechanism, as MHS95's does."""

METRICS: list[MetricDefinition] = [
    FAMILY.declare(
        id="CIN01",
        name="Children whose social-care assessment found a concern about their mental health",
        population="assessed",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window=_WINDOW,
        numerator="children with an assessment finding factor 4A or 15A in the window",
        denominator=None,
        definition="Children where {member}: a child-in-need assessment authorised in the 12 "
        "months ending 12 months before the period end found concerns about the child's own "
        "mental health (4A) or self-harm (15A). A child counts once, at the first such "
        "assessment. The lag lets every child have a full 12 months to be seen by the period "
        "end.",
        source=_SOURCE,
        example=_EXAMPLE,
    ),
    FAMILY.declare(
        id="CIN01a",
        name="Of them, children in contact with CAMHS within 12 months",
        population="seen",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window=_WINDOW,
        numerator="CIN01's children with a counted contact within 12 months of the assessment",
        denominator=None,
        definition="CIN01's children where {numerator}: a counted contact (attended, through "
        "a mechanism that counts, as MHS95 counts one) on any of the child's referrals, from "
        "the day of the assessment to 12 months after it.",
        source=_SOURCE,
        example=_EXAMPLE,
        inputs=_SEEN_INPUTS,
    ),
    FAMILY.declare(
        id="CIN01b",
        name="Percentage of them in contact with CAMHS within 12 months",
        population="assessed",
        aggregate=Aggregate.PERCENTAGE,
        unit=Unit.PERCENTAGE,
        window=_WINDOW,
        numerator="CIN01a",
        denominator="CIN01",
        definition="100 x CIN01a / CIN01: of CIN01's children, those where {numerator}.",
        source=_SOURCE,
        example=_EXAMPLE,
        improvement="increase",
        inputs=_SEEN_INPUTS,
    ),
]


def reference(ctx: Context) -> Populations:
    """CIN01: children whose child-in-need assessment found a concern about their mental health.

    cypmh's definition, from the 2025 recommendations for joint CAMHS and
    children's social care KPIs (UCL and the UK Trauma Council, on children in
    care), on the DfE's own assessment
    factors (the CIN census's ``AssessmentFactors``): 4A, concerns about the
    child's mental health, and 15A, self-harm
    (:func:`cypmh.codes.cin.child_mental_health_factors`).

    Each child's first assessment with one of them, of those dated on or
    after the start of the 24 months ending at the period end, is a member
    when it is dated in the 12 months that end 12 months before the period
    end: so every member has had the whole 12 months after their assessment
    by the period end. The numerator (CIN01a) is whether the child had a
    counted contact (:class:`~cypmh.pathways.ContactRule`, the options'
    contact rule) on any referral from that day to 12 calendar months after
    it. Age band and social-care status are the child's on the day of the
    assessment. Read as at the period end (:mod:`cypmh.model.asat`), as every
    family is: a factor or contact dated after it does not exist yet.
    """
    mental_health = child_mental_health_factors()
    opens = ctx.window(24).start
    rule = ctx.options.contact_rule
    found: Populations = {name: [] for name in POPULATIONS}
    for child in ctx.area.children:
        days = [
            f.date
            for f in ctx.area.assessment_factors_of(child.person_id)
            if f.factor in mental_health and f.date >= opens
        ]
        if not days:
            continue
        assessed = min(days)
        seen = [
            contact.date
            for referral in ctx.area.referrals_of(child.person_id)
            for contact in ctx.area.contacts_of(referral.referral_id)
            if contact.date >= assessed and rule.counts(contact, referral.provider_code)
        ]
        record: dict[str, object] = {
            "assessed": assessed,
            "follow_up_end": add_months(assessed, FOLLOW_UP_MONTHS),
            "first_contact": min(seen, default=None),
        }
        member = Observation(
            record=f"{child.person_id}/{assessed.isoformat()}",
            person_id=child.person_id,
            provider_code=None,
            age_date=assessed,
            status_date=assessed,
            numerator=cl.holds(SEEN, record, ctx.month),
        )
        for name, declared in POPULATIONS.items():
            if cl.holds(declared.member, record, ctx.month):
                found[name].append(member)
    return found


# The dataframe engine's version.


def frames(ctx: FrameContext) -> FrameFamily:
    """CIN01 over frames: :func:`reference`, clause by clause."""
    mental_health = sorted(child_mental_health_factors())
    opens = cl.Compare(">=", cl.Column("date"), cl.PeriodStart(24))
    firsts = (
        ctx["assessment_factors"]
        .filter(
            fx.in_list(nw.col("factor"), mental_health),
            fc.condition(opens, ctx.month, anchor="person_id"),
        )
        .group_by("person_id")
        .agg(nw.col("date").min().alias("assessed"), nw.col("date_ymd").min().alias("assessed_ymd"))
    )
    firsts = fx.with_added_months(firsts, "assessed_ymd", FOLLOW_UP_MONTHS, "follow_up_end")
    people = ctx["referrals"].select("referral_id", "person_id")
    contacts = (
        fb.counted_contacts(ctx)
        .filter(nw.col("counted"))
        .join(people, on="referral_id", how="inner")
        .select("person_id", nw.col("date").alias("seen"))
    )
    seen = (
        firsts.select("person_id", "assessed")
        .join(contacts, on="person_id", how="inner")
        .filter(nw.col("seen") >= nw.col("assessed"))
        .group_by("person_id")
        .agg(nw.col("seen").min().alias("first_contact"))
    )
    members = firsts.join(seen, on="person_id", how="left")
    return [
        fb.base(
            members,
            frame_populations(POPULATIONS, ctx.month, anchor="person_id"),
            person=nw.col("person_id"),
            provider=None,
            age_ymd=nw.col("assessed_ymd"),
            status_day=nw.col("assessed"),
            record=nw.concat_str(
                [nw.col("person_id"), nw.lit("/"), fx.iso_date(nw.col("assessed_ymd"))]
            ),
        )
    ]


# Why a child is not a member (cypmh why).


def explain(case: Case, population: str) -> str | None:
    """Why the referral's child is not a member: the first thing that keeps them out."""
    words = cl.words(ASSESSED, month=case.ctx.month)
    if case.child_in("mental_health_factors", "assessed") is None:
        return (
            "the child has no child-in-need assessment that found concerns about their mental "
            f"health (4A) or self-harm (15A) where {words}"
        )
    return (
        f"the child had no counted contact where {cl.words(SEEN, month=case.ctx.month)}, "
        "from the day of their assessment"
    )
