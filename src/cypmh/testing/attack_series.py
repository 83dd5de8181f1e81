"""The attacker on a trend: the months of a series read together, by exact constraints.

:func:`attack_series` reads the records of ``cypmh trend`` (or any set of
monthly reports of one area) month by month as :func:`cypmh.testing.attack.attack`
reads one report, then joins the months: every windowed count
(:data:`cypmh.metrics.disclosure_series.WINDOWS`: REF01's 12 months of
referrals, REJ01a's one, REF02's base year, MHS130's 3 months, an SDQ
collection year) is a sum over its window of unknown monthly counts, each at
least 0. The exact integer bounds of every such sum follow from all the
others (:func:`cypmh.metrics.disclosure_series.chain_bounds`); they narrow
each month's ranges, which narrow the month's table again, to a fixpoint.

It also reads a ``*`` as a count under 5 where that leaves one value (a
``*`` under ``safe`` is under 5 unless it protects another cell): the issue
that asked for this channel found REJ01a for a month pinned that way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from cypmh.metrics.disclosure_series import chain_bounds, window_of
from cypmh.metrics.results import ResultRow
from cypmh.periods import Month
from cypmh.testing.attack import AttackResult, Key, Table, read_table

__all__ = ["attack_series", "monthly"]


def monthly(records: Iterable[Mapping[str, Any]]) -> dict[Month, list[Mapping[str, Any]]]:
    """A trend's records by month (of ``REPORTING_PERIOD_END``)."""
    months: dict[Month, list[Mapping[str, Any]]] = {}
    for record in records:
        month = Month.parse(str(record["REPORTING_PERIOD_END"])[:7])
        months.setdefault(month, []).append(record)
    return months


def attack_series(
    months: Mapping[Month, Sequence[Mapping[str, Any]]],
    policy: str,
    *,
    truth: Mapping[Month, Iterable[ResultRow]],
    national: bool = False,
) -> AttackResult:
    """Attack the months' records together; score each month against its ``truth`` rows."""
    tables = {
        month: read_table(records, policy, national=national) for month, records in months.items()
    }
    for _ in range(20):
        before = {month: dict(table.domains) for month, table in tables.items()}
        for table in tables.values():
            table.settle()
        _join(tables)
        if all(tables[month].domains == before[month] for month in tables):
            break
    hidden, recovered = 0, []
    for month, table in tables.items():
        n, found = table.score(truth.get(month, ()), under_five=True)
        hidden += n
        recovered += found
    return AttackResult(hidden=hidden, recovered=tuple(recovered))


def _join(tables: Mapping[Month, Table]) -> None:
    """Narrow every windowed count by the exact bounds its series' other counts give."""
    chains: dict[tuple[str, str, str], list[tuple[Month, Key, int, int]]] = {}
    for month, table in tables.items():
        for key in table.domains:
            placed = window_of(key, month)
            if placed is not None:
                chains.setdefault(placed[0], []).append((month, key, placed[1], placed[2]))
    for members in chains.values():
        sums = [(first, last, *tables[month].domains[key]) for month, key, first, last in members]
        bounds = chain_bounds(sums)
        if not bounds.feasible:
            continue
        for month, key, first, last in members:
            tables[month].narrow(
                key, bounds.span(first, last), f"series ({month} with other months)"
            )
