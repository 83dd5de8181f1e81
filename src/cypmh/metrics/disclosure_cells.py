"""The safe policy's cells: every count a row publishes, named by what it counts.

A count is named ``(population, quantity, breakdown, level)``, so that the same count has
one fate wherever it is published (:mod:`cypmh.metrics.disclosure`): its population is the
metric's ``family/population``, or a breakdown's own where the metric counts another
population there (``breakdown_populations``: MHS95 by provider).
"""

from __future__ import annotations

from collections.abc import Mapping

from cypmh.metrics.disclosure_need import population_cells, population_kind
from cypmh.metrics.published import Cell
from cypmh.metrics.results import ResultRow, Unit

__all__ = ["catalogue_populations", "cells_of", "population_of", "twins_of"]


def catalogue_populations(rows: tuple[ResultRow, ...]) -> dict[str, str]:
    """Each row's metric's ``family/population``, the name of what its count counts.

    A breakdown whose rows count another population (``breakdown_populations``) is keyed
    ``metric@breakdown``.
    """
    from cypmh.metrics.catalogue import definitions  # when run: POLICIES keeps --help quick

    found = {}
    for r in rows:
        definition = definitions().get(r.metric_id)
        if definition is None:
            continue
        found[r.metric_id] = f"{definition.family}/{definition.population}"
        for breakdown, population in definition.breakdown_populations:
            found[f"{r.metric_id}@{breakdown}"] = f"{definition.family}/{population}"
    return found


def population_of(populations: Mapping[str, str], metric_id: str, breakdown: str) -> str:
    """What a row of ``metric_id`` at ``breakdown`` counts.

    Its metric's population, or the breakdown's own (``metric@breakdown``: MHS95 by
    provider counts each child under each provider).
    """
    return populations.get(f"{metric_id}@{breakdown}", populations.get(metric_id, metric_id))


# The safe policy's cells: every count a row publishes, named by what it counts, so that the
# same count has one fate wherever it is published.


def cells_of(row: ResultRow, population: str) -> dict[Cell, int]:
    """The counts behind one row, by cell."""
    kind = population_kind(row.metric_id)
    if kind is not None:
        return population_cells(row, population, kind)
    b, lv = row.breakdown, row.level
    if row.unit is Unit.COUNT:
        return {} if row.value is None else {(population, "count", b, lv): int(row.value)}
    if row.unit is Unit.RATIO:
        cells: dict[Cell, int] = {}
        if row.numerator is not None and row.denominator is not None:
            cells[(population, "hits", b, lv)] = row.numerator
            cells[(population, "count", b, lv)] = row.denominator
        if row.reference_numerator is not None and row.reference_denominator is not None:
            cells[(population, "hits", b, "none")] = row.reference_numerator
            cells[(population, "count", b, "none")] = row.reference_denominator
        return cells
    if row.unit is Unit.PERCENTAGE and row.denominator is not None:
        return {
            (population, "hits", b, lv): row.numerator or 0,
            (population, "count", b, lv): row.denominator,
        }
    if row.denominator is not None:
        return {(population, "values", b, lv): row.denominator}
    return {}


def twins_of(rows: tuple[ResultRow, ...], populations: Mapping[str, str]) -> dict[Cell, set[Cell]]:
    """The cells that are one count published twice, each with the others.

    A percentage whose catalogue numerator (or denominator) is a count metric
    publishes that metric's count again, under another population's name:
    MRS09f's numerator is MRS09e, MHS111c's is MHS111b. Their cells at each
    level are one count, and must share one fate.
    """
    from cypmh.metrics.catalogue import definitions  # when run: POLICIES keeps --help quick

    twins: dict[Cell, set[Cell]] = {}
    for row in rows:
        definition = definitions().get(row.metric_id)
        if definition is None or row.unit is not Unit.PERCENTAGE:
            continue
        own = population_of(populations, row.metric_id, row.breakdown)
        for quantity, other in (("hits", definition.numerator), ("count", definition.denominator)):
            counted = definitions().get(other or "")
            if other is None or counted is None or counted.unit is not Unit.COUNT:
                continue
            if other not in populations:
                continue
            mine = (own, quantity, row.breakdown, row.level)
            theirs = (
                population_of(populations, other, row.breakdown),
                "count",
                row.breakdown,
                row.level,
            )
            if mine != theirs:
                twins.setdefault(mine, set()).add(theirs)
                twins.setdefault(theirs, set()).add(mine)
    return twins
