"""DNA01: contacts not attended.

:func:`reference` over objects, :func:`frames` over dataframes (:mod:`cypmh.metrics.families`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cypmh.codes import AttendanceClass
from cypmh.metrics.families.lazy import fb, fx, nw
from cypmh.metrics.families.members import Context, Observation, Populations, cyp_at, with_child

if TYPE_CHECKING:
    from cypmh.metrics.blocks.bases import FrameContext, FrameFamily

__all__ = ["frames", "reference"]


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
