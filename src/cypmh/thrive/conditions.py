"""The conditions of a grouping policy's rules, and how they are read from data.

Each condition holds or not for a :class:`~cypmh.thrive.NeedsProfile`, gives
its reasons in words, and writes itself back as the data it was read from.
:mod:`cypmh.thrive.policy` puts them into rules and policies.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any, TypeAlias

import attrs

from cypmh.errors import InvalidValueError
from cypmh.thrive.profile import ItemKind, NeedsProfile, Rating, current_view_items

__all__ = [
    "AllOf",
    "Always",
    "Among",
    "AnyOf",
    "ComplexityAtLeast",
    "Condition",
    "ConditionReader",
    "CountAtLeast",
    "ItemAtLeast",
    "RiskFlag",
]


def _words(rating: Rating) -> str:
    return rating.value.replace("_", " ")


@attrs.frozen
class ItemAtLeast:
    """Current View item ``item`` is rated ``at_least`` or worse. Data: ``{item, at_least}``."""

    item: str
    at_least: Rating

    def holds(self, profile: NeedsProfile) -> bool:
        """Whether the condition holds for ``profile``."""
        level = profile.rating(self.item).level
        return level is not None and level >= (self.at_least.level or 0)

    def reasons(self, profile: NeedsProfile) -> tuple[str, ...]:
        """Why the condition holds, in words."""
        label = current_view_items()[self.item].label
        return (
            f"{label} rated {_words(profile.rating(self.item))} (at least {_words(self.at_least)})",
        )

    def to_data(self) -> dict[str, Any]:
        """The condition as it is written in a policy file."""
        return {"item": self.item, "at_least": self.at_least.value}


class Among(enum.Enum):
    """Which Current View items a count looks at."""

    PROBLEMS = "problems"
    CONTEXTUAL = "contextual"
    EDUCATION = "education"
    ALL = "all"

    @property
    def kind(self) -> ItemKind | None:
        """The item kind counted (``None`` for all)."""
        return {
            "problems": ItemKind.PROBLEM,
            "contextual": ItemKind.CONTEXTUAL,
            "education": ItemKind.EDUCATION,
        }.get(self.value)


@attrs.frozen
class CountAtLeast:
    """At least ``count`` items (``among`` problems, ...) are rated ``rated_at_least`` or worse.

    Data: ``{count_at_least, rated_at_least, among}``.
    """

    count: int
    rated_at_least: Rating
    among: Among = Among.PROBLEMS

    def _matches(self, profile: NeedsProfile) -> tuple[str, ...]:
        return profile.items_rated_at_least(self.rated_at_least, self.among.kind)

    def holds(self, profile: NeedsProfile) -> bool:
        """Whether the condition holds for ``profile``."""
        return len(self._matches(profile)) >= self.count

    def reasons(self, profile: NeedsProfile) -> tuple[str, ...]:
        """Why the condition holds, in words."""
        matches = self._matches(profile)
        labels = ", ".join(current_view_items()[key].label for key in matches)
        return (
            f"{len(matches)} of the {self.among.value} rated {_words(self.rated_at_least)} "
            f"or worse (at least {self.count}): {labels}",
        )

    def to_data(self) -> dict[str, Any]:
        """The condition as it is written in a policy file."""
        return {
            "count_at_least": self.count,
            "rated_at_least": self.rated_at_least.value,
            "among": self.among.value,
        }


@attrs.frozen
class ComplexityAtLeast:
    """At least ``count`` complexity factors answered yes.

    Data: ``{complexity_factors_at_least}``.
    """

    count: int

    def holds(self, profile: NeedsProfile) -> bool:
        """Whether the condition holds for ``profile``."""
        return len(profile.complexity_factors) >= self.count

    def reasons(self, profile: NeedsProfile) -> tuple[str, ...]:
        """Why the condition holds, in words."""
        factors = ", ".join(profile.complexity_factors)
        return (
            f"{len(profile.complexity_factors)} complexity factors "
            f"(at least {self.count}): {factors}",
        )

    def to_data(self) -> dict[str, Any]:
        """The condition as it is written in a policy file."""
        return {"complexity_factors_at_least": self.count}


@attrs.frozen
class RiskFlag:
    """The risk flag ``flag`` is raised. Data: ``{risk_flag}``."""

    flag: str

    def holds(self, profile: NeedsProfile) -> bool:
        """Whether the condition holds for ``profile``."""
        return self.flag in profile.risks

    def reasons(self, profile: NeedsProfile) -> tuple[str, ...]:
        """Why the condition holds, in words."""
        return (f"risk flag raised: {self.flag}",)

    def to_data(self) -> dict[str, Any]:
        """The condition as it is written in a policy file."""
        return {"risk_flag": self.flag}


@attrs.frozen
class AnyOf:
    """At least one of ``conditions`` holds. Data: ``{any_of = [...]}``."""

    conditions: tuple[Condition, ...]

    def holds(self, profile: NeedsProfile) -> bool:
        """Whether the condition holds for ``profile``."""
        return any(c.holds(profile) for c in self.conditions)

    def reasons(self, profile: NeedsProfile) -> tuple[str, ...]:
        """The reasons of every part that holds."""
        return tuple(r for c in self.conditions if c.holds(profile) for r in c.reasons(profile))

    def to_data(self) -> dict[str, Any]:
        """The condition as it is written in a policy file."""
        return {"any_of": [c.to_data() for c in self.conditions]}


@attrs.frozen
class AllOf:
    """Every one of ``conditions`` holds. Data: ``{all_of = [...]}``."""

    conditions: tuple[Condition, ...]

    def holds(self, profile: NeedsProfile) -> bool:
        """Whether the condition holds for ``profile``."""
        return all(c.holds(profile) for c in self.conditions)

    def reasons(self, profile: NeedsProfile) -> tuple[str, ...]:
        """The reasons of every part."""
        return tuple(r for c in self.conditions for r in c.reasons(profile))

    def to_data(self) -> dict[str, Any]:
        """The condition as it is written in a policy file."""
        return {"all_of": [c.to_data() for c in self.conditions]}


@attrs.frozen
class Always:
    """Holds for every profile; the last rule of a policy uses it. Data: ``{always = true}``."""

    def holds(self, profile: NeedsProfile) -> bool:
        """Always ``True``."""
        return True

    def reasons(self, profile: NeedsProfile) -> tuple[str, ...]:
        """No earlier rule applied."""
        return ("no earlier rule applied",)

    def to_data(self) -> dict[str, Any]:
        """The condition as it is written in a policy file."""
        return {"always": True}


Condition: TypeAlias = (
    ItemAtLeast | CountAtLeast | ComplexityAtLeast | RiskFlag | AnyOf | AllOf | Always
)
"""Any condition a rule can have."""


class ConditionReader:
    """Reads conditions and rules from data, naming the rule and field of any error."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, field: str, value: object, rule: str) -> InvalidValueError:
        """The error for ``value`` of ``field`` at ``where``, breaking ``rule``."""
        return InvalidValueError(f"{self.source}: {where}", field, value, rule)

    def rating(self, where: str, field: str, value: object) -> Rating:
        """``value`` as a rating (not ``not known``)."""
        allowed = [r.value for r in Rating if r is not Rating.NOT_KNOWN]
        if value not in allowed:
            raise self.fail(where, field, value, f"must be one of {', '.join(allowed)}")
        return Rating(value)

    def count(self, where: str, field: str, value: object) -> int:
        """``value`` as a whole number of at least 1."""
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise self.fail(where, field, value, "must be a whole number of at least 1")
        return value

    def condition(self, data: object, where: str, field: str) -> Condition:
        """The condition ``data`` writes (one named key)."""
        if not isinstance(data, Mapping):
            raise self.fail(where, field, data, "a condition is a table of named values")
        keys = set(data)
        shapes: dict[frozenset[str], Any] = {
            frozenset({"item", "at_least"}): lambda: self._item(data, where, field),
            frozenset({"count_at_least", "rated_at_least"}): lambda: self._count(
                data, where, field
            ),
            frozenset({"count_at_least", "rated_at_least", "among"}): lambda: self._count(
                data, where, field
            ),
            frozenset({"complexity_factors_at_least"}): lambda: ComplexityAtLeast(
                self.count(
                    where,
                    f"{field}.complexity_factors_at_least",
                    data["complexity_factors_at_least"],
                )
            ),
            frozenset({"risk_flag"}): lambda: RiskFlag(self._flag(data["risk_flag"], where, field)),
            frozenset({"any_of"}): lambda: AnyOf(
                self._many(data["any_of"], where, f"{field}.any_of")
            ),
            frozenset({"all_of"}): lambda: AllOf(
                self._many(data["all_of"], where, f"{field}.all_of")
            ),
            frozenset({"always"}): lambda: self._always(data["always"], where, field),
        }
        make = shapes.get(frozenset(keys))
        if make is None:
            raise self.fail(
                where,
                field,
                sorted(keys),
                "is not a condition: use item/at_least, count_at_least/rated_at_least[/among], "
                "complexity_factors_at_least, risk_flag, any_of, all_of or always",
            )
        condition: Condition = make()
        return condition

    def _item(self, data: Mapping[str, Any], where: str, field: str) -> ItemAtLeast:
        if data["item"] not in current_view_items():
            raise self.fail(where, f"{field}.item", data["item"], "is not a Current View item key")
        return ItemAtLeast(data["item"], self.rating(where, f"{field}.at_least", data["at_least"]))

    def _count(self, data: Mapping[str, Any], where: str, field: str) -> CountAtLeast:
        among = data.get("among", "problems")
        if among not in [a.value for a in Among]:
            raise self.fail(
                where,
                f"{field}.among",
                among,
                f"must be one of {', '.join(a.value for a in Among)}",
            )
        return CountAtLeast(
            self.count(where, f"{field}.count_at_least", data["count_at_least"]),
            self.rating(where, f"{field}.rated_at_least", data["rated_at_least"]),
            Among(among),
        )

    def _flag(self, value: object, where: str, field: str) -> str:
        if not isinstance(value, str) or not value or value != value.strip():
            raise self.fail(where, f"{field}.risk_flag", value, "must be a non-empty name")
        return value

    def _many(self, value: object, where: str, field: str) -> tuple[Condition, ...]:
        if not isinstance(value, list) or not value:
            raise self.fail(where, field, value, "must be a non-empty list of conditions")
        return tuple(self.condition(item, where, f"{field}[{i}]") for i, item in enumerate(value))

    def _always(self, value: object, where: str, field: str) -> Always:
        if value is not True:
            raise self.fail(where, f"{field}.always", value, "must be true")
        return Always()
