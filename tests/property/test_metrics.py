"""Properties of the metric catalogue over generated areas."""

import random
from datetime import date

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from cypmh import Child
from cypmh.metrics import (
    BREAKDOWNS,
    CATALOGUE,
    WHOLE_AREA,
    MetricOptions,
    Unit,
    apply_disclosure,
    compute,
)
from cypmh.metrics.catalogue import POPULATION_SUMS
from cypmh.metrics.families.four_week_metrics import OWN_IDS
from cypmh.need.deprivation import Deprivation
from cypmh.periods import Month
from cypmh.testing import strategies as cst
from tests.budget import examples
from tests.generative.test_engines_agree import dense_cases

months = st.builds(Month, year=st.integers(2018, 2026), month=st.integers(1, 12))


@st.composite
def dense(draw):
    """An area whose events cluster around a reporting month, and that month."""
    month = draw(months)
    return draw(cst.areas(max_children=5, max_referrals=3, max_contacts=5, period=month)), month


ALL_BREAKDOWNS = tuple(b for b in BREAKDOWNS if b != "thrive")


# The IMD breakdowns need a deprivation file: one holding three of the LSOAs the generated
# children live in (cypmh.testing.records), so that some children are UNKNOWN.
OPTIONS = MetricOptions(
    deprivation=Deprivation(
        release="IoD2019", deciles={"E01000001": 1, "E01000002": 4, "E01000003": 9}
    )
)


def raw(area, month, breakdowns=()):
    return compute(area, month, breakdowns=breakdowns, disclosure="none", options=OPTIONS)


@settings(max_examples=examples(40))
@given(case=dense())
def test_values_are_consistent(case):
    area, month = case
    for row in raw(area, month, ALL_BREAKDOWNS):
        if (
            row.numerator is not None
            and row.denominator is not None
            and row.unit is Unit.PERCENTAGE
        ):
            assert row.numerator <= row.denominator
        if row.unit is Unit.PERCENTAGE and row.value is not None:
            assert 0 <= row.value <= 100
        if row.value is not None and row.lower_ci is not None:
            assert row.lower_ci - 1e-9 <= row.value <= row.upper_ci + 1e-9
        if row.unit is Unit.COUNT:
            assert row.value >= 0


@settings(max_examples=examples(40))
@given(case=dense())
def test_count_breakdowns_sum_to_the_total(case):
    area, month = case
    rows = raw(area, month, ALL_BREAKDOWNS)
    totals = {
        r.metric_id: r.value for r in rows if r.breakdown == WHOLE_AREA and r.unit is Unit.COUNT
    }
    for breakdown in ALL_BREAKDOWNS:
        for metric_id, total in totals.items():
            definition = CATALOGUE[metric_id]
            # MHS95 by provider counts a child under every provider that saw them, as NHS
            # England does (its own population): those rows need not add up to the total.
            if definition.population_for(breakdown) != definition.population:
                continue
            if breakdown in definition.breakdowns:
                parts = [
                    r.value for r in rows if r.metric_id == metric_id and r.breakdown == breakdown
                ]
                assert sum(parts) == total, (metric_id, breakdown)


@settings(max_examples=examples(40))
@given(case=dense())
def test_every_declared_sum_holds_at_every_level(case):
    """A population the definitions say is the sum of others is, at every level.

    Each family's ``sums`` (FATE01 is FATE01a + FATE01c + FATE01e: every referral of the
    year has exactly one fate; ED86 is its four bands; LAC01 its three statuses; each
    rater's paired referrals improved, deteriorated or did not change) is read by
    disclosure control as a reader would, so it must be true of the counts themselves.
    """
    area, month = case
    counts = {}
    for row in raw(area, month, ALL_BREAKDOWNS):
        definition = CATALOGUE[row.metric_id]
        if row.unit is Unit.COUNT and definition.population_for(row.breakdown) == (
            definition.population
        ):
            key = (f"{definition.family}/{definition.population}", row.breakdown, row.level)
            counts[key] = row.value
    checked = 0
    for total, parts in POPULATION_SUMS.items():
        levels = {(b, lv) for (population, b, lv) in counts if population in (total, *parts)}
        for b, lv in levels:
            whole = counts.get((total, b, lv), 0)
            assert whole == sum(counts.get((part, b, lv), 0) for part in parts), (total, b, lv)
            checked += 1
    assert checked >= len(POPULATION_SUMS)  # every sum is read at least for the whole area


def shuffled(area, seed):
    rng = random.Random(seed)
    fields = {}
    for field in attrs.fields(type(area)):
        value = getattr(area, field.name)
        if field.init and isinstance(value, tuple):
            items = list(value)
            rng.shuffle(items)
            fields[field.name] = tuple(items)
    return attrs.evolve(area, **fields)


@settings(max_examples=examples(60))
@given(case=dense_cases())
def test_direct_contact_waits_are_the_national_ones_without_indirect_activity(case):
    """WAIT08-WAIT09f on an area are MRS08-MRS09f on the area with its indirect activity
    (MHS204) taken away, row for row at every level of every breakdown: reading direct
    contacts only is exactly not reading MHS204, and changes nothing else.

    The areas are the engine test's dense ones, whose four-week clocks stop: a counted
    contact, a baseline score and a care plan near each receipt, and indirect activity,
    some coded with an intervention, on the same few days.
    """
    area, month, _ = case
    stripped = attrs.evolve(area, indirect_activities=())

    def rows(of, ids):
        found = compute(
            of, month, metrics=ids, breakdowns=ALL_BREAKDOWNS, disclosure="none", options=OPTIONS
        )
        return [(r.breakdown, r.level, r.value, r.numerator, r.denominator) for r in found]

    assert rows(area, list(OWN_IDS.values())) == rows(stripped, list(OWN_IDS))


@settings(max_examples=examples(40))
@given(case=dense(), seed=st.integers())
def test_results_do_not_depend_on_input_order(case, seed):
    area, month = case
    assert raw(shuffled(area, seed), month, ALL_BREAKDOWNS) == raw(area, month, ALL_BREAKDOWNS)


@settings(max_examples=examples(40))
@given(case=dense(), born=st.dates(date(2005, 1, 1), date(2016, 1, 1)))
def test_a_child_with_no_activity_changes_nothing(case, born):
    area, month = case
    quiet = Child(person_id="no-activity-child", birth_date=born)
    if quiet.person_id in {c.person_id for c in area.children}:
        return
    bigger = attrs.evolve(area, children=(*area.children, quiet))
    assert raw(bigger, month) == raw(area, month)


@given(
    counts=st.lists(st.integers(0, 60), min_size=1, max_size=20),
    policy=st.sampled_from(["mhsds", "hes"]),
)
def test_disclosure_never_shows_small_counts(counts, policy):
    from cypmh.metrics import ResultRow

    rows = [
        ResultRow(metric_id="M", breakdown="b", level=str(i), unit=Unit.COUNT, value=float(n))
        for i, n in enumerate(counts)
    ]
    for row, n in zip(apply_disclosure(rows, policy), counts, strict=True):
        small = {"1", "2", "3", "4"} if policy == "mhsds" else {"1", "2", "3", "4", "5", "6", "7"}
        assert row.shown not in small
        if row.shown != "*":
            assert int(row.shown) % 5 == 0
            assert abs(int(row.shown) - n) <= 2.5
        assert row.changed == (row.shown != str(n))


@settings(max_examples=examples(40))
@given(case=dense())
def test_mhsds_disclosure_of_real_results(case):
    area, month = case
    for row in compute(area, month, breakdowns=ALL_BREAKDOWNS, disclosure="mhsds"):
        if row.unit is Unit.COUNT and row.value is not None:
            assert row.shown not in {"1", "2", "3", "4"}
        if (
            row.unit is Unit.PERCENTAGE
            and row.base is not None
            and row.base < 5
            and row.value is not None
        ):
            assert row.shown == "*"
