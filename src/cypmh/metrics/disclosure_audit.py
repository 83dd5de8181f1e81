"""The safe policy's audit of one month's table: whether what is shown pins a hidden count.

The safe policy hides cells by rules (:mod:`cypmh.metrics.disclosure`): the small
counts, complements of 1 to 4, the next-smallest level beside a hidden one, twins. The
rules reason about one breakdown at a time and take each hidden level to be at least 1.
A reader can do more: a hidden denominator is at least its shown numerator, and a
rounded total bounds what its hidden levels can add up to. So after the rules, the
table is audited as a reader would read it:

- a shown count stands for the counts its published value can be (its rounding);
- a hidden count of a level with members is at least 1; an empty level is 0;
- the levels of a breakdown add up to the whole area;
- a numerator is at most its denominator;
- a count published by two metrics (twins) is one count;
- a population's count is the sum of its parts' where the definitions say so (ED86's
  referrals are those of its four bands of wait: :func:`sum_cells`).

Each range is narrowed by these to a fixpoint (interval propagation). Where a hidden
count of 1 to 4 is left with one value, :func:`pinned` names it, and the policy hides one
more cell beside it and audits again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from cypmh.metrics.disclosure_values import preimage
from cypmh.metrics.published import Cell, Policy
from cypmh.metrics.results import WHOLE_AREA

__all__ = ["beside", "pinned", "sum_cells"]

_NO_LIMIT = 10**9


def sum_cells(
    cells: Iterable[Cell], sums: Mapping[str, Sequence[str]]
) -> list[tuple[Cell, tuple[Cell, ...]]]:
    """Each published count that is the sum of other published counts, with those.

    ``sums`` gives the populations whose counts add up (``POPULATION_SUMS``). At each
    level of a breakdown where the total is published, the parts' cells are its parts; a
    part with no cell at that level, where its population is published at that breakdown,
    has no members there (a reader reads its absence as 0, and the cell stands for 0). Where
    a part's population is not published at that breakdown, nothing is known of it and the
    level gives no sum.

    >>> cells = [("p/all", "count", "sex", "1"), ("p/a", "count", "sex", "1"),
    ...          ("p/b", "count", "sex", "2")]
    >>> sum_cells(cells, {"p/all": ("p/a", "p/b")})
    [(('p/all', 'count', 'sex', '1'), (('p/a', 'count', 'sex', '1'), ('p/b', 'count', 'sex', '1')))]
    """
    cells = set(cells)
    shown_at = {(c[0], c[2]) for c in cells if c[1] == "count"}
    found = []
    for cell in sorted(cells):
        population, quantity, breakdown, level = cell
        parts = sums.get(population)
        if quantity != "count" or not parts:
            continue
        if all((part, breakdown) in shown_at for part in parts):
            found.append((cell, tuple((part, "count", breakdown, level) for part in parts)))
    return found


def pinned(
    values: Mapping[Cell, int],
    hidden: set[Cell],
    rule: Policy,
    national: bool,
    groups: Mapping[tuple[str, str, str], Sequence[Cell]],
    twins: Mapping[Cell, set[Cell]],
    empty: Callable[[Cell], bool],
    sums: Sequence[tuple[Cell, tuple[Cell, ...]]] = (),
) -> list[Cell]:
    """The hidden counts of 1 to 4 that the shown cells pin to one value, in order.

    ``groups`` are the levels of each (population, quantity, breakdown) with members;
    ``empty`` says which cells a reader can tell are 0; ``sums`` the counts that are the
    sums of others (:func:`sum_cells`), a part with no cell standing for 0.
    """
    ranges: dict[Cell, tuple[int, int]] = {}
    for cell, n in values.items():
        if empty(cell):
            ranges[cell] = (0, 0)
        elif cell in hidden:
            ranges[cell] = (1 if cell[1] != "hits" else 0, _NO_LIMIT)
        else:
            is_national = national and cell[2] == WHOLE_AREA
            shown = rule.count(n, is_national)
            ranges[cell] = (n, n) if shown is None else preimage(rule, shown, is_national)
    for _ in range(50):
        before = dict(ranges)
        for (population, quantity, _), levels in groups.items():
            total = (population, quantity, WHOLE_AREA, WHOLE_AREA)
            if total not in ranges:
                continue
            low = sum(ranges[c][0] for c in levels)
            high = sum(min(ranges[c][1], _NO_LIMIT) for c in levels)
            ranges[total] = _meet(ranges[total], (low, high))
            t_low, t_high = ranges[total]
            for c in levels:
                rest_low, rest_high = low - ranges[c][0], high - ranges[c][1]
                ranges[c] = _meet(ranges[c], (max(0, t_low - rest_high), t_high - rest_low))
        for cell, span in list(ranges.items()):
            if cell[1] == "hits":
                count = (cell[0], "count", cell[2], cell[3])
                if count in ranges:
                    ranges[cell] = _meet(span, (0, ranges[count][1]))
                    ranges[count] = _meet(ranges[count], (ranges[cell][0], _NO_LIMIT))
        for cell, others in twins.items():
            for other in others:
                if cell in ranges and other in ranges:
                    both = _meet(ranges[cell], ranges[other])
                    ranges[cell] = ranges[other] = both
        for total, parts in sums:
            _add_up(ranges, total, parts)
        if ranges == before:
            break
    return sorted(
        cell
        for cell in hidden
        if cell in ranges and ranges[cell][0] == ranges[cell][1] and 1 <= values[cell] <= 4
    )


def beside(
    cell: Cell,
    families: Mapping[tuple[str, str, str], Sequence[Cell]],
    values: Mapping[Cell, int],
    hidden: set[Cell],
    sums: Sequence[tuple[Cell, tuple[Cell, ...]]] = (),
) -> Cell | None:
    """The cell to hide next to a pinned one: the smallest shown level beside it, else the total.

    For a pinned whole-area count, the smallest shown level of any of its breakdowns.
    Failing those, the smallest shown cell of a sum the cell is in (another part, or the
    total), or of its hits.
    """
    population, quantity, breakdown, _ = cell
    if breakdown == WHOLE_AREA:
        near = [
            c
            for (p, q, _), levels in families.items()
            if (p, q) == (population, quantity)
            for c in levels
        ]
    else:
        near = list(families.get((population, quantity, breakdown), ()))
    shown = sorted((c for c in near if c not in hidden), key=lambda c: (values[c], c))
    if shown:
        return shown[0]
    total = (population, quantity, WHOLE_AREA, WHOLE_AREA)
    if total in values and total not in hidden:
        return total
    partners = sorted(
        (c for whole, parts in sums if cell == whole or cell in parts for c in (whole, *parts)),
        key=lambda c: (values.get(c, 0), c),
    )
    for partner in partners:
        # An empty cell (0) hides nothing: a reader knows it.
        if partner != cell and values.get(partner, 0) > 0 and partner not in hidden:
            return partner
    hits = (population, "hits", breakdown, cell[3])
    return hits if hits in values and hits not in hidden else None


def _add_up(ranges: dict[Cell, tuple[int, int]], total: Cell, parts: Sequence[Cell]) -> None:
    """Narrow ``total`` and ``parts`` by total = sum of parts (a part with no range is 0)."""
    spans = [ranges.get(p, (0, 0)) for p in parts]
    low = sum(s[0] for s in spans)
    high = sum(min(s[1], _NO_LIMIT) for s in spans)
    ranges[total] = _meet(ranges[total], (low, high))
    t_low, t_high = ranges[total]
    for part, span in zip(parts, spans, strict=True):
        if part in ranges:
            rest_low, rest_high = low - span[0], high - min(span[1], _NO_LIMIT)
            ranges[part] = _meet(span, (max(0, t_low - rest_high), t_high - rest_low))


def _meet(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    low, high = max(a[0], b[0]), min(a[1], b[1])
    return (low, high) if low <= high else a
