"""Interpreter 2: a clause as narwhals expressions, over the engine's prepared frames.

The frames are the dataframe engine's (:func:`~cypmh.metrics.frames.engine.prepare_tables`):
a date column holds its day number, with ``<column>_ymd`` (``YYYYMMDD``) beside it.

Three-valued logic is not left to the backends, which differ on it (pandas' ``isin``
says ``False`` of a missing value where Polars says unknown). Each condition is
compiled to two expressions that are never missing: *holds* (the condition is true)
and *fails* (it is false). Where neither is true, the condition is unknown.
``not`` swaps them; ``all`` holds when every part holds and fails when one fails;
``any`` the other way round. Parts that are the same on every row (the period's
end, a literal) are worked out here, in Python, so no backend is handed a filter
without a column.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeAlias

import attrs
import narwhals as nw

from cypmh.clauses.evaluate import truth
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
    walk,
)
from cypmh.periods import Month, RollingMonths
from cypmh.tables.exprs import day_number, in_range, ymd_number

__all__ = ["Fixed", "condition", "holds_and_fails", "truths", "value"]

NEGATED: dict[Operator, Operator] = {
    "==": "!=",
    "!=": "==",
    "<": ">=",
    "<=": ">",
    ">": "<=",
    ">=": "<",
}


@attrs.frozen
class Fixed:
    """A value that is the same on every row (``None``: missing on every row)."""

    value: object


Compiled: TypeAlias = nw.Expr | Fixed
Truth: TypeAlias = nw.Expr | bool
"""A compiled *holds* or *fails*: an expression never missing, or the same on every row."""


def _literal(fixed: object) -> nw.Expr:
    if isinstance(fixed, date):
        return nw.lit(day_number(fixed))
    assert isinstance(fixed, str | int | float | bool)  # a literal's types (nodes.Scalar)
    return nw.lit(fixed)


def _ymd_literal(fixed: object) -> nw.Expr:
    assert isinstance(fixed, date)
    return nw.lit(ymd_number(fixed))


def value(node: Value, month: Month) -> Compiled:
    """``node`` as an expression (a date as its day number), or :class:`Fixed`."""
    match node:
        case Column(name):
            return nw.col(name)
        case Lit(fixed):
            return Fixed(fixed)
        case PeriodStart(months):
            return Fixed(RollingMonths(last=month, months=months).start)
        case PeriodEnd():
            return Fixed(month.last_day)
        case DaysBetween(start, end):
            first, last = value(start, month), value(end, month)
            if isinstance(first, Fixed) and isinstance(last, Fixed):
                if not isinstance(first.value, date) or not isinstance(last.value, date):
                    return Fixed(None)  # missing (the types allow only dates here)
                return Fixed((last.value - first.value).days)
            if _missing(first) or _missing(last):
                return Fixed(None)
            return _expr(last) - _expr(first)
        case Coalesce(values):
            return _coalesce([value(v, month) for v in values], _expr)
    raise TypeError(f"not a value node: {node!r}")  # pragma: no cover - the types forbid it


def _ymd(node: Value, month: Month) -> Compiled:
    """A date-valued ``node`` as its ``YYYYMMDD`` number, or :class:`Fixed` (a date)."""
    match node:
        case Column(name):
            return nw.col(f"{name}_ymd")
        case Coalesce(values):
            return _coalesce([_ymd(v, month) for v in values], _ymd_expr)
    return value(node, month)  # a literal or the period's day: Fixed


def _coalesce(parts: list[Compiled], to_expr: Callable[[Compiled], nw.Expr]) -> Compiled:
    kept: list[Compiled] = []
    for part in parts:
        if isinstance(part, Fixed):
            if part.value is None:
                continue
            kept.append(part)
            break  # a present fixed value ends the search
        kept.append(part)
    if not kept:
        return Fixed(None)
    if len(kept) == 1:
        return kept[0]
    return nw.coalesce(*(to_expr(p) for p in kept))


def _missing(part: Compiled) -> bool:
    """Whether ``part`` is missing on every row."""
    return isinstance(part, Fixed) and part.value is None


def _expr(part: Compiled) -> nw.Expr:
    return _literal(part.value) if isinstance(part, Fixed) else part


def _ymd_expr(part: Compiled) -> nw.Expr:
    return _ymd_literal(part.value) if isinstance(part, Fixed) else part


def _and(a: Truth, b: Truth) -> Truth:
    if a is False or b is False:
        return False
    if a is True:
        return b
    if b is True:
        return a
    return a & b


def _or(a: Truth, b: Truth) -> Truth:
    if a is True or b is True:
        return True
    if a is False:
        return b
    if b is False:
        return a
    return a | b


def _fold(join: Callable[[Truth, Truth], Truth], parts: list[Truth], empty: bool) -> Truth:
    """``parts`` joined by ``join`` (``empty`` when there are none)."""
    result: Truth = empty
    for part in parts:
        result = join(result, part)
    return result


def _fixed_truth(node: Clause, month: Month) -> tuple[Truth, Truth]:
    """A condition on no column: worked out once, here."""
    found = truth(node, {}, month)
    return found is True, found is False


def holds_and_fails(node: Clause, month: Month) -> tuple[Truth, Truth]:
    """(*holds*, *fails*) of ``node``: each an expression never missing, or a constant."""
    if not any(isinstance(n, Column) for n in walk(node)):
        return _fixed_truth(node, month)
    match node:
        case Compare(op, left, right):
            a, b = value(left, month), value(right, month)
            if _missing(a) or _missing(b):
                return False, False
            if isinstance(a, Fixed) and isinstance(b, Fixed):
                return _fixed_truth(Compare(op, Lit(a.value), Lit(b.value)), month)  # type: ignore[arg-type]
            x, y = _expr(a), _expr(b)
            holds = _comparison(op, x, y).fill_null(value=False)
            fails = _comparison(NEGATED[op], x, y).fill_null(value=False)
            return holds, fails
        case IsNull(of):
            found = value(of, month)
            if isinstance(found, Fixed):
                return found.value is None, found.value is not None
            return found.is_null(), ~found.is_null()
        case In(of, values):
            found = value(of, month)
            if isinstance(found, Fixed):
                return _fixed_truth(In(Lit(found.value), values), month)  # type: ignore[arg-type]
            if not values:
                return False, ~found.is_null()
            inside = found.is_in(list(values))
            return inside.fill_null(value=False), ~found.is_null() & (~inside).fill_null(
                value=False
            )
        case Not(clause):
            inner_holds, inner_fails = holds_and_fails(clause, month)
            return inner_fails, inner_holds
        case All(clauses):
            parts = [holds_and_fails(c, month) for c in clauses]
            return (
                _fold(_and, [h for h, _ in parts], True),
                _fold(_or, [f for _, f in parts], False),
            )
        case Any(clauses):
            parts = [holds_and_fails(c, month) for c in clauses]
            return (
                _fold(_or, [h for h, _ in parts], False),
                _fold(_and, [f for _, f in parts], True),
            )
        case Within(of, months):
            found = value(of, month)
            if isinstance(found, Fixed):
                return _fixed_truth(Within(Lit(found.value), months), month)  # type: ignore[arg-type]
            window = RollingMonths(last=month, months=months)
            inside = in_range(found, day_number(window.start), day_number(window.end))
            return inside, ~found.is_null() & ~inside
        case AgeBetween(birth, on, low, high):
            born, day = _ymd(birth, month), _ymd(on, month)
            if _missing(born) or _missing(day):
                return False, False
            if isinstance(born, Fixed) and isinstance(day, Fixed):
                fixed = AgeBetween(Lit(born.value), Lit(day.value), low, high)  # type: ignore[arg-type]
                return _fixed_truth(fixed, month)
            b, d = _ymd_expr(born), _ymd_expr(day)
            inside = in_range(d - b, low * 10000, high * 10000 + 9999)
            return inside, ~b.is_null() & ~d.is_null() & ~inside
    raise TypeError(f"not a condition node: {node!r}")  # pragma: no cover - the types forbid it


def _comparison(op: Operator, x: nw.Expr, y: nw.Expr) -> nw.Expr:
    match op:
        case "==":
            return x == y
        case "!=":
            return x != y
        case "<":
            return x < y
        case "<=":
            return x <= y
        case ">":
            return x > y
    return x >= y


def _rowwise(part: Truth, anchor: str) -> nw.Expr:
    if isinstance(part, bool):
        column = nw.col(anchor)
        every = column.is_null() | ~column.is_null()
        return every if part else ~every
    return part


def condition(node: Clause, month: Month, *, anchor: str = "person_id") -> nw.Expr:
    """An expression true on exactly the rows that pass ``node`` (never missing), for ``filter``.

    ``anchor`` names a column of the frame, used only where the clause holds on every
    row or on none (pandas refuses to filter on a bare literal).
    """
    holds, _ = holds_and_fails(node, month)
    return _rowwise(holds, anchor)


def truths(node: Clause, month: Month, *, anchor: str = "person_id") -> tuple[nw.Expr, nw.Expr]:
    """(*holds*, *fails*) of ``node`` as row-wise expressions: unknown where neither is true."""
    holds, fails = holds_and_fails(node, month)
    return _rowwise(holds, anchor), _rowwise(fails, anchor)
