"""The model classes: each rule named in issue 2's 'Bad input', with a hand-made case."""

from datetime import date, datetime

import attrs
import pytest

from cypmh import (
    Area,
    AreaError,
    CareEpisode,
    CarePlan,
    Child,
    CodedAssessment,
    Contact,
    InvalidValueError,
    LinkContact,
    NotInAreaError,
    Referral,
    School,
    SdqReturn,
    Service,
    SocialWorkInvolvement,
    UnknownCodeError,
)
from cypmh.codes import AttendStatus, ClosureReason, SdqReason, SocialCareStatus, SocialWorkType

REFERRAL = Referral(
    referral_id="R1", person_id="P1", provider_code="RXT", received_date=date(2024, 3, 1)
)


def contact(**changes):
    base = Contact(
        contact_id="C1",
        referral_id="R1",
        person_id="P1",
        date=date(2024, 3, 8),
        attend_status=AttendStatus.ATTENDED_ON_TIME,
    )
    return attrs.evolve(base, **changes)


def raised(call):
    with pytest.raises(InvalidValueError) as caught:
        call()
    return caught.value


def test_unknown_code_names_class_field_value_and_list():
    err = raised(lambda: attrs.evolve(REFERRAL, team_type="C99"))
    assert isinstance(err, UnknownCodeError)
    assert (err.owner, err.field, err.value, err.code_list) == (
        "Referral",
        "team_type",
        "C99",
        "service_team_types",
    )


def test_end_before_start():
    err = raised(lambda: CareEpisode(person_id="P1", start=date(2024, 5, 2), end=date(2024, 5, 1)))
    assert (err.owner, err.field, err.value) == ("CareEpisode", "end", date(2024, 5, 1))
    assert "must not be before start (2024-05-02)" in str(err)


def test_same_day_episode_is_allowed():
    episode = CareEpisode(person_id="P1", start=date(2024, 5, 2), end=date(2024, 5, 2))
    assert episode.covers(date(2024, 5, 2))


@pytest.mark.parametrize("field", ["rejection_date", "closure_date", "discharge_date"])
def test_referral_dates_not_before_received(field):
    err = raised(lambda: attrs.evolve(REFERRAL, **{field: date(2024, 2, 29)}))
    assert (err.owner, err.field) == ("Referral", field)


def test_a_reason_needs_its_date():
    err = raised(lambda: attrs.evolve(REFERRAL, closure_reason=ClosureReason.TREATMENT_COMPLETED))
    assert (err.field, err.rule) == ("closure_reason", "may be given only with closure_date")


def test_score_outside_its_tools_range():
    # Current View items are scored 0-3 (assessment_tools.csv).
    err = raised(
        lambda: CodedAssessment(
            referral_id="R1",
            person_id="P1",
            tool_code="987191000000101",
            score=3.5,
            date=date(2024, 3, 1),
        )
    )
    assert (err.owner, err.field, err.value) == ("CodedAssessment", "score", 3.5)
    assert "must be from 0 to 3" in err.rule


def test_unknown_assessment_tool():
    err = raised(
        lambda: CodedAssessment(
            referral_id="R1", person_id="P1", tool_code="123456", score=1, date=date(2024, 3, 1)
        )
    )
    assert isinstance(err, UnknownCodeError)
    assert err.field == "tool_code"


def test_codes_must_be_enum_members_not_strings():
    err = raised(lambda: contact(attend_status="5"))
    assert "use AttendStatus.from_code('5')" in err.rule


def test_datetimes_are_not_dates():
    err = raised(lambda: Child(person_id="P1", birth_date=datetime(2010, 1, 1)))  # noqa: DTZ001
    assert err.field == "birth_date"


def test_identifiers_are_not_blank_or_padded():
    assert raised(lambda: Child(person_id=" P1", birth_date=date(2010, 1, 1))).field == "person_id"
    assert raised(lambda: Child(person_id="", birth_date=date(2010, 1, 1))).field == "person_id"


def test_sdq_return_needs_exactly_one_of_score_and_reason():
    raised(lambda: SdqReturn(person_id="P1"))
    raised(lambda: SdqReturn(person_id="P1", score=10, reason=SdqReason.OTHER))
    raised(lambda: SdqReturn(person_id="P1", score=41))
    assert SdqReturn(person_id="P1", score=40).score == 40


def test_care_plan_agreements():
    plan = CarePlan(care_plan_id="CP1", person_id="P1", plan_type="12", created=date(2024, 1, 1))
    assert not plan.agreed
    assert raised(lambda: attrs.evolve(plan, agreements=[date(2023, 12, 31)])).field == "agreements"
    assert raised(lambda: attrs.evolve(plan, agreements=["2024-01-02"])).field == "agreements"
    assert raised(lambda: attrs.evolve(plan, agreements=date(2024, 1, 2))).field == "agreements"
    # Several agreements are kept, in one order (undated first, then by date); as at a day,
    # the plan is agreed when one of them is dated by then or has no date.
    twice = attrs.evolve(plan, agreements=[date(2024, 3, 1), date(2024, 2, 1)])
    assert twice.agreements == (date(2024, 2, 1), date(2024, 3, 1))
    assert not twice.agreed_on(date(2024, 1, 31))
    assert twice.agreed_on(date(2024, 2, 1))
    assert attrs.evolve(plan, agreements=[None]).agreed_on(date(2024, 1, 1))


def test_frozen():
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        REFERRAL.received_date = date(2020, 1, 1)


# Area-level rules.

CHILD = Child(person_id="P1", birth_date=date(2012, 5, 1))


def area(**records):
    return Area(children=(CHILD,), referrals=(REFERRAL,), **records)


def area_problems(**records):
    with pytest.raises(AreaError) as caught:
        Area(**{"children": (CHILD,), "referrals": (REFERRAL,), **records})
    return [(p.field, p.value) for p in caught.value.problems]


def test_contact_before_its_referral():
    assert area_problems(contacts=(contact(date=date(2024, 2, 29)),)) == [
        ("contacts[0].date", date(2024, 2, 29))
    ]


def test_birth_after_an_event():
    late_child = attrs.evolve(CHILD, birth_date=date(2024, 3, 2))
    assert area_problems(children=(late_child,)) == [
        ("referrals[0].received_date", date(2024, 3, 1))
    ]


def test_dangling_references_and_wrong_person():
    assert area_problems(contacts=(contact(referral_id="R9"),)) == [
        ("contacts[0].referral_id", "R9")
    ]
    other = Child(person_id="P2", birth_date=date(2012, 1, 1))
    problems = area_problems(children=(CHILD, other), contacts=(contact(person_id="P2"),))
    assert problems == [("contacts[0].person_id", "P2")]
    link = LinkContact(school_urn="100001", provider_code="RXT", start=date(2024, 1, 1))
    assert area_problems(link_contacts=(link,)) == [("link_contacts[0].school_urn", "100001")]


def test_duplicate_keys():
    assert area_problems(children=(CHILD, CHILD)) == [("children[1].person_id", "P1")]
    svc = Service(provider_code="RXT", team_id="T1", team_type="C10")
    assert area_problems(services=(svc, attrs.evolve(svc, team_type="A01"))) == [
        ("services[1].team_id", ("RXT", "T1"))
    ]


def test_all_problems_are_reported_together():
    problems = area_problems(
        contacts=(contact(date=date(2024, 1, 1)), contact(contact_id="C2", referral_id="R9"))
    )
    assert [field for field, _ in problems] == ["contacts[0].date", "contacts[1].referral_id"]


def test_records_must_be_tuples_of_the_right_class():
    with pytest.raises(InvalidValueError) as caught:
        Area(children=[CHILD])
    assert caught.value.field == "children"
    with pytest.raises(InvalidValueError) as caught:
        Area(children=(REFERRAL,))
    assert caught.value.field == "children[0]"


def test_lookups_return_records_in_date_order():
    later = contact(contact_id="C0", date=date(2024, 4, 1))
    earlier = contact(contact_id="C9", date=date(2024, 3, 2))
    same_day = contact(contact_id="C5", date=date(2024, 3, 2))
    built = area(contacts=(later, earlier, same_day))
    assert [c.contact_id for c in built.contacts_of("R1")] == ["C5", "C9", "C0"]
    assert built.referrals_of("P1") == (REFERRAL,)
    assert built.contacts_of("R-none") == ()
    assert built.child("P1") is CHILD


def test_lookups_of_missing_records():
    built = area()
    with pytest.raises(NotInAreaError, match="no record in children has person_id = 'P9'"):
        built.child("P9")
    with pytest.raises(NotInAreaError):
        built.social_care_status("P9", date(2024, 1, 1))


def test_social_care_status_and_links_through_the_area():
    cin = SocialWorkInvolvement(
        person_id="P1", kind=SocialWorkType.CHILD_IN_NEED, start=date(2023, 1, 1)
    )
    school = School(urn="100001", name="Hill Primary")
    link = LinkContact(
        school_urn="100001",
        provider_code="RXT",
        school_lead_role="Mental health lead",
        camhs_contact_role="Link worker",
        start=date(2023, 9, 1),
    )
    built = area(social_work=(cin,), schools=(school,), link_contacts=(link,))
    assert built.social_care_status("P1", date(2022, 12, 31)) is SocialCareStatus.NONE
    assert built.social_care_status("P1", date(2023, 1, 1)) is SocialCareStatus.CHILD_IN_NEED
    assert built.has_working_link("100001", date(2023, 9, 1))
    assert not built.has_working_link("100001", date(2023, 8, 31))
