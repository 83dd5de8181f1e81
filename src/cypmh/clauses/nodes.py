"""The clause language's nodes: small frozen, typed trees that every interpreter reads.

A *value* node stands for one value per row (a column, a literal, the days between two
dates, the first present of several values, the period's first or last day). A
*condition* node stands for whether a row passes (a comparison, is missing, is one of
a list, not / all / any, a date in the window, an age between two bounds).

The nodes hold no behaviour: :mod:`cypmh.clauses.evaluate` reads them over
records, :mod:`cypmh.clauses.compile` makes narwhals expressions of them,
:mod:`cypmh.clauses.why` finds the first that a record fails and
:mod:`cypmh.clauses.words` writes them out. The meaning of a missing value is
stated once, in :mod:`cypmh.clauses` (three-valued logic, as SQL's).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Literal, TypeAlias

import attrs

__all__ = [
    "OPERATORS",
    "AgeBetween",
    "All",
    "Any",
    "Clause",
    "Coalesce",
    "Column",
    "Compare",
    "DaysBetween",
    "In",
    "IsNull",
    "Lit",
    "Node",
    "Not",
    "PeriodEnd",
    "PeriodStart",
    "Value",
    "Within",
    "children",
    "walk",
]

Scalar: TypeAlias = str | int | float | date | bool
"""A literal's value: text, a whole number, a number, a date or a flag."""

Operator: TypeAlias = Literal["==", "!=", "<", "<=", ">", ">="]

OPERATORS: tuple[Operator, ...] = ("==", "!=", "<", "<=", ">", ">=")
"""The comparison operators, as SQL writes them (``==`` for ``=``)."""


def _conditions(clauses: Iterable[Clause]) -> tuple[Clause, ...]:
    return tuple(clauses)


def _values(values: Iterable[Value]) -> tuple[Value, ...]:
    return tuple(values)


def _scalars(values: Iterable[Scalar]) -> tuple[Scalar, ...]:
    return tuple(values)


# Values.


@attrs.frozen
class Column:
    """The row's value in column ``name`` (missing where the record has none)."""

    name: str


@attrs.frozen
class Lit:
    """A fixed value; ``None`` is the missing value."""

    value: Scalar | None


@attrs.frozen
class DaysBetween:
    """Days from ``start`` to ``end`` (negative when ``end`` is earlier); missing if either is."""

    start: Value
    end: Value


@attrs.frozen
class Coalesce:
    """The first of ``values`` that is present; missing if none is."""

    values: tuple[Value, ...] = attrs.field(converter=_values)

    @values.validator
    def _some(self, attribute: object, value: tuple[Value, ...]) -> None:
        if len(value) < 2:
            raise ValueError("coalesce needs at least two values")


@attrs.frozen
class PeriodStart:
    """The first day of the window of ``months`` months ending at the period's end."""

    months: int = 1


@attrs.frozen
class PeriodEnd:
    """The last day of the reporting period (its month)."""


# Conditions.


@attrs.frozen
class Compare:
    """``left`` ``op`` ``right``; unknown where either side is missing."""

    op: Operator = attrs.field(validator=attrs.validators.in_(OPERATORS))
    left: Value
    right: Value


@attrs.frozen
class IsNull:
    """Whether ``value`` is missing: never unknown."""

    value: Value


@attrs.frozen
class In:
    """Whether ``value`` is one of ``values``; unknown where it is missing.

    ``name`` names the list where it is a code set (``"the CYP outcome tools"``),
    for the words; the codes themselves are read from the code set, never retyped.
    """

    value: Value
    values: tuple[Scalar, ...] = attrs.field(converter=_scalars)
    name: str | None = None


@attrs.frozen
class Not:
    """``clause`` does not hold; unknown where it is unknown."""

    clause: Clause


@attrs.frozen
class All:
    """Every one of ``clauses`` holds (false if any is false, else unknown if any is)."""

    clauses: tuple[Clause, ...] = attrs.field(converter=_conditions)


@attrs.frozen
class Any:
    """Some one of ``clauses`` holds (true if any is true, else unknown if any is)."""

    clauses: tuple[Clause, ...] = attrs.field(converter=_conditions)


@attrs.frozen
class Within:
    """``value`` (a date) is in the ``months`` months ending at the period's end, ends included."""

    value: Value
    months: int = 1


@attrs.frozen
class AgeBetween:
    """The age in whole years of someone born on ``birth``, on ``on``, is ``low`` to ``high``.

    Birthdays are counted as :meth:`cypmh.model.Child.age_on` counts them (a
    29 February birthday is reached on 1 March in other years). Unknown where
    either date is missing; false for a day before the birth.
    """

    birth: Value
    on: Value
    low: int
    high: int


Value: TypeAlias = Column | Lit | DaysBetween | Coalesce | PeriodStart | PeriodEnd
"""A node that stands for one value per row."""

Clause: TypeAlias = Compare | IsNull | In | Not | All | Any | Within | AgeBetween
"""A node that stands for whether a row passes: true, false or unknown."""

Node: TypeAlias = Value | Clause
"""Any node of the language."""


def children(node: Node) -> tuple[Node, ...]:
    """The nodes directly inside ``node``, in order."""
    match node:
        case DaysBetween(start, end):
            return (start, end)
        case Coalesce(values) | All(values) | Any(values):
            return tuple(values)
        case Compare(_, left, right):
            return (left, right)
        case IsNull(value) | In(value) | Within(value):
            return (value,)
        case Not(clause):
            return (clause,)
        case AgeBetween(birth, on):
            return (birth, on)
    return ()


def walk(node: Node) -> Iterator[Node]:
    """``node`` and every node inside it, parents before children."""
    yield node
    for child in children(node):
        yield from walk(child)
