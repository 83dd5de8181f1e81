"""Disclosure control of the metrics worked out with a population (:mod:`cypmh.metrics.need`).

:mod:`cypmh.metrics.disclosure` hands these rows here: which counts each rests
on (its cells, so that a count hidden anywhere is hidden here too), and what
it publishes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cypmh.metrics.published import SUPPRESSED, Cell, Policy, count_text, text_of
from cypmh.metrics.results import POPULATION_AGGREGATES, Aggregate, ResultRow
from cypmh.metrics.stats import rate_ratio

__all__ = ["population_cells", "population_kind", "publish_population"]


def population_kind(metric_id: str) -> Aggregate | None:
    """The aggregate of a metric worked out with a population (:mod:`cypmh.metrics.need`)."""
    from cypmh.metrics.catalogue import definitions  # when run: POLICIES keeps --help quick

    definition = definitions().get(metric_id)
    if definition is None or definition.aggregate not in POPULATION_AGGREGATES:
        return None
    return definition.aggregate


def _other(population: str, name: str) -> str:
    """Another population of the same family: ``family/name``."""
    return population.split("/")[0] + "/" + name


def population_cells(row: ResultRow, population: str, kind: Aggregate) -> dict[Cell, int]:
    """The counts behind a population metric's row (the population itself is public)."""
    b, lv = row.breakdown, row.level
    cells: dict[Cell, int] = {}
    if kind is Aggregate.EXPECTED or row.numerator is None:
        return cells
    if kind is Aggregate.POPULATION_RATIO:
        cells[(population, "hits", b, lv)] = row.numerator
        if row.denominator is not None:
            cells[(population, "count", b, lv)] = row.denominator
        if row.reference_numerator is not None:
            cells[(_other(population, "access"), "count", b, lv)] = row.reference_numerator
        return cells
    if kind is Aggregate.STANDARDISED_GAP:
        # The gap rests on both levels' counts of the breakdown it compares.
        from cypmh.metrics.standardised import GAPS  # when run: the engine's module

        gap = GAPS[row.metric_id]
        cells[(population, "count", gap.breakdown, gap.main)] = row.numerator
        if row.reference_numerator is not None:
            cells[(population, "count", gap.breakdown, gap.other)] = row.reference_numerator
        return cells
    cells[(population, "count", b, lv)] = row.numerator
    if kind is Aggregate.CHANGE and row.denominator is not None:
        cells[(_other(population, "received_prior"), "count", b, lv)] = row.denominator
    return cells


def publish_population(
    row: ResultRow,
    rule: Policy,
    is_national: bool,
    cells: Mapping[Cell, int],
    hidden: set[Cell],
    kind: Aggregate,
) -> dict[str, Any]:
    """The published fields of a population metric's row.

    NEED01 is public arithmetic (a published population times a published
    rate): never suppressed, shown to the whole child (unrounded under ``none``). The others rest on
    counts: each is hidden where a count it rests on is, and, where the policy
    rounds counts and protects cells (``safe``), is worked out from the
    published counts, so that it tells no more than they do. The population
    is shown as given.
    """

    def count(n: int | None) -> int | None:
        return None if n is None else rule.count(n, is_national)

    fields: dict[str, Any] = {"shown_lower_ci": "", "shown_upper_ci": ""}
    if kind is Aggregate.EXPECTED:
        whole = None if rule.digits(row.unit, is_national) is None else 0  # none: unrounded
        fields["shown"] = "" if row.value is None else text_of(row.value, whole)
        fields["shown_numerator"] = ""
        fields["shown_denominator"] = "" if row.denominator is None else str(row.denominator)
        return fields
    hide = any(cell in hidden for cell in cells)
    rounds = rule.count(7, is_national) != 7 or rule.count(12, is_national) != 12
    n_pub = count(row.numerator)
    fields["shown_numerator"] = count_text(row.numerator, n_pub, hide)
    if kind is Aggregate.POPULATION_RATIO:
        d_pub, c_pub = count(row.denominator), count(row.reference_numerator)
        fields["shown_denominator"] = count_text(row.denominator, d_pub, hide)
        published = (n_pub, d_pub, c_pub, row.reference_denominator)
        value, low, high = row.value, row.lower_ci, row.upper_ci
        if rounds and row.value is not None:
            worked = (
                None
                if any(c is None for c in published)
                else rate_ratio(*(int(c) for c in published))  # type: ignore[arg-type]
            )
            value, low, high = worked if worked is not None else (None, None, None)
            if not rule.safe_cells:
                value = row.value
    elif kind is Aggregate.CHANGE:
        d_pub = count(row.denominator)
        fields["shown_denominator"] = count_text(row.denominator, d_pub, hide)
        value, low, high = row.value, None, None
        if rounds and rule.safe_cells and row.value is not None:
            value = None if not d_pub or n_pub is None else 100 * (n_pub - d_pub) / d_pub
    elif kind is Aggregate.STANDARDISED_GAP:
        # Two rates' difference, hidden where either count is. Where counts are rounded,
        # it is the difference of the rounded counts over the two joined populations (the
        # rates as MHS95b's are published), so that it gives away no count the rounding hides.
        fields["shown_numerator"] = ""
        fields["shown_denominator"] = ""
        value, low, high = row.value, None, None
        if rounds and rule.safe_cells and row.value is not None:
            o_pub = count(row.reference_numerator)
            pops = (row.denominator, row.reference_denominator)
            value = (
                None
                if n_pub is None or o_pub is None or not all(pops)
                else abs(o_pub / pops[1] - n_pub / pops[0]) * 100_000  # type: ignore[operator]
            )
    else:
        fields["shown_denominator"] = "" if row.denominator is None else str(row.denominator)
        value, low, high = row.value, row.lower_ci, row.upper_ci
        if rounds and rule.safe_cells and row.value is not None and row.numerator:
            # A rate of the rounded count: it tells no more than the published count does.
            scale = None if n_pub is None else n_pub / row.numerator
            value, low, high = (
                (None, None, None)
                if scale is None
                else tuple(None if v is None else v * scale for v in (value, low, high))
            )
    suppressed = row.value is not None and (
        value is None or hide or (not rule.safe_cells and rule.hides(row.base) and not is_national)
    )
    digits = rule.digits(row.unit, is_national)
    if kind is Aggregate.POPULATION_RATIO and digits is not None:
        digits = 2  # a ratio near 1 says nothing at a whole number
    if row.value is None:
        fields["shown"] = ""
    else:
        fields["shown"] = SUPPRESSED if suppressed else text_of(value, digits)
    for name, bound in (("shown_lower_ci", low), ("shown_upper_ci", high)):
        if row.lower_ci is not None:
            fields[name] = SUPPRESSED if suppressed or bound is None else text_of(bound, digits)
    return fields
