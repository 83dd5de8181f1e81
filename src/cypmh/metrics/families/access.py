"""MHS95, MHS109 and ACC02: children and young people in contact with services (access).

What the family is and its metrics (``FAMILY``, ``METRICS``), :func:`reference` over objects,
:func:`frames` over dataframes, and :func:`explain` for ``cypmh why`` (:mod:`cypmh.metrics.families`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING

import attrs

from cypmh import clauses as cl
from cypmh.metrics.definition import NHSD, Declared, Family, MetricDefinition
from cypmh.metrics.families.case import Case, span
from cypmh.metrics.families.lazy import fb, fc, fx, nw
from cypmh.metrics.families.members import (
    COHORT_DERIVED,
    CYP_COHORT,
    ENGLISH_OR_UNKNOWN,
    Context,
    Observation,
    Populations,
    cohort_record,
    cyp_at,
    cyp_referrals,
    cyp_referrals_frame,
    observe,
    with_child,
)
from cypmh.metrics.files import HEALTH, INDIRECT, MECHANISM
from cypmh.metrics.results import Aggregate, Unit
from cypmh.model import Child, Referral
from cypmh.periods import Month

if TYPE_CHECKING:
    from cypmh.metrics.blocks.bases import Frame, FrameContext, FrameFamily

__all__ = ["FAMILY", "METRICS", "explain", "frames", "reference"]


# ACC02's condition on an episode of care, as a clause (cypmh.clauses): reference, frames
# and explain read it. MHS95's earliest counted contact per child is a derived table, as code.

IN_CARE_IN_THE_YEAR = cl.All(
    (
        cl.Compare("<=", cl.Column("start"), cl.PeriodEnd()),
        cl.Any(
            (cl.IsNull(cl.Column("end")), cl.Compare(">=", cl.Column("end"), cl.PeriodStart(12)))
        ),
    )
)
"""The episode overlaps the 12 months ending at the period end (both ends count)."""

YOUNG_ADULT_COHORT = cl.All(
    (
        cl.AgeBetween(cl.Column("birth_date"), cl.Column("received_date"), 18, 24),
        ENGLISH_OR_UNKNOWN,
    )
)
"""MHS109's referrals: the person aged 18-24 when referred, resident in England or unknown
(``cyp_perinatal_prep.py``'s ``Ref109``: ``AgeServReferRecDate BETWEEN 18 AND 24``)."""


def young_adult_at(person: Child, day: date) -> bool:
    """The person is aged 18-24 on ``day`` (MHS109's age at a contact)."""
    return 18 <= person.age_on(day) <= 24


_ACCESS = "tests/spec/metrics/test_access.py"

# What the family is, and its metrics, in the catalogue's order.

FAMILY = Family(
    name="access",
    population_records={"looked_after": "person"},
    # A counted contact (its mechanism) or an indirect activity reaches a child.
    inputs=(*HEALTH, INDIRECT, MECHANISM),
    resident=True,
    as_at=(
        "An indirect activity's age is taken on the last day of the activity's own month "
        "(NHS England joins it to the referral record of its own monthly submission on RecordNumber), "
        "not at the period end; a contact's age is taken on its date."
    ),
    per_child=frozenset(
        {"access", "access_by_provider", "young_adults", "young_adults_by_provider"}
    ),
    cohort=CYP_COHORT,
    # ACC02's children: those with an episode of care where the clause holds.
    populations={"looked_after": Declared(member=IN_CARE_IN_THE_YEAR)},
    derived={
        **COHORT_DERIVED,
        "earliest contact": "each child's earliest counted contact or indirect activity in "
        "the window with the child 0-17 (on the contact's date; for an activity, on the last "
        "day of its month), which names the child's referral and provider; ties broken by the "
        "smaller referral id, then an activity before a contact, then the smaller contact id",
    },
)

METRICS: list[MetricDefinition] = [
    FAMILY.declare(
        id="MHS95",
        name="CYP aged 0-17 supported with at least one contact (12-month rolling)",
        population="access",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window="the 12 months ending at the period end",
        numerator="children with at least one counted contact in the window",
        denominator=None,
        definition="Children with a referral of the CYP cohort ({cohort}) and at least one counted "
        "contact (attended direct contact through a counting mechanism, or indirect activity) in "
        "the window while aged 0-17. Each child counts once in the total and in every breakdown "
        "but provider, taking the levels of their earliest contact in the window; by provider, "
        "a child counts under every provider that reached them in the window, as the "
        "publication counts (AccessProvRN), so the providers' rows can add up to more than "
        "the total.",
        source=NHSD
        + "menh_bbrb/notebooks/02_Specific_Prepare/04_cyp_perinatal/cyp_perinatal_prep.py",
        deviation="Ages come from the birth date, not the derived age columns; the anonymous digital "
        "providers' person keys are not rebuilt (the extract's person id is used).",
        mhsds=True,
        example=f"{_ACCESS}::test_mhs95_worked_example",
        improvement="increase",
        # By provider, a child counts under every provider that reached them, as NHS
        # England's AccessProvRN has it: the providers' rows need not add up to the total.
        breakdown_populations=(("provider", "access_by_provider"),),
    ),
    FAMILY.declare(
        id="MHS109",
        name="People aged 18-24 supported with at least one contact (12-month rolling)",
        population="young_adults",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window="the 12 months ending at the period end",
        numerator="people with at least one counted contact in the window while aged 18-24",
        denominator=None,
        definition="MHS95 for young adults: people with a referral where "
        f"{cl.words(YOUNG_ADULT_COHORT)}, and at least one counted contact (attended direct "
        "contact through a counting mechanism, or indirect activity) in the window while aged "
        "18-24, on the contact's date (an indirect activity's, on the last day of its month). "
        "Each person counts once; by provider, under every provider that reached them, as "
        "MHS95. The publication gives it by provider and commissioner only, so cypmh offers "
        "no other breakdown. A CAMHS extract holds few people of these ages: the ambition this "
        "measure serves is framed for ages 0-25, across CAMHS and adult services.",
        source=NHSD
        + "menh_bbrb/notebooks/02_Specific_Prepare/04_cyp_perinatal/cyp_perinatal_prep.py",
        deviation="Ages come from the birth date, not the derived age columns; the anonymous digital "
        "providers' person keys are not rebuilt (the extract's person id is used).",
        mhsds=True,
        example=f"{_ACCESS}::test_mhs109_worked_example",
        improvement="increase",
        breakdowns=("provider",),
        breakdown_populations=(("provider", "young_adults_by_provider"),),
    ),
]


def reference(ctx: Context) -> Populations:
    """MHS95: children aged 0-17 with a counted contact in the 12 months to the period end.

    Source: NHSD ``cyp_perinatal_prep.py``.

    Referrals of the CYP cohort (:data:`~cypmh.metrics.families.members.CYP_COHORT`);
    counted contacts dated in the window with the child
    0-17 on the contact's date, and indirect activity in the window with the
    child 0-17 on the last day of the activity's month. (NHS England takes an
    indirect activity's age from ``AgeRepPeriodEnd`` of the referral record of
    the activity's own monthly submission, joined on ``RecordNumber``: the age
    at the end of that month, not at the reporting period end.) Each child
    counts once, attributed to the provider of their earliest counted contact
    in the window; age band by age at that referral. (NHS England orders by
    the date alone; cypmh breaks a tie by the smaller referral id, then an
    indirect activity before a contact, then the smaller contact id.) Read as at the period
    end (:mod:`cypmh.model.asat`), as every family is.

    ``access_by_provider`` lists each child once under every provider that reached them
    (its earliest referral there by the same order): the rows of MHS95 by provider, as
    NHS England counts them (``cyp_perinatal_prep.py``'s ``AccessProvRN``, a row number
    per person and provider, read by ``produce_access_filter_agg_df``), so that a child
    seen by two providers counts under both and the providers' rows need not add up to
    the total.
    """
    earliest, by_provider = _reached(ctx, cyp_referrals(ctx), cyp_at)
    young = (
        (referral, person)
        for referral in ctx.area.referrals
        if cl.holds(
            YOUNG_ADULT_COHORT,
            cohort_record(referral, person := ctx.area.child(referral.person_id)),
            ctx.month,
        )
    )
    young_earliest, young_by_provider = _reached(ctx, young, young_adult_at)

    def people(chosen: Iterable[tuple[date, str, str, Referral]]) -> list[Observation]:
        return [
            attrs.evolve(observe(referral), status_date=ctx.period_end) for *_, referral in chosen
        ]

    return {
        "access": people(earliest.values()),
        "access_by_provider": people(by_provider.values()),
        "young_adults": people(young_earliest.values()),
        "young_adults_by_provider": people(young_by_provider.values()),
        "looked_after": _looked_after(ctx, set(earliest)),
    }


_Reach = tuple[date, str, str, Referral]


def _reached(
    ctx: Context,
    referrals: Iterable[tuple[Referral, Child]],
    aged: Callable[[Child, date], bool],
) -> tuple[dict[str, _Reach], dict[tuple[str, str], _Reach]]:
    """Each person's earliest counted contact of ``referrals`` in the 12 months, and per provider.

    A contact counts with the person ``aged`` on its date, an indirect activity on the
    last day of its month. Ties: the smaller referral id, then an activity before a
    contact, then the smaller contact id.
    """
    window = ctx.window(12)
    rule = ctx.options.contact_rule
    earliest: dict[str, _Reach] = {}
    by_provider: dict[tuple[str, str], _Reach] = {}
    for referral, person in referrals:
        days = [
            (c.date, c.contact_id)
            for c in ctx.area.contacts_of(referral.referral_id)
            if window.contains(c.date)
            and rule.counts(c, referral.provider_code)
            and aged(person, c.date)
        ]
        days += [
            (a.date, "")
            for a in ctx.area.indirect_activities_of(referral.referral_id)
            if window.contains(a.date) and aged(person, Month.of(a.date).last_day)
        ]
        for day, tie in days:
            key = (day, referral.referral_id, tie)
            current = earliest.get(referral.person_id)
            if current is None or key < current[:3]:
                earliest[referral.person_id] = (*key, referral)
            mine = (referral.person_id, referral.provider_code)
            there = by_provider.get(mine)
            if there is None or key < there[:3]:
                by_provider[mine] = (*key, referral)
    return earliest, by_provider


def _looked_after(ctx: Context, reached: set[str]) -> list[Observation]:
    """ACC02: children looked after at any time in the 12 months; reached if in MHS95's count.

    cypmh's definition (the 2025 UCL / UK Trauma Council recommendations): a
    child with an episode of care (SSDA903) that overlaps the 12 months
    ending at the period end. The 903 return holds children under 18, so no
    age is checked. The numerator is whether the child is one of MHS95's
    children (a counted contact in the same 12 months while aged 0-17).
    Age band and status are taken at the period end.
    """
    members = []
    for child in ctx.area.children:
        episodes = ctx.area.care_episodes_of(child.person_id)
        if any(cl.holds(IN_CARE_IN_THE_YEAR, e, ctx.month) for e in episodes):
            members.append(
                Observation(
                    record=child.person_id,
                    person_id=child.person_id,
                    provider_code=None,
                    age_date=ctx.period_end,
                    status_date=ctx.period_end,
                    numerator=child.person_id in reached,
                )
            )
    return members


# The dataframe engine's version.


def frames(ctx: FrameContext) -> FrameFamily:
    """MHS95 over frames: :func:`reference`, clause by clause.

    Which contacts count, and at what age, does not depend on the month
    (:func:`_contact_days`); each month keeps those in its window whose
    referral was received by its end.
    """
    start, end = ctx.window(12)

    def in_window(name: str, build: Callable[[FrameContext], Frame]) -> Frame:
        return (
            ctx.lasting(name, build, as_at=fb.AsAt(exists="received_date"))
            .filter(fx.in_range(nw.col("day"), start, end))
            .drop("received_date")
        )

    days = in_window("access_days", _contact_days)
    chosen = _earliest(days, ("person_id",))
    # MHS95 by provider: each child's earliest contact with each provider that reached them.
    per_provider = _earliest(days, ("person_id", "provider_code"))
    young = in_window("young_adult_days", _young_adult_days)
    reached = chosen.select("person_id", nw.lit(True).alias("reached"))
    looked_after = (
        ctx["care_episodes"]
        .filter(fc.condition(IN_CARE_IN_THE_YEAR, ctx.month, anchor="person_id"))
        .select("person_id")
        .unique()
        .join(reached, on="person_id", how="left")
        .with_columns(nw.col("reached").fill_null(False))
    )
    return [
        fb.of_referral(chosen, {"access": fb.Population()}, status_day=nw.lit(ctx.end)),
        fb.of_referral(
            per_provider, {"access_by_provider": fb.Population()}, status_day=nw.lit(ctx.end)
        ),
        fb.of_referral(
            _earliest(young, ("person_id",)),
            {"young_adults": fb.Population()},
            status_day=nw.lit(ctx.end),
        ),
        fb.of_referral(
            _earliest(young, ("person_id", "provider_code")),
            {"young_adults_by_provider": fb.Population()},
            status_day=nw.lit(ctx.end),
        ),
        fb.base(
            looked_after,
            {"looked_after": fb.Population(numerator=nw.col("reached"))},
            person=nw.col("person_id"),
            provider=None,
            age_ymd=nw.lit(ctx.end_ymd),
            status_day=nw.lit(ctx.end),
            record=nw.col("person_id"),
        ),
    ]


def _earliest(days: Frame, keys: tuple[str, ...]) -> Frame:
    """Each ``keys``' earliest day of ``days``, with the reference's tie-break.

    On the earliest day the smallest referral id, then an indirect activity (no
    contact id) before the smallest contact id. Compared a column at a time, so
    that the ids may be text or coded (:mod:`cypmh.tables.coded`).
    """

    def smallest(frame: Frame, column: str) -> Frame:
        return frame.filter(nw.col(column) == nw.col(column).min().over(*keys))

    on_first = smallest(smallest(days, "day"), "referral_id")
    contact = nw.col("contact_id")
    return on_first.filter(
        nw.when(contact.is_null().any().over(*keys))
        .then(contact.is_null())
        .otherwise(contact == contact.min().over(*keys))
    ).unique(list(keys), keep="any")


def _contact_days(ctx: FrameContext) -> Frame:
    """Every counted contact or indirect activity of a child 0-17, with its referral's details."""
    return _days_of(ctx, cyp_referrals_frame(ctx), fx.cyp_at)


def _young_adult_days(ctx: FrameContext) -> Frame:
    """MHS109's days: counted contacts or indirect activity of a person 18-24 (:func:`young_adult_at`)."""
    referrals = with_child(ctx).filter(
        fc.condition(YOUNG_ADULT_COHORT, ctx.month, anchor="referral_id")
    )
    return _days_of(ctx, referrals, lambda birth, day: fx.aged(birth, day, 18, 24))


def _days_of(
    ctx: FrameContext, cohort: Frame, aged: Callable[[nw.Expr, nw.Expr], nw.Expr]
) -> Frame:
    """Every counted contact or indirect activity of ``cohort``'s referrals, the person ``aged``.

    Aged on the contact's date; for an indirect activity, on the last day of its month.
    """
    referrals = cohort.select(
        "referral_id",
        "person_id",
        "provider_code",
        "received_date",
        "received_date_ymd",
        "birth_date_ymd",
    )
    columns = ("person_id", "provider_code", "received_date", "received_date_ymd", "referral_id")
    direct = (
        fb.counted_contacts(ctx)
        .filter(nw.col("counted"))
        .join(referrals, on="referral_id", how="inner")
        .filter(aged(nw.col("birth_date_ymd"), nw.col("date_ymd")))
        .select(*columns, nw.col("date").alias("day"), "contact_id")
    )
    no_contact = nw.lit(None, dtype=ctx["contacts"].collect_schema()["contact_id"])
    indirect = (
        ctx["indirect_activities"]
        .select("referral_id", "date", "date_ymd", no_contact.alias("contact_id"))
        .join(referrals, on="referral_id", how="inner")
        .filter(aged(nw.col("birth_date_ymd"), fx.month_end_ymd(nw.col("date_ymd"))))
        .select(*columns, nw.col("date").alias("day"), "contact_id")
    )
    return nw.concat([direct, indirect])


# Why a referral is not a member (cypmh why).


def explain(case: Case, population: str) -> str | None:
    """Why the referral is not a member of ``population``: the first thing that keeps it out.

    ``None`` where nothing here names it (:func:`cypmh.metrics.explain.why` then
    quotes the definition).
    """
    if population == "looked_after":
        month = case.ctx.month
        return (
            f"the child has no episode of care where {cl.words(IN_CARE_IN_THE_YEAR, month=month)}"
        )
    if population.startswith("young_adults"):
        record = cohort_record(case.referral, case.child)
        failure = cl.first_failure(YOUNG_ADULT_COHORT, record, case.ctx.month)
        if failure is not None:
            return "cohort: " + cl.describe(failure, record, case.ctx.month, as_at=True)
        return (
            "no counted contact or indirect activity with the person aged 18-24 in "
            f"{span(case.window(12))}"
        )
    return f"no counted contact or indirect activity for the child in {span(case.window(12))}"
