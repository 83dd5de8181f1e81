"""Groupings, their labels and order; needs profiles and Current View items."""

from datetime import date

import pytest

from cypmh import CodedAssessment
from cypmh.errors import InvalidValueError
from cypmh.thrive import (
    Grouping,
    ItemKind,
    NeedsProfile,
    Rating,
    current_view_items,
    profile_from_assessments,
)
from tests.helpers import rows


@pytest.mark.parametrize(
    ("text", "grouping"),
    [
        ("Thriving", Grouping.THRIVING),
        ("Getting Advice and Signposting", Grouping.GETTING_ADVICE),
        ("Getting Advice", Grouping.GETTING_ADVICE),
        ("getting advice & signposting", Grouping.GETTING_ADVICE),
        ("  GETTING   HELP ", Grouping.GETTING_HELP),
        ("getting_more_help", Grouping.GETTING_MORE_HELP),
        ("Getting-More-Help", Grouping.GETTING_MORE_HELP),
        ("Getting Additional Help", Grouping.GETTING_MORE_HELP),
        ("getting risk support", Grouping.GETTING_RISK_SUPPORT),
        ("Risk Support", Grouping.GETTING_RISK_SUPPORT),
    ],
)
def test_labels_services_use(text, grouping):
    assert Grouping.parse(text) is grouping


@pytest.mark.parametrize("text", ["Tier 3", "Getting", "Getting Some Help", "", "Thriving!"])
def test_anything_else_is_refused(text):
    with pytest.raises(InvalidValueError, match="is not a THRIVE grouping"):
        Grouping.parse(text)


def test_intensity_orders_help_and_leaves_risk_apart():
    ordered = [
        Grouping.THRIVING,
        Grouping.GETTING_ADVICE,
        Grouping.GETTING_HELP,
        Grouping.GETTING_MORE_HELP,
    ]
    assert [g.intensity for g in ordered] == [0, 1, 2, 3]
    assert Grouping.GETTING_RISK_SUPPORT.intensity is None
    assert all(g.description and g.label for g in Grouping)


def test_current_view_items_come_from_the_assessment_table():
    # assessment_tools.csv has 36 Current View rows: 30 problems, 4 contextual, 2 EET.
    items = current_view_items()
    kinds = [i.kind for i in items.values()]
    assert (
        kinds.count(ItemKind.PROBLEM),
        kinds.count(ItemKind.CONTEXTUAL),
        kinds.count(ItemKind.EDUCATION),
    ) == (30, 4, 2)
    assert sorted(i.number for i in items.values() if i.number) == list(range(1, 31))
    assert {i.snomed_code for i in items.values()} == {
        r["snomed_code"] for r in rows("assessment_tools") if r["is_current_view"] == "yes"
    }
    assert items["self_harm"].snomed_code == "987341000000108"  # "item 10 score - self-harm"
    assert items["doesnt_get_to_toilet_in_time"].number == 18


def test_profiles_keep_only_what_is_known():
    profile = NeedsProfile.build(
        ratings={"panics": "mild", "home": Rating.NOT_KNOWN},
        complexity={"young carer": "not_known", "refugee": "yes"},
    )
    assert profile.ratings == (("panics", Rating.MILD),)
    assert profile.complexity_factors == ("refugee",)
    assert profile.rating("home") is Rating.NOT_KNOWN


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: NeedsProfile.build(ratings={"panic": "mild"}), "is not a Current View item key"),
        (lambda: NeedsProfile.build(ratings={"panics": "very bad"}), "must be one of"),
        (
            lambda: NeedsProfile(ratings=(("self_harm", Rating.MILD), ("panics", Rating.MILD))),
            "sorted by name",
        ),
        (
            lambda: NeedsProfile(ratings=(("panics", Rating.NOT_KNOWN),)),
            "leave out what is not known",
        ),
        (lambda: NeedsProfile(risks=frozenset({""})), "non-empty names"),
    ],
)
def test_bad_profiles_are_refused(build, message):
    with pytest.raises(InvalidValueError, match=message):
        build()


def cv(tool_key, score, day):
    code = current_view_items()[tool_key].snomed_code
    return CodedAssessment(referral_id="R1", person_id="P1", tool_code=code, score=score, date=day)


def test_profile_from_coded_assessments():
    # Panics: 1 on 1 Feb, then 3 on 1 Mar -> severe (the latest). On 15 Feb only the first counts.
    # Self-harm: 1 and 2 on the same day -> moderate (the most severe that day).
    # An RCADS score is not a Current View item and is ignored.
    assessments = [
        cv("panics", 1, date(2024, 2, 1)),
        cv("panics", 3, date(2024, 3, 1)),
        cv("self_harm", 1, date(2024, 2, 1)),
        cv("self_harm", 2, date(2024, 2, 1)),
        CodedAssessment(
            referral_id="R1",
            person_id="P1",
            tool_code="958231000000102",
            score=20,
            date=date(2024, 2, 1),
        ),
    ]
    assert profile_from_assessments(assessments) == NeedsProfile.build(
        ratings={"panics": "severe", "self_harm": "moderate"}
    )
    assert (
        profile_from_assessments(assessments, on=date(2024, 2, 15)).rating("panics") is Rating.MILD
    )


def test_a_fractional_current_view_score_is_refused():
    with pytest.raises(InvalidValueError, match="0, 1, 2 or 3"):
        profile_from_assessments([cv("panics", 1.5, date(2024, 2, 1))])
