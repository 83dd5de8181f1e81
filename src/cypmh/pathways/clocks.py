"""The first events that start and stop the CYP waiting-time clocks.

Shared by the journey of one referral and by referral spells: both ask for
the first counted contact, the first baseline outcome measure and the first
agreed care plan or intervention among some referrals of one child, inside a
window of dates. The clock is written twice, side by side: over a child's records
(:func:`clock_events`) and over the dataframe engine's tables
(:func:`referral_events_frame`, :func:`clock_events_frame`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING

import attrs

from cypmh import codes
from cypmh.model import Area, CarePlan, CodedAssessment, IndirectActivity, Referral
from cypmh.pathways.lazy import fx, nw
from cypmh.pathways.rules import ContactRule, InterventionCodes

if TYPE_CHECKING:
    from cypmh.pathways.lazy import Frame

__all__ = [
    "SPELL_KEYS",
    "ClockEvents",
    "baseline_outcome_codes",
    "care_plan_event_date",
    "care_plan_event_day_frame",
    "clock_events",
    "clock_events_frame",
    "distinct_indirect",
    "distinct_indirect_frame",
    "is_baseline_outcome",
    "referral_events_frame",
]


def is_baseline_outcome(assessment: CodedAssessment) -> bool:
    """Whether ``assessment`` can be the *baseline outcome measure* of the four-week clock.

    Any scale on NHS England's publication assessment list (``mh_ass``) except
    Current View (NHSD ``4w_waits_prep.py``).
    """
    tool = assessment.tool
    return tool.in_publication_list and not tool.is_current_view


def distinct_indirect(activities: Iterable[IndirectActivity]) -> list[IndirectActivity]:
    """Indirect activity as NHS England counts it: one per referral, day and time.

    ``02_nhse_pre_processing_tables.py`` (``nhse_pre_proc_distinct_indirect_activity``)
    numbers MHS204 rows over ``UniqServReqID, IndirectActDate, IndirectActTime``
    and keeps the first of each; the activity table its contact counts read
    (``Contact1``, ``Contact2`` in ``cyp_outcomes_prep.py``) takes only those. A
    window partition puts missing times together, so without ``IndirectActTime`` a
    referral's indirect activity on one day is one. Which row is kept does not
    matter where this is read: only the date is. The first of each, in the order given.
    """
    seen: set[tuple[str, date, str | None]] = set()
    kept = []
    for activity in activities:
        key = (activity.referral_id, activity.date, activity.time)
        if key not in seen:
            seen.add(key)
            kept.append(activity)
    return kept


def distinct_indirect_frame(activities: Frame) -> Frame:
    """:func:`distinct_indirect` on the ``indirect_activities`` table: one row a key."""
    return activities.unique(["referral_id", "date", "time"], keep="any")


def care_plan_event_date(plan: CarePlan, start: date, end: date) -> date | None:
    """The date an agreed care plan counts from in the window ``start``..``end``, if any.

    As NHS England's code has it (``4w_waits_prep.py``, "GET CARE PLAN DATES"):
    the plan is considered when its last update (or, without one, its
    creation) falls in the window; it counts from its creation date when it
    was created in the window *and* on or before its last update, otherwise
    from its last update. A plan with no last-update date therefore never
    counts, a quirk cypmh keeps so that MRS08 gives the publication's number.
    Plans that were not agreed never count.
    """
    if not plan.agreed:
        return None
    anchor = plan.last_updated if plan.last_updated is not None else plan.created
    if not start <= anchor <= end:
        return None
    if plan.last_updated is not None and start <= plan.created <= plan.last_updated:
        return plan.created
    return plan.last_updated


@attrs.frozen(kw_only=True)
class ClockEvents:
    """The first of each clock-stop event in a window (``None`` where there is none).

    ``clock_stop`` is the latest of the three, and only exists when all three do.
    """

    first_contact: date | None
    first_outcome: date | None
    first_care_plan_or_intervention: date | None

    @property
    def clock_stop(self) -> date | None:
        """The latest of the three first events, when all three happened."""
        events = (self.first_contact, self.first_outcome, self.first_care_plan_or_intervention)
        return max(events) if None not in events else None  # type: ignore[type-var]


def _first(days: Iterable[date | None]) -> date | None:
    present = [d for d in days if d is not None]
    return min(present) if present else None


def clock_events(
    area: Area,
    referrals: Sequence[Referral],
    start: date,
    end: date,
    *,
    contact_rule: ContactRule,
    interventions: InterventionCodes,
    with_indirect: bool = True,
) -> ClockEvents:
    """The first clock-stop events on ``referrals`` (of one child) from ``start`` to ``end``.

    - first counted contact: a counted direct contact or any indirect activity;
    - first baseline outcome: a coded assessment passing :func:`is_baseline_outcome`;
    - first care plan or intervention: an agreed care plan (:func:`care_plan_event_date`)
      of the child, or a contact (attended or not) or indirect activity with a
      procedure in ``interventions``.

    Both ends of the window count. Without ``with_indirect``, no indirect activity is read
    at all: the direct-contacts-only clock (cypmh's WAIT08 and WAIT09).
    """

    def inside(day: date | None) -> bool:
        return day is not None and start <= day <= end

    contacts = [
        (r, c) for r in referrals for c in area.contacts_of(r.referral_id) if inside(c.date)
    ]
    indirect = [
        a
        for r in referrals
        for a in area.indirect_activities_of(r.referral_id)
        if with_indirect and inside(a.date)
    ]
    assessments = [
        a for r in referrals for a in area.assessments_of(r.referral_id) if inside(a.date)
    ]
    person_ids = {r.person_id for r in referrals}
    plans = [p for pid in person_ids for p in area.care_plans_of(pid)]

    first_contact = _first(
        [c.date for r, c in contacts if contact_rule.counts(c, r.provider_code)]
        + [a.date for a in indirect]
    )
    first_outcome = _first(a.date for a in assessments if is_baseline_outcome(a))
    first_plan = _first(care_plan_event_date(p, start, end) for p in plans)
    first_intervention = _first(
        [c.date for _, c in contacts if any(code in interventions for code in c.procedures)]
        + [a.date for a in indirect if a.procedure is not None and a.procedure in interventions]
    )
    return ClockEvents(
        first_contact=first_contact,
        first_outcome=first_outcome,
        first_care_plan_or_intervention=_first([first_plan, first_intervention]),
    )


# The same clock on the dataframe engine.

SPELL_KEYS = ["person_id", "provider_code", "spell_no"]
"""What names a spell on frames: the person, the provider and the spell's number."""


def baseline_outcome_codes() -> list[str]:
    """The SNOMED CT codes :func:`is_baseline_outcome` accepts, for the frame twin."""
    tools = codes.assessment_tools().values()
    return [t.snomed_code for t in tools if t.in_publication_list and not t.is_current_view]


def care_plan_event_day_frame() -> nw.Expr:
    """:func:`care_plan_event_date` on a row of an agreed plan and its spell's ``start``.

    The caller keeps the plans whose anchor (last update, else creation) is in the spell;
    the day is then the creation date when it is on or after the start and on or before
    the last update, otherwise the last update (missing: the plan does not count).
    """
    created_inside = (
        ~nw.col("last_updated").is_null()
        & (nw.col("created") >= nw.col("start"))
        & (nw.col("created") <= nw.col("last_updated"))
    ).fill_null(False)
    return nw.when(created_inside).then(nw.col("created")).otherwise(nw.col("last_updated"))


def referral_events_frame(
    contacts: Frame,
    procedures: Frame,
    indirect: Frame | None,
    assessments: Frame,
    *,
    interventions: InterventionCodes,
) -> Frame:
    """Every referral's possible clock-stop events: ``referral_id``, ``day`` and ``kinds``.

    As :func:`clock_events` reads a referral's records: ``kinds`` adds 1 for a
    counted direct contact or any indirect activity, 2 for a baseline outcome
    measure and 4 for a contact or indirect activity coded with an intervention.
    ``contacts`` have ``contact_id``, ``referral_id``, ``date`` and ``counted``
    (:meth:`~cypmh.pathways.ContactRule.counts_frame`); the other frames are the
    dataframe engine's tables, ``indirect`` ``None`` for the direct-contacts-only clock
    (``with_indirect=False``). None of it depends on the period.
    """
    coded = (
        procedures.filter(fx.in_list(nw.col("procedure"), interventions.codes))
        .select("contact_id")
        .unique()
        .with_columns(nw.lit(True).alias("coded"))
    )
    contact_kinds = nw.when(nw.col("counted")).then(nw.lit(1)).otherwise(nw.lit(0)) + nw.when(
        nw.col("coded").fill_null(False)
    ).then(nw.lit(4)).otherwise(nw.lit(0))
    indirect_kinds = nw.lit(1) + nw.when(fx.in_list(nw.col("procedure"), interventions.codes)).then(
        nw.lit(4)
    ).otherwise(nw.lit(0))
    on_contacts = contacts.join(coded, on="contact_id", how="left").select(
        "referral_id", nw.col("date").alias("day"), contact_kinds.alias("kinds")
    )
    on_indirect = (
        []
        if indirect is None
        else [
            indirect.select(
                "referral_id", nw.col("date").alias("day"), indirect_kinds.alias("kinds")
            )
        ]
    )
    outcomes = assessments.filter(fx.in_list(nw.col("tool_code"), baseline_outcome_codes())).select(
        "referral_id", nw.col("date").alias("day"), nw.lit(2).alias("kinds")
    )
    return nw.concat(
        [
            frame.with_columns(nw.col("kinds").cast(nw.Int64))
            for frame in (on_contacts, *on_indirect, outcomes)
        ]
    ).filter(nw.col("kinds") > 0)


def clock_events_frame(
    referral_events: Frame, members: Frame, spells: Frame, care_plans: Frame, agreements: Frame
) -> Frame:
    """:func:`clock_events` on the dataframe engine: each spell's events, one row per event.

    ``referral_events`` are :func:`referral_events_frame`'s; ``members`` the spells'
    referrals and ``spells`` the spells (:func:`cypmh.pathways.spells.four_week_spells_frame`).
    As :func:`clock_events`: a counted direct contact or any indirect activity (kind 1),
    a baseline outcome measure (2), an agreed care plan or a contact or indirect
    activity coded with an intervention (4), each inside the spell, both ends counting.
    """
    inside = (nw.col("day") >= nw.col("start")) & (nw.col("day") <= nw.col("end"))
    on_referrals = (
        referral_events.join(
            members.select("referral_id", *SPELL_KEYS, "start", "end"), on="referral_id"
        )
        .filter(inside)
        .select(*SPELL_KEYS, "day", "kinds")
    )
    anchor = nw.coalesce(nw.col("last_updated"), nw.col("created"))
    agreed = agreements.select("care_plan_id").unique()
    plans = (
        care_plans.join(agreed, on="care_plan_id", how="inner")
        .select("person_id", "created", "last_updated")
        .join(spells, on="person_id", how="inner")
        .filter((anchor >= nw.col("start")) & (anchor <= nw.col("end")))
        .select(
            *SPELL_KEYS,
            care_plan_event_day_frame().alias("day"),
            nw.lit(4).cast(nw.Int64).alias("kinds"),
        )
        .filter(~nw.col("day").is_null())
    )
    return nw.concat([on_referrals, plans])
