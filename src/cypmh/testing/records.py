"""Strategies for each record class: valid alone; the fields tying it to others may be given."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

from cypmh import codes
from cypmh.codes import (
    AttendStatus,
    ClinicalPriority,
    ClosureReason,
    RejectionReason,
    SdqReason,
    SocialWorkType,
)
from cypmh.codes.cin import assessment_factors as cin_factors
from cypmh.codes.cin import child_mental_health_factors
from cypmh.model import (
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
    Service,
    SocialWorkInvolvement,
    WellbeingAssessment,
)
from cypmh.testing.values import (
    EARLIEST,
    LATEST,
    consultation_mechanism_codes,
    dates_from,
    given_or_drawn,
    identifiers,
    labels,
    maybe,
    ods_codes,
    referral_reason_codes,
    referral_source_codes,
    short_codes,
    snomed_codes,
    team_type_codes,
    urns,
)

__all__ = [
    "assessment_factors",
    "care_episodes",
    "care_plans",
    "children",
    "coded_assessments",
    "contacts",
    "indirect_activities",
    "link_contacts",
    "referrals",
    "schools",
    "sdq_returns",
    "services",
    "social_work_involvements",
    "wellbeing_assessments",
]


@st.composite
def children(
    draw: st.DrawFn,
    person_id: str | None = None,
    *,
    born: st.SearchStrategy[date] | None = None,
    school_urn: st.SearchStrategy[str | None] | None = None,
) -> Child:
    """Children, born between :data:`EARLIEST` and :data:`LATEST` unless ``born`` says."""
    return Child(
        person_id=given_or_drawn(draw, person_id, identifiers()),
        birth_date=draw(born if born is not None else dates_from(EARLIEST)),
        gender=draw(maybe(st.sampled_from(["1", "2", "3", "4", "9", "X", "Z"]))),
        ethnic_category=draw(maybe(st.from_regex(r"[A-HJ-NPRSZ][A-Z]?|99", fullmatch=True))),
        la_district=draw(maybe(st.from_regex(r"[EWSN][0-9]{8}", fullmatch=True))),
        # A few LSOAs, so that children share them and a deprivation file can hold them.
        lsoa=draw(maybe(st.sampled_from(["E01000001", "E01000002", "E01000003", "E01000004"]))),
        lsoa2021=draw(maybe(st.sampled_from(["E01000001", "E01035001", "E01035002"]))),
        school_urn=draw(school_urn if school_urn is not None else maybe(urns())),
    )


def episode_args(draw: st.DrawFn, after: date, until: date = LATEST) -> tuple[date, date | None]:
    """A start from ``after`` and an end (or none) not before it."""
    start = draw(dates_from(after, until))
    return start, draw(maybe(dates_from(start, until)))


@st.composite
def care_episodes(
    draw: st.DrawFn, person_id: str | None = None, *, after: date = EARLIEST, until: date = LATEST
) -> CareEpisode:
    """Episodes of care starting on or after ``after`` (dates up to ``until``), open or ended."""
    start, end = episode_args(draw, after, until)
    return CareEpisode(
        person_id=given_or_drawn(draw, person_id, identifiers()),
        start=start,
        end=end,
        legal_status=draw(maybe(st.sampled_from(["C1", "C2", "D1", "E1", "J1", "V2"]))),
        placement=draw(maybe(st.sampled_from(["U1", "U3", "U4", "R1", "K2", "P1"]))),
        reason_new_episode=draw(maybe(st.sampled_from(["L", "P", "T", "S", "U", "B"]))),
        category_of_need=draw(maybe(st.sampled_from([f"N{i}" for i in range(1, 9)]))),
        reason_ceased=None if end is None else draw(maybe(short_codes())),
    )


@st.composite
def social_work_involvements(
    draw: st.DrawFn, person_id: str | None = None, *, after: date = EARLIEST, until: date = LATEST
) -> SocialWorkInvolvement:
    """Periods as a child in need or on a protection plan, from ``after`` (up to ``until``)."""
    start, end = episode_args(draw, after, until)
    return SocialWorkInvolvement(
        person_id=given_or_drawn(draw, person_id, identifiers()),
        kind=draw(st.sampled_from(SocialWorkType)),
        start=start,
        end=end,
    )


@st.composite
def sdq_returns(
    draw: st.DrawFn, person_id: str | None = None, *, after: date = EARLIEST, until: date = LATEST
) -> SdqReturn:
    """SDQ returns: a score from 0 to 40, or a reason for having none; undated (OC2) or dated."""
    pid = given_or_drawn(draw, person_id, identifiers())
    day = draw(st.none() | dates_from(after, until))
    if draw(st.booleans()):
        return SdqReturn(person_id=pid, score=draw(st.integers(0, 40)), date=day)
    return SdqReturn(person_id=pid, reason=draw(st.sampled_from(SdqReason)), date=day)


@st.composite
def wellbeing_assessments(
    draw: st.DrawFn, person_id: str | None = None, *, after: date = EARLIEST, until: date = LATEST
) -> WellbeingAssessment:
    """Initial mental health and wellbeing assessments from ``after`` to ``until``."""
    return WellbeingAssessment(
        person_id=given_or_drawn(draw, person_id, identifiers()),
        date=draw(dates_from(after, until)),
    )


@st.composite
def assessment_factors(
    draw: st.DrawFn, person_id: str | None = None, *, after: date = EARLIEST, until: date = LATEST
) -> AssessmentFactor:
    """Child-in-need assessment factors from ``after`` to ``until``: 4A and 15A half the time."""
    mental_health = sorted(child_mental_health_factors())
    return AssessmentFactor(
        person_id=given_or_drawn(draw, person_id, identifiers()),
        date=draw(dates_from(after, until)),
        factor=draw(st.sampled_from(mental_health) | st.sampled_from(sorted(cin_factors()))),
    )


@st.composite
def services(draw: st.DrawFn, provider_code: str | st.SearchStrategy[str] | None = None) -> Service:
    """Teams of a provider (``provider_code`` may be a strategy)."""
    return Service(
        provider_code=given_or_drawn(draw, provider_code, ods_codes()),
        team_id=draw(identifiers()),
        team_type=draw(team_type_codes()),
        intended_age_group=draw(maybe(st.sampled_from(["01", "02", "03"]))),
    )


@st.composite
def schools(draw: st.DrawFn, urn: str | None = None, *, after: date = date(2015, 1, 1)) -> School:
    """Schools and colleges; some with an opening date from ``after``, some closed."""
    open_date = draw(maybe(dates_from(after)))
    close_date = draw(maybe(dates_from(open_date or after)))
    return School(
        urn=given_or_drawn(draw, urn, urns()),
        name=draw(labels()),
        phase=draw(maybe(st.sampled_from(["Primary", "Secondary", "All-through", "16 plus"]))),
        local_authority=draw(maybe(labels())),
        open_date=open_date,
        close_date=close_date,
        pupils=draw(maybe(st.integers(0, 3000))),
    )


@st.composite
def link_contacts(
    draw: st.DrawFn,
    school_urn: str | None = None,
    *,
    provider_code: str | None = None,
    after: date = date(2015, 1, 1),
    until: date = LATEST,
) -> LinkContact:
    """Link contacts between a school and a CAMHS provider, from ``after`` (up to ``until``)."""
    start, end = episode_args(draw, after, until)
    return LinkContact(
        school_urn=given_or_drawn(draw, school_urn, urns()),
        provider_code=given_or_drawn(draw, provider_code, ods_codes()),
        school_lead_role=draw(maybe(labels())),
        camhs_contact_role=draw(maybe(labels())),
        start=start,
        end=end,
    )


@st.composite
def referrals(
    draw: st.DrawFn,
    person_id: str | None = None,
    *,
    referral_id: str | None = None,
    provider_code: str | None = None,
    after: date = date(2016, 1, 1),
    until: date = LATEST,
) -> Referral:
    """Referrals received from ``after`` (dates up to ``until``); some rejected, closed or ended."""
    received = draw(dates_from(after, until))
    later = maybe(dates_from(received, until))
    rejection_date = draw(later)
    closure_date = draw(later)
    return Referral(
        referral_id=given_or_drawn(draw, referral_id, identifiers()),
        person_id=given_or_drawn(draw, person_id, identifiers()),
        provider_code=given_or_drawn(draw, provider_code, ods_codes()),
        received_date=received,
        source=draw(maybe(referral_source_codes())),
        priority=draw(maybe(st.sampled_from(ClinicalPriority))),
        primary_reason=draw(maybe(referral_reason_codes())),
        team_type=draw(maybe(team_type_codes())),
        rejection_date=rejection_date,
        rejection_reason=None
        if rejection_date is None
        else draw(maybe(st.sampled_from(RejectionReason))),
        closure_date=closure_date,
        closure_reason=None
        if closure_date is None
        else draw(maybe(st.sampled_from(ClosureReason))),
        discharge_date=draw(later),
    )


def referral_parts(draw: st.DrawFn, referral: Referral | None) -> tuple[str, str, date]:
    """The referral id, person and day received of ``referral``, or drawn ones."""
    if referral is None:
        referral = draw(referrals())
    return referral.referral_id, referral.person_id, referral.received_date


@st.composite
def contacts(
    draw: st.DrawFn,
    referral: Referral | None = None,
    *,
    contact_id: str | None = None,
    until: date = LATEST,
) -> Contact:
    """Direct contacts on ``referral`` (generated if not given), from its receipt to ``until``."""
    referral_id, person_id, received = referral_parts(draw, referral)
    return Contact(
        contact_id=given_or_drawn(draw, contact_id, identifiers()),
        referral_id=referral_id,
        person_id=person_id,
        date=draw(dates_from(received, until)),
        # Mostly attended, face to face or by phone, as in real data; every code still appears.
        attend_status=draw(
            st.sampled_from([AttendStatus.ATTENDED_ON_TIME, AttendStatus.ATTENDED_LATE_SEEN])
            | st.sampled_from(AttendStatus)
        ),
        consultation_mechanism=draw(
            st.sampled_from(["01", "02"]) | maybe(consultation_mechanism_codes())
        ),
        procedures=tuple(draw(st.lists(snomed_codes(), max_size=3))),
    )


@st.composite
def indirect_activities(
    draw: st.DrawFn, referral: Referral | None = None, *, until: date = LATEST
) -> IndirectActivity:
    """Indirect activity on ``referral`` (generated if not given), from its receipt to ``until``."""
    referral_id, person_id, received = referral_parts(draw, referral)
    return IndirectActivity(
        referral_id=referral_id,
        person_id=person_id,
        date=draw(dates_from(received, until)),
        procedure=draw(maybe(snomed_codes())),
        # Few times, so that two activities on one day share one now and then.
        time=draw(maybe(st.sampled_from(["09:00:00", "14:30:00"]))),
    )


def scores_in(low: float, high: float) -> st.SearchStrategy[float]:
    """Scores from ``low`` to ``high``: whole numbers, or any finite number between."""
    whole = st.integers(int(low), int(high)).map(float)
    return whole | st.floats(low, high, allow_nan=False, allow_infinity=False)


@st.composite
def coded_assessments(
    draw: st.DrawFn, referral: Referral | None = None, *, until: date = LATEST
) -> CodedAssessment:
    """Scored assessments on ``referral``, on a scale from the catalogue, inside its range."""
    referral_id, person_id, received = referral_parts(draw, referral)
    tool = draw(
        st.deferred(
            lambda: st.sampled_from(
                sorted(codes.assessment_tools().values(), key=lambda t: t.snomed_code)
            )
        )
    )
    return CodedAssessment(
        referral_id=referral_id,
        person_id=person_id,
        tool_code=tool.snomed_code,
        score=draw(scores_in(tool.min_score, tool.max_score)),
        date=draw(dates_from(received, until)),
    )


@st.composite
def care_plans(
    draw: st.DrawFn,
    person_id: str | None = None,
    *,
    care_plan_id: str | None = None,
    after: date = date(2016, 1, 1),
    until: date = LATEST,
) -> CarePlan:
    """Care plans created from ``after`` (dates up to ``until``); some updated, agreed 0-3 times."""
    created = draw(dates_from(after, until))
    return CarePlan(
        care_plan_id=given_or_drawn(draw, care_plan_id, identifiers()),
        person_id=given_or_drawn(draw, person_id, identifiers()),
        plan_type=draw(st.sampled_from(["10", "11", "12", "13", "14", "15", "16"])),
        created=created,
        last_updated=draw(maybe(dates_from(created, until))),
        agreements=draw(st.lists(maybe(dates_from(created, until)), max_size=3)),
    )
