"""The example policy, rule by rule, with hand-made profiles.

The rules (cypmh/thrive/data/example_policy.toml), tried in order:
  risk              self-harm or poses risk to others rated severe  -> Getting Risk Support
  several-problems  3+ problems rated moderate or severe             -> Getting More Help
  complexity        a complexity factor and a problem moderate+      -> Getting More Help
  focused-problem   1+ problem rated moderate or severe              -> Getting Help
  mild-difficulties 1+ item (any kind) rated mild or worse           -> Getting Advice and Signposting
  nothing-rated     always                                           -> Thriving
"""

import pytest

from cypmh.thrive import DecisionSource, Grouping, NeedsProfile, example_policy

POLICY = example_policy()


def decide(ratings=None, complexity=None, risks=()):
    return POLICY.evaluate(
        NeedsProfile.build(ratings=ratings or {}, complexity=complexity or {}, risks=risks)
    )


@pytest.mark.parametrize(
    ("ratings", "complexity", "rule", "grouping", "why"),
    [
        ({"self_harm": "severe"}, {}, "risk", Grouping.GETTING_RISK_SUPPORT, "severe self-harm"),
        (
            {"poses_risk_to_others": "severe"},
            {},
            "risk",
            Grouping.GETTING_RISK_SUPPORT,
            "severe risk to others",
        ),
        (
            {
                "self_harm": "severe",
                "panics": "severe",
                "anxious_generally": "severe",
                "home": "severe",
            },
            {"looked after": "yes"},
            "risk",
            Grouping.GETTING_RISK_SUPPORT,
            "risk comes first, whatever else is rated",
        ),
        (
            {"self_harm": "moderate"},
            {},
            "focused-problem",
            Grouping.GETTING_HELP,
            "moderate self-harm is not severe",
        ),
        (
            {
                "panics": "moderate",
                "anxious_generally": "moderate",
                "depression_low_mood": "severe",
            },
            {},
            "several-problems",
            Grouping.GETTING_MORE_HELP,
            "three problems moderate or worse",
        ),
        (
            {"panics": "moderate", "depression_low_mood": "severe", "home": "severe"},
            {},
            "focused-problem",
            Grouping.GETTING_HELP,
            "two problems; 'home' is a contextual problem, not a problem description",
        ),
        (
            {"panics": "moderate"},
            {"young carer": "yes"},
            "complexity",
            Grouping.GETTING_MORE_HELP,
            "a complexity factor with a moderate problem",
        ),
        (
            {"panics": "moderate"},
            {"young carer": "no"},
            "focused-problem",
            Grouping.GETTING_HELP,
            "factor answered no",
        ),
        (
            {"panics": "mild"},
            {"young carer": "yes"},
            "mild-difficulties",
            Grouping.GETTING_ADVICE,
            "factor, mild only",
        ),
        (
            {"anxious_generally": "severe"},
            {},
            "focused-problem",
            Grouping.GETTING_HELP,
            "one severe problem",
        ),
        (
            {"panics": "mild", "avoids_going_out": "mild"},
            {},
            "mild-difficulties",
            Grouping.GETTING_ADVICE,
            "mild only",
        ),
        (
            {"home": "mild"},
            {},
            "mild-difficulties",
            Grouping.GETTING_ADVICE,
            "a mild contextual difficulty",
        ),
        (
            {"attendance_difficulties": "moderate"},
            {},
            "mild-difficulties",
            Grouping.GETTING_ADVICE,
            "EET, no problem",
        ),
        ({}, {}, "nothing-rated", Grouping.THRIVING, "nothing rated"),
        (
            {"panics": "none", "self_harm": "none"},
            {},
            "nothing-rated",
            Grouping.THRIVING,
            "all rated none",
        ),
        (
            {"panics": "not_known"},
            {},
            "nothing-rated",
            Grouping.THRIVING,
            "not known is not a difficulty",
        ),
    ],
)
def test_rule_by_rule(ratings, complexity, rule, grouping, why):
    decision = decide(ratings, complexity)
    assert (decision.rule_id, decision.grouping, decision.source) == (
        rule,
        grouping,
        DecisionSource.SUGGESTED,
    ), why


def test_reasons_in_words():
    decision = decide(
        {"panics": "moderate", "anxious_generally": "severe", "depression_low_mood": "moderate"}
    )
    assert decision.reasons == (
        "rule 'several-problems': Three or more problems rated moderate or severe suggest Getting More Help.",
        "3 of the problems rated moderate or worse (at least 3): anxious generally, depression/low mood, panics",
    )


def test_an_agreed_grouping_always_overrides_and_says_so():
    profile = NeedsProfile.build(ratings={"self_harm": "severe"})
    decision = POLICY.evaluate(profile, agreed=Grouping.GETTING_HELP)
    assert decision.grouping is Grouping.GETTING_HELP
    assert decision.source is DecisionSource.AGREED
    assert (decision.suggested, decision.rule_id) == (Grouping.GETTING_RISK_SUPPORT, "risk")
    assert decision.reasons[0] == (
        "agreed with the child and family: Getting Help (the policy suggested Getting Risk Support)"
    )


def test_the_example_says_it_is_an_example():
    assert "example" in POLICY.name.lower()
    assert POLICY.description.lower().startswith("an example only")
