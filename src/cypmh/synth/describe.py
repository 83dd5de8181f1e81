"""A plain-text account of an area: children, journeys, schools and headline KPIs."""

from __future__ import annotations

from collections import Counter
from datetime import date

from cypmh.codes import AttendanceClass
from cypmh.io import from_json, to_json
from cypmh.metrics import CATALOGUE, compute
from cypmh.model import Area, Referral
from cypmh.pathways import (
    JourneyState,
    eating_disorder_wait,
    is_eating_disorder_referral,
    journey_of,
    school_route,
)
from cypmh.periods import Month
from cypmh.synth.examples import REFERENCE_DATE

__all__ = ["HEADLINES", "describe"]


def _referral_summary(area: Area, referral: Referral) -> str:
    attendance = Counter(c.attend_status.attendance for c in area.contacts_of(referral.referral_id))
    if referral.rejection_date is not None:
        ending = f"rejected {referral.rejection_date}"
    elif referral.end_date is not None:
        ending = f"ended {referral.end_date}"
    else:
        ending = "open"
    return (
        f"{referral.referral_id} ({referral.team_type}, received {referral.received_date}, "
        f"{ending}; attended {attendance[AttendanceClass.ATTENDED]}, "
        f"missed {attendance[AttendanceClass.DNA]})"
    )


def _children(area: Area, on: date) -> list[str]:
    lines = [f"{'child':<6} {'age':>3}  {'social care':<22} referrals"]
    for child in area.children:
        status = area.social_care_status(child.person_id, on).value.replace("_", " ")
        summaries = [_referral_summary(area, r) for r in area.referrals_of(child.person_id)]
        first, *rest = summaries or ["none"]
        lines.append(f"{child.person_id:<6} {child.age_on(on):>3}  {status:<22} {first}")
        lines.extend(f"{'':<35}{more}" for more in rest)
    return lines


def _journeys(area: Area, on: date) -> list[str]:
    lines = [f"{'referral':<9} {'state on ' + on.isoformat():<28} wait"]
    for referral in area.referrals:
        journey = journey_of(area, referral.referral_id)
        state = journey.state_on(on)
        if journey.first_contact_wait is not None:
            details = [f"first contact after {journey.first_contact_wait} days"]
        elif state is JourneyState.WAITING_FOR_FIRST_CONTACT:
            details = [f"waiting {journey.waiting_days_on(on)} days"]
        else:
            details = ["no contact"]
        if is_eating_disorder_referral(referral):
            ed = eating_disorder_wait(area, referral.referral_id)
            if ed.days is not None and ed.priority_group is not None:
                met = "met" if ed.within_target else "missed"
                group = ed.priority_group.value
                details.append(f"eating-disorder treatment after {ed.days} days ({group}, {met})")
        if school_route(area, referral.referral_id).via_linked_school:
            details.append("from a school with a working CAMHS link")
        label = state.value.replace("_", " ")
        lines.append(f"{referral.referral_id:<9} {label:<28} {'; '.join(details)}")
    return lines


def _schools(area: Area, on: date) -> list[str]:
    working = [s for s in area.schools if area.has_working_link(s.urn, on)]
    lines = [f"schools with a working CAMHS link: {len(working)} of {len(area.schools)}"]
    for school in area.schools:
        lines.append(f"  {school.urn} {school.name:<28} {'yes' if school in working else 'no'}")
    return lines


HEADLINES = (
    "MHS95",
    "MHS130",
    "MHS131",
    "MHS133",
    "MHS134",
    "REJ02",
    "DNA01",
    "LAC01b",
    "SDQ01",
    "LINK01",
)


def _headlines(area: Area, on: date) -> list[str]:
    month = Month.of(on)
    rows = compute(area, month, metrics=HEADLINES, disclosure="none")
    lines = [f"KPIs for {month} (no disclosure control: the example is invented)"]
    for row in rows:
        name = CATALOGUE[row.metric_id].name
        lines.append(f"  {row.metric_id:<7} {row.shown or '-':>7}  {name}")
    return lines


def describe(area: Area) -> str:
    """Return a plain-text account of ``area`` on the example's reference date."""
    on = REFERENCE_DATE
    counts = [
        ("children", area.children),
        ("referrals", area.referrals),
        ("contacts", area.contacts),
        ("coded assessments", area.assessments),
        ("care episodes", area.care_episodes),
        ("schools", area.schools),
        ("link contacts", area.link_contacts),
    ]
    text = to_json(area)
    same = from_json(text, Area) == area
    lines = [
        f"{area.name}: described on {on.isoformat()}",
        "",
        "  ".join(f"{len(records)} {name}" for name, records in counts),
        "",
        *_children(area, on),
        "",
        *_journeys(area, on),
        "",
        *_schools(area, on),
        "",
        *_headlines(area, on),
        "",
        f"JSON round trip: {len(text):,} characters, identical after reading back: {same}",
    ]
    return "\n".join(lines)
