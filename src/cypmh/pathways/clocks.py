"""The first events that start and stop the CYP waiting-time clocks.

Shared by the journey of one referral and by referral spells: both ask for
the first counted contact, the first baseline outcome measure and the first
agreed care plan or intervention among some referrals of one child, inside a
window of dates.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import attrs

from cypmh.model import Area, CarePlan, CodedAssessment, Referral
from cypmh.pathways.rules import ContactRule, InterventionCodes

__all__ = ["ClockEvents", "care_plan_event_date", "clock_events", "is_baseline_outcome"]


def is_baseline_outcome(assessment: CodedAssessment) -> bool:
    """Whether ``assessment`` can be the *baseline outcome measure* of the four-week clock.

    Any scale on NHS England's publication assessment list (``mh_ass``) except
    Current View (NHSD ``4w_waits_prep.py``).
    """
    tool = assessment.tool
    return tool.in_publication_list and not tool.is_current_view


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
) -> ClockEvents:
    """The first clock-stop events on ``referrals`` (of one child) from ``start`` to ``end``.

    - first counted contact: a counted direct contact or any indirect activity;
    - first baseline outcome: a coded assessment passing :func:`is_baseline_outcome`;
    - first care plan or intervention: an agreed care plan (:func:`care_plan_event_date`)
      of the child, or a contact (attended or not) or indirect activity with a
      procedure in ``interventions``.

    Both ends of the window count.
    """

    def inside(day: date | None) -> bool:
        return day is not None and start <= day <= end

    contacts = [
        (r, c) for r in referrals for c in area.contacts_of(r.referral_id) if inside(c.date)
    ]
    indirect = [
        a for r in referrals for a in area.indirect_activities_of(r.referral_id) if inside(a.date)
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
