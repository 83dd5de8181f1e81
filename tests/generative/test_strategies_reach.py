"""The generated areas reach every population of every family, and the engines agree there.

``test_engines_agree.py`` holds the engines equal on generated areas. Equal rows
prove nothing where a population is always empty: two engines that both count
nothing agree. So:

1. the strategies those tests draw from must give every population of every
   family a member: the dense areas do, alone. This test
   draws a fixed, derandomized run of them and lists the populations no area
   reached; it must list none. A new family whose populations the strategies
   cannot reach fails here until they do;
2. for each population, the first area that reached it is computed on the
   reference engine and on Polars, every metric of the family with every
   breakdown, and the rows must be equal. So each population is checked
   non-empty on both engines in every run, whatever the agreement tests happen
   to draw.
"""

import contextlib

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis.errors import NoSuchExample

from cypmh.metrics import BREAKDOWNS, CATALOGUE, MetricOptions, compute
from cypmh.metrics.families import FAMILIES, Context
from cypmh.metrics.frames import SUPPORTED, compute_frames, tables_from_area
from cypmh.metrics.results import Aggregate
from cypmh.model.asat import as_at
from tests.generative.test_engines_agree import (
    dense_cases,
    deprivation_of,
    group_population_of,
    population_of,
    same,
)

STRATEGY = dense_cases()
"""The dense areas, one of the two strategies the agreement tests draw from. They reach
every population alone; the generic areas reach none that they miss, and cost five times
as much a draw (measured: 200 draws, 7.9 s against 1.6 s)."""

DRAWS = 400
"""Areas drawn first (about 25 ms each)."""

SEARCH = 3000
"""The most areas drawn in search of one population the first run missed: the rarest
(a pair of scores showing reliable change) comes about once in 150 dense areas."""


def _populations():
    """Every (family, population) a supported metric counts, with one metric that reads it."""
    found = {}
    for metric_id in sorted(SUPPORTED):
        definition = CATALOGUE[metric_id]
        if definition.aggregate is Aggregate.EXPECTED:
            continue  # NEED01: an estimate from the population alone, with no members
        found.setdefault((definition.family, definition.population), metric_id)
    return found


def _hits(case, keys):
    """The populations of ``keys`` that ``case`` gives a member (each family computed once)."""
    area, month, seed = case
    ctx = Context(
        area=as_at(area, month.last_day),
        month=month,
        options=MetricOptions(population=population_of(seed)),
    )
    found = set()
    for family in sorted({f for f, _ in keys}):
        populations = FAMILIES[family](ctx)
        found |= {(f, p) for f, p in keys if f == family and populations.get(p)}
    return found


_SETTINGS = {
    "derandomize": True,
    "database": None,
    "deadline": None,
    "phases": [Phase.generate],
    "suppress_health_check": list(HealthCheck),
}


def _first_areas():
    """The first drawn case that gives each population a member, by population.

    A derandomized run of :data:`DRAWS` areas reaches most populations; each one
    it missed is then searched for on its own, up to :data:`SEARCH` more areas.
    """
    wanted = _populations()
    first = {}

    @settings(max_examples=DRAWS, **_SETTINGS)
    @given(case=STRATEGY)
    def draw(case):
        for key in _hits(case, [k for k in wanted if k not in first]):
            first[key] = case

    draw()
    for key in sorted(set(wanted) - set(first)):
        with contextlib.suppress(NoSuchExample):  # then the test names it
            first[key] = find(
                STRATEGY,
                lambda case, key=key: bool(_hits(case, [key])),
                settings=settings(max_examples=SEARCH, **_SETTINGS),
            )
    return wanted, first


@pytest.fixture(scope="module")
def reached():
    """The populations asked for, and the first case that reached each (drawn once)."""
    return _first_areas()


def test_every_population_of_every_family_is_reached(reached):
    wanted, first = reached
    assert len(wanted) > 50  # every family's populations are asked for
    assert sorted(set(wanted) - set(first)) == []


def test_the_engines_agree_where_each_population_has_members(reached):
    by_case = {}
    for (family, _), case in reached[1].items():
        by_case.setdefault(id(case), (case, set()))[1].add(family)
    for (area, month, seed), families in by_case.values():
        metrics = sorted(m for m in SUPPORTED if CATALOGUE[m].family in families)
        options = MetricOptions(
            population=population_of(seed),
            population_groups=group_population_of(seed),
            deprivation=deprivation_of(seed),
        )
        asked = {
            "metrics": metrics,
            "breakdowns": tuple(BREAKDOWNS),
            "disclosure": "none",
            "options": options,
        }
        expected = compute(area, month, **asked)
        got = compute_frames(tables_from_area(area, "polars", shuffle=seed), month, **asked)
        assert len(got) == len(expected)
        for reference, frames in zip(expected, got, strict=True):
            assert same(reference, frames), f"{families}:\n {reference}\n {frames}"
