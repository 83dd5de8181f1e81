"""The metrics worked out with a population: NEED01, ACC01, MHS95a, REF01a, REF02, ACC02r.

Both engines count their members (MHS95's children, REF01's referrals, the
children looked after of ACC02) as for any metric; this module turns those
counts, the population and the prevalence scheme into the values, in one
place for both (:func:`population_rows`, called by
:func:`cypmh.metrics.engine.result_rows`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import attrs

from cypmh.codes import age_bands
from cypmh.errors import InvalidValueError
from cypmh.metrics.groups import Summary, fixed_levels, level_order
from cypmh.metrics.results import WHOLE_AREA, Aggregate, ResultRow
from cypmh.metrics.stats import rate_ratio, round_half_away
from cypmh.need.population import GENDER_CODES
from cypmh.need.prevalence import expected_in_need, scheme_named

if TYPE_CHECKING:
    from cypmh.metrics.definition import MetricDefinition
    from cypmh.metrics.options import MetricOptions
    from cypmh.need.population import Population
    from cypmh.need.prevalence import Scheme
    from cypmh.periods import Month

__all__ = ["NEEDS_POPULATION", "Basis", "basis_of", "needs_population", "population_rows"]

NEEDS_POPULATION = frozenset(
    {Aggregate.EXPECTED, Aggregate.OF_NEED, Aggregate.CRUDE_RATE, Aggregate.POPULATION_RATIO}
)
"""The aggregates that cannot be worked out without a population."""

PER = 100_000
"""A crude rate is per this many of the population."""


def needs_population(definition: MetricDefinition) -> bool:
    """Whether the metric reads the population (MetricOptions ``population``)."""
    return definition.aggregate in NEEDS_POPULATION


@attrs.frozen
class Level:
    """One level's population aged 0 to 17 and its expected number in need."""

    people: int
    need: float


@attrs.frozen(kw_only=True)
class Basis:
    """A population and a scheme, with their people and need by breakdown level."""

    population: Population
    scheme: Scheme
    levels: Mapping[str, Mapping[str, Level]]

    @property
    def label(self) -> str:
        """What a result says it rests on: the scheme and the population."""
        return f"scheme {self.scheme.label}; population {self.population.label}"


def basis_of(options: MetricOptions) -> Basis | None:
    """The options' population and scheme, by level (``None`` without a population)."""
    population = options.population
    if population is None:
        return None
    scheme = scheme_named(options.scheme)
    need = expected_in_need(population, scheme)
    cells = {key: (population.counts[key], need[key]) for key in need}

    def level(keep: Callable[[int, str], bool]) -> Level:
        chosen = [value for (age, sex), value in cells.items() if keep(age, sex)]
        return Level(people=sum(p for p, _ in chosen), need=sum(n for _, n in chosen))

    levels: dict[str, dict[str, Level]] = {
        WHOLE_AREA: {WHOLE_AREA: level(lambda age, sex: True)},
        "age_band": {
            band.label: level(lambda age, sex, band=band: band.contains(age))  # type: ignore[misc]
            for band in age_bands()
        },
    }
    if population.has_sex:
        levels["sex"] = {
            code: level(lambda age, sex, name=name: sex == name)  # type: ignore[misc]
            for name, code in GENDER_CODES.items()
        }
    return Basis(population=population, scheme=scheme, levels=levels)


GroupsOf = Callable[["MetricDefinition", str], Mapping[str, "Summary"]]


def population_rows(
    definition: MetricDefinition,
    breakdowns: Sequence[str],
    groups_of: GroupsOf,
    basis: Basis | None,
    month: Month | None = None,
) -> list[ResultRow]:
    """The rows of one population metric: the whole area, then each breakdown it allows.

    ``groups_of`` gives the engine's summaries of a population by level, as
    for every metric. A breakdown the population lacks (sex, when the file
    does not split it) has no rows.
    """
    if basis is None and needs_population(definition):
        raise InvalidValueError(
            "compute",
            "options.population",
            None,
            f"{definition.id} needs the area's population: "
            "MetricOptions(population=cypmh.need.read_population(...))",
        )
    kind = definition.aggregate
    rows: list[ResultRow] = []
    names = [WHOLE_AREA] + [b for b in breakdowns if b in definition.breakdowns]
    for name in names:
        if kind is Aggregate.POPULATION_RATIO and name != WHOLE_AREA:
            continue
        if basis is not None and needs_population(definition) and name not in basis.levels:
            continue
        counts = dict(groups_of(definition, name)) if kind is not Aggregate.EXPECTED else {}
        # The one other population a value reads: REF02's base year, ACC02r's MHS95.
        other: dict[str, Summary] = {}
        for population in definition.also_reads:
            other = dict(groups_of(attrs.evolve(definition, population=population), name))
        if basis is not None and needs_population(definition):
            levels = list(basis.levels[name])
        else:
            found = set(counts) | (set(other) if kind is Aggregate.CHANGE else set())
            found |= set(fixed_levels(name, month) if month is not None else ())
            levels = sorted(found, key=level_order(name)) if name != WHOLE_AREA else [WHOLE_AREA]
        for level in levels:
            here = (
                basis.levels[name][level]
                if basis is not None and needs_population(definition)
                else None
            )
            fields = _fields(definition, counts, other, level, here, basis)
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


def _fields(
    definition: MetricDefinition,
    counts: Mapping[str, Summary],
    other: Mapping[str, Summary],
    level: str,
    here: Level | None,
    basis: Basis | None,
) -> dict[str, object]:

    kind = definition.aggregate
    group = counts.get(level, Summary())
    if kind is Aggregate.EXPECTED:
        assert here is not None
        return {"value": here.need, "denominator": here.people}
    if kind is Aggregate.OF_NEED:
        assert here is not None
        value = 100 * group.count / here.need if here.need > 0 else None
        if value is not None and definition.decimals is not None:
            value = round_half_away(value, definition.decimals)
        return {"value": value, "numerator": group.count, "base": group.count}
    if kind is Aggregate.CRUDE_RATE:
        assert here is not None
        if here.people > 0:
            rate: float | None = PER * group.count / here.people
        else:
            rate = 0.0 if definition.mhsds else None
        return {
            "value": rate,
            "numerator": group.count,
            "denominator": here.people,
            "base": group.count,
        }
    if kind is Aggregate.CHANGE:
        before = other.get(level, Summary()).count
        change = 100 * (group.count - before) / before if before > 0 else None
        if change is not None and definition.decimals is not None:
            change = round_half_away(change, definition.decimals)
        return {
            "value": change,
            "numerator": group.count,
            "denominator": before,
            "base": min(group.count, before),
        }
    if kind is Aggregate.POPULATION_RATIO:
        assert basis is not None
        reached = other.get(level, Summary()).count
        people = basis.levels[WHOLE_AREA][WHOLE_AREA].people
        result = rate_ratio(group.hits, group.count, reached, people)
        ratio, low, high = result if result is not None else (None, None, None)
        return {
            "value": ratio,
            "numerator": group.hits,
            "denominator": group.count,
            "base": min(group.hits, reached),
            "reference_numerator": reached,
            "reference_denominator": people,
            "lower_ci": low,
            "upper_ci": high,
        }
    raise InvalidValueError("compute", "aggregate", kind, "is not worked out with a population")
