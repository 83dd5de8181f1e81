"""Properties of the standardised rates (MHS95b, MHS95c, ACC03), over generated cells.

The cells are (age band, gender code) pairs of :func:`european_weights`; counts never
exceed their cell's population.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cypmh.metrics.standardised import european_rate, european_weights, nhs_england_rate
from cypmh.need.group_population import GroupPopulation, group_population_from_text

CELLS = sorted(european_weights())


@st.composite
def cells(draw, full=False):
    """A population of some (or, ``full``, every) cell, and counts no larger than it."""
    chosen = CELLS if full else draw(st.lists(st.sampled_from(CELLS), min_size=1, unique=True))
    population = {c: draw(st.integers(1 if full else 0, 5000)) for c in chosen}
    counts = {c: draw(st.integers(0, p)) for c, p in population.items()}
    # A count may also fall in a cell the population lacks (gender 9, unknown age).
    counts[("Unknown", "9")] = draw(st.integers(0, 20))
    return counts, population


@given(cells())
def test_nhs_england_rate_is_the_crude_rate_over_the_cells_with_a_child(case):
    # The reading of produce_direct_standardised_rate_df: the weights are the
    # level's own, so the "standardised" rate is children / population over the joined cells.
    counts, population = case
    joined = [c for c, n in counts.items() if n > 0 and population.get(c, 0) > 0]
    found = nhs_england_rate(counts, population)
    if not joined:
        assert found is None
        return
    assert found is not None
    rate, variance, children, people = found
    assert people == sum(population[c] for c in joined)
    assert children == sum(counts[c] for c in joined)
    assert rate == pytest.approx(children / people)
    assert variance >= 0


@given(cells(full=True))
def test_european_rate_lies_between_its_cells_rates(case):
    counts, population = case
    rates = [counts.get(c, 0) / population[c] for c in CELLS]
    rate, low, high, observed, _ = european_rate(counts, population)
    assert min(rates) - 1e-12 <= rate <= max(rates) + 1e-12
    if observed:
        assert low <= rate <= high


@given(cells(full=True), st.integers(2, 50))
def test_european_rate_does_not_move_with_a_level_s_make_up(case, factor):
    # Direct standardisation: the same rate in every cell gives that rate, whatever the
    # level's own population; scaling one cell's people and children alike changes nothing.
    counts, population = case
    cell = CELLS[0]
    scaled_pop = {**population, cell: population[cell] * factor}
    scaled = {**counts, cell: counts.get(cell, 0) * factor}
    assert european_rate(scaled, scaled_pop)[0] == pytest.approx(
        european_rate(counts, population)[0]
    )
    tenfold = {c: p * 10 for c, p in population.items()}
    assert european_rate(population, tenfold)[0] == pytest.approx(0.1)


rows = st.lists(
    st.tuples(
        st.sampled_from(["ethnic_category", "imd_decile"]),
        st.integers(0, 90),
        st.sampled_from(["male", "female"]),
        st.integers(0, 10_000),
    ),
    min_size=1,
    max_size=30,
)


@given(rows)
def test_the_file_reads_back_what_was_written(drawn):
    # Each row's people land in exactly one level of each breakdown its group gives.
    text = ["group,code,age,sex,population"]
    seen = set()
    expected = {}
    for i, (group, age, sex, n) in enumerate(drawn):
        code = "ACHJNS"[i % 6] if group == "ethnic_category" else str(i % 10 + 1)
        if (group, code, age, sex) in seen:
            continue
        seen.add((group, code, age, sex))
        expected[(group, code, age, sex)] = n
        text.append(f"{group},{code},{age},{sex},{n}")
    read = group_population_from_text("\n".join(text) + "\n", "drawn.csv")
    assert read.counts == expected
    for breakdown in read.breakdowns:
        group = "ethnic_category" if "ethnicity" in breakdown else "imd_decile"
        total = sum(n for key, n in expected.items() if key[0] == group)
        cells_of = read.cells(breakdown, 1500)
        assert sum(sum(c.values()) for c in cells_of.values()) == total


def test_a_group_population_can_be_built_by_hand():
    p = GroupPopulation(counts={("ethnic_category", "A", 0, "male"): 5}, source="by hand")
    assert p.breakdowns == ("ethnicity", "wnw_ethnicity")
