"""Policy files: TOML and JSON, validated when loaded, errors naming the rule and field."""

import json
from pathlib import Path

import pytest

from cypmh.errors import InvalidValueError
from cypmh.thrive import Always, Grouping, ItemAtLeast, Policy, Rating, example_policy

MINIMAL = """
name = "Local policy"

[[rules]]
id = "risk"
grouping = "getting risk support"
when = { item = "self_harm", at_least = "severe" }

[[rules]]
id = "rest"
grouping = "Thriving"
when = { always = true }
"""


def test_a_minimal_policy():
    policy = Policy.from_toml(MINIMAL)
    assert [r.id for r in policy.rules] == ["risk", "rest"]
    assert policy.rules[0].grouping is Grouping.GETTING_RISK_SUPPORT
    assert policy.rules[0].when == ItemAtLeast("self_harm", Rating.SEVERE)
    assert policy.rules[1].when == Always()


def broken(old, new):
    assert old in MINIMAL
    return MINIMAL.replace(old, new)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            broken('item = "self_harm"', 'item = "selfharm"'),
            r"rule 'risk'\.when\.item = 'selfharm': is not a Current View item key",
        ),
        (
            broken('at_least = "severe"', 'at_least = "high"'),
            r"rule 'risk'\.when\.at_least = 'high': must be one of none, mild",
        ),
        (
            broken('at_least = "severe"', 'at_least = "severe", extra = 1'),
            r"rule 'risk'\.when = \['at_least', 'extra', 'item'\]: is not a condition",
        ),
        (
            broken('"getting risk support"', '"Tier 4"'),
            r"rule 'risk'\.grouping = 'Tier 4': is not a THRIVE grouping",
        ),
        (broken('id = "rest"', 'id = "risk"'), r"rule ids must be non-empty and unique"),
        (
            broken("when = { always = true }", 'when = { item = "panics", at_least = "mild" }'),
            r"the last rule must be 'always = true'",
        ),
        (
            broken("when = { always = true }", "when = { always = false }"),
            r"rule 'rest'\.when\.always = False: must be true",
        ),
        (
            broken('when = { item = "self_harm", at_least = "severe" }', "when = { any_of = [] }"),
            r"when\.any_of = \[\]: must be a non-empty list",
        ),
        (
            broken(
                'when = { item = "self_harm", at_least = "severe" }',
                'when = { count_at_least = 0, rated_at_least = "mild" }',
            ),
            r"when\.count_at_least = 0: must be a whole number of at least 1",
        ),
        (
            broken('id = "risk"', 'id = "risk"\ncolour = "red"'),
            r"rule 'risk'\.\(rule\) = \['colour'\]: unknown keys",
        ),
        (broken('name = "Local policy"', ""), r"policy\.name = None: must be a non-empty string"),
        (MINIMAL + "[[", "is not valid TOML"),
    ],
)
def test_errors_name_the_rule_and_field(text, message):
    with pytest.raises(InvalidValueError, match=message):
        Policy.from_toml(text, source="local.toml")


def test_files_by_suffix(tmp_path: Path):
    policy = example_policy()
    (tmp_path / "p.toml").write_text(policy.to_toml())
    (tmp_path / "p.json").write_text(policy.to_json())
    assert Policy.load(tmp_path / "p.toml") == policy
    assert Policy.load(tmp_path / "p.json") == policy
    assert (
        json.loads((tmp_path / "p.json").read_text())["rules"][0]["grouping"]
        == "Getting Risk Support"
    )
    with pytest.raises(InvalidValueError, match=r"\.toml or \.json"):
        Policy.load(tmp_path / "p.yaml")
    with pytest.raises(InvalidValueError, match="cannot be read"):
        Policy.load(tmp_path / "missing.toml")


@pytest.mark.parametrize(
    "text",
    ["\x7f", 'say "hi"', "back\\slash", "tab\there", "two\nlines", "\x00", "é ü 中", "\u2028"],
)
def test_any_text_survives_the_toml_writer(text):
    # Found by the round-trip property: JSON leaves DEL (U+007F) unescaped; TOML forbids it.
    policy = Policy.from_toml(MINIMAL)
    policy = Policy(name="p", description=text, rules=policy.rules)
    assert Policy.from_toml(policy.to_toml()).description == text


def test_a_local_policy_cannot_take_the_shipped_name(tmp_path: Path):
    """Issue 32, section 4: a changed copy of the example keeps no claim to its name; an
    unchanged copy is the example itself."""
    shipped = example_policy()
    (tmp_path / "same.toml").write_text(shipped.to_toml())
    assert Policy.load(tmp_path / "same.toml") == shipped
    changed = shipped.to_toml().replace('grouping = "Getting Help"', 'grouping = "Thriving"', 1)
    assert changed != shipped.to_toml()
    (tmp_path / "changed.toml").write_text(changed)
    with pytest.raises(InvalidValueError, match="the name of the policy cypmh ships"):
        Policy.load(tmp_path / "changed.toml")
