"""Disclosure control across the months of a series: a trend read as one table.

Under ``safe`` each month is controlled as a table of its own
(:mod:`cypmh.metrics.disclosure`). A trend publishes the months side by
side, and a count over a window of months overlaps the same count a month
later: REF01 for July and for September are each a sum of twelve months of
referrals, and their difference is two of those months, less two others. With
the month's own count published too (REJ01a is the same referrals month by
month), a hidden month can fall out exactly.

So under ``safe`` a series is audited as one table before it is published.
Every count cell in :data:`WINDOWS` is read as a sum, over its window, of
unknown monthly counts, each at least 0; a shown count bounds that sum by
what its published value can stand for, a hidden one by nothing. Within a
month, the levels of a breakdown add up to the whole area. The audit works
out, for every hidden count and every single month's count, the least and
the most it can be. Sums over runs of months are difference constraints on
the running totals, so shortest paths give the exact integer bounds (the
constraint matrix is totally unimodular: no integer programming is needed).
Where a hidden count of 1 to 4 has one value under 5 left (a reader who
takes a ``*`` to be under 5, as it is unless it protects another cell,
learns it), or a month's count of 1 to 4 is pinned to one value, the
smallest shown count whose window covers it is hidden too,
and the months are controlled and audited again, until nothing is pinned.

What is not audited, and why: a count of distinct children over a window
(MHS95, ACC02's children looked after, CIN01's children counted at their first
assessment in a window that moves with the period) is not a sum of monthly counts; nor is
MRS08's count of clock stops, whose spells are built again as at each period
end; and a count at the period end (a caseload) is not a window at all. The docs page
``docs/explanation/disclosure.md`` says what the audit protects.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import attrs

from cypmh.metrics.disclosure import POLICIES, apply_disclosure, empty_cells, month_cells, preimage
from cypmh.metrics.published import Cell, Policy
from cypmh.metrics.results import WHOLE_AREA, ResultRow
from cypmh.periods import Month

__all__ = [
    "WINDOWS",
    "Chain",
    "ChainBounds",
    "MonthCells",
    "audit_series",
    "chain_bounds",
    "disclose_series",
    "window_of",
]

_NO_LIMIT = 10**12

Window = Callable[[int], tuple[int, int]]
"""From a period's month id, the first and last month ids of its window."""


def _ending(months: int, lag: int = 0) -> Window:
    """The ``months`` months ending ``lag`` months before the period's month."""
    return lambda month_id: (month_id - lag - months + 1, month_id - lag)


def _sdq_year(month_id: int) -> tuple[int, int]:
    """The 12 months ending at the last March on or before the month (the SDQ collection year)."""
    march = month_id - (Month.from_uniq_month_id(month_id).month - 3) % 12
    return march - 11, march


_R12 = _ending(12)
_R3 = _ending(3)

WINDOWS: dict[tuple[str, str], tuple[str, Window]] = {
    # Referrals received (REJ01a's a month; REF01's and REJ02's count a year; REF02's base the
    # year before): the same referrals (cyp_referrals), each in the month it was received.
    ("rejections/received_month", "count"): ("referrals received", _ending(1)),
    ("rejections/received_year", "count"): ("referrals received", _R12),
    ("referrals/received", "count"): ("referrals received", _R12),
    ("referrals/received_prior", "count"): ("referrals received", _ending(12, lag=12)),
    # MHS130-MHS132: referrals by the month of their first contact.
    ("first_contact_waits/first_contact", "count"): ("first contacts", _R3),
    ("first_contact_waits/first_contact", "values"): ("first contacts", _R3),
    # Not MRS08-MRS08b: the four-week spells are built again as at each period end (a later
    # referral can join a spell, and move its start and clock), so a month's 3-month count is
    # not a sum of counts fixed month by month. Read as one, consecutive windows imply months
    # below 0 (tests/property/test_series_disclosure.py checks every series declared here).
    # ED86-ED87j: eating-disorder referrals by the month their treatment started; each band
    # of the wait (ED86a-d, ED87a-d) a series of its own, the urgent target's band (7 days)
    # the same series as ED86e's numerator, the routine one's (28 days) ED87j's.
    ("eating_disorders/ed_urgent", "count"): ("ED urgent", _R12),
    ("eating_disorders/ed_urgent", "hits"): ("ED urgent 1_week", _R12),
    ("eating_disorders/ed_routine", "count"): ("ED routine", _R12),
    ("eating_disorders/ed_routine", "hits"): ("ED routine within", _R12),
    ("eating_disorders/ed_routine_within", "count"): ("ED routine within", _R12),
    **{
        cell: (series, _R12)
        for group in ("urgent", "routine")
        for band in ("1_week", "1_to_4_weeks", "4_to_12_weeks", "over_12_weeks")
        for cell, series in (
            ((f"eating_disorders/ed_{group}_{band}", "count"), f"ED {group} {band}"),
            ((f"eating_disorders/ed_{group}_{band}_share", "count"), f"ED {group}"),
            ((f"eating_disorders/ed_{group}_{band}_share", "hits"), f"ED {group} {band}"),
        )
    },
    # LAC01-LAC01d: periods of care by the month their assessment window closed.
    ("looked_after/due", "count"): ("LAC due", _R12),
    ("looked_after/due", "hits"): ("LAC assessed", _R12),
    ("looked_after/assessed", "count"): ("LAC assessed", _R12),
    ("looked_after/early", "count"): ("LAC early", _R12),
    ("looked_after/overdue", "count"): ("LAC overdue", _R12),
    # LAC02-LAC02b: periods of care by the month of their first assessment.
    ("looked_after/first_assessed", "count"): ("LAC first assessed", _R12),
    ("looked_after/first_assessed", "values"): ("LAC first assessed", _R12),
    # LINK02's school-source referrals, by the month received.
    ("school_links/school_referrals", "count"): ("school referrals", _R12),
    # SDQ01-SDQ03c: one collection year, the same children in every month of it.
    ("sdq/eligible", "count"): ("SDQ eligible", _sdq_year),
    ("sdq/eligible", "hits"): ("SDQ scored", _sdq_year),
    ("sdq/scored", "values"): ("SDQ scored", _sdq_year),
    **{
        (f"sdq/band_{band}", quantity): (name, _sdq_year)
        for band in ("normal", "borderline", "concern")
        for quantity, name in (("count", "SDQ scored"), ("hits", f"SDQ {band}"))
    },
}
"""Each windowed count cell ``(population, quantity)``: the monthly series it sums, and its window.

Cells of one series at one breakdown level are sums of the same monthly counts."""

Chain = tuple[str, str, str]
"""(monthly series, breakdown, level)."""


def window_of(cell: Cell, month: Month) -> tuple[Chain, int, int] | None:
    """The chain a cell belongs to and its window's first and last month ids, if it is windowed."""
    population, quantity, breakdown, level = cell
    spec = WINDOWS.get((population, quantity))
    if spec is None:
        return None
    series, window = spec
    first, last = window(month.uniq_month_id)
    return (series, breakdown, level), first, last


@attrs.frozen
class ChainBounds:
    """The exact integer bounds of every run of months, given sums over runs.

    ``span(first, last)`` is the least and the most the months' total can be;
    ``feasible`` is False where the sums contradict each other (the chain's
    cells then do not add up as :data:`WINDOWS` says, and nothing is inferred).
    """

    feasible: bool
    origin: int
    distance: tuple[tuple[int, ...], ...]

    def span(self, first: int, last: int) -> tuple[int, int]:
        """The least and the most the months from ``first`` to ``last`` can add up to."""
        a, b = first - 1 - self.origin, last - self.origin
        high = self.distance[a][b]
        low = -self.distance[b][a]
        return max(0, low), high


def chain_bounds(sums: Sequence[tuple[int, int, int, int]]) -> ChainBounds:
    """Bounds from ``sums``, each (first month id, last month id, least, most); months >= 0.

    The running totals ``P`` (``P[k]`` the sum up to month ``k``) meet
    ``least <= P[last] - P[first - 1] <= most`` and ``P[k - 1] <= P[k]``:
    difference constraints, whose tightest bounds are shortest paths
    (Floyd-Warshall over the months, a few dozen nodes).

    Two months' total shown as 7 and the first month as 3 leave the second
    (hidden) at exactly 4; a third month, bounded by nothing, stays open:

    >>> bounds = chain_bounds([(1, 2, 7, 7), (1, 1, 3, 3), (2, 2, 0, 10**12), (3, 3, 0, 10**12)])
    >>> bounds.span(2, 2), bounds.span(3, 3)[0]
    ((4, 4), 0)
    """
    origin = min(s[0] for s in sums) - 1
    n = max(s[1] for s in sums) - origin + 1
    inf = _NO_LIMIT * 4
    d = [[0 if i == j else inf for j in range(n)] for i in range(n)]
    for k in range(1, n):  # P[k-1] - P[k] <= 0
        d[k][k - 1] = min(d[k][k - 1], 0)
    for first, last, low, high in sums:
        a, b = first - 1 - origin, last - origin
        if high < _NO_LIMIT:
            d[a][b] = min(d[a][b], high)
        d[b][a] = min(d[b][a], -low)
    for k in range(n):
        row_k = d[k]
        for i in range(n):
            row_i = d[i]
            through = row_i[k]
            if through >= inf:
                continue
            for j in range(n):
                length = through + row_k[j]
                if length < row_i[j]:
                    row_i[j] = length
    feasible = all(d[i][i] >= 0 for i in range(n))
    return ChainBounds(feasible=feasible, origin=origin, distance=tuple(map(tuple, d)))


@attrs.frozen
class MonthCells:
    """One month's count cells: the true counts, the cells its control hides, those known empty.

    ``empty`` are the cells a reader can tell are 0 (a row with no value:
    a percentage of no one), ``occupied`` those they can tell are at least 1
    (a percentage with a value, even a hidden one).
    """

    month: Month
    values: Mapping[Cell, int]
    hidden: frozenset[Cell]
    empty: frozenset[Cell] = frozenset()
    occupied: frozenset[Cell] = frozenset()


def audit_series(
    months: Sequence[MonthCells], rule: Policy, national: bool
) -> set[tuple[int, Cell]]:
    """The (month index, cell) pairs to hide next so that fewer hidden counts are pinned.

    Empty when no hidden count of 1 to 4, and no month's count of 1 to 4, is
    pinned by the months' published counts read together.
    """
    domains: dict[tuple[int, Cell], tuple[int, int]] = {}
    for i, month in enumerate(months):
        for cell, n in month.values.items():
            if cell in month.empty:
                domains[(i, cell)] = (0, 0)
            elif cell in month.hidden:
                domains[(i, cell)] = (1 if cell in month.occupied else 0, _NO_LIMIT)
            else:
                is_national = national and cell[2] == WHOLE_AREA
                domains[(i, cell)] = preimage(
                    rule, int(rule.count(n, is_national) or 0), is_national
                )
    # A level with members in some months is published in every month of a trend, and a
    # reader can tell it had none where it is absent: it is 0 there.
    present: dict[Cell, set[int]] = {}
    for i, month in enumerate(months):
        for cell in month.values:
            present.setdefault(cell, set()).add(i)
    for cell, seen in present.items():
        if WINDOWS.get(cell[:2]) is not None:
            for i in set(range(len(months))) - seen:
                domains[(i, cell)] = (0, 0)
    chains: dict[Chain, list[tuple[int, Cell, int, int]]] = {}
    for i, cell in domains:
        placed = window_of(cell, months[i].month)
        if placed is not None:
            chains.setdefault(placed[0], []).append((i, cell, placed[1], placed[2]))
    pinned_months: dict[Chain, set[tuple[int, int]]] = {}
    solved: dict[Chain, list[tuple[int, int]]] = {}
    for _ in range(12):
        before = dict(domains)
        _tables(domains, months)
        for chain, members in chains.items():
            inputs = [domains[(i, cell)] for i, cell, _, _ in members]
            if solved.get(chain) == inputs or all(high >= _NO_LIMIT for _, high in inputs):
                continue
            sums = [(first, last, *domains[(i, cell)]) for i, cell, first, last in members]
            bounds = chain_bounds(sums)
            if bounds.feasible:
                for i, cell, first, last in members:
                    low, high = domains[(i, cell)]
                    span = bounds.span(first, last)
                    low = max(low, span[0])
                    domains[(i, cell)] = (low, max(low, min(high, span[1])))
                runs = range(min(s[0] for s in sums), max(s[1] for s in sums) + 1)
                spans = {k: bounds.span(k, k) for k in runs}
                pinned_months[chain] = {
                    (k, k) for k, (lo, hi) in spans.items() if lo == hi and 1 <= lo <= 4
                }
            solved[chain] = [domains[(i, cell)] for i, cell, _, _ in members]
        if domains == before:
            break
    targets: list[tuple[Chain | None, int, int, int, Cell]] = []
    for i, month in enumerate(months):
        for cell in month.hidden:
            low, high = domains.get((i, cell), (0, _NO_LIMIT))
            # A reader who takes a ``*`` to be under 5 (as it is, unless it protects another
            # cell) learns the count when only one value under 5 is left.
            if 1 <= month.values.get(cell, 0) <= 4 and low == min(high, 4):
                placed = window_of(cell, month.month)
                if placed is None:
                    targets.append((None, i, 0, 0, cell))
                else:
                    targets.append((placed[0], i, placed[1], placed[2], cell))
    for chain, pinned in pinned_months.items():
        for first, last in pinned:
            targets.append((chain, -1, first, last, ("", "", chain[1], chain[2])))
    return _remedies(targets, chains, months, domains)


def disclose_series(
    months: Sequence[Month],
    rows: Sequence[Sequence[ResultRow]],
    policy: str,
    *,
    national: bool = False,
) -> list[tuple[ResultRow, ...]]:
    """Each month's rows with their published fields set, the months audited as one table.

    Under ``safe`` (the only policy that protects cells) with two months or
    more, the months are controlled, audited together (:func:`audit_series`),
    and controlled again with the cells the audit names, until the audit
    names none. Each month keeps hidden what its own report hides (a reader
    may hold the report and the trend), so a series only ever hides more.
    Otherwise each month is controlled on its own.
    """
    rule = POLICIES[policy]
    if not rule.safe_cells or len(months) < 2:
        return [apply_disclosure(r, policy, national=national) for r in rows]
    forced: list[set[Cell]] = [set() for _ in months]
    cells: list[MonthCells] = []
    stale = set(range(len(months)))
    while True:
        for i in sorted(stale):
            values, hidden = month_cells(rows[i], policy, national=national, hide=forced[i])
            # What the month's own report hides stays hidden: a reader may hold both.
            forced[i] |= hidden
            empty, occupied = empty_cells(rows[i])
            month = MonthCells(
                month=months[i],
                values=values,
                hidden=frozenset(hidden),
                empty=frozenset(empty),
                occupied=frozenset(occupied),
            )
            if i < len(cells):
                cells[i] = month
            else:
                cells.append(month)
        more = audit_series(cells, rule, national)
        more = {(i, cell) for i, cell in more if cell not in cells[i].hidden}
        if not more:
            break
        stale = {i for i, _ in more}
        for i, cell in more:
            forced[i].add(cell)
    return [
        apply_disclosure(r, policy, national=national, hide=month.hidden)
        for r, month in zip(rows, cells, strict=True)
    ]


def _tables(domains: dict[tuple[int, Cell], tuple[int, int]], months: Sequence[MonthCells]) -> None:
    """Narrow each month's ranges by its breakdowns: the levels add up to the whole area."""
    groups: dict[tuple[int, str, str, str], list[tuple[int, Cell]]] = {}
    for key in domains:
        i, (population, quantity, breakdown, _) = key
        if breakdown != WHOLE_AREA:
            groups.setdefault((i, population, quantity, breakdown), []).append(key)
    for (i, population, quantity, _), levels in groups.items():
        total = (i, (population, quantity, WHOLE_AREA, WHOLE_AREA))
        if total not in domains:
            continue
        low = sum(domains[k][0] for k in levels)
        high = sum(domains[k][1] for k in levels)  # a hidden level makes it at least _NO_LIMIT
        t_low, t_high = domains[total]
        t_low, t_high = max(t_low, low), min(t_high, high)
        domains[total] = (t_low, t_high)
        for k in levels:
            others_low = low - domains[k][0]
            others_high = high - domains[k][1]
            k_low = max(domains[k][0], t_low - others_high)
            k_high = min(domains[k][1], max(0, t_high - others_low))
            domains[k] = (k_low, max(k_low, k_high))


def _remedies(
    targets: list[tuple[Chain | None, int, int, int, Cell]],
    chains: Mapping[Chain, list[tuple[int, Cell, int, int]]],
    months: Sequence[MonthCells],
    domains: Mapping[tuple[int, Cell], tuple[int, int]],
) -> set[tuple[int, Cell]]:
    """For each pinned count, the smallest shown count whose window covers it.

    Failing that, the smallest shown count of its kind in its own month.
    """
    chosen: set[tuple[int, Cell]] = set()
    for chain, index, first, last, cell in targets:
        candidates = []
        if chain is not None:
            candidates = [
                (months[i].values[c], -i, c)
                for i, c, a, b in chains[chain]
                if c in months[i].values and c not in months[i].hidden and a <= last and first <= b
            ]
        if not candidates and index >= 0:
            candidates = [
                (n, -index, c)
                for c, n in months[index].values.items()
                if c[:2] == cell[:2] and c not in months[index].hidden
            ]
        if candidates:
            _, i, c = min(candidates)
            chosen.add((-i, c))
    return chosen
