"""MHS95 and ACC02: children and young people in contact with services (access).

What the family is and its metrics (``FAMILY``, ``METRICS``), :func:`reference` over objects,
:func:`frames` over dataframes, and :func:`explain` for ``cypmh why`` (:mod:`cypmh.metrics.families`).
"""

from __future__ import annotations

from collections.abc import Iterable
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
    Context,
    Observation,
    Populations,
    cyp_at,
    cyp_referrals,
    cyp_referrals_frame,
    observe,
)
from cypmh.metrics.files import HEALTH, INDIRECT, MECHANISM
from cypmh.metrics.results import Aggregate, Unit
from cypmh.model import Referral
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
    per_child=frozenset({"access", "access_by_provider"}),
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
    window = ctx.window(12)
    rule = ctx.options.contact_rule
    earliest: dict[str, tuple[date, str, str, Referral]] = {}
    by_provider: dict[tuple[str, str], tuple[date, str, str, Referral]] = {}
    for referral, child in cyp_referrals(ctx):
        days = [
            (c.date, c.contact_id)
            for c in ctx.area.contacts_of(referral.referral_id)
            if window.contains(c.date)
            and rule.counts(c, referral.provider_code)
            and cyp_at(child, c.date)
        ]
        days += [
            (a.date, "")
            for a in ctx.area.indirect_activities_of(referral.referral_id)
            if window.contains(a.date) and cyp_at(child, Month.of(a.date).last_day)
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

    def people(chosen: Iterable[tuple[date, str, str, Referral]]) -> list[Observation]:
        return [
            attrs.evolve(observe(referral), status_date=ctx.period_end) for *_, referral in chosen
        ]

    return {
        "access": people(earliest.values()),
        "access_by_provider": people(by_provider.values()),
        "looked_after": _looked_after(ctx, set(earliest)),
    }


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
    days = (
        ctx.lasting("access_days", _contact_days, as_at=fb.AsAt(exists="received_date"))
        .filter(fx.in_range(nw.col("day"), start, end))
        .drop("received_date")
    )

    # Each person's earliest day, then on it the smallest referral id, then an indirect
    # activity (no contact id) before the smallest contact id: the reference's tie-break.
    # Compared a column at a time, so that the ids may be text or coded (cypmh.tables.coded).
    def earliest(keys: tuple[str, ...]) -> Frame:
        def smallest(frame: Frame, column: str) -> Frame:
            return frame.filter(nw.col(column) == nw.col(column).min().over(*keys))

        on_first = smallest(smallest(days, "day"), "referral_id")
        contact = nw.col("contact_id")
        return on_first.filter(
            nw.when(contact.is_null().any().over(*keys))
            .then(contact.is_null())
            .otherwise(contact == contact.min().over(*keys))
        ).unique(list(keys), keep="any")

    chosen = earliest(("person_id",))
    # MHS95 by provider: each child's earliest contact with each provider that reached them.
    per_provider = earliest(("person_id", "provider_code"))
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


def _contact_days(ctx: FrameContext) -> Frame:
    """Every counted contact or indirect activity of a child 0-17, with its referral's details."""
    referrals = cyp_referrals_frame(ctx).select(
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
        .filter(fx.cyp_at(nw.col("birth_date_ymd"), nw.col("date_ymd")))
        .select(*columns, nw.col("date").alias("day"), "contact_id")
    )
    no_contact = nw.lit(None, dtype=ctx["contacts"].collect_schema()["contact_id"])
    indirect = (
        ctx["indirect_activities"]
        .select("referral_id", "date", "date_ymd", no_contact.alias("contact_id"))
        .join(referrals, on="referral_id", how="inner")
        .filter(fx.cyp_at(nw.col("birth_date_ymd"), fx.month_end_ymd(nw.col("date_ymd"))))
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
    return f"no counted contact or indirect activity for the child in {span(case.window(12))}"
