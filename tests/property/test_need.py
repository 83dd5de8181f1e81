"""Properties of the need metrics: over generated populations, schemes and areas."""

import itertools

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cypmh.codes import age_bands
from cypmh.metrics import MetricOptions, compute
from cypmh.metrics.stats import round_half_away
from cypmh.need.population import Population
from cypmh.need.prevalence import SCHEMES, Band, Scheme, SchemeError
from cypmh.periods import Month
from cypmh.testing import strategies as cst
from tests.budget import examples

MONTH = Month(year=2025, month=3)
schemes = st.sampled_from(list(SCHEMES))


def need_rows(population, scheme, area=None, metrics=("NEED01",)):
    rows = compute(
        area if area is not None else _empty(),
        MONTH,
        metrics=list(metrics),
        breakdowns=("age_band", "sex"),
        disclosure="none",
        options=MetricOptions(population=population, scheme=scheme),
    )
    return {(r.metric_id, r.breakdown, r.level): r for r in rows}


def _empty():
    from cypmh.synth.examples import example_area

    return example_area()


@settings(max_examples=examples(200))
@given(population=cst.populations(), scheme=schemes, factor=st.integers(2, 50))
def test_need_scales_linearly_with_the_population(population, scheme, factor):
    once = need_rows(population, scheme)
    scaled = need_rows(population.scaled(factor), scheme)
    assert once.keys() == scaled.keys()
    for key, row in once.items():
        assert scaled[key].value == pytest.approx(factor * row.value, rel=1e-9, abs=1e-9)
        assert scaled[key].denominator == factor * row.denominator


@settings(max_examples=examples(200))
@given(population=cst.populations(), scheme=schemes)
def test_age_band_and_sex_rows_sum_to_the_total(population, scheme):
    rows = need_rows(population, scheme)
    total = rows[("NEED01", "Total", "Total")]
    bands = [rows[("NEED01", "age_band", band.label)] for band in age_bands()]
    assert sum(r.value for r in bands) == pytest.approx(total.value, rel=1e-9, abs=1e-9)
    assert sum(r.denominator for r in bands) == total.denominator == population.total()
    sexes = [row for (_, breakdown, _), row in rows.items() if breakdown == "sex"]
    assert bool(sexes) == population.has_sex
    if sexes:
        assert sum(r.value for r in sexes) == pytest.approx(total.value, rel=1e-9, abs=1e-9)


@settings(max_examples=examples(100))
@given(
    area=cst.areas(max_children=6, max_referrals=3, max_contacts=4, period=MONTH),
    population=cst.populations(),
    scheme=schemes,
)
def test_acc01_is_100_mhs95_over_need01_wherever_both_have_the_level(area, population, scheme):
    rows = need_rows(population, scheme, area, metrics=("NEED01", "MHS95", "ACC01"))
    for (metric_id, breakdown, level), row in rows.items():
        if metric_id != "ACC01":
            continue
        need = rows[("NEED01", breakdown, level)].value
        reached = rows.get(("MHS95", breakdown, level))
        count = 0 if reached is None else int(reached.value)
        assert row.numerator == count
        if need > 0:
            assert row.value == pytest.approx(100 * count / need, rel=1e-12)
        else:
            assert row.value is None
    for metric_id, breakdown, level in rows:
        if metric_id == "NEED01":
            assert ("ACC01", breakdown, level) in rows


measures = st.sampled_from(["diagnosed_disorder", "probable_disorder", "sdq_cause_for_concern"])


@st.composite
def band_lists(draw):
    """Non-overlapping bands over 0 to 19, each with a measure drawn on its own."""
    cuts = sorted(draw(st.sets(st.integers(1, 19), max_size=5)))
    edges = [0, *cuts, 20]
    return [
        Band(
            age_from=a,
            age_to=b - 1,
            sex="all",
            rate_percent=draw(st.floats(0, 60)),
            measure=draw(measures),
        )
        for a, b in itertools.pairwise(edges)
    ]


@settings(max_examples=examples(300))
@given(bands=band_lists(), measure=measures, fill=st.sampled_from(["nearest", "none"]))
def test_a_scheme_never_combines_two_measures(bands, measure, fill):
    mixed = {b.measure for b in bands} | {measure}
    if len(mixed) > 1:
        with pytest.raises(SchemeError, match="mixes measures"):
            Scheme(name="s", measure=measure, bands=tuple(bands), fill=fill)
        return
    scheme = Scheme(name="s", measure=measure, bands=tuple(bands), fill=fill)
    for age in range(18):
        band = scheme.band_for(age)
        assert band is None or band.measure == measure


@settings(max_examples=examples(100))
@given(population=cst.populations(), scheme=schemes)
def test_every_shipped_schemes_rates_are_of_its_one_measure(population, scheme):
    chosen = SCHEMES[scheme]
    for age in range(18):
        band = chosen.band_for(age)
        assert band is not None
        assert band.measure == chosen.measure
    persons = Population(counts={(a, "all"): population.of(a) for a in range(18)}, source="x")
    total = need_rows(persons, scheme)[("NEED01", "Total", "Total")].value
    by_hand = sum(persons.of(a) * chosen.rate(a) / 100 for a in range(18))
    assert total == pytest.approx(by_hand, rel=1e-9, abs=1e-9)


def test_a_scheme_object_can_be_passed_as_it_is():
    scheme = attrs.evolve(SCHEMES["ons_2004"], name="copy")
    population = Population(counts={(12, "all"): 100}, source="x")
    assert need_rows(population, scheme)[("NEED01", "Total", "Total")].value == pytest.approx(11.5)


# Disclosure: under safe, a value worked out with a population tells no more than the
# published counts it rests on (and the public population and rates).


def _text(value, digits=0):
    from cypmh.metrics.disclosure import format_number

    return format_number(round_half_away(value, digits))


@settings(max_examples=examples(30), deadline=None)
@given(seed=st.integers(0, 10_000), people=st.integers(30, 250), scheme=schemes)
def test_safe_values_are_worked_out_from_the_published_counts(seed, people, scheme):
    from cypmh.synth.area import synthetic_area, synthetic_population

    population = synthetic_population(seed=seed, people=people)
    rows = compute(
        synthetic_area(seed=seed, people=people),
        MONTH,
        metrics=["NEED01", "MHS95", "ACC01", "MHS95a", "REF01", "REF01a", "REF02"],
        breakdowns=("age_band", "sex"),
        disclosure="safe",
        options=MetricOptions(population=population, scheme=scheme),
    )
    by = {(r.metric_id, r.breakdown, r.level): r for r in rows}
    checked = 0
    for (metric_id, breakdown, level), row in by.items():
        count_id = {"ACC01": "MHS95", "MHS95a": "MHS95", "REF01a": "REF01", "REF02": "REF01"}
        if metric_id not in count_id or row.value is None:
            continue
        count = by.get((count_id[metric_id], breakdown, level))
        shown = "0" if count is None else count.shown
        if shown == "*":
            assert row.shown == "*", (metric_id, breakdown, level)
            continue
        if row.shown == "*":
            continue  # hidden with another cell: says nothing
        n = int(shown)
        if metric_id == "ACC01":
            expected = 100 * n / by[("NEED01", breakdown, level)].value
        elif metric_id == "REF02":
            base = int(row.shown_denominator)
            expected = 100 * (n - base) / base
        else:
            expected = 100_000 * n / row.denominator
        assert row.shown == _text(expected), (metric_id, breakdown, level, row)
        checked += 1
    assert checked > 0
