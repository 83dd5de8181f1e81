"""Grouping policies: a service's own rules for *suggesting* a THRIVE grouping.

A policy is an ordered list of rules written as data (TOML or JSON). Each rule
has an id, a description, the grouping it suggests and a condition over a
:class:`~cypmh.thrive.NeedsProfile`; the first rule whose condition holds
decides. The last rule must hold always, so every profile gets exactly one
decision. A grouping agreed with the child and family always overrides the
suggestion.

No national rule for suggesting a grouping exists, and MHSDS has no THRIVE
field: a policy is local policy, and a decision is a suggestion for shared
decision-making, never a classification (implementingthrive.org, principles).
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping, Sequence
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import Any

import attrs

from cypmh.codes.groupings import Grouping
from cypmh.codes.parse import SettingsFileError, parse_json, parse_toml, read_text_file
from cypmh.errors import InvalidValueError
from cypmh.thrive.conditions import (
    AllOf,
    Always,
    Among,
    AnyOf,
    ComplexityAtLeast,
    Condition,
    ConditionReader,
    CountAtLeast,
    ItemAtLeast,
    RiskFlag,
)
from cypmh.thrive.profile import NeedsProfile

__all__ = [
    "AllOf",
    "Always",
    "Among",
    "AnyOf",
    "ComplexityAtLeast",
    "Condition",
    "CountAtLeast",
    "Decision",
    "DecisionSource",
    "ItemAtLeast",
    "Policy",
    "RiskFlag",
    "Rule",
    "example_policy",
]


@attrs.frozen(kw_only=True)
class Rule:
    """One rule of a policy: if ``when`` holds, suggest ``grouping``."""

    id: str
    description: str
    grouping: Grouping
    when: Condition

    def to_data(self) -> dict[str, Any]:
        """The rule as it is written in a policy file."""
        return {
            "id": self.id,
            "description": self.description,
            "grouping": self.grouping.label,
            "when": self.when.to_data(),
        }


class DecisionSource(enum.Enum):
    """Where a decision's grouping came from."""

    AGREED = "agreed"
    SUGGESTED = "suggested"


@attrs.frozen(kw_only=True)
class Decision:
    """The outcome of evaluating a profile against a policy.

    ``grouping`` is the agreed grouping when one was recorded (``source`` is
    then ``AGREED``), otherwise the policy's suggestion. ``suggested`` and
    ``rule_id`` always say what the policy suggested and which rule fired;
    ``reasons`` says why, in words.
    """

    grouping: Grouping
    source: DecisionSource
    suggested: Grouping
    rule_id: str
    reasons: tuple[str, ...]


def _check_rules(
    instance: Policy, attribute: attrs.Attribute[Any], rules: tuple[Rule, ...]
) -> None:
    if not rules:
        raise InvalidValueError("Policy", "rules", rules, "a policy needs at least one rule")
    seen: set[str] = set()
    for rule in rules:
        if not rule.id or rule.id in seen:
            raise InvalidValueError(
                "Policy", "rules", rule.id, "rule ids must be non-empty and unique"
            )
        seen.add(rule.id)
    if not isinstance(rules[-1].when, Always):
        raise InvalidValueError(
            "Policy",
            f"rules[{len(rules) - 1}].when",
            rules[-1].id,
            "the last rule must be 'always = true', so that every profile gets a decision",
        )


@attrs.frozen(kw_only=True)
class Policy:
    """An ordered list of rules that suggests a THRIVE grouping from a needs profile."""

    name: str
    description: str = ""
    rules: tuple[Rule, ...] = attrs.field(validator=_check_rules)

    def evaluate(self, profile: NeedsProfile, *, agreed: Grouping | None = None) -> Decision:
        """The decision for ``profile``: the first rule that holds, unless ``agreed`` overrides."""
        for rule in self.rules:
            if rule.when.holds(profile):
                heading = f"rule {rule.id!r}" + (
                    f": {rule.description}" if rule.description else ""
                )
                reasons = (heading, *rule.when.reasons(profile))
                if agreed is None:
                    return Decision(
                        grouping=rule.grouping,
                        source=DecisionSource.SUGGESTED,
                        suggested=rule.grouping,
                        rule_id=rule.id,
                        reasons=reasons,
                    )
                return Decision(
                    grouping=agreed,
                    source=DecisionSource.AGREED,
                    suggested=rule.grouping,
                    rule_id=rule.id,
                    reasons=(
                        f"agreed with the child and family: {agreed.label} "
                        f"(the policy suggested {rule.grouping.label})",
                        *reasons,
                    ),
                )
        raise AssertionError("unreachable: the last rule always holds")  # pragma: no cover

    # Reading and writing.

    def to_data(self) -> dict[str, Any]:
        """The policy as plain data (the shape of its TOML and JSON files)."""
        return {
            "name": self.name,
            "description": self.description,
            "rules": [r.to_data() for r in self.rules],
        }

    def to_json(self) -> str:
        """The policy as JSON text."""
        return json.dumps(self.to_data(), indent=2, ensure_ascii=False)

    def to_toml(self) -> str:
        """The policy as TOML text (one ``[[rules]]`` table per rule, conditions inline)."""
        lines = [f"name = {_toml(self.name)}", f"description = {_toml(self.description)}"]
        for rule in self.rules:
            data = rule.to_data()
            lines += ["", "[[rules]]"] + [f"{key} = {_toml(value)}" for key, value in data.items()]
        return "\n".join(lines) + "\n"

    @classmethod
    def from_data(cls, data: object, *, source: str = "policy") -> Policy:
        """Build a policy from plain data, naming the rule and field of any error."""
        reader = ConditionReader(source)
        if not isinstance(data, Mapping):
            raise reader.fail("policy", "(top level)", data, "must be a table with name and rules")
        extra = set(data) - {"name", "description", "rules"}
        if extra:
            raise reader.fail("policy", "(top level)", sorted(extra), "unknown keys")
        name, description, rules = data.get("name"), data.get("description", ""), data.get("rules")
        if not isinstance(name, str) or not name.strip():
            raise reader.fail("policy", "name", name, "must be a non-empty string")
        if not isinstance(description, str):
            raise reader.fail("policy", "description", description, "must be a string")
        if not isinstance(rules, list):
            raise reader.fail("policy", "rules", rules, "must be a list of rules")
        built = []
        for index, rule in enumerate(rules):
            where = f"rules[{index}]"
            if not isinstance(rule, Mapping):
                raise reader.fail(where, "(rule)", rule, "must be a table")
            rule_id = rule.get("id")
            if not isinstance(rule_id, str) or not rule_id.strip():
                raise reader.fail(where, "id", rule_id, "must be a non-empty string")
            where = f"rule {rule_id!r}"
            unknown = set(rule) - {"id", "description", "grouping", "when"}
            if unknown:
                raise reader.fail(where, "(rule)", sorted(unknown), "unknown keys")
            text = rule.get("description", "")
            if not isinstance(text, str):
                raise reader.fail(where, "description", text, "must be a string")
            try:
                grouping = Grouping.parse(rule.get("grouping"))  # type: ignore[arg-type]
            except InvalidValueError as exc:
                raise reader.fail(where, "grouping", rule.get("grouping"), exc.rule) from None
            built.append(
                Rule(
                    id=rule_id,
                    description=text,
                    grouping=grouping,
                    when=reader.condition(rule.get("when"), where, "when"),
                )
            )
        try:
            return cls(name=name, description=description, rules=tuple(built))
        except InvalidValueError as exc:
            raise reader.fail("policy", exc.field, exc.value, exc.rule) from None

    @classmethod
    def from_toml(cls, text: str, *, source: str = "policy") -> Policy:
        """Read a policy from TOML text."""
        try:
            data = parse_toml(text, source)
        except SettingsFileError as exc:
            raise InvalidValueError(source, "text", "...", str(exc)) from None
        return cls.from_data(data, source=source)

    @classmethod
    def from_json(cls, text: str, *, source: str = "policy") -> Policy:
        """Read a policy from JSON text."""
        try:
            data = parse_json(text, source)
        except SettingsFileError as exc:
            raise InvalidValueError(source, "text", "...", str(exc)) from None
        return cls.from_data(data, source=source)

    @classmethod
    def load(cls, path: str | PathLike[str]) -> Policy:
        """Read a policy file: ``.toml`` or ``.json``."""
        file = Path(path)
        reader = {".toml": cls.from_toml, ".json": cls.from_json}.get(file.suffix.lower())
        if reader is None:
            raise InvalidValueError(
                "Policy", "path", str(file), "a policy file ends in .toml or .json"
            )
        try:
            text = read_text_file(file, "policy")
        except SettingsFileError as exc:
            raise InvalidValueError("Policy", "path", str(file), str(exc)) from None
        policy = reader(text, source=str(file))
        shipped = example_policy()
        if policy.name == shipped.name and policy != shipped:
            raise InvalidValueError(
                str(file),
                "name",
                policy.name,
                "is the name of the policy cypmh ships, but the rules differ: give a local "
                "policy a name of its own",
            )
        return policy


_TOML_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def _toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and every control character escaped."""
    out = []
    for ch in text:
        if ch in _TOML_ESCAPES:
            out.append(_TOML_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _toml(value: Any) -> str:
    """A TOML value (inline) for the plain data of a policy."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, Sequence):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{key} = {_toml(v)}" for key, v in value.items()) + " }"
    raise TypeError(f"no TOML form for {value!r}")


def example_policy() -> Policy:
    """The example policy shipped with cypmh (``cypmh/thrive/data/example_policy.toml``).

    It is an **example** of how a service might write its rules, not a
    recommendation and not an official classifier.
    """
    text = (
        resources.files("cypmh.thrive").joinpath("data", "example_policy.toml").read_text("utf-8")
    )
    return Policy.from_toml(text, source="cypmh/thrive/data/example_policy.toml")
