"""Interpreter 4: a clause in words, for the metric pages, ``cypmh metrics ID`` and ``why``.

``labels`` names columns in words (``{"team_type": "team type"}``); a column without
a label is written as its name with spaces. ``kinds`` says which columns hold dates,
so that a comparison of dates reads "on or after" rather than "at least".
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from cypmh.clauses.evaluate import read
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
    walk,
)
from cypmh.clauses.why import Failure
from cypmh.periods import Month, RollingMonths
from cypmh.tables.schema import Kind

__all__ = ["describe", "words"]

_ON_NUMBERS = {
    "==": "is",
    "!=": "is not",
    "<": "is less than",
    "<=": "is at most",
    ">": "is more than",
    ">=": "is at least",
}
_ON_DATES = {
    "==": "is",
    "!=": "is not",
    "<": "is before",
    "<=": "is on or before",
    ">": "is after",
    ">=": "is on or after",
}


def _scalar(fixed: object) -> str:
    if fixed is None:
        return "missing"
    if isinstance(fixed, bool):
        return "yes" if fixed else "no"
    if isinstance(fixed, date):
        return fixed.isoformat()
    if isinstance(fixed, str):
        return fixed if fixed.strip() == fixed and fixed else repr(fixed)
    return str(fixed)


def _months(months: int, month: Month | None = None) -> str:
    said = (
        "the reporting month" if months == 1 else f"the {months} months ending at the period's end"
    )
    if month is None:
        return said
    window = RollingMonths(last=month, months=months)
    return f"{said} ({window.start.isoformat()} to {window.end.isoformat()})"


def _is_date(node: Value, kinds: Mapping[str, Kind]) -> bool:
    match node:
        case Column(name):
            return kinds.get(name) is Kind.DATE
        case Lit(fixed):
            return isinstance(fixed, date)
        case PeriodStart() | PeriodEnd():
            return True
        case Coalesce(values):
            return any(_is_date(v, kinds) for v in values)
    return False


def _not_in_or_missing(node: Node) -> bool:
    """``x is null or not x in (...)``: said as one phrase."""
    match node:
        case Any((IsNull(missing), Not(In(of)))):
            return bool(missing == of)
    return False


def words(
    node: Node,
    labels: Mapping[str, str] | None = None,
    kinds: Mapping[str, Kind] | None = None,
    month: Month | None = None,
) -> str:
    """``node`` in words; with ``month``, the windows' days too.

    >>> from cypmh.clauses.nodes import Column, In, Not
    >>> words(Not(In(Column("team_type"), ("B02", "A14"))), {"team_type": "team type"})
    'team type is not one of B02, A14'
    """
    names, types = labels or {}, kinds or {}

    def say(n: Node) -> str:
        return words(n, names, types, month)

    def part(n: Clause, within: type[All | Any] | None = None) -> str:
        text = say(n)
        bracket = (
            isinstance(n, All | Any)
            and len(n.clauses) > 1
            and type(n) is not within
            and not _not_in_or_missing(n)
        )
        return f"({text})" if bracket else text

    match node:
        case Column(name):
            return names.get(name, name.replace("_", " "))
        case Lit(fixed):
            return _scalar(fixed)
        case DaysBetween(start, end):
            return f"the days from {say(start)} to {say(end)}"
        case Coalesce(values):
            return "the first present of " + ", ".join(say(v) for v in values)
        case PeriodStart(months):
            if month is not None:
                return RollingMonths(last=month, months=months).start.isoformat()
            return "the period's start" if months == 1 else f"the start of {_months(months)}"
        case PeriodEnd():
            return "the period's end" if month is None else month.last_day.isoformat()
        case Compare(op, left, right):
            on = _ON_DATES if _is_date(left, types) or _is_date(right, types) else _ON_NUMBERS
            return f"{say(left)} {on[op]} {say(right)}"
        case IsNull(of):
            return f"{say(of)} is missing"
        case In(of, values, name):
            listed = name or ", ".join(_scalar(v) for v in values) or "an empty list"
            return f"{say(of)} is one of {listed}"
        case Any((IsNull(), Not(In(of, values, name)))) if _not_in_or_missing(node):
            listed = name or ", ".join(_scalar(v) for v in values) or "an empty list"
            return f"{say(of)} is not one of {listed} (or is missing)"
        case Not(IsNull(of)):
            return f"{say(of)} is present"
        case Not(In(of, values, name)):
            listed = name or ", ".join(_scalar(v) for v in values) or "an empty list"
            return f"{say(of)} is not one of {listed}"
        case Not(clause):
            if isinstance(clause, All | Any):
                return f"not {part(clause)}"
            return f"not ({say(clause)})"
        case All(clauses):
            return " and ".join(part(c, All) for c in clauses) if clauses else "always"
        case Any(clauses):
            return " or ".join(part(c, Any) for c in clauses) if clauses else "never"
        case Within(of, months):
            return f"{say(of)} is in {_months(months, month)}"
        case AgeBetween(birth, on, low, high):
            return f"the age from {say(birth)} to {say(on)} is {low} to {high} years"
    raise TypeError(f"not a node: {node!r}")  # pragma: no cover - the types forbid it


def describe(
    failure: Failure,
    record: object = None,
    month: Month | None = None,
    labels: Mapping[str, str] | None = None,
    kinds: Mapping[str, Kind] | None = None,
    *,
    as_at: bool = False,
) -> str:
    """Why a record is kept out, from its :class:`~cypmh.clauses.why.Failure`.

    What the definition requires, then, with the ``record``, the values of the columns the
    clause reads (the clause is false, or unknown where one of them is missing); with
    the ``month``, the windows' days. With ``as_at`` (the record as it stood at the
    ``month``'s end), a missing value is one not recorded by that day.

    >>> from datetime import date
    >>> from cypmh.clauses.nodes import Column, IsNull, Not
    >>> from cypmh.clauses.why import first_failure
    >>> from cypmh.periods import Month
    >>> record = {"rejection_date": date(2025, 5, 2)}
    >>> failure = first_failure(IsNull(Column("rejection_date")), record, Month.parse("2025-05"))
    >>> describe(failure, record)
    'requires that rejection date is missing; here rejection date is 2025-05-02'
    >>> describe(failure)
    'requires that rejection date is missing'
    >>> failure = first_failure(Not(IsNull(Column("rejection_date"))), {}, Month.parse("2025-05"))
    >>> describe(failure, {}, Month.parse("2025-05"), as_at=True)
    'requires that rejection date is present; here no rejection date is recorded by 2025-05-31'
    """
    said = f"requires that {words(failure.clause, labels, kinds, month)}"
    if record is None:
        return said
    names = labels or {}
    columns = dict.fromkeys(n.name for n in walk(failure.clause) if isinstance(n, Column))
    shown = []
    for name in columns:
        found = read(record, name)
        label = names.get(name, name.replace("_", " "))
        if found is not None:
            shown.append(f"{label} is {_scalar(found)}")
        elif as_at and month is not None:
            shown.append(f"no {label} is recorded by {month.last_day.isoformat()}")
        else:
            shown.append(f"{label} is missing")
    return f"{said}; here {', '.join(shown)}" if shown else said
