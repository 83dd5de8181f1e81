"""DNA01: contacts not attended.

What the family is and its metrics (``FAMILY``, ``METRICS``), :func:`reference` over objects,
:func:`frames` over dataframes, and :func:`explain` for ``cypmh why`` (:mod:`cypmh.metrics.families`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cypmh.codes import AttendanceClass
from cypmh.metrics.definition import Family, MetricDefinition
from cypmh.metrics.families.case import Case, span
from cypmh.metrics.families.lazy import fb, fx, nw
from cypmh.metrics.families.members import Context, Observation, Populations, cyp_at, with_child
from cypmh.metrics.files import HEALTH
from cypmh.metrics.results import Aggregate, Unit

if TYPE_CHECKING:
    from cypmh.metrics.blocks.bases import FrameContext, FrameFamily

__all__ = ["FAMILY", "METRICS", "explain", "frames", "reference"]


# What the family is, and its metrics, in the catalogue's order.

FAMILY = Family(
    name="attendance",
    records="contact",
    inputs=HEALTH,
)

METRICS: list[MetricDefinition] = [
    FAMILY.declare(
        id="DNA01",
        name="Percentage of contacts not attended",
        population="contacts",
        aggregate=Aggregate.PERCENTAGE,
        unit=Unit.PERCENTAGE,
        window="the reporting month",
        numerator="contacts in the month not attended (3, 7)",
        denominator="contacts in the month attended (5, 6) or not attended (3, 7)",
        definition="Direct contacts dated in the month, of children 0-17 on the day: those not attended as a "
        "percentage of those attended or not attended. Cancellations are left out.",
        source="cypmh; attendance classes from nhsengland/MHSDS CYP Dashboard (Der_AttendDNA)",
        example="tests/spec/metrics/test_attendance.py::test_dna_worked_example",
        improvement="decrease",
    ),
]


def reference(ctx: Context) -> Populations:
    """DNA01: contacts in the month not attended (3, 7), of those attended or not.

    cypmh's definition; the attendance classes are NHS England's ``Der_AttendDNA``
    (attended 5, 6).

    Direct contacts dated in the month, on referrals of children 0-17 on the
    contact's date. Cancellations and status 0 are left out.
    """
    window = ctx.window(1)
    members = []
    for referral in ctx.area.referrals:
        child = ctx.area.child(referral.person_id)
        for contact in ctx.area.contacts_of(referral.referral_id):
            if not window.contains(contact.date) or not cyp_at(child, contact.date):
                continue
            kind = contact.attend_status.attendance
            if kind in (AttendanceClass.ATTENDED, AttendanceClass.DNA):
                members.append(
                    Observation(
                        record=contact.contact_id,
                        person_id=referral.person_id,
                        provider_code=referral.provider_code,
                        age_date=contact.date,
                        status_date=contact.date,
                        numerator=kind is AttendanceClass.DNA,
                    )
                )
    return {"contacts": members}


# The dataframe engine's version.


def frames(ctx: FrameContext) -> FrameFamily:
    """DNA01 over frames: :func:`reference`, clause by clause."""
    start, end = ctx.window(1)
    dna = fb.attend_codes(AttendanceClass.DNA)
    contacts = (
        fb.contacts(ctx)
        .join(
            with_child(ctx).select("referral_id", "person_id", "provider_code", "birth_date_ymd"),
            on="referral_id",
            how="inner",
        )
        .filter(
            fx.in_range(nw.col("date"), start, end),
            fx.cyp_at(nw.col("birth_date_ymd"), nw.col("date_ymd")),
            fx.in_list(nw.col("attend_status"), fb.attend_codes(AttendanceClass.ATTENDED) + dna),
        )
    )
    return [
        fb.base(
            contacts,
            {"contacts": fb.Population(numerator=fx.in_list(nw.col("attend_status"), dna))},
            person=nw.col("person_id"),
            provider=nw.col("provider_code"),
            age_ymd=nw.col("date_ymd"),
            status_day=nw.col("date"),
            record=nw.col("contact_id"),
        )
    ]


# Why a referral is not a member (cypmh why).


def explain(case: Case, population: str) -> str | None:
    """Why the referral is not a member of ``population``: the first thing that keeps it out.

    ``None`` where nothing here names it (:func:`cypmh.metrics.explain.why` then
    quotes the definition).
    """
    return f"no attended or missed direct contact in {span(case.window(1))}"
