"""Interpreter 1: a clause over one record, in plain Python (the reference).

A record is a mapping of column names to values, or an object with the columns as
attributes (a :class:`~cypmh.model.Referral`, say; an enum attribute is read as its
code). Dates are :class:`datetime.date`; ``None`` is missing. A condition's value is
``True``, ``False`` or ``None`` (unknown), as :mod:`cypmh.clauses` states; :func:`holds`
is whether the record passes.
"""

from __future__ import annotations

import enum
import operator
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any as AnyValue

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
    Not,
    Operator,
    PeriodEnd,
    PeriodStart,
    Value,
    Within,
)
from cypmh.periods import Month, RollingMonths

__all__ = ["holds", "read", "truth", "value"]

COMPARE: Mapping[Operator, Callable[[AnyValue, AnyValue], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def read(record: object, name: str) -> AnyValue:
    """Column ``name`` of ``record``: a mapping's item or an object's attribute (``None``: none)."""
    found = record.get(name) if isinstance(record, Mapping) else getattr(record, name, None)
    # A model's code is an enum; its column holds the code (as tables.schema writes it).
    return found.value if isinstance(found, enum.Enum) else found


def _ymd(day: date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def value(node: Value, record: object, month: Month) -> AnyValue:
    """The value of ``node`` for ``record`` in reporting month ``month`` (``None``: missing)."""
    match node:
        case Column(name):
            return read(record, name)
        case Lit(fixed):
            return fixed
        case DaysBetween(start, end):
            first, last = value(start, record, month), value(end, record, month)
            return None if first is None or last is None else (last - first).days
        case Coalesce(values):
            return next(
                (v for v in (value(each, record, month) for each in values) if v is not None),
                None,
            )
        case PeriodStart(months):
            return RollingMonths(last=month, months=months).start
        case PeriodEnd():
            return month.last_day
    raise TypeError(f"not a value node: {node!r}")  # pragma: no cover - the types forbid it


def truth(node: Clause, record: object, month: Month) -> bool | None:
    """Whether ``record`` passes ``node``: ``True``, ``False`` or ``None`` (unknown)."""
    match node:
        case Compare(op, left, right):
            a, b = value(left, record, month), value(right, record, month)
            return None if a is None or b is None else COMPARE[op](a, b)
        case IsNull(of):
            return value(of, record, month) is None
        case In(of, values):
            found = value(of, record, month)
            return None if found is None else found in values
        case Not(clause):
            inner = truth(clause, record, month)
            return None if inner is None else not inner
        case All(clauses):
            seen = [truth(c, record, month) for c in clauses]
            return False if False in seen else (None if None in seen else True)
        case Any(clauses):
            seen = [truth(c, record, month) for c in clauses]
            return True if True in seen else (None if None in seen else False)
        case Within(of, months):
            day = value(of, record, month)
            window = RollingMonths(last=month, months=months)
            return None if day is None else window.start <= day <= window.end
        case AgeBetween(birth, on, low, high):
            born, day = value(birth, record, month), value(on, record, month)
            if born is None or day is None:
                return None
            return low * 10000 <= _ymd(day) - _ymd(born) <= high * 10000 + 9999
    raise TypeError(f"not a condition node: {node!r}")  # pragma: no cover - the types forbid it


def holds(node: Clause, record: object, month: Month) -> bool:
    """Whether ``record`` passes ``node``: an unknown result does not pass, as in SQL's WHERE."""
    return truth(node, record, month) is True
