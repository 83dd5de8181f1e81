"""A seeded synthetic area of any size, for benchmarks.

Not a realistic population (that is the synthetic area's job): it only has to
exercise every metric at scale. A quarter of referrals are rejected and have
no contacts; the others have eight, so there are about six per referral.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from cypmh import (
    Area,
    CareEpisode,
    CarePlan,
    Child,
    CodedAssessment,
    Contact,
    IndirectActivity,
    LinkContact,
    Referral,
    School,
    SdqReturn,
    SocialWorkInvolvement,
    WellbeingAssessment,
)
from cypmh.codes import AttendStatus, ClinicalPriority, SocialWorkType

START = date(2023, 4, 1)
DAYS = 730  # two years of activity, to 31 March 2025
TEAMS = ["C10", "C06", "F01", "A18", "C04", "A06", "A02"]
REASONS = ["05", "04", "12", "15", "21", "25", "01"]
STATUSES = [AttendStatus.ATTENDED_ON_TIME] * 6 + [
    AttendStatus.ATTENDED_LATE_SEEN,
    AttendStatus.DID_NOT_ATTEND,
    AttendStatus.CANCELLED_BY_PROVIDER,
]
TOOLS = ["958231000000102", "987341000000108", "989881000000104", "860591000000104"]


def build(referrals: int, *, seed: int = 1, contacts_per_referral: int = 8) -> Area:
    """An area of ``referrals`` referrals; accepted ones get ``contacts_per_referral`` contacts."""
    rng = random.Random(seed)
    people = max(1, int(referrals / 1.4))
    schools = [
        School(urn=f"{100000 + i}", name=f"School {i}") for i in range(max(1, people // 300))
    ]
    links = [
        LinkContact(
            school_urn=s.urn,
            provider_code="RXT",
            school_lead_role="Lead",
            camhs_contact_role="Link worker",
            start=date(2022, 9, 1),
        )
        for s in schools[::2]
    ]
    children, episodes, social, sdq, wellbeing = [], [], [], [], []
    for i in range(people):
        pid = f"P{i}"
        born = START - timedelta(days=rng.randint(4 * 365, 17 * 365))
        children.append(
            Child(
                person_id=pid,
                birth_date=born,
                gender=rng.choice("12"),
                la_district="E08000025",
                school_urn=rng.choice(schools).urn,
            )
        )
        roll = rng.random()
        if roll < 0.04:
            entered = START + timedelta(days=rng.randint(-400, DAYS - 30))
            episodes.append(CareEpisode(person_id=pid, start=entered, placement="U1"))
            sdq.append(SdqReturn(person_id=pid, score=rng.randint(0, 40)))
            if rng.random() < 0.6:
                wellbeing.append(
                    WellbeingAssessment(
                        person_id=pid, date=entered + timedelta(days=rng.randint(60, 220))
                    )
                )
        elif roll < 0.12:
            kind = (
                SocialWorkType.CHILD_IN_NEED
                if roll < 0.09
                else SocialWorkType.CHILD_PROTECTION_PLAN
            )
            social.append(
                SocialWorkInvolvement(
                    person_id=pid, kind=kind, start=START - timedelta(days=rng.randint(0, 300))
                )
            )
    refs, contacts, indirect, assessments, plans = [], [], [], [], []
    for r in range(referrals):
        child = children[rng.randrange(people)]
        received = START + timedelta(days=rng.randint(0, DAYS - 1))
        rejected = received + timedelta(days=rng.randint(1, 20)) if rng.random() < 0.25 else None
        discharged = (
            received + timedelta(days=rng.randint(30, 500))
            if rejected is None and rng.random() < 0.6
            else None
        )
        referral = Referral(
            referral_id=f"R{r}",
            person_id=child.person_id,
            provider_code=rng.choice(["RXT", "RXT", "RYY"]),
            received_date=received,
            source=rng.choice(["A1", "C2", "C1", "B1"]),
            priority=rng.choice(list(ClinicalPriority)),
            primary_reason=rng.choice(REASONS),
            team_type=rng.choice(TEAMS),
            rejection_date=rejected,
            discharge_date=discharged,
        )
        refs.append(referral)
        if rejected is not None:
            continue
        day = received
        for c in range(contacts_per_referral):
            day += timedelta(days=rng.randint(3, 40))
            procedures = (
                (rng.choice(["51484002", "1085671000000109"]),) if rng.random() < 0.3 else ()
            )
            contacts.append(
                Contact(
                    contact_id=f"C{r}-{c}",
                    referral_id=referral.referral_id,
                    person_id=child.person_id,
                    date=day,
                    attend_status=rng.choice(STATUSES),
                    consultation_mechanism=rng.choice(["01", "01", "02", "11"]),
                    procedures=procedures,
                )
            )
        if rng.random() < 0.3:
            indirect.append(
                IndirectActivity(
                    referral_id=referral.referral_id,
                    person_id=child.person_id,
                    date=received + timedelta(days=rng.randint(1, 30)),
                )
            )
        for _ in range(rng.randint(0, 2)):
            tool = rng.choice(TOOLS)
            low, high = {
                "958231000000102": (0, 30),
                "987341000000108": (0, 3),
                "989881000000104": (0, 4),
                "860591000000104": (1, 100),
            }[tool]
            assessments.append(
                CodedAssessment(
                    referral_id=referral.referral_id,
                    person_id=child.person_id,
                    tool_code=tool,
                    score=rng.randint(low, high),
                    date=received + timedelta(days=rng.randint(0, 200)),
                )
            )
        if rng.random() < 0.3:
            created = received + timedelta(days=rng.randint(0, 60))
            plans.append(
                CarePlan(
                    care_plan_id=f"CP{r}",
                    person_id=child.person_id,
                    plan_type="12",
                    created=created,
                    last_updated=created + timedelta(days=rng.randint(0, 30)),
                    agreements=(None,),
                )
            )
    return Area(
        name=f"Benchmark area ({referrals} referrals)",
        children=tuple(children),
        schools=tuple(schools),
        link_contacts=tuple(links),
        referrals=tuple(refs),
        contacts=tuple(contacts),
        indirect_activities=tuple(indirect),
        assessments=tuple(assessments),
        care_plans=tuple(plans),
        care_episodes=tuple(episodes),
        social_work=tuple(social),
        sdq_returns=tuple(sdq),
        wellbeing_assessments=tuple(wellbeing),
    )
