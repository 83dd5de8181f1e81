"""Directly standardised rates of access: MHS95b, MHS95c, MHS95f and MHS95g, and ACC03.

Both engines count MHS95's children by each level crossed with age band and
gender (the *joint* breakdowns, :func:`joint`); this module turns those counts
and the area's population by group (:class:`~cypmh.need.group_population.GroupPopulation`)
into the rates, in one place for both.

NHS England's rates follow ``produce_direct_standardised_rate_df`` in
``menh_bbrb/notebooks/mhsds_functions.py`` (lines 830-967) to the letter
(:func:`nhs_england_rate`): the counts by level, age band and gender are
inner-joined to the level's population, each joined cell is weighted by its
share of the *joined* population, and the variance is the sum of the squared
weights times the count over the squared population. As coded, the rate is a
crude rate over the age-sex cells with at least one counted child. ACC03
(:func:`european_rate`) is a true direct standardisation: every age-sex cell of
0 to 17 is weighted by the 2013 European Standard Population, a cell with no
counted child included at a rate of 0.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import attrs

from cypmh.codes import age_bands
from cypmh.codes._tables import read_table
from cypmh.codes.deprivation import IMD_BREAKDOWNS
from cypmh.metrics.groups import Summary, level_order
from cypmh.metrics.joint import JOINT_SEPARATOR, joint
from cypmh.metrics.results import WHOLE_AREA, Aggregate, ResultRow
from cypmh.metrics.stats import Z_95
from cypmh.need.population import GENDER_CODES

if TYPE_CHECKING:
    from cypmh.metrics.definition import MetricDefinition
    from cypmh.metrics.options import MetricOptions
    from cypmh.need.group_population import GroupPopulation

__all__ = [
    "GAPS",
    "Gap",
    "Standard",
    "european_rate",
    "european_weights",
    "nhs_england_rate",
    "standard_of",
    "standardised_levels",
    "standardised_rows",
]

PER = 100_000
"""A standardised rate is per this many of the population."""


Cell = tuple[str, str]
"""An age band's label and a gender code."""


@attrs.frozen
class Gap:
    """Which levels' rates a gap metric subtracts: ``other`` minus ``main``, made positive."""

    breakdown: str
    main: str
    other: str


GAPS: Mapping[str, Gap] = {
    "MHS95f": Gap("wnw_ethnicity", "White British", "Non-white British"),
    "MHS95g": Gap("imd_core20", "Most deprived quintile", "Other 4 quintiles"),
}
"""The gap metrics: NHS England's ``produce_absolute_difference_between_two_standardised_rates_df``
(``mhsds_functions.py``, lines 1148-1232) takes White British as the main group of the
ethnicity breakdown and the most deprived quintile as that of the Core20 breakdown."""


def nhs_england_rate(
    counts: Mapping[Cell, int], population: Mapping[Cell, int]
) -> tuple[float, float, int, int] | None:
    """NHS England's standardised rate and variance (per person), as its code works them out.

    The rate, its variance, the children and the population of the joined cells;
    ``None`` where no cell joins. A cell joins where it has a counted child and a
    population (Spark's inner join of the grouped counts to the population); a
    cell whose population is 0 divides by zero, which Spark makes null and its
    sums leave out, so it adds nothing.

    >>> found = nhs_england_rate({("0 to 5", "1"): 2, ("15", "2"): 3}, {("0 to 5", "1"): 100,
    ...     ("15", "2"): 50, ("16", "1"): 400})
    >>> round(found[0], 12), found[2:]  # (2 + 3) / (100 + 50); 16's 400 have no child
    (0.033333333333, (5, 150))
    """
    # In cell order, so that both engines add the same numbers in the same order.
    joined = [(n, population[c]) for c, n in sorted(counts.items()) if n > 0 and c in population]
    total = sum(p for _, p in joined)
    if not joined or total <= 0:
        return None
    rate = variance = 0.0
    for n, p in joined:
        if p <= 0:
            continue
        weight = p / total
        rate += (n / p) * weight
        variance += weight**2 * (n / p**2)
    return rate, variance, sum(n for n, _ in joined), total


@functools.cache
def european_weights() -> Mapping[Cell, float]:
    """Each age band (0 to 17) and gender's share of the 2013 European Standard Population.

    A five-year band's people are spread evenly over its ages (15-19's 5,500 gives
    1,100 to each of 15, 16 and 17), and each sex has half of each age, as the
    standard is the same for both. The shares sum to 1.

    >>> w = european_weights()
    >>> round(w[("0 to 5", "1")] * 19300 * 2)  # 5,000 (0-4) + 1,100 (5), of 19,300 aged 0-17
    6100
    """
    per_year: dict[int, float] = {}
    for row in read_table("european_standard_population"):
        first = int(row["from_age"])
        last = int(row["to_age"]) if row["to_age"] else first
        for age in range(first, last + 1):
            per_year[age] = int(row["population"]) / (last - first + 1)
    bands = {
        band.label: sum(per_year[a] for a in range(band.from_age, band.to_age + 1))
        for band in age_bands()
    }
    total = sum(bands.values()) * len(GENDER_CODES)
    return {
        (label, code): n / total for label, n in bands.items() for code in GENDER_CODES.values()
    }


def european_rate(
    counts: Mapping[Cell, int], population: Mapping[Cell, int]
) -> tuple[float, float | None, float | None, int, int] | None:
    """The rate (per person) standardised to the European Standard Population, with its interval.

    Every age band of 0 to 17 and each sex is a cell, weighted by
    :func:`european_weights`; a cell with no counted child has a rate of 0. The
    95% interval is Dobson's method, with Byar's approximation to the Poisson
    limits of the children counted. ``None`` where a cell has no population (its
    rate cannot be known); no interval where no child is counted.
    """
    weights = european_weights()
    if any(population.get(cell, 0) <= 0 for cell in weights):
        return None
    rate = variance = 0.0
    observed = 0
    for cell, weight in weights.items():
        n, p = counts.get(cell, 0), population[cell]
        rate += weight * n / p
        variance += weight**2 * n / p**2
        observed += n
    people = sum(population[cell] for cell in weights)
    if observed == 0:
        return rate, None, None, observed, people
    low, high = _byar(observed)
    # Dobson et al. (1991): DSR + sqrt(var(DSR) / var(O)) x (O's limit - O), var(O) = O.
    spread = math.sqrt(variance / observed)
    return (
        rate,
        rate + spread * (low - observed),
        rate + spread * (high - observed),
        observed,
        people,
    )


def _byar(observed: int, z: float = Z_95) -> tuple[float, float]:
    """Byar's approximation to the exact 95% Poisson limits of ``observed`` (at least 1)."""
    lower = observed * (1 - 1 / (9 * observed) - z / (3 * math.sqrt(observed))) ** 3
    up = observed + 1
    upper = up * (1 - 1 / (9 * up) + z / (3 * math.sqrt(up))) ** 3
    return lower, upper


@attrs.frozen
class Standard:
    """What the standardised metrics read: the population by group; whether IMD levels can be."""

    groups: GroupPopulation
    imd: bool

    def readable(self, breakdown: str) -> bool:
        """Whether a standardised rate can be worked out by ``breakdown``."""
        if breakdown == WHOLE_AREA:
            return bool(self.groups.breakdowns)
        return breakdown in self.groups.breakdowns and (self.imd or breakdown not in IMD_BREAKDOWNS)


def standard_of(options: MetricOptions) -> Standard | None:
    """The options' population by group (``None`` without one)."""
    if options.population_groups is None:
        return None
    return Standard(groups=options.population_groups, imd=bool(options.deprivation))


def _breakdowns_of(
    definition: MetricDefinition, breakdowns: Sequence[str], standard: Standard
) -> list[str]:
    """The breakdowns of a standardised metric's rows (a gap's is the whole area's)."""
    if definition.aggregate is Aggregate.STANDARDISED_GAP:
        return [WHOLE_AREA]
    names = [b for b in breakdowns if b in definition.breakdowns and standard.readable(b)]
    if definition.aggregate is Aggregate.EUROPEAN_RATE and standard.readable(WHOLE_AREA):
        names.insert(0, WHOLE_AREA)
    return names


def standardised_levels(
    definition: MetricDefinition, breakdowns: Sequence[str], standard: Standard | None
) -> set[str]:
    """The breakdowns (joint ones too) an engine counts for a standardised metric's rows."""
    if standard is None:
        return set()
    if definition.aggregate is Aggregate.STANDARDISED_GAP:
        gap = GAPS[definition.id]
        if not standard.readable(gap.breakdown):
            return set()
        return {gap.breakdown, joint(gap.breakdown)}
    names = _breakdowns_of(definition, breakdowns, standard)
    return {n for n in names if n != WHOLE_AREA} | {joint(n) for n in names}


GroupsOf = Callable[["MetricDefinition", str], Mapping[str, Summary]]


def _split(groups: Mapping[str, Summary], whole: bool) -> dict[str, dict[Cell, int]]:
    """A joint breakdown's counts by level, then age band and gender code."""
    found: dict[str, dict[Cell, int]] = {}
    for key, summary in groups.items():
        parts = key.split(JOINT_SEPARATOR)
        level, band, sex = (WHOLE_AREA, *parts) if whole else parts
        found.setdefault(level, {})[(band, sex)] = summary.count
    return found


def standardised_rows(
    definition: MetricDefinition,
    breakdowns: Sequence[str],
    groups_of: GroupsOf,
    standard: Standard | None,
    month_id: int,
) -> list[ResultRow]:
    """The rows of one standardised metric (no rows without the population by group).

    MHS95b, MHS95c and ACC03 have a row for each level of each breakdown asked
    for that the population has (ACC03 also the whole area's, from the
    population by ethnic group, else by decile); MHS95f and MHS95g have the
    whole area's row alone.
    """
    if standard is None:
        return []
    kind = definition.aggregate
    if kind is Aggregate.STANDARDISED_GAP:
        return [_gap_row(definition, groups_of, standard, month_id)]
    rows: list[ResultRow] = []
    for name in _breakdowns_of(definition, breakdowns, standard):
        population = _population(standard.groups, name, month_id)
        counts = _split(groups_of(definition, joint(name)), name == WHOLE_AREA)
        totals = groups_of(definition, name)
        for level in sorted(population, key=level_order(name)):
            number = totals.get(level, Summary()).count
            fields = _fields(kind, counts.get(level, {}), population[level], number)
            rows.append(
                ResultRow(
                    metric_id=definition.id,
                    breakdown=name,
                    level=level,
                    unit=definition.unit,
                    **fields,  # type: ignore[arg-type]
                )
            )
    return rows


def _population(groups: GroupPopulation, name: str, month_id: int) -> dict[str, dict[Cell, int]]:
    if name != WHOLE_AREA:
        return groups.cells(name, month_id)
    first = groups.breakdowns[0]
    whole: dict[Cell, int] = {}
    for by_cell in groups.cells(first, month_id).values():
        for cell, n in by_cell.items():
            whole[cell] = whole.get(cell, 0) + n
    return {WHOLE_AREA: whole}


def _fields(
    kind: Aggregate, counts: Mapping[Cell, int], population: Mapping[Cell, int], number: int
) -> dict[str, object]:
    fields: dict[str, object] = {"numerator": number, "base": number}
    if kind is Aggregate.EUROPEAN_RATE:
        worked = european_rate(counts, population)
        if worked is None:
            return {**fields, "value": None}
        rate, low, high, _, people = worked
        return {
            **fields,
            "value": rate * PER,
            "denominator": people,
            "lower_ci": None if low is None else max(low, 0.0) * PER,
            "upper_ci": None if high is None else high * PER,
        }
    found = nhs_england_rate(counts, population)
    if found is None:
        return {**fields, "value": None}
    rate, variance, _, total = found
    if kind is Aggregate.STANDARDISED_INTERVAL:
        # measure_metadata.py: MHS95c is SUM(CI_RANGE) * 100000, CI_RANGE = 1.96 * SQRT(VARIANCE).
        return {**fields, "value": (1.96 * math.sqrt(variance)) * PER, "denominator": total}
    # measure_metadata.py: MHS95b is SUM(STANDARDISED_RATE) * 100000.
    return {**fields, "value": rate * PER, "denominator": total}


def _gap_row(
    definition: MetricDefinition, groups_of: GroupsOf, standard: Standard, month_id: int
) -> ResultRow:
    gap = GAPS[definition.id]
    value: float | None = None
    main_n = other_n = 0
    totals: list[int | None] = [None, None]
    if standard.readable(gap.breakdown):
        numbers = groups_of(definition, gap.breakdown)
        main_n = numbers.get(gap.main, Summary()).count
        other_n = numbers.get(gap.other, Summary()).count
        population = standard.groups.cells(gap.breakdown, month_id)
        counts = _split(groups_of(definition, joint(gap.breakdown)), False)
        main = nhs_england_rate(counts.get(gap.main, {}), population.get(gap.main, {}))
        other = nhs_england_rate(counts.get(gap.other, {}), population.get(gap.other, {}))
        totals = [None if main is None else main[3], None if other is None else other[3]]
        if main is not None and other is not None:
            # AbsoluteDiffFromMain = ABS(STANDARDISED_RATE - MainRate); SUM(...) * 100000.
            value = abs(other[0] - main[0]) * PER
    return ResultRow(
        metric_id=definition.id,
        breakdown=WHOLE_AREA,
        level=WHOLE_AREA,
        unit=definition.unit,
        value=value,
        numerator=main_n,
        denominator=totals[0],
        reference_numerator=other_n,
        reference_denominator=totals[1],
        base=min(main_n, other_n),
    )
