"""Hypothesis strategies for the clause language: random trees, and random records to test them on.

:func:`conditions` builds well-typed condition trees over columns of given kinds, with
every node type of :mod:`cypmh.clauses.nodes` reachable (the generative test proves it);
:func:`records` builds records whose values come from short lists, so that equal
values, the window's edges and missing values are common.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any as AnyValue

from hypothesis import strategies as st

from cypmh.clauses.nodes import (
    OPERATORS,
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
    PeriodEnd,
    PeriodStart,
    Value,
    Within,
)
from cypmh.periods import Month
from cypmh.tables.schema import Kind

__all__ = ["DAYS", "MONTHS", "TEXTS", "conditions", "records", "values"]

MONTHS = tuple(Month(year=2025, month=m) for m in (1, 2, 3, 6, 12))
"""The reporting months trees are read in: windows of 1, 3 and 12 months ending in them
cross year ends and February (:data:`DAYS` holds the leap day 2024-02-29)."""

TEXTS = ("A1", "B02", "C10", "")
"""The text values: a few codes and an empty string."""

DAYS = tuple(
    sorted(
        {
            *(m.last_day for m in MONTHS),
            *(m.first_day for m in MONTHS),
            *(m.last_day + timedelta(days=1) for m in MONTHS),
            *(m.first_day - timedelta(days=1) for m in MONTHS),
            date(2024, 2, 29),
            date(2024, 3, 1),
            date(2007, 2, 28),
            date(2007, 3, 1),
            date(2006, 2, 28),
            date(2012, 6, 15),
        }
    )
)
"""The dates: the months' edges and the days beside them, leap days, and birthdays 17-18
years before them."""

WINDOWS = (1, 3, 12)
"""The windows' lengths in months."""

NUMBERS = (-1.5, 0.0, 2.0, 7.0)


def _columns(kinds: Mapping[str, Kind], kind: Kind) -> list[str]:
    return [name for name, k in kinds.items() if k is kind]


def _literal(kind: Kind) -> st.SearchStrategy[Lit]:
    plain: st.SearchStrategy[AnyValue] = {
        Kind.TEXT: st.sampled_from(TEXTS),
        Kind.DATE: st.sampled_from(DAYS),
        Kind.INTEGER: st.integers(-400, 400),
        Kind.NUMBER: st.sampled_from(NUMBERS),
        Kind.FLAG: st.booleans(),
    }[kind]
    return st.builds(Lit, plain | st.none())


def values(kinds: Mapping[str, Kind], kind: Kind, depth: int = 2) -> st.SearchStrategy[Value]:
    """Value trees of ``kind`` over the columns of ``kinds``, nested at most ``depth`` deep."""
    options: list[st.SearchStrategy[Value]] = [_literal(kind)]
    names = _columns(kinds, kind)
    if names:  # columns twice as often as each other option
        options += 2 * [st.builds(Column, st.sampled_from(names))]
    if kind is Kind.DATE:
        options.append(st.builds(PeriodStart, st.sampled_from(WINDOWS)))
        options.append(st.just(PeriodEnd()))
    if depth > 0:
        # Deferred, so that the strategy (and its repr) is not built out level by level.
        if kind is Kind.INTEGER:
            dates = st.deferred(lambda: values(kinds, Kind.DATE, depth - 1))
            options.append(st.builds(DaysBetween, dates, dates))
        inner = st.deferred(lambda: values(kinds, kind, depth - 1))
        options.append(st.builds(Coalesce, st.lists(inner, min_size=2, max_size=3)))
    return st.one_of(options)


def _kinds_in(kinds: Mapping[str, Kind]) -> list[Kind]:
    """The kinds values are drawn of: each column's, dates, and whole numbers (days between)."""
    return sorted({*kinds.values(), Kind.DATE, Kind.INTEGER}, key=lambda k: k.value)


def _leaves(kinds: Mapping[str, Kind]) -> st.SearchStrategy[Clause]:
    def compare(kind: Kind) -> st.SearchStrategy[Clause]:
        ops = st.sampled_from(("==", "!=") if kind is Kind.FLAG else OPERATORS)
        return st.builds(Compare, ops, values(kinds, kind), values(kinds, kind))

    listed = [k for k in (Kind.TEXT, Kind.INTEGER) if k in _kinds_in(kinds)]
    plain = {Kind.TEXT: st.sampled_from(TEXTS), Kind.INTEGER: st.integers(-400, 400)}
    dates = values(kinds, Kind.DATE)
    return st.one_of(
        *(compare(kind) for kind in _kinds_in(kinds)),
        st.one_of(*(values(kinds, kind) for kind in _kinds_in(kinds))).map(IsNull),
        *(
            st.builds(In, values(kinds, kind), st.lists(plain[kind], max_size=3).map(tuple))
            for kind in listed
        ),
        st.builds(Within, dates, st.sampled_from(WINDOWS)),
        st.builds(AgeBetween, dates, dates, st.integers(0, 4).map(lambda x: 4 * x), st.just(17)),
    )


def conditions(kinds: Mapping[str, Kind], *, max_leaves: int = 8) -> st.SearchStrategy[Clause]:
    """Well-typed condition trees over columns of ``kinds`` (see :func:`cypmh.clauses.check`)."""
    leaves = st.deferred(lambda: _leaves(kinds))  # a short repr, built when first drawn
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            inner.map(Not),
            st.lists(inner, max_size=3).map(All),
            st.lists(inner, max_size=3).map(Any),
        ),
        max_leaves=max_leaves,
    )


def records(kinds: Mapping[str, Kind]) -> st.SearchStrategy[dict[str, AnyValue]]:
    """Records with a value, or ``None``, for each column of ``kinds``."""
    plain: dict[Kind, st.SearchStrategy[AnyValue]] = {
        Kind.TEXT: st.sampled_from(TEXTS),
        Kind.DATE: st.sampled_from(DAYS),
        Kind.INTEGER: st.integers(-400, 400),
        Kind.NUMBER: st.sampled_from(NUMBERS),
        Kind.FLAG: st.booleans(),
    }
    return st.fixed_dictionaries({name: plain[kind] | st.none() for name, kind in kinds.items()})
