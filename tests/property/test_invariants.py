"""Every invariant of the model rejects the invalid case with the right error.

Each test draws a valid object from the public strategies, breaks exactly one
rule with :func:`attrs.evolve` (which re-runs the validators), and checks that
the error names the class, the field and the value.
"""

from datetime import timedelta

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cypmh import codes
from cypmh.errors import AreaError, InvalidValueError, UnknownCodeError
from cypmh.testing import strategies as cst

days = st.integers(min_value=1, max_value=3000).map(lambda n: timedelta(days=n))


def breaks(obj, **changes) -> InvalidValueError:
    with pytest.raises(InvalidValueError) as caught:
        attrs.evolve(obj, **changes)
    return caught.value


@pytest.mark.parametrize(
    "strategy",
    [cst.care_episodes, cst.social_work_involvements, cst.link_contacts],
    ids=["CareEpisode", "SocialWorkInvolvement", "LinkContact"],
)
@given(data=st.data(), gap=days)
def test_an_end_before_its_start_is_refused(strategy, data, gap):
    record = data.draw(strategy())
    end = record.start - gap
    error = breaks(record, end=end)
    assert (error.owner, error.field, error.value) == (type(record).__name__, "end", end)


@pytest.mark.parametrize("field", ["rejection_date", "closure_date", "discharge_date"])
@given(referral=cst.referrals(), gap=days)
def test_a_referral_date_before_receipt_is_refused(field, referral, gap):
    error = breaks(referral, **{field: referral.received_date - gap})
    assert (error.owner, error.field) == ("Referral", field)


not_a_code = st.text(min_size=1, max_size=4)


@pytest.mark.parametrize(
    ("field", "code_set"),
    [
        ("team_type", codes.team_types),
        ("source", codes.referral_sources),
        ("primary_reason", codes.referral_reasons),
    ],
)
@given(referral=cst.referrals(), code=not_a_code)
def test_an_unknown_referral_code_is_refused(field, code_set, referral, code):
    assume(code not in code_set())
    error = breaks(referral, **{field: code})
    assert isinstance(error, UnknownCodeError)
    assert (error.owner, error.field, error.value, error.code_list) == (
        "Referral",
        field,
        code,
        code_set().name,
    )


@given(contact=cst.contacts(), code=not_a_code)
def test_an_unknown_consultation_mechanism_is_refused(contact, code):
    assume(code not in codes.consultation_mechanisms())
    error = breaks(contact, consultation_mechanism=code)
    assert isinstance(error, UnknownCodeError)
    assert error.field == "consultation_mechanism"


@given(contact=cst.contacts(), code=st.sampled_from([s.code for s in codes.AttendStatus]))
def test_a_bare_code_string_is_not_an_enum_member(contact, code):
    error = breaks(contact, attend_status=code)
    assert error.field == "attend_status"


@given(assessment=cst.coded_assessments(), excess=st.floats(0.001, 1000))
def test_a_score_outside_its_tools_range_is_refused(assessment, excess):
    tool = assessment.tool
    for bad in (tool.max_score + excess, tool.min_score - excess):
        error = breaks(assessment, score=bad)
        assert (error.owner, error.field, error.value) == ("CodedAssessment", "score", bad)


@given(area=cst.areas(), gap=days, data=st.data())
def test_a_contact_before_its_referral_is_refused(area, gap, data):
    assume(area.contacts)
    index = data.draw(st.integers(0, len(area.contacts) - 1))
    contact = area.contacts[index]
    received = area.referral(contact.referral_id).received_date
    contacts = list(area.contacts)
    contacts[index] = attrs.evolve(contact, date=received - gap)
    with pytest.raises(AreaError) as caught:
        attrs.evolve(area, contacts=tuple(contacts))
    assert f"contacts[{index}].date" in {p.field for p in caught.value.problems}


@given(area=cst.areas(), gap=days, data=st.data())
def test_a_birth_after_a_referral_is_refused(area, gap, data):
    assume(area.referrals)
    index = data.draw(st.integers(0, len(area.referrals) - 1))
    referral = area.referrals[index]
    child = area.child(referral.person_id)
    children = tuple(
        attrs.evolve(c, birth_date=referral.received_date + gap) if c is child else c
        for c in area.children
    )
    with pytest.raises(AreaError) as caught:
        attrs.evolve(area, children=children)
    assert f"referrals[{index}].received_date" in {p.field for p in caught.value.problems}


@given(area=cst.areas(), data=st.data())
def test_a_duplicate_child_is_refused(area, data):
    assume(area.children)
    twin = data.draw(st.sampled_from(area.children))
    with pytest.raises(AreaError) as caught:
        attrs.evolve(area, children=(*area.children, twin))
    assert f"children[{len(area.children)}].person_id" in {p.field for p in caught.value.problems}


@given(area=cst.areas(), data=st.data())
def test_a_contact_on_a_missing_referral_is_refused(area, data):
    assume(area.contacts)
    index = data.draw(st.integers(0, len(area.contacts) - 1))
    contacts = list(area.contacts)
    contacts[index] = attrs.evolve(contacts[index], referral_id="no-such-referral")
    assume("no-such-referral" not in {r.referral_id for r in area.referrals})
    with pytest.raises(AreaError) as caught:
        attrs.evolve(area, contacts=tuple(contacts))
    assert {p.field for p in caught.value.problems} == {f"contacts[{index}].referral_id"}
