"""A synthetic local area: seeded, reproducible, of plausible shape, entirely invented.

It exercises every metric and every file of the extract contract. The rates
below are chosen to look like a CYP mental health service; where a figure has
a public source it is named, and everything else is an assumption for
synthetic data, not a fact about any service:

- **Social care** among referred children: 4% looked after, 3% on a child
  protection plan, 8% children in need. Nationally about 0.7%, 0.4% and 3.3%
  of children (DfE, *Children looked after* and *Children in need* statistics,
  2023-24); children with a social worker are over-represented in CAMHS
  referrals (assumption).
- **Rejection**: about a quarter of referrals (the project brief's figure).
  Relative to children with no social worker, about three times as likely for
  children in need and twice for those on a protection plan, less likely for
  children in care (COACHES study, as reported by nationalhealthexecutive.com;
  press-level relative figures).
- **Waits** to a first contact: lognormal with a median of about four weeks
  (assumption). **Did not attend**: about 12% of appointments (assumption).
- **Eating disorders**: 5% of referrals, a third of them urgent (assumption).
- **SDQ** scores of looked-after children: mean about 14 (the national average
  is around 14; DfE statistics), spread 6, within 0-40; half of them dated in
  the collection year (as the SSD keeps them), half the undated OC2 return.
- **Schools**: 60% have a working link with CAMHS, 10% a link without a named
  CAMHS contact (assumption).
- **How referrals end**: a rejected referral is given a discharge date 0-7
  days after its rejection 85% of the time (:data:`REJECTED_DISCHARGED`;
  services usually record one, and the rest are the "still waiting" rejected
  referrals that MHS133 counts and WAIT01 does not); a treated referral is
  discharged 14 days after its last contact 60% of the time, closed on the
  same day. The demo area's 1,190 referrals, by the end of March 2025: 259
  rejected (229 of them with a discharge date, 30 without), 507 closed and
  discharged after treatment, 424 still open (assumptions).
- **THRIVE groupings**: agreed at a referral's first attended contact 80% of
  the time, suggested but not agreed at it in half the rest, reviewed at the
  fourth contact 30% of the time (:mod:`cypmh.synth.thrive`, assumptions).
- **Population** (:func:`synthetic_population`): ten children aged 0-17 live
  in the area for each child in its records, spread about evenly over the
  ages, 51% of each age male (assumption; England's 0-17 are about 51% male).
"""

from __future__ import annotations

import functools
import math
import random
from datetime import date, timedelta

from cypmh.codes import (
    AttendStatus,
    ClinicalPriority,
    ClosureReason,
    RejectionReason,
    SdqReason,
    SocialWorkType,
)
from cypmh.model import (
    Area,
    AssessmentFactor,
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
from cypmh.need.group_population import GroupPopulation
from cypmh.need.population import FEMALE, MALE, Population
from cypmh.synth.deprivation import with_neighbourhoods
from cypmh.synth.population_groups import ETHNIC_DRAW, synthetic_group_population
from cypmh.synth.thrive import synthetic_groupings

__all__ = [
    "DEMO_CHANGE",
    "DEMO_PERIOD",
    "POPULATION_FILE",
    "demo_area",
    "demo_group_population",
    "demo_population",
    "synthetic_area",
    "synthetic_population",
]

POPULATION_FILE = "population.csv"
"""The population file an extract folder may hold (age, sex, population)."""

_CHILDREN_PER_RECORD = 10

DEMO_PERIOD = "2025-03"
"""The reporting month the demo uses."""

_PROVIDERS = ("RXT", "RXT", "RXT", "R1A")
_SOURCES: tuple[str, ...] = ("A1",) * 35 + ("C2",) * 25 + ("B1",) * 10 + ("C1",) * 10
_SOURCES += ("H2",) * 5 + ("F1",) * 5 + ("B2",) * 10
_TEAMS = (
    ("A18",) * 20 + ("F01",) * 15 + ("C04",) * 10 + ("A06",) * 35 + ("D06",) * 10 + ("C06",) * 10
)
_REASONS: tuple[str, ...] = ("05",) * 30 + ("04",) * 20 + ("15",) * 10 + ("21",) * 10
_REASONS += ("25",) * 10 + ("16",) * 10 + ("11",) * 10
_MECHANISMS = ("01",) * 70 + ("02",) * 20 + ("11",) * 10
_RCADS_DEPRESSION_SELF = "958231000000102"
_HONOSCA_PARENT = "989881000000104"
_FAMILY_THERAPY = "51484002"
_ASD_ASSESSMENT = "1085671000000109"


def _days(rng: random.Random, median: float, spread: float = 0.8) -> int:
    return max(0, round(math.exp(rng.gauss(math.log(median), spread))))


REJECTED_DISCHARGED = 0.85
"""The share of rejected synthetic referrals given a discharge date (0-7 days after rejection)."""


def _pupils(school: int) -> int | None:
    """A made-up number of pupils for the synthetic area's ``school``-th school (from 0).

    Worked out from the school's place alone, not from the area's random
    numbers, so that adding it changed nothing else of the area: from 120 to
    1,499 pupils, and unknown for every tenth school, as GIAS leaves some blank.
    """
    return None if school % 10 == 9 else 120 + (school * 379) % 1380


def synthetic_area(
    *,
    seed: int = 0,
    people: int = 500,
    period_end: date = date(2025, 3, 31),
    years: int = 2,
    shorter_waits_from: date | None = None,
) -> Area:
    """Build the synthetic area: ``people`` children with about 1.4 referrals each.

    The same arguments always give the same area. Activity runs over the
    ``years`` years before ``period_end`` (and care episodes from a year
    before that). With ``shorter_waits_from``, referrals received from that
    day wait half as long for their first contact: a planted change for the
    trend charts to find.
    """
    rng = random.Random(seed)
    days = 365 * years
    start = period_end - timedelta(days=days)
    schools = [
        School(
            urn=f"{110000 + i}",
            name=f"Synthetic School {i + 1}",
            phase=rng.choice(["Primary", "Secondary"]),
            local_authority="Synthetic",
            pupils=_pupils(i),
        )
        for i in range(max(2, people // 40))
    ]
    links = []
    for school in schools:
        roll = rng.random()
        if roll < 0.7:
            links.append(
                LinkContact(
                    school_urn=school.urn,
                    provider_code="RXT",
                    school_lead_role="Senior mental health lead",
                    camhs_contact_role=None if roll >= 0.6 else "Link practitioner",
                    start=start - timedelta(days=rng.randint(0, 400)),
                )
            )

    children, episodes, social, sdq, wellbeing = [], [], [], [], []
    factors: list[AssessmentFactor] = []
    # Half the SDQs are dated in the collection year to the last 31 March (as the SSD keeps
    # them), half undated (the OC2 return); by the child's number, so no draw changes.
    sdq_year = date(period_end.year - (period_end < date(period_end.year, 3, 31)), 3, 31)
    status_of: dict[str, str] = {}
    for i in range(people):
        pid = f"SYN{i:05d}"
        born = period_end - timedelta(days=rng.randint(3 * 365, 17 * 365 + 200))
        district = "W06000015" if rng.random() < 0.03 else "E08000025"
        children.append(
            Child(
                person_id=pid,
                birth_date=born,
                gender=rng.choice("12"),
                ethnic_category=rng.choice(ETHNIC_DRAW),
                la_district=district,
                school_urn=rng.choice(schools).urn,
            )
        )
        roll = rng.random()
        if roll < 0.04:
            status_of[pid] = "looked_after"
            entered = max(
                born + timedelta(days=30), period_end - timedelta(days=rng.randint(60, 1100))
            )
            moved = entered + timedelta(days=rng.randint(30, 300))
            if moved < period_end and rng.random() < 0.5:
                episodes += [
                    CareEpisode(
                        person_id=pid, start=entered, end=moved, legal_status="C2", placement="U3"
                    ),
                    CareEpisode(person_id=pid, start=moved, legal_status="C2", placement="U1"),
                ]
            else:
                episodes.append(
                    CareEpisode(person_id=pid, start=entered, legal_status="C2", placement="U1")
                )
            age = (period_end - born).days // 365
            if 4 <= age <= 16:
                day = None if i % 2 else sdq_year - timedelta(days=i * 37 % 300)
                if rng.random() < 0.85:
                    score = min(40, max(0, round(rng.gauss(14, 6))))
                    sdq.append(SdqReturn(person_id=pid, score=score, date=day))
                else:
                    reason = rng.choice(list(SdqReason)[1:])
                    sdq.append(SdqReturn(person_id=pid, reason=reason, date=day))
            if rng.random() < 0.55:
                wellbeing.append(
                    WellbeingAssessment(
                        person_id=pid, date=entered + timedelta(days=rng.randint(90, 220))
                    )
                )
        elif roll < 0.15:
            kind = (
                SocialWorkType.CHILD_PROTECTION_PLAN
                if roll < 0.07
                else SocialWorkType.CHILD_IN_NEED
            )
            status_of[pid] = kind.value
            began = max(born + timedelta(days=1), start - timedelta(days=rng.randint(0, 365)))
            social.append(SocialWorkInvolvement(person_id=pid, kind=kind, start=began))
            # Yearly assessments' factors by the child's number (no draw): 4A, 15A, 16A or 21.
            found: tuple[str, ...] = ("4A", "15A") if i % 9 == 0 else ("4A",) if i % 3 == 0 else ()
            found += ("16A",) if i % 2 else () if found else ("21",)
            assessed = began + timedelta(days=10 + i % 35)
            while assessed <= period_end:
                factors += [AssessmentFactor(person_id=pid, date=assessed, factor=f) for f in found]
                assessed += timedelta(days=365 + i % 20)

    rejection_odds = {"looked_after": 0.15, "CPP": 0.40, "CIN": 0.55, None: 0.20}
    # How referrals end draws from its own stream, so the rest of the area is unchanged.
    ends = random.Random(f"{seed}:ends")
    referrals: list[Referral] = []
    contacts: list[Contact] = []
    indirect: list[IndirectActivity] = []
    assessments: list[CodedAssessment] = []
    plans: list[CarePlan] = []
    for child in children:
        for _ in range(1 if rng.random() < 0.65 else 2):
            received = start + timedelta(days=rng.randint(0, days - 1))
            if received < child.birth_date + timedelta(days=365):
                continue
            rid = f"SYNR{len(referrals):06d}"
            eating_disorder = rng.random() < 0.05
            team = "C10" if eating_disorder and rng.random() < 0.6 else rng.choice(_TEAMS)
            priority = ClinicalPriority.ROUTINE
            if eating_disorder and rng.random() < 1 / 3:
                priority = rng.choice([ClinicalPriority.URGENT, ClinicalPriority.VERY_URGENT])
            rejected = None
            if rng.random() < rejection_odds[status_of.get(child.person_id)]:
                rejected = received + timedelta(days=rng.randint(1, 21))
                rejected = rejected if rejected <= period_end else None
            visits: list[date] = []
            if rejected is None:
                faster = shorter_waits_from is not None and received >= shorter_waits_from
                day = received + timedelta(days=_days(rng, 14 if faster else 28))
                for _ in range(rng.randint(2, 10)):
                    if day > period_end:
                        break
                    visits.append(day)
                    day += timedelta(days=rng.randint(7, 21))
            discharged = None
            if visits and rng.random() < 0.6 and visits[-1] + timedelta(days=14) <= period_end:
                discharged = visits[-1] + timedelta(days=14)
            # A rejected referral is usually discharged at once; some never are.
            rejected_discharge = None
            if rejected is not None and ends.random() < REJECTED_DISCHARGED:
                day = rejected + timedelta(days=ends.randint(0, 7))
                rejected_discharge = day if day <= period_end else None
            referral = Referral(
                referral_id=rid,
                person_id=child.person_id,
                provider_code=rng.choice(_PROVIDERS),
                received_date=received,
                source="C1"
                if child.person_id in status_of and rng.random() < 0.4
                else rng.choice(_SOURCES),
                priority=priority,
                primary_reason="12" if eating_disorder else rng.choice(_REASONS),
                team_type=team,
                rejection_date=rejected,
                rejection_reason=rng.choice(list(RejectionReason)) if rejected else None,
                closure_date=discharged,
                closure_reason=ClosureReason.TREATMENT_COMPLETED if discharged else None,
                discharge_date=discharged or rejected_discharge,
            )
            referrals.append(referral)
            for n, visit in enumerate(visits):
                status = (
                    AttendStatus.DID_NOT_ATTEND
                    if rng.random() < 0.12
                    else AttendStatus.ATTENDED_ON_TIME
                )
                procedures: tuple[str, ...] = ()
                if eating_disorder and n >= 1:
                    procedures = (_FAMILY_THERAPY,)
                elif referral.primary_reason == "25" and n == 1:
                    procedures = (_ASD_ASSESSMENT,)
                contacts.append(
                    Contact(
                        contact_id=f"{rid}-C{n}",
                        referral_id=rid,
                        person_id=child.person_id,
                        date=visit,
                        attend_status=status,
                        consultation_mechanism=rng.choice(_MECHANISMS),
                        procedures=procedures,
                    )
                )
            if visits and rng.random() < 0.3:
                indirect.append(
                    IndirectActivity(referral_id=rid, person_id=child.person_id, date=visits[0])
                )
            if len(visits) >= 2 and rng.random() < 0.55:
                first = rng.randint(12, 28)
                assessments += [
                    CodedAssessment(
                        referral_id=rid,
                        person_id=child.person_id,
                        tool_code=_RCADS_DEPRESSION_SELF,
                        score=first,
                        date=visits[0],
                    ),
                    CodedAssessment(
                        referral_id=rid,
                        person_id=child.person_id,
                        tool_code=_RCADS_DEPRESSION_SELF,
                        score=min(30, max(0, first - rng.randint(-3, 14))),
                        date=visits[-1],
                    ),
                ]
                if rng.random() < 0.4:
                    assessments += [
                        CodedAssessment(
                            referral_id=rid,
                            person_id=child.person_id,
                            tool_code=_HONOSCA_PARENT,
                            score=rng.randint(2, 4),
                            date=visits[0],
                        ),
                        CodedAssessment(
                            referral_id=rid,
                            person_id=child.person_id,
                            tool_code=_HONOSCA_PARENT,
                            score=rng.randint(0, 3),
                            date=visits[-1],
                        ),
                    ]
            if visits and rng.random() < 0.6:
                created = visits[0] + timedelta(days=rng.randint(0, 14))
                if created <= period_end:
                    updated = min(period_end, created + timedelta(days=rng.randint(0, 90)))
                    plans.append(
                        CarePlan(
                            care_plan_id=f"{rid}-CP",
                            person_id=child.person_id,
                            plan_type="12",
                            created=created,
                            last_updated=updated,
                            # Some plans are agreed again when updated (MHS009 keeps both).
                            agreements=(created, updated) if rng.random() < 0.2 else (created,),
                        )
                    )
    area = Area(
        name=f"Synthetic area (seed {seed}, {people} children)",
        children=tuple(children),
        schools=tuple(schools),
        link_contacts=tuple(links),
        referrals=tuple(referrals),
        contacts=tuple(contacts),
        indirect_activities=tuple(indirect),
        assessments=tuple(assessments),
        care_plans=tuple(plans),
        care_episodes=tuple(episodes),
        social_work=tuple(social),
        sdq_returns=tuple(sdq),
        wellbeing_assessments=tuple(wellbeing),
        assessment_factors=tuple(factors),
        groupings=synthetic_groupings(referrals, contacts, seed),
    )
    return with_neighbourhoods(area)


DEMO_CHANGE = date(2024, 7, 1)
"""The demo area's planted change: referrals received from this day wait half as long."""


@functools.cache
def demo_area() -> Area:
    """The small synthetic area behind ``--demo``: seed 0, 900 children, three years.

    Three years of activity, so that a 24-month trend to March 2025 starts
    after the area's first year has filled its 12-month windows; and one
    planted change (:data:`DEMO_CHANGE`): waits to a first contact halve for
    referrals received from July 2024, which the trend of MHS131 shows as
    special cause.
    """
    return synthetic_area(seed=0, people=900, years=3, shorter_waits_from=DEMO_CHANGE)


def synthetic_population(*, seed: int = 0, people: int = 500, year: int = 2024) -> Population:
    """The made-up population of the synthetic area of ``people`` children, by age and sex.

    Ten children aged 0-17 for each child in the records, each age within
    5% of an even share, 51% of each age male; labelled synthetic.

    >>> p = synthetic_population(people=900)
    >>> p.synthetic, p.has_sex, 8500 < p.total() < 9500
    (True, True, True)
    """
    rng = random.Random(f"population:{seed}")
    share = _CHILDREN_PER_RECORD * people / 18
    counts: dict[tuple[int, str], int] = {}
    for age in range(18):
        everyone = round(share * rng.uniform(0.95, 1.05))
        males = round(everyone * 0.51)
        counts[(age, MALE)] = males
        counts[(age, FEMALE)] = everyone - males
    return Population(
        counts=counts,
        source="synthetic population",
        year=year,
        synthetic=True,
    )


@functools.cache
def demo_population() -> Population:
    """The population of :func:`demo_area`: :func:`synthetic_population` of 900 children."""
    return synthetic_population(seed=0, people=900)


@functools.cache
def demo_group_population() -> GroupPopulation:
    """The population by group of :func:`demo_area` (:func:`demo_population`, shared out)."""
    return synthetic_group_population(demo_population())
