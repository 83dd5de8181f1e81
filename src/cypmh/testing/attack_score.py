"""The attacker's scorecard: which hidden counts there were, and which it recovered.

Split from :mod:`cypmh.testing.attack`. A *hidden cell* is a count of 1 to 4
(a population, a numerator, a denominator, or a denominator minus its
numerator) that no published field shows exactly; it is *recovered* when the
attacker's one remaining value for it is the true one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from cypmh.metrics.results import ResultRow, Unit

__all__ = ["AttackResult", "Key", "Recovery", "score"]

Key = tuple[str, str, str, str]
"""(population, quantity, breakdown, level); quantity is count, hits, values or complement."""


@attrs.frozen
class Recovery:
    """One hidden count the attacker worked out exactly, and how."""

    metric_id: str
    breakdown: str
    level: str
    quantity: str
    value: int
    route: str


@attrs.frozen
class AttackResult:
    """How many hidden cells there were and which of them were recovered."""

    hidden: int
    recovered: tuple[Recovery, ...]


def score(
    truth: Iterable[ResultRow],
    exact: set[Key],
    claims: Mapping[Key, tuple[int, str]],
    owner: Mapping[Key, tuple[str, str, str]],
    catalogue: Mapping[str, Any],
) -> tuple[int, list[Recovery]]:
    """The hidden cells' number, and the recovered ones among them.

    ``exact`` are the counts published exactly, ``claims`` the attacker's one
    value (and route) for each count it pinned, ``owner`` the metric, breakdown
    and level that publish each count.
    """
    true: dict[Key, int] = {}
    for row in truth:
        definition = catalogue[row.metric_id]
        population = f"{definition.family}/{definition.population_for(row.breakdown)}"
        base = (population, "", row.breakdown, row.level)

        def put(quantity: str, value: int | None, base: Key = base) -> None:
            if value is not None:
                true[(base[0], quantity, base[2], base[3])] = value

        if row.unit is Unit.ESTIMATE:
            continue
        if row.unit in (Unit.RATE, Unit.CHANGE) or (
            row.unit is Unit.PERCENTAGE and row.denominator is None
        ):
            put("count", row.numerator)
        elif row.unit is Unit.COUNT:
            put("count", None if row.value is None else int(row.value))
        elif row.unit in (Unit.PERCENTAGE, Unit.RATIO):
            put("hits", row.numerator)
            put("count", row.denominator)
            if row.unit is Unit.PERCENTAGE and row.numerator is not None and row.denominator:
                put("complement", row.denominator - row.numerator)
        else:
            put("values", row.denominator)
    hidden = 0
    recovered = []
    for key, value in true.items():
        if not 1 <= value <= 4:
            continue
        if key[1] == "complement":
            shown = {(key[0], "hits", key[2], key[3]), (key[0], "count", key[2], key[3])} <= exact
        else:
            shown = key in exact
        published = (key[0], "count", key[2], key[3]) if key[1] == "complement" else key
        if shown or published not in owner:
            continue
        hidden += 1
        claim = claims.get(key)
        if claim is not None and claim[1] == "published":
            continue
        if claim is not None and claim[0] == value:
            metric_id, breakdown, level = owner.get(key, ("", key[2], key[3]))
            recovered.append(Recovery(metric_id, breakdown, level, key[1], value, claim[1]))
    return hidden, recovered
