"""MHS95b, MHS95c, MHS95f, MHS95g and ACC03, worked by hand.

NHS England's rates follow ``produce_direct_standardised_rate_df`` in
NHSDigital/mental-health-monthly-statistics
``Mental_Health_Monthly_Statistics/menh_bbrb/notebooks/mhsds_functions.py``:

- line 830: the function; line 894: the counts by level x Age_Band x Der_Gender, UNKNOWN
  age and gender left out;
- line 929: the counts joined to the population by ``join_standardisation_groupings``,
  whose join (line 813) is ``how="inner"``;
- lines 931-935: TOTAL_POPULATION, the joined cells' population, by level;
- lines 944-945: WEIGHT = POPULATION / TOTAL_POPULATION, WEIGHTED_RATE = MEASURE_VALUE /
  POPULATION x WEIGHT;
- lines 953-954: STANDARDISED_RATE = SUM(WEIGHTED_RATE), VARIANCE = SUM(WEIGHT^2 x
  MEASURE_VALUE / POPULATION^2);
- line 963: CI_RANGE = 1.96 x SQRT(VARIANCE);
- ``measure_metadata.py`` (MHS95b, MHS95c): SUM(STANDARDISED_RATE) x 100000 and SUM(CI_RANGE)
  x 100000;
- lines 1148-1232 (``produce_absolute_difference_between_two_standardised_rates_df``): the
  main group is White British (line 1178) or the most deprived quintile (line 1181), and the
  gap ABS(STANDARDISED_RATE - MainRate) (line 1190), x 100000 (MHS95f, MHS95g).

Read at commit 7b4d742 (18 September 2025).

The area (March 2025; window 1 April 2024 to 31 March 2025; every contact on 1 June 2024):

====  ===================  ======  ==========  ======================
child  ethnic category      gender  age band    IMD decile (its LSOA)
====  ===================  ======  ==========  ======================
P1    A (White British)     1       11 to 14    1 (most deprived)
P2    A (White British)     1       11 to 14    10
P3    A (White British)     2       0 to 5      10
P4    H (Non-white British) 2       16          1
P5    H (Non-white British) 9       16          10
====  ===================  ======  ==========  ======================
"""

import math
from datetime import date

import pytest

from cypmh.errors import InvalidValueError
from cypmh.metrics import MetricOptions, compute
from cypmh.metrics.standardised import european_rate, european_weights
from cypmh.need.group_population import GroupPopulation
from cypmh.synth.deprivation import SYNTHETIC_LSOAS, synthetic_deprivation
from tests.spec.metrics.builders import PERIOD, results
from tests.spec.pathways.timeline import area, child, contact, referral

MOST, LEAST = SYNTHETIC_LSOAS[0], SYNTHETIC_LSOAS[-1]  # deciles 1 and 10 of the synthetic file


def _area():
    people = [
        child("P1", born=date(2012, 1, 1), gender="1", ethnic_category="A", lsoa=MOST),
        child("P2", born=date(2012, 1, 1), gender="1", ethnic_category="A", lsoa=LEAST),
        child("P3", born=date(2021, 1, 1), gender="2", ethnic_category="A", lsoa=LEAST),
        child("P4", born=date(2008, 5, 1), gender="2", ethnic_category="H", lsoa=MOST),
        child("P5", born=date(2008, 5, 1), gender="9", ethnic_category="H", lsoa=LEAST),
    ]
    refs = [
        referral(f"R{i}", date(2024, 5, 1), person_id=p.person_id) for i, p in enumerate(people)
    ]
    contacts = [contact(f"C{i}", r, date(2024, 6, 1)) for i, r in enumerate(refs)]
    return area(children=people, referrals=refs, contacts=contacts)


GROUPS = GroupPopulation(
    counts={
        # White British: 11 to 14 boys 200, girls 100; 0 to 5 girls 300, boys 400.
        ("ethnic_category", "A", 12, "male"): 200,
        ("ethnic_category", "A", 12, "female"): 100,
        ("ethnic_category", "A", 3, "female"): 300,
        ("ethnic_category", "A", 3, "male"): 400,
        # Non-white British: 16 girls 50, boys 50; 0 to 5 boys 100.
        ("ethnic_category", "H", 16, "female"): 50,
        ("ethnic_category", "H", 16, "male"): 50,
        ("ethnic_category", "H", 5, "male"): 100,
        # Decile 1: 11 to 14 boys 100, 16 girls 100. Decile 10: 11 to 14 boys 300,
        # 0 to 5 girls 200, 16 boys 100.
        ("imd_decile", "1", 12, "male"): 100,
        ("imd_decile", "1", 16, "female"): 100,
        ("imd_decile", "10", 12, "male"): 300,
        ("imd_decile", "10", 3, "female"): 200,
        ("imd_decile", "10", 16, "male"): 100,
    },
    source="worked by hand",
)
OPTIONS = MetricOptions(population_groups=GROUPS, deprivation=(synthetic_deprivation(),))


def test_nhs_england_rate_worked_example():
    # White British: the joined cells are (11 to 14, 1): 2 children of 200, and (0 to 5, 2):
    # 1 of 300; (11 to 14, 2) and (0 to 5, 1) have no child and do not join. TOTAL = 500,
    # weights 0.4 and 0.6. Rate = 2/200 x 0.4 + 1/300 x 0.6 = 0.004 + 0.002 = 0.006:
    # 600 per 100,000, which is 3 / 500, the crude rate over the joined cells.
    # VARIANCE = 0.4^2 x 2/200^2 + 0.6^2 x 1/300^2 = 0.000008 + 0.000004 = 0.000012.
    # Non-white British: P5's gender 9 has no population; (16, 2): 1 of 50, weight 1:
    # 2,000 per 100,000; VARIANCE = 1/50^2 = 0.0004.
    rows = results(_area(), "MHS95b", "MHS95c", breakdowns=("wnw_ethnicity",), options=OPTIONS)
    white = rows[("MHS95b", "wnw_ethnicity", "White British")]
    other = rows[("MHS95b", "wnw_ethnicity", "Non-white British")]
    assert white.value == pytest.approx(600.0)
    assert other.value == pytest.approx(2000.0)
    assert (white.numerator, white.denominator) == (3, 500)
    assert (other.numerator, other.denominator) == (2, 50)  # P5 is counted, not joined
    interval = rows[("MHS95c", "wnw_ethnicity", "White British")].value
    assert interval == pytest.approx(1.96 * math.sqrt(0.000012) * 100_000)  # 678.97
    assert rows[("MHS95c", "wnw_ethnicity", "Non-white British")].value == pytest.approx(3920.0)
    # No whole-area row: NHS England publishes MHS95b by these breakdowns only.
    assert ("MHS95b", "Total", "Total") not in rows


def test_gaps_worked_example():
    # MHS95f = |2,000 - 600| = 1,400 (above).
    # MHS95g on IMD Core20. Most deprived quintile (decile 1): (11 to 14, 1) P1 of 100 and
    # (16, 2) P4 of 100: 2 / 200 -> 1,000. Other 4 quintiles (decile 10): (11 to 14, 1) P2 of
    # 300 and (0 to 5, 2) P3 of 200 (P5's gender 9 does not join; the 100 boys of 16 have
    # no child and do not join either): 2 / 500 -> 400. MHS95g = |400 - 1,000| = 600.
    rows = results(
        _area(), "MHS95f", "MHS95g", "MHS95b", breakdowns=("imd_core20",), options=OPTIONS
    )
    assert rows[("MHS95f", "Total", "Total")].value == pytest.approx(1400.0)
    assert rows[("MHS95g", "Total", "Total")].value == pytest.approx(600.0)
    assert rows[("MHS95b", "imd_core20", "Most deprived quintile")].value == pytest.approx(1000.0)
    assert rows[("MHS95b", "imd_core20", "Other 4 quintiles")].value == pytest.approx(400.0)
    gap = rows[("MHS95g", "Total", "Total")]
    assert (gap.numerator, gap.reference_numerator) == (2, 3)  # MHS95 of each level


def test_european_rate_worked_example():
    # The 2013 European Standard Population (Eurostat): 0-4 5,000; 5-9, 10-14 and 15-19 5,500
    # each, 1,100 to each year. Bands: 0 to 5 = 5,000 + 1,100 = 6,100; 6 to 10 = 5,500;
    # 11 to 14 = 4,400; 15, 16 and 17 = 1,100 each: 19,300 in all, each sex half of each.
    weights = european_weights()
    assert weights[("0 to 5", "1")] == pytest.approx(6100 / 38600)
    assert weights[("11 to 14", "2")] == pytest.approx(4400 / 38600)
    assert sum(weights.values()) == pytest.approx(1.0)
    # 1,000 in every cell; 10 boys of 0 to 5 and 5 girls of 17 seen. Rate = (6,100 x 10/1,000
    # + 1,100 x 5/1,000) / 38,600 = 66.5 / 38,600: 172.28 per 100,000 (the crude rate is
    # 15 / 12,000: 125).
    population = dict.fromkeys(weights, 1000)
    counts = {("0 to 5", "1"): 10, ("17", "2"): 5}
    rate, low, high, observed, people = european_rate(counts, population)
    assert rate * 100_000 == pytest.approx(66.5 / 38600 * 100_000)
    assert (observed, people) == (15, 12_000)
    # Dobson: rate + sqrt(V / O) x (O's limit - O), V = sum of w^2 x n / p^2; Byar's limits
    # of O = 15: 15 (1 - 1/135 - 1.96/(3 sqrt 15))^3 and 16 (1 - 1/144 + 1.96/(3 sqrt 16))^3.
    v = (6100 / 38600) ** 2 * 10 / 1000**2 + (1100 / 38600) ** 2 * 5 / 1000**2
    z = 1.959963984540054
    o_low = 15 * (1 - 1 / 135 - z / (3 * math.sqrt(15))) ** 3
    o_high = 16 * (1 - 1 / 144 + z / (3 * math.sqrt(16))) ** 3
    assert low == pytest.approx(rate + math.sqrt(v / 15) * (o_low - 15))
    assert high == pytest.approx(rate + math.sqrt(v / 15) * (o_high - 15))
    # A cell without population: no rate can be worked out.
    assert european_rate(counts, {**population, ("16", "1"): 0}) is None


def test_european_rate_of_an_area_weights_every_cell():
    # ACC03 by White British: the White British population covers ages 3 and 12 only, so
    # most cells have no population and there is no value; MHS95b has one (above).
    rows = results(_area(), "ACC03", breakdowns=("wnw_ethnicity",), options=OPTIONS)
    assert rows[("ACC03", "wnw_ethnicity", "White British")].value is None
    assert rows[("ACC03", "Total", "Total")].value is None


def test_without_the_population_by_group_they_are_a_clear_error():
    with pytest.raises(InvalidValueError, match="population by ethnic group"):
        compute(_area(), PERIOD, metrics=["MHS95b"], disclosure="none")
    # MHS95g also reads the deprivation file.
    with pytest.raises(InvalidValueError, match="deprivation file"):
        compute(
            _area(),
            PERIOD,
            metrics=["MHS95g"],
            disclosure="none",
            options=MetricOptions(population_groups=GROUPS),
        )


def test_the_whole_catalogue_leaves_them_out_without_it():
    ids = {r.metric_id for r in compute(_area(), PERIOD, disclosure="none")}
    assert not ids & {"MHS95b", "MHS95c", "MHS95f", "MHS95g", "ACC03"}
    rows = compute(
        _area(), PERIOD, breakdowns=["wnw_ethnicity"], disclosure="none", options=OPTIONS
    )
    assert {"MHS95b", "MHS95c", "MHS95f", "MHS95g", "ACC03"} <= {r.metric_id for r in rows}


def test_a_gap_is_hidden_where_either_count_is():
    # Under the mhsds policy, a count below 5 is hidden: MHS95 of White British (3) and of
    # Non-white British (2) are, so the gap, which rests on both, is hidden too.
    rows = compute(_area(), PERIOD, metrics=["MHS95f"], disclosure="mhsds", options=OPTIONS)
    (gap,) = rows
    assert gap.value == pytest.approx(1400.0)
    assert gap.shown == "*"
