"""The clause language's types: what each node holds, checked before any interpreter runs.

Every value has a :class:`~cypmh.tables.schema.Kind`: text, a date, a whole number, a
number or a flag. A comparison needs two values of one kind (whole numbers and
numbers compare with each other); ``in`` takes text or whole numbers; the window and
the ages take dates; ``days between`` takes two dates and gives a whole number. A
missing literal (``None``) fits any kind.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from datetime import date

from cypmh.clauses.nodes import (
    AgeBetween,
    All,
    Any,
    Clause,
    Coalesce,
    Column,
    Compare,
    DaysBetween,
    In,
    IsNull,
    Lit,
    Node,
    Not,
    PeriodEnd,
    PeriodStart,
    Value,
    Within,
)
from cypmh.clauses.words import words
from cypmh.errors import CypmhError
from cypmh.tables.schema import Kind

__all__ = ["ClauseError", "check", "kind_of"]

_NUMBERS = frozenset({Kind.INTEGER, Kind.NUMBER})


class ClauseError(CypmhError, ValueError):
    """A clause breaks a rule of the language: ``clause`` is the part at fault, ``rule`` why.

    The message names a column as it is written, any other part in words.
    """

    def __init__(self, clause: Node, rule: str) -> None:
        self.clause = clause
        self.rule = rule
        said = clause.name if isinstance(clause, Column) else words(clause)
        super().__init__(f"{said}: {rule}")


def _literal_kind(fixed: object) -> Kind | None:
    if fixed is None:
        return None
    if isinstance(fixed, bool):
        return Kind.FLAG
    if isinstance(fixed, int):
        return Kind.INTEGER
    if isinstance(fixed, float):
        return Kind.NUMBER
    if isinstance(fixed, date):
        return Kind.DATE
    return Kind.TEXT


def _together(a: Kind | None, b: Kind | None) -> Kind | bool | None:
    """The kind two values share (``None``: either is a missing literal), or ``False``."""
    if a is None or b is None:
        return a or b
    if a == b:
        return a
    if {a, b} <= _NUMBERS:
        return Kind.NUMBER
    return False


def kind_of(node: Value, kinds: Mapping[str, Kind]) -> Kind | None:
    """The kind of value ``node`` holds over columns of ``kinds`` (``None``: a missing literal).

    Raises :class:`ClauseError` naming the part at fault: an unknown column (with
    the nearest names), or values of kinds that do not go together.
    """
    match node:
        case Column(name):
            if name not in kinds:
                near = difflib.get_close_matches(name, list(kinds), n=3)
                hint = f"; did you mean {' or '.join(near)}?" if near else ""
                known = ", ".join(kinds)
                raise ClauseError(node, f"no such column (the columns are {known}){hint}")
            return kinds[name]
        case Lit(fixed):
            return _literal_kind(fixed)
        case DaysBetween(start, end):
            for side in (start, end):
                if kind_of(side, kinds) not in (Kind.DATE, None):
                    raise ClauseError(node, f"{words(side)} is not a date")
            return Kind.INTEGER
        case Coalesce(values):
            shared: Kind | None = None
            for each in values:
                together = _together(shared, kind_of(each, kinds))
                if together is False:
                    raise ClauseError(node, "its values are not of one kind")
                shared = together  # type: ignore[assignment]
            return shared
        case PeriodStart(months):
            if months < 1:
                raise ClauseError(node, "a window has at least one month")
            return Kind.DATE
        case PeriodEnd():
            return Kind.DATE
    raise ClauseError(node, "is a condition where a value is needed")


def check(node: Clause, kinds: Mapping[str, Kind]) -> None:
    """Check condition ``node`` over columns of ``kinds``: :class:`ClauseError` if it breaks a rule.

    >>> from cypmh.clauses.nodes import Column, Compare, Lit
    >>> check(Compare("<", Column("received_date"), Lit("C10")), {"received_date": Kind.DATE})
    Traceback (most recent call last):
    cypmh.clauses.checking.ClauseError: received date is less than C10: compares a date with text
    """
    match node:
        case Compare(op, left, right):
            a, b = kind_of(left, kinds), kind_of(right, kinds)
            together = _together(a, b)
            if together is False:
                raise ClauseError(node, f"compares {_a(a)} with {_a(b)}")
            if op not in ("==", "!=") and together is Kind.FLAG:
                raise ClauseError(node, "flags are compared only with = and !=")
        case IsNull(of):
            kind_of(of, kinds)
        case In(of, values):
            kind = kind_of(of, kinds)
            if kind not in (Kind.TEXT, Kind.INTEGER, None):
                raise ClauseError(node, f"'in' takes text or whole numbers, not {_a(kind)}")
            for item in values:
                if _together(kind, _literal_kind(item)) is False:
                    raise ClauseError(node, f"lists {item!r}, which is not {_a(kind)}")
        case Not(clause):
            check(clause, kinds)
        case All(clauses) | Any(clauses):
            for clause in clauses:
                check(clause, kinds)
        case Within(of, months):
            if months < 1:
                raise ClauseError(node, "a window has at least one month")
            if kind_of(of, kinds) not in (Kind.DATE, None):
                raise ClauseError(node, f"{words(of)} is not a date")
        case AgeBetween(birth, on, low, high):
            for side in (birth, on):
                if kind_of(side, kinds) not in (Kind.DATE, None):
                    raise ClauseError(node, f"{words(side)} is not a date")
            if not 0 <= low <= high:
                raise ClauseError(node, "the ages must run from 0 or more upwards")
        case _:
            raise ClauseError(node, "is a value where a condition is needed")


def _a(kind: Kind | None) -> str:
    return {
        Kind.TEXT: "text",
        Kind.DATE: "a date",
        Kind.INTEGER: "a whole number",
        Kind.NUMBER: "a number",
        Kind.FLAG: "a flag",
        None: "a missing value",
    }[kind]
