"""A small, hand-written example area, for the demo, the docs and quick experiments.

Every person and record in it is invented. It shows each kind of record once
or more: a rejected referral, a looked-after child, a child on a protection
plan, contacts attended and missed, an agreed care plan, coded assessments,
an SDQ return and a school with a working link to CAMHS.
"""

from __future__ import annotations

from datetime import date

from cypmh.codes import (
    AttendStatus,
    ClinicalPriority,
    ClosureReason,
    RejectionReason,
    SocialWorkType,
)
from cypmh.model import (
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
    Service,
    SocialWorkInvolvement,
    WellbeingAssessment,
)

__all__ = ["REFERENCE_DATE", "example_area"]

REFERENCE_DATE = date(2025, 3, 31)
"""The date the example is described on (the end of the 2024-25 year)."""

_PROVIDER = "RXT"


def _contact(
    contact_id: str, referral: Referral, day: date, status: AttendStatus, *procedures: str
) -> Contact:
    return Contact(
        contact_id=contact_id,
        referral_id=referral.referral_id,
        person_id=referral.person_id,
        date=day,
        attend_status=status,
        consultation_mechanism="01",
        procedures=procedures,
    )


def example_area() -> Area:
    """Return the example area: four children, five referrals, two schools.

    >>> area = example_area()
    >>> len(area.children), len(area.referrals), len(area.contacts)
    (4, 5, 8)
    >>> area.social_care_status("P002", REFERENCE_DATE).value
    'looked_after'
    """
    children = (
        Child(
            person_id="P001",
            birth_date=date(2011, 4, 2),
            gender="2",
            la_district="E08000025",
            school_urn="100001",
        ),
        Child(
            person_id="P002",
            birth_date=date(2009, 11, 20),
            gender="1",
            la_district="E08000025",
            school_urn="100002",
        ),
        Child(
            person_id="P003",
            birth_date=date(2014, 2, 28),
            gender="1",
            la_district="E08000025",
            school_urn="100001",
        ),
        Child(person_id="P004", birth_date=date(2008, 7, 9), gender="2", la_district="E08000025"),
    )
    r1 = Referral(
        referral_id="R001",
        person_id="P001",
        provider_code=_PROVIDER,
        received_date=date(2024, 10, 3),
        source="C2",
        priority=ClinicalPriority.ROUTINE,
        primary_reason="05",
        team_type="C10",
    )
    r2 = Referral(
        referral_id="R002",
        person_id="P002",
        provider_code=_PROVIDER,
        received_date=date(2024, 6, 12),
        source="C1",
        priority=ClinicalPriority.ROUTINE,
        primary_reason="21",
        team_type="C06",
        closure_date=date(2025, 2, 28),
        closure_reason=ClosureReason.TREATMENT_COMPLETED,
        discharge_date=date(2025, 2, 28),
    )
    r3 = Referral(
        referral_id="R003",
        person_id="P003",
        provider_code=_PROVIDER,
        received_date=date(2024, 11, 18),
        source="A1",
        priority=ClinicalPriority.ROUTINE,
        primary_reason="16",
        team_type="A18",
        rejection_date=date(2024, 11, 29),
        rejection_reason=RejectionReason.INAPPROPRIATE,
    )
    r4 = Referral(
        referral_id="R004",
        person_id="P003",
        provider_code=_PROVIDER,
        received_date=date(2025, 1, 20),
        source="C1",
        priority=ClinicalPriority.ROUTINE,
        primary_reason="05",
        team_type="F01",
    )
    r5 = Referral(
        referral_id="R005",
        person_id="P004",
        provider_code=_PROVIDER,
        received_date=date(2025, 3, 3),
        source="H2",
        priority=ClinicalPriority.URGENT,
        primary_reason="12",
        team_type="C10",
    )
    contacts = (
        _contact("C001", r1, date(2024, 11, 1), AttendStatus.ATTENDED_ON_TIME),
        _contact("C002", r1, date(2024, 11, 15), AttendStatus.DID_NOT_ATTEND),
        _contact("C003", r1, date(2024, 11, 29), AttendStatus.ATTENDED_ON_TIME),
        _contact("C004", r2, date(2024, 7, 1), AttendStatus.ATTENDED_ON_TIME),
        _contact("C005", r2, date(2024, 9, 2), AttendStatus.ATTENDED_LATE_SEEN),
        _contact("C006", r2, date(2025, 2, 10), AttendStatus.ATTENDED_ON_TIME),
        _contact("C007", r4, date(2025, 2, 24), AttendStatus.CANCELLED_BY_PROVIDER),
        # Family therapy (51484002), one of the eating-disorder treatment codes.
        _contact("C008", r5, date(2025, 3, 7), AttendStatus.ATTENDED_ON_TIME, "51484002"),
    )
    assessments = (
        # RCADS depression score (958231000000102), self-rated, 0 to 30: a CYP outcome scale.
        CodedAssessment(
            referral_id="R002",
            person_id="P002",
            tool_code="958231000000102",
            score=19,
            date=date(2024, 7, 1),
        ),
        CodedAssessment(
            referral_id="R002",
            person_id="P002",
            tool_code="958231000000102",
            score=9,
            date=date(2025, 2, 10),
        ),
    )
    return Area(
        name="Example area",
        children=children,
        services=(
            Service(
                provider_code=_PROVIDER, team_id="T-ED", team_type="C10", intended_age_group="02"
            ),
            Service(
                provider_code=_PROVIDER, team_id="T-LAC", team_type="C06", intended_age_group="02"
            ),
            Service(
                provider_code=_PROVIDER, team_id="T-MHST", team_type="F01", intended_age_group="02"
            ),
            Service(provider_code=_PROVIDER, team_id="T-SPA", team_type="A18"),
        ),
        schools=(
            School(
                urn="100001",
                name="Hillside Primary School",
                phase="Primary",
                local_authority="Example",
                pupils=210,
            ),
            School(
                urn="100002",
                name="Riverside Academy",
                phase="Secondary",
                local_authority="Example",
                pupils=1150,
            ),
        ),
        referrals=(r1, r2, r3, r4, r5),
        contacts=contacts,
        indirect_activities=(
            IndirectActivity(referral_id="R002", person_id="P002", date=date(2024, 6, 20)),
        ),
        assessments=assessments,
        care_plans=(
            CarePlan(
                care_plan_id="CP001",
                person_id="P002",
                plan_type="12",
                created=date(2024, 7, 1),
                agreements=(date(2024, 7, 1),),
            ),
        ),
        care_episodes=(
            CareEpisode(
                person_id="P002",
                start=date(2023, 12, 4),
                end=date(2024, 5, 1),
                legal_status="C2",
                placement="U3",
            ),
            CareEpisode(
                person_id="P002", start=date(2024, 5, 1), legal_status="C2", placement="U1"
            ),
        ),
        social_work=(
            SocialWorkInvolvement(
                person_id="P003",
                kind=SocialWorkType.CHILD_IN_NEED,
                start=date(2024, 3, 1),
                end=date(2024, 10, 31),
            ),
            SocialWorkInvolvement(
                person_id="P003", kind=SocialWorkType.CHILD_PROTECTION_PLAN, start=date(2024, 11, 1)
            ),
        ),
        sdq_returns=(SdqReturn(person_id="P002", score=18),),
        wellbeing_assessments=(WellbeingAssessment(person_id="P002", date=date(2024, 5, 13)),),
        link_contacts=(
            LinkContact(
                school_urn="100001",
                provider_code=_PROVIDER,
                school_lead_role="Senior mental health lead",
                camhs_contact_role="Primary mental health worker",
                start=date(2023, 9, 1),
            ),
            LinkContact(
                school_urn="100002",
                provider_code=_PROVIDER,
                school_lead_role="Designated teacher",
                start=date(2024, 1, 8),
            ),
        ),
    )
