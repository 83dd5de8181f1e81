"""DNA01: contacts not attended.

What the family is and its metrics (``FAMILY``, ``METRICS``), :func:`reference` over objects,
:func:`frames` over dataframes, and :func:`explain` for ``cypmh why`` (:mod:`cypmh.metrics.families`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cypmh import clauses as cl
from cypmh.codes import AttendanceClass, AttendStatus
from cypmh.metrics.definition import Family, MetricDefinition
from cypmh.metrics.families.case import Case
from cypmh.metrics.families.declared import Declared, frame_populations, reason
from cypmh.metrics.families.lazy import fb, nw
from cypmh.metrics.families.members import Context, Observation, Populations, with_child
from cypmh.metrics.files import HEALTH
from cypmh.metrics.results import Aggregate, Unit
from cypmh.model import Child, Contact

if TYPE_CHECKING:
    from cypmh.metrics.blocks.bases import FrameContext, FrameFamily

__all__ = ["FAMILY", "METRICS", "explain", "frames", "reference"]


# Its population, declared as clauses (cypmh.clauses) over a contact with its child's
# birth date: reference, frames and explain all read them.

_ATTENDED = AttendStatus.codes_of(AttendanceClass.ATTENDED)
_NOT_ATTENDED = AttendStatus.codes_of(AttendanceClass.DNA)

CONTACT_IN_MONTH = cl.Within(cl.Column("contact_date"), 1)
"""The contact is dated in the reporting month."""

CYP_ON_THE_DAY = cl.AgeBetween(cl.Column("birth_date"), cl.Column("contact_date"), 0, 17)
"""The child is born by the contact's date and aged 0-17 on it."""

ATTENDED_OR_NOT = cl.In(
    cl.Column("attend_status"),
    _ATTENDED + _NOT_ATTENDED,
    name=f"attended ({', '.join(_ATTENDED)}) or not attended ({', '.join(_NOT_ATTENDED)})",
)
"""Attended or not attended: a cancellation (2, 4) or status 0 is left out."""

NOT_ATTENDED = cl.In(
    cl.Column("attend_status"),
    _NOT_ATTENDED,
    name=f"not attended ({', '.join(_NOT_ATTENDED)})",
)
"""The numerator: not attended."""

POPULATIONS = {
    "contacts": Declared(
        member=cl.All((CONTACT_IN_MONTH, CYP_ON_THE_DAY, ATTENDED_OR_NOT)),
        numerator=NOT_ATTENDED,
    )
}


def _record(contact: Contact, child: Child) -> dict[str, object]:
    """What the clauses read of a contact: its date and status, and the child's birth date."""
    return {
        "contact_date": contact.date,
        "attend_status": contact.attend_status,
        "birth_date": child.birth_date,
    }


# What the family is, and its metrics, in the catalogue's order.

FAMILY = Family(
    name="attendance",
    records="contact",
    inputs=HEALTH,
    populations=POPULATIONS,
    derived={
        "contact_date": "the contact's date (CareContDate), on a record of the contact with "
        "its child's birth date",
    },
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
        definition="Direct contacts where {member}: those where {numerator}, as a percentage of "
        "them. Cancellations are left out.",
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
    declared = POPULATIONS["contacts"]
    members = []
    for referral in ctx.area.referrals:
        child = ctx.area.child(referral.person_id)
        for contact in ctx.area.contacts_of(referral.referral_id):
            record = _record(contact, child)
            if cl.holds(declared.member, record, ctx.month):
                members.append(
                    Observation(
                        record=contact.contact_id,
                        person_id=referral.person_id,
                        provider_code=referral.provider_code,
                        age_date=contact.date,
                        status_date=contact.date,
                        numerator=cl.holds(NOT_ATTENDED, record, ctx.month),
                    )
                )
    return {"contacts": members}


# The dataframe engine's version.


def frames(ctx: FrameContext) -> FrameFamily:
    """DNA01 over frames: :func:`reference`, clause by clause."""
    contacts = (
        fb.contacts(ctx)
        .join(
            with_child(ctx).select("referral_id", "person_id", "provider_code", "birth_date_ymd"),
            on="referral_id",
            how="inner",
        )
        .with_columns(
            nw.col("date").alias("contact_date"), nw.col("date_ymd").alias("contact_date_ymd")
        )
    )
    return [
        fb.base(
            contacts,
            frame_populations(POPULATIONS, ctx.month, anchor="contact_id"),
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

    The referral counts through its contacts; where none counts, the reason is
    the clause its latest contact fails, with that contact's values.
    """
    contacts = case.ctx.area.contacts_of(case.referral.referral_id)
    if not contacts:
        return f"no contact is recorded on the referral by {case.end.isoformat()}"
    latest = max(contacts, key=lambda c: (c.date, c.contact_id))
    said = reason(case, POPULATIONS[population], _record(latest, case.child))
    return None if said is None else f"none of its contacts counts; the latest {said}"
