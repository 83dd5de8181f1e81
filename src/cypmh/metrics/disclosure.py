"""Disclosure control: a separate step after aggregation, with named policies.

A policy decides, for every published field of every result row (the value,
the numerator, the denominator and the 95% interval), what may be shown. The
fields are set on the rows as text (``shown``, ``shown_numerator``,
``shown_denominator``, ``shown_lower_ci``, ``shown_upper_ci``); ``*`` marks a
suppressed field and ``""`` one that the metric does not have.

Sources:

- ``mhsds``: NHS England's MHSDS publication (NHSD ``menh_bbrb/notebooks/mhsds_functions.py``
  ``count_suppression``, ``mhsds_suppression``;
  ``menh_analysis/notebooks/02_Aggregate/95.Round_output.py``).
  Below England level a count under 5 is ``*`` and others are rounded to the
  nearest 5; a percentage, rate, median or mean is ``*`` when the count it rests
  on is under 5, otherwise rounded to a whole number. England-level figures
  are not rounded.
- ``hes``: HES/ECDS methodology (digital.nhs.uk): sub-national counts from 1 to 7 are
  ``*``, others rounded to the nearest 5; derived values resting on 1 to 7
  people are ``*``.
- ``dfe``: DfE children looked after statistics: national and regional counts
  rounded to the nearest 10, local-authority counts unrounded; percentages to
  whole numbers, means to one decimal place.
- ``safe`` (cypmh's own, the default of ``cypmh report``): the ``mhsds`` rule for
  counts, and three protections that the publishers' rules do not give. Every
  derived value and interval is computed from the *published* numerator and
  denominator, so that it says nothing the counts do not. A percentage whose
  complement within its denominator (denominator minus numerator) is 1 to 4
  is suppressed. Where one level of a breakdown is suppressed and the total
  is shown, the next-smallest level is suppressed too (and where the total is
  suppressed and every level shown, the smallest level), so that no hidden
  cell falls out by subtraction. A count that several metrics publish (a
  population's size, a numerator) is hidden in all of them once it is hidden
  in one.
- ``none``: nothing changed (for analysts inside the data controller).

For every policy that rounds counts, intervals are computed from the
published numerator and denominator and shown at the precision of the value
they go with, and a suppressed value takes its interval with it. The
``docs/explanation/disclosure.md`` page says what each policy protects.

Every area cypmh reports on is sub-national unless ``national=True`` is
passed, in which case whole-area rows are treated as national figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from cypmh.errors import InvalidValueError
from cypmh.metrics.disclosure_audit import beside, pinned, sum_cells
from cypmh.metrics.disclosure_cells import catalogue_populations, cells_of, population_of, twins_of
from cypmh.metrics.disclosure_need import population_kind, publish_population
from cypmh.metrics.disclosure_values import derived, preimage
from cypmh.metrics.published import SUPPRESSED, Cell, Policy, format_number
from cypmh.metrics.published import count_text as _count_text
from cypmh.metrics.published import text_of as _text
from cypmh.metrics.results import WHOLE_AREA, ResultRow, Unit
from cypmh.metrics.stats import round_to_base

__all__ = [
    "DEFAULT_POLICY",
    "POLICIES",
    "Policy",
    "apply_disclosure",
    "disclose_count",
    "empty_cells",
    "format_number",
    "month_cells",
    "preimage",
]

DEFAULT_POLICY = "safe"
"""The policy ``cypmh report`` applies unless told otherwise."""


def _mhsds_count(n: int, national: bool) -> int | None:
    if national:
        return n
    return None if n < 5 else round_to_base(n, 5)


def _hes_count(n: int, national: bool) -> int | None:
    if national:
        return n
    return None if 1 <= n <= 7 else round_to_base(n, 5)


def _dfe_count(n: int, national: bool) -> int | None:
    return round_to_base(n, 10) if national else n


def _whole(unit: Unit, national: bool) -> int | None:
    return None if national else 0


POLICIES: dict[str, Policy] = {
    "safe": Policy(
        name="safe",
        count=_mhsds_count,
        hides=lambda base: base is None or base < 5,
        digits=lambda unit, national: None if national else (1 if unit is Unit.SCORE else 0),
        safe_cells=True,
    ),
    "mhsds": Policy(
        name="mhsds",
        count=_mhsds_count,
        hides=lambda base: base is None or base < 5,
        digits=_whole,
    ),
    "hes": Policy(
        name="hes",
        count=_hes_count,
        hides=lambda base: base is not None and 1 <= base <= 7,
        digits=_whole,
    ),
    "dfe": Policy(
        name="dfe",
        count=_dfe_count,
        hides=lambda base: False,
        digits=lambda unit, national: 1 if unit is Unit.SCORE else 0,
    ),
    "none": Policy(
        name="none",
        count=lambda n, national: n,
        hides=lambda base: False,
        digits=lambda unit, national: None,
    ),
}
"""The named disclosure policies."""


def _policy(name: str) -> Policy:
    policy = POLICIES.get(name)
    if policy is None:
        raise InvalidValueError(
            "apply_disclosure", "policy", name, f"must be one of {', '.join(POLICIES)}"
        )
    return policy


def apply_disclosure(
    rows: Iterable[ResultRow],
    policy: str,
    *,
    national: bool = False,
    populations: Mapping[str, str] | None = None,
    hide: Iterable[Cell] = (),
) -> tuple[ResultRow, ...]:
    """Return the rows with their published fields set by ``policy``.

    ``populations`` maps a metric id to the population it counts, so that the
    ``safe`` policy can give a count one fate in every metric that publishes
    it (default: the catalogue's). ``hide`` names cells (see
    :func:`month_cells`) that ``safe`` must hide besides its own: a series'
    audit (:mod:`cypmh.metrics.disclosure_series`) passes them.

    >>> row = ResultRow(metric_id="M", breakdown="Total", level="Total", unit=Unit.COUNT, value=3)
    >>> apply_disclosure([row], "mhsds")[0].shown, apply_disclosure([row], "none")[0].shown
    ('*', '3')
    """
    rule = _policy(policy)
    rows = tuple(rows)
    if populations is None:
        populations = catalogue_populations(rows)
    hidden = (
        _hidden_cells(rows, rule, national, populations, set(hide)) if rule.safe_cells else set()
    )
    return tuple(_publish(row, rule, national, populations, hidden) for row in rows)


def month_cells(
    rows: Iterable[ResultRow],
    policy: str,
    *,
    national: bool = False,
    hide: Iterable[Cell] = (),
) -> tuple[dict[Cell, int], set[Cell]]:
    """A table's count cells and those ``policy`` hides.

    A cell is ``(population, quantity, breakdown, level)``.

    Only ``safe`` hides cells; the other policies hide by the row.
    """
    rule = _policy(policy)
    rows = tuple(rows)
    populations = catalogue_populations(rows)
    values: dict[Cell, int] = {}
    for row in rows:
        values.update(cells_of(row, population_of(populations, row.metric_id, row.breakdown)))
    if not rule.safe_cells:
        return values, set()
    return values, _hidden_cells(rows, rule, national, populations, set(hide))


def empty_cells(rows: Iterable[ResultRow]) -> tuple[set[Cell], set[Cell]]:
    """The cells a reader can tell are 0, and those they can tell are at least 1.

    A row with no value (a percentage of no one) is published with an empty
    value whatever the policy, so its counts are 0; a percentage, median or
    mean with a value, shown or ``*``, rests on at least one member.
    """
    rows = tuple(rows)
    populations = catalogue_populations(rows)
    empty: set[Cell] = set()
    occupied: set[Cell] = set()
    for row in rows:
        if row.unavailable or row.unit is Unit.COUNT:
            continue
        cells = cells_of(row, population_of(populations, row.metric_id, row.breakdown))
        if row.value is None:
            empty |= {cell for cell, n in cells.items() if n == 0}
        else:
            occupied |= {cell for cell in cells if cell[1] in ("count", "values")}
    return empty, occupied


def _hidden_cells(
    rows: tuple[ResultRow, ...],
    rule: Policy,
    national: bool,
    populations: Mapping[str, str],
    forced: set[Cell],
) -> set[Cell]:
    """The cells the safe policy hides: primary, complements, then differences to a fixpoint."""
    values: dict[Cell, int] = {}
    for row in rows:
        values.update(cells_of(row, population_of(populations, row.metric_id, row.breakdown)))
    hidden = {
        cell
        for cell, n in values.items()
        if rule.count(n, national and cell[2] == WHOLE_AREA) is None
    } | (forced & values.keys())
    for (population, quantity, b, lv), n in values.items():
        if quantity == "hits":
            size = values.get((population, "count", b, lv))
            if size is not None and 1 <= size - n <= 4 and not (national and b == WHOLE_AREA):
                hidden.add((population, quantity, b, lv))

    def empty(cell: Cell) -> bool:
        """A level with no members: a reader can tell it (it has no value), so it hides nothing."""
        population, quantity, b, lv = cell
        size = values.get((population, "count", b, lv))
        if size is None and quantity != "hits":
            size = values[cell]
        return size == 0

    families: dict[tuple[str, str, str], list[Cell]] = {}
    for cell in values:
        if cell[2] != WHOLE_AREA and not empty(cell):
            families.setdefault((cell[0], cell[1], cell[2]), []).append(cell)
    twins = twins_of(rows, populations)
    from cypmh.metrics.catalogue import POPULATION_SUMS  # when run, as definitions()

    sums = sum_cells(values, POPULATION_SUMS)
    while True:
        changed = True
        while changed:
            changed = False
            for cell in [c for c in hidden if c in twins]:  # one count, one fate
                for twin in twins[cell] - hidden:
                    hidden.add(twin)
                    changed = True
            for (population, quantity, _), levels in families.items():
                total = (population, quantity, WHOLE_AREA, WHOLE_AREA)
                if total not in values:
                    continue
                step = _protect(levels, total, values, hidden, rule, national, quantity == "count")
                if step is not None:
                    hidden.add(step)
                    changed = True
        # The rules done, the table is read as a reader would (disclosure_audit): where what
        # is shown still pins a hidden count, one more cell beside it is hidden.
        # Each pinned count in turn, until one has a cell beside it to hide.
        extra = next(
            (
                step
                for found in pinned(values, hidden, rule, national, families, twins, empty, sums)
                if (step := beside(found, families, values, hidden, sums)) is not None
            ),
            None,
        )
        if extra is None:
            return hidden
        hidden.add(extra)


def _protect(
    levels: list[Cell],
    total: Cell,
    values: Mapping[Cell, int],
    hidden: set[Cell],
    rule: Policy,
    national: bool,
    present: bool,
) -> Cell | None:
    """The next cell to hide so that no hidden level of a breakdown falls out by subtraction.

    A reader knows each shown count's range (its rounding) and, for a
    population's size, that a published level has at least one member. With
    one level hidden and the total shown, or the total hidden and every level
    shown, subtraction gives the hidden cell (to within rounding): hide the
    next-smallest level. With several hidden, they are pinned only when the
    most they can add up to is the least they must (each at least 1): hide
    another level, or, with none left, the total.
    """
    shown = sorted((c for c in levels if c not in hidden), key=lambda c: (values[c], c[3]))
    n_hidden = len(levels) - len(shown)
    if total in hidden:
        return shown[0] if shown and n_hidden == 0 else None
    if n_hidden == 0:
        return None
    if n_hidden == 1 and shown:
        return shown[0]
    is_national = national
    top = preimage(rule, int(rule.count(values[total], is_national) or 0), is_national)[1]
    least_shown = sum(
        preimage(rule, int(rule.count(values[c], False) or 0), False)[0] for c in shown
    )
    if top - least_shown > (n_hidden if present else 0):
        return None
    return shown[0] if shown else total


def _publish(
    row: ResultRow,
    rule: Policy,
    national: bool,
    populations: Mapping[str, str],
    hidden: set[Cell],
) -> ResultRow:
    is_national = national and row.breakdown == WHOLE_AREA
    population = population_of(populations, row.metric_id, row.breakdown)
    cells = cells_of(row, population) if rule.safe_cells else {}
    hide = any(cell in hidden for cell in cells)

    def count(n: int | None) -> int | None:
        return None if n is None else rule.count(n, is_national)

    def cell_hidden(quantity: str) -> bool:
        return (population, quantity, row.breakdown, row.level) in hidden

    kind = population_kind(row.metric_id)
    fields: dict[str, Any] = {}
    if kind is not None:
        fields = publish_population(row, rule, is_national, cells_of(row, population), hidden, kind)
    elif row.unit is Unit.COUNT:
        published = count(None if row.value is None else int(row.value))
        shown = "" if row.value is None else _count_text(int(row.value), published, hide)
        fields["shown"] = shown
        fields["shown_numerator"] = "" if row.numerator is None else shown
        fields["shown_denominator"] = ""
        fields["shown_lower_ci"] = fields["shown_upper_ci"] = ""
    else:
        n_pub, d_pub = count(row.numerator), count(row.denominator)
        quantity = "count" if row.unit in (Unit.PERCENTAGE, Unit.RATIO) else "values"
        fields["shown_numerator"] = _count_text(row.numerator, n_pub, cell_hidden("hits"))
        fields["shown_denominator"] = _count_text(row.denominator, d_pub, cell_hidden(quantity))
        digits = rule.digits(row.unit, is_national)
        value, low, high = derived(row, rule, is_national, n_pub, d_pub)
        suppressed = row.value is not None and (
            value is None
            or hide
            or (not rule.safe_cells and rule.hides(row.base) and not is_national)
        )
        if row.value is None:
            fields["shown"] = ""
        else:
            fields["shown"] = SUPPRESSED if suppressed else _text(value, digits)
        for name, bound in (("shown_lower_ci", low), ("shown_upper_ci", high)):
            if row.lower_ci is None and bound is None:
                fields[name] = ""
            elif suppressed or bound is None:
                fields[name] = SUPPRESSED if row.value is not None else ""
            else:
                fields[name] = _text(bound, digits)
    fields["changed"] = row.value is not None and fields["shown"] != format_number(row.value)
    return attrs.evolve(row, **fields)


def disclose_count(count: int | None, policy: str, *, national: bool = False) -> str:
    """A count (a numerator or denominator) as ``policy`` lets it be published.

    >>> disclose_count(3, "mhsds"), disclose_count(12, "mhsds"), disclose_count(12, "none")
    ('*', '10', '12')
    """
    if count is None:
        return ""
    published = _policy(policy).count(count, national)
    return SUPPRESSED if published is None else str(published)
