"""Properties of THRIVE profiles, policies and groupings over time."""

from hypothesis import given
from hypothesis import strategies as st

from cypmh import structure, unstructure
from cypmh.testing import strategies as cst
from cypmh.thrive import (
    DecisionSource,
    Grouping,
    GroupingRecord,
    NeedsProfile,
    Policy,
    Rating,
    ServiceOffer,
    current_view_items,
    distribution,
    example_policy,
    flow_matrix,
)

EXAMPLE = example_policy()


@given(
    policy=cst.policies(),
    profile=cst.needs_profiles(),
    agreed=st.none() | st.sampled_from(list(Grouping)),
)
def test_every_profile_gets_exactly_one_decision_from_the_first_rule_that_holds(
    policy, profile, agreed
):
    decision = policy.evaluate(profile, agreed=agreed)
    holding = [rule for rule in policy.rules if rule.when.holds(profile)]
    assert holding  # the last rule always holds
    assert decision.rule_id == holding[0].id
    assert decision.suggested is holding[0].grouping
    if agreed is None:
        assert (decision.grouping, decision.source) == (
            holding[0].grouping,
            DecisionSource.SUGGESTED,
        )
    else:
        assert (decision.grouping, decision.source) == (agreed, DecisionSource.AGREED)
    assert decision.reasons


def no_less_intensive(before: Grouping, after: Grouping) -> bool:
    """Getting Risk Support stands apart: once suggested it must stay; moving to it is allowed."""
    if before is Grouping.GETTING_RISK_SUPPORT:
        return after is Grouping.GETTING_RISK_SUPPORT
    if after is Grouping.GETTING_RISK_SUPPORT:
        return True
    return after.intensity >= before.intensity


LEVELS = [Rating.NONE, Rating.MILD, Rating.MODERATE, Rating.SEVERE]


@given(profile=cst.needs_profiles(), data=st.data())
def test_in_the_example_policy_a_more_severe_rating_never_suggests_less_intensive_help(
    profile, data
):
    # One item goes from a rating to a more severe one; everything else stays as drawn.
    key = data.draw(st.sampled_from(list(current_view_items())))
    lower = data.draw(st.sampled_from(LEVELS[:3]))
    higher = data.draw(st.sampled_from(LEVELS[lower.level + 1 :]))
    ratings = dict(profile.ratings)
    before = NeedsProfile.build(
        ratings={**ratings, key: lower}, complexity=dict(profile.complexity), risks=profile.risks
    )
    after = NeedsProfile.build(
        ratings={**ratings, key: higher}, complexity=dict(profile.complexity), risks=profile.risks
    )
    assert no_less_intensive(EXAMPLE.evaluate(before).grouping, EXAMPLE.evaluate(after).grouping)


@given(cst.policies())
def test_a_policy_written_and_read_back_is_the_same_policy(policy):
    assert Policy.from_toml(policy.to_toml()) == policy
    assert Policy.from_json(policy.to_json()) == policy
    assert Policy.from_data(policy.to_data()) == policy


@given(cst.needs_profiles())
def test_profiles_round_trip_through_the_converter(profile):
    assert structure(unstructure(profile), NeedsProfile) == profile


@given(cst.grouping_records())
def test_grouping_records_round_trip(record):
    assert structure(unstructure(record), GroupingRecord) == record


@given(st.frozensets(st.sampled_from(list(Grouping)), min_size=1))
def test_service_offers_round_trip(groupings):
    offer = ServiceOffer(provider_code="RXT", team_id="T1", groupings=groupings)
    assert structure(unstructure(offer), ServiceOffer) == offer


@st.composite
def areas_with_groupings(draw):
    area = draw(cst.areas(max_children=5, max_referrals=2, max_contacts=0))
    records = []
    for child in area.children:
        for record in draw(st.lists(cst.grouping_records(child.person_id), max_size=3)):
            records.append(record)
    # Keep one record per (child, day, source) so that no day has a clash.
    unique = {(r.person_id, r.from_date, r.source): r for r in records}
    return area, tuple(unique.values())


@given(areas_with_groupings(), st.dates(), st.dates())
def test_flow_matrix_margins_are_the_distributions(area_records, day_a, day_b):
    area, records = area_records
    first, second = sorted((day_a, day_b))
    flow = flow_matrix(area, records, first, second)
    at_first = distribution(area, records, first, children=flow.children)
    at_second = distribution(area, records, second, children=flow.children)
    groupings = [*Grouping, None]
    assert {g: flow.row_total(g) for g in groupings if flow.row_total(g)} == at_first
    assert {g: flow.column_total(g) for g in groupings if flow.column_total(g)} == at_second
    assert sum(flow.counts.values()) == len(flow.children)
