"""Needs profiles: the shape of CORC's Current View, plus complexity factors and risk flags.

Current View rates 30 *provisional problem descriptions*, 4 *contextual
problems* and 2 *education, employment and training* (EET) difficulties, each
none, mild, moderate or severe (0-3) or not known. MHSDS codes each item as a
SNOMED CT assessment scale (``is_current_view = yes`` in the assessment table);
cypmh names the items from those scales, so nothing is retyped here.
Complexity factors are not coded in MHSDS, so a service names its own.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import attrs

from cypmh.codes._tables import read_table
from cypmh.errors import InvalidValueError
from cypmh.model import CodedAssessment

__all__ = [
    "Answer",
    "CurrentViewItem",
    "ItemKind",
    "NeedsProfile",
    "Rating",
    "current_view_items",
    "profile_from_assessments",
]


class Rating(enum.Enum):
    """A Current View rating. ``level`` orders none (0) < mild < moderate < severe (3)."""

    NONE = "none"
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"
    NOT_KNOWN = "not_known"

    @property
    def level(self) -> int | None:
        """0 to 3, or ``None`` for not known."""
        return {"none": 0, "mild": 1, "moderate": 2, "severe": 3}.get(self.value)

    @classmethod
    def from_score(cls, score: float) -> Rating:
        """The rating of a Current View item score (0, 1, 2 or 3)."""
        if score not in (0, 1, 2, 3):
            raise InvalidValueError(
                "Rating", "score", score, "a Current View score is 0, 1, 2 or 3"
            )
        return (cls.NONE, cls.MILD, cls.MODERATE, cls.SEVERE)[int(score)]


class Answer(enum.Enum):
    """An answer to a complexity-factor question."""

    YES = "yes"
    NO = "no"
    NOT_KNOWN = "not_known"


class ItemKind(enum.Enum):
    """The three parts of Current View that are rated."""

    PROBLEM = "problem"
    CONTEXTUAL = "contextual"
    EDUCATION = "education"


@attrs.frozen(kw_only=True)
class CurrentViewItem:
    """One rated Current View item, named from its SNOMED CT scale.

    ``key`` is the name policies use (``"self_harm"``); ``number`` is the
    item's number among the 30 problem descriptions (``None`` for the others).
    """

    key: str
    label: str
    kind: ItemKind
    number: int | None
    snomed_code: str


_SCALE = re.compile(
    r"^Current View (?:Provisional Problem Description item (?P<number>\d+) score"
    r"|(?P<context>Contextual Problems) score"
    r"|(?P<eet>Education,Employment,Training) score) - (?P<label>.+)$"
)


def _key(label: str) -> str:
    text = re.sub(r"\([^)]*\)", " ", label.lower()).replace("'", "")
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


@functools.cache
def current_view_items() -> Mapping[str, CurrentViewItem]:
    """The 36 rated Current View items by key, problems first in item order.

    >>> items = current_view_items()
    >>> items["self_harm"].number, items["poses_risk_to_others"].number, items["home"].kind
    (10, 16, <ItemKind.CONTEXTUAL: 'contextual'>)
    """
    found = []
    for row in read_table("assessment_tools"):
        if row["is_current_view"] != "yes":
            continue
        match = _SCALE.match(row["scale"])
        if match is None:
            raise InvalidValueError(
                "assessment_tools", "scale", row["scale"], "is not a Current View item name"
            )
        number = match.group("number")
        kind = (
            ItemKind.PROBLEM
            if number
            else ItemKind.CONTEXTUAL
            if match.group("context")
            else ItemKind.EDUCATION
        )
        label = match.group("label")
        found.append(
            CurrentViewItem(
                key=_key(label),
                label=label,
                kind=kind,
                number=int(number) if number else None,
                snomed_code=row["snomed_code"],
            )
        )
    order = list(ItemKind)
    found.sort(key=lambda i: (order.index(i.kind), i.number or 0, i.key))
    return {item.key: item for item in found}


def _check_ratings(instance: NeedsProfile, attribute: attrs.Attribute[Any], value: Any) -> None:
    _check_pairs("ratings", value, Rating, current_view_items())


def _check_complexity(instance: NeedsProfile, attribute: attrs.Attribute[Any], value: Any) -> None:
    _check_pairs("complexity", value, Answer, None)


def _check_pairs(
    field: str, value: Any, kind: type[enum.Enum], known: Mapping[str, Any] | None
) -> None:
    if not isinstance(value, tuple):
        raise InvalidValueError(
            "NeedsProfile", field, value, "must be a tuple of (name, value) pairs"
        )
    previous = None
    for pair in value:
        if not (
            isinstance(pair, tuple)
            and len(pair) == 2
            and isinstance(pair[0], str)
            and isinstance(pair[1], kind)
        ):
            raise InvalidValueError(
                "NeedsProfile", field, pair, f"each entry is a (name, {kind.__name__}) pair"
            )
        name, answer = pair
        if known is not None and name not in known:
            raise InvalidValueError("NeedsProfile", field, name, "is not a Current View item key")
        if not name or name != name.strip():
            raise InvalidValueError(
                "NeedsProfile", field, name, "names must be non-empty, without surrounding spaces"
            )
        if answer.value == "not_known":
            raise InvalidValueError("NeedsProfile", field, pair, "leave out what is not known")
        if previous is not None and name <= previous:
            raise InvalidValueError(
                "NeedsProfile",
                field,
                name,
                "entries must be sorted by name without repeats (NeedsProfile.build sorts)",
            )
        previous = name


def _check_risks(instance: NeedsProfile, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, frozenset) or not all(
        isinstance(v, str) and v and v == v.strip() for v in value
    ):
        raise InvalidValueError(
            "NeedsProfile", "risks", value, "must be a frozenset of non-empty names"
        )


@attrs.frozen(kw_only=True)
class NeedsProfile:
    """What a practitioner recorded about a child's needs, for suggesting a THRIVE grouping.

    Only what is known is stored: ``ratings`` pairs an item key with its
    rating (none to severe); ``complexity`` pairs a complexity factor, named
    by the service, with yes or no; ``risks`` holds the risk flags raised.
    Pairs are kept sorted by name so that equal profiles are equal objects;
    :meth:`build` sorts and drops *not known* for you.

    >>> p = NeedsProfile.build(ratings={"self_harm": "severe", "panics": "mild"}, risks=["self"])
    >>> p.rating("self_harm"), p.rating("home")
    (<Rating.SEVERE: 'severe'>, <Rating.NOT_KNOWN: 'not_known'>)
    """

    ratings: tuple[tuple[str, Rating], ...] = attrs.field(default=(), validator=_check_ratings)
    complexity: tuple[tuple[str, Answer], ...] = attrs.field(
        default=(), validator=_check_complexity
    )
    risks: frozenset[str] = attrs.field(default=frozenset(), validator=_check_risks)

    @classmethod
    def build(
        cls,
        *,
        ratings: Mapping[str, Rating | str] | None = None,
        complexity: Mapping[str, Answer | str] | None = None,
        risks: Iterable[str] = (),
    ) -> NeedsProfile:
        """Make a profile from mappings; values may be enum members or their value strings."""

        def member(kind: type[enum.Enum], field: str, name: str, value: object) -> Any:
            if isinstance(value, kind):
                return value
            try:
                return kind(value)
            except ValueError:
                allowed = ", ".join(m.value for m in kind)
                raise InvalidValueError(
                    "NeedsProfile", f"{field}[{name!r}]", value, f"must be one of {allowed}"
                ) from None

        rated = {k: member(Rating, "ratings", k, v) for k, v in (ratings or {}).items()}
        answered = {k: member(Answer, "complexity", k, v) for k, v in (complexity or {}).items()}
        return cls(
            ratings=tuple(sorted((k, v) for k, v in rated.items() if v is not Rating.NOT_KNOWN)),
            complexity=tuple(
                sorted((k, v) for k, v in answered.items() if v is not Answer.NOT_KNOWN)
            ),
            risks=frozenset(risks),
        )

    def rating(self, key: str) -> Rating:
        """The rating of Current View item ``key`` (not known if unrated)."""
        if key not in current_view_items():
            raise InvalidValueError("NeedsProfile", "rating", key, "is not a Current View item key")
        return dict(self.ratings).get(key, Rating.NOT_KNOWN)

    def items_rated_at_least(self, level: Rating, kind: ItemKind | None = None) -> tuple[str, ...]:
        """Keys of the items rated ``level`` or worse (of one kind, or of all)."""
        threshold = level.level
        if threshold is None:
            raise InvalidValueError(
                "NeedsProfile", "level", level, "must be none, mild, moderate or severe"
            )
        items = current_view_items()
        return tuple(
            key
            for key, rating in self.ratings
            if (kind is None or items[key].kind is kind) and (rating.level or 0) >= threshold
        )

    @property
    def complexity_factors(self) -> tuple[str, ...]:
        """The complexity factors answered yes."""
        return tuple(name for name, answer in self.complexity if answer is Answer.YES)


def profile_from_assessments(
    assessments: Iterable[CodedAssessment], on: date | None = None
) -> NeedsProfile:
    """A profile from the Current View items among MHSDS coded assessments.

    For each item, the latest score dated on or before ``on`` (all of them if
    ``None``) gives its rating; where one day has several scores for an item,
    the most severe is taken. Complexity factors and risk flags are not coded
    in MHSDS, so the profile has none.
    """
    by_code = {item.snomed_code: item for item in current_view_items().values()}
    latest: dict[str, tuple[date, float]] = {}
    for assessment in assessments:
        item = by_code.get(assessment.tool_code)
        if item is None or (on is not None and assessment.date > on):
            continue
        candidate = (assessment.date, assessment.score)
        if item.key not in latest or candidate > latest[item.key]:
            latest[item.key] = candidate
    return NeedsProfile.build(
        ratings={key: Rating.from_score(score) for key, (_, score) in latest.items()}
    )
