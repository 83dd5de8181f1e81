"""ED86-ED87: CYP eating-disorder waits.

:func:`reference` over objects, :func:`frames` over dataframes (:mod:`cypmh.metrics.families`).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from cypmh import codes
from cypmh.codes import AttendanceClass, ClinicalPriority, EdPriorityGroup
from cypmh.metrics.families.lazy import fb, fx, nw
from cypmh.metrics.families.members import (
    Context,
    Observation,
    Populations,
    cyp_referrals,
    cyp_referrals_frame,
    observe,
)
from cypmh.pathways import (
    EATING_DISORDER_REASON,
    TARGET_DAYS,
    eating_disorder_wait,
    is_eating_disorder_referral,
)

if TYPE_CHECKING:
    from cypmh.metrics.blocks.bases import Frame, FrameContext, FrameFamily

__all__ = ["frames", "reference"]


ED_FROM = date(2016, 1, 1)
"""ED86-ED87 count referrals received from this day (``04a_CYP_ED_WaitingTimes``)."""


ED_TEAMS_EXCLUDED = ("A18", "F01")
"""Team types whose eating-disorder referrals the ED measures leave out."""


def reference(ctx: Context) -> Populations:
    """ED86-ED87: CYP eating-disorder waits over the 12 months ending at the period end.

    Source: NHSD ``04a_CYP_ED_WaitingTimes``; reference 5.4. The clock is
    :func:`cypmh.pathways.eating_disorder_wait`.

    Referrals with primary reason 12, of children 0-17 when received, received
    from 2016-01-01 to the period end, not discharged before the window
    starts, with a priority (1-4), not made to A18 or F01; counted when
    treatment started in the window, as within target at 7 (urgent) or 28
    (routine) days.
    """
    window = ctx.window(12)
    groups: dict[EdPriorityGroup, list[Observation]] = {g: [] for g in EdPriorityGroup}
    for referral, _ in cyp_referrals(ctx, english=False):
        if not is_eating_disorder_referral(referral) or referral.priority is None:
            continue
        if referral.received_date < ED_FROM or referral.team_type in ED_TEAMS_EXCLUDED:
            continue
        if referral.discharge_date is not None and referral.discharge_date < window.start:
            continue
        wait = eating_disorder_wait(ctx.area, referral.referral_id)
        if wait.treatment_start is not None and window.contains(wait.treatment_start):
            groups[referral.priority.ed_group].append(
                observe(referral, value=wait.days, numerator=bool(wait.within_target))
            )
    populations: Populations = {}
    for group, members in groups.items():
        populations[f"ed_{group.value}"] = members
        populations[f"ed_{group.value}_within"] = [o for o in members if o.numerator]
    return populations


# The dataframe engine's version.


def _priorities(group: EdPriorityGroup) -> list[str]:
    return [p.value for p in ClinicalPriority if p.ed_group is group]


def frames(ctx: FrameContext) -> FrameFamily:
    """ED86-ED87 over frames: :func:`reference`, clause by clause.

    When each referral's treatment started does not depend on the month
    (:func:`_treatment_starts`); each month keeps the starts in its window.
    """
    start, end = ctx.window(12)
    treated = ctx.lasting("eating_disorders", _treatment_starts).filter(
        fx.in_range(nw.col("treated"), start, end),
        ~(nw.col("discharge_date") < start).fill_null(False),
    )
    days = nw.col("treated") - nw.col("received_date")
    populations = {}
    for group in EdPriorityGroup:
        member = fx.in_list(nw.col("priority"), _priorities(group))
        within = (days <= TARGET_DAYS[group]).fill_null(False)
        populations[f"ed_{group.value}"] = fb.Population(
            member=member, value=days, numerator=within
        )
        populations[f"ed_{group.value}_within"] = fb.Population(
            member=member & within, value=days, numerator=nw.lit(True)
        )
    return [fb.of_referral(treated, populations)]


def _treatment_starts(ctx: FrameContext) -> Frame:
    """The cohort's referrals with the day treatment started (``treated``), if it has.

    Every eating-disorder referral of the cohort but for the window and the
    discharge rule, which read the month: the first attended contact, on or
    after the referral, through an accepted mechanism and with a NICE-concordant
    treatment code valid in the contact's month.
    """
    referrals = cyp_referrals_frame(ctx, english=False).filter(
        nw.col("primary_reason") == EATING_DISORDER_REASON,
        ~nw.col("priority").is_null(),
        nw.col("received_date") >= fx.day_number(ED_FROM),
        ~fx.in_list(nw.col("team_type"), ED_TEAMS_EXCLUDED),
    )
    month = fx.month_id(nw.col("date_ymd"))
    treatment = (
        ctx["contact_procedures"]
        .join(ctx["contacts"].select("contact_id", "date_ymd"), on="contact_id", how="inner")
        .filter(fx.valid_code(codes.ed_treatment_codes(), nw.col("procedure"), month))
        .select("contact_id")
        .unique()
    )
    starts = (
        fb.contacts(ctx)
        .join(treatment, on="contact_id", how="inner")
        .filter(
            fx.in_list(nw.col("attend_status"), fb.attend_codes(AttendanceClass.ATTENDED)),
            fx.valid_code(
                codes.ed_consultation_mechanisms(), nw.col("consultation_mechanism"), month
            ),
        )
        .join(referrals.select("referral_id", "received_date"), on="referral_id", how="inner")
        .filter(nw.col("date") >= nw.col("received_date"))
        .group_by("referral_id")
        .agg(nw.col("date").min().alias("treated"))
    )
    return referrals.join(starts, on="referral_id", how="inner")
