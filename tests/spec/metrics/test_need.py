"""NEED01, ACC01, MHS95a, REF01, REF01a, REF02, ACC02 and ACC02r, worked by hand.

The population is the same small one throughout (``POPULATION``): age 3, 100
boys and 100 girls; age 12, 150 boys and 50 girls; age 17, 40 boys and 60
girls: 500 children (290 boys, 210 girls). Scheme ons_2004 (prevalence.csv: 5 to 10 at 7.7%, 11 to
16 at 11.5%): age 3 is not covered and takes the nearest band's rate, 7.7%;
age 17 likewise takes 11.5%. Window for March 2025: 1 April 2024 to 31 March
2025; REF02's base period is 1 April 2023 to 31 March 2024.
"""

import math
from datetime import date
from statistics import NormalDist

import pytest

from cypmh.errors import InvalidValueError
from cypmh.metrics import MetricOptions, compute
from cypmh.need.population import Population
from tests.spec.metrics.builders import PERIOD, results
from tests.spec.pathways.timeline import area, child, contact, episode, referral

POPULATION = Population(
    counts={
        (3, "male"): 100,
        (3, "female"): 100,
        (12, "male"): 150,
        (12, "female"): 50,
        (17, "male"): 40,
        (17, "female"): 60,
    },
    source="worked by hand",
)
OPTIONS = MetricOptions(population=POPULATION)


def test_need_worked_example():
    # Age 3: 200 x 7.7% = 15.4. Age 12: 200 x 11.5% = 23.0. Age 17: 100 x 11.5% = 11.5.
    # Total 49.9. Boys: 100 x 7.7% + 150 x 11.5% + 40 x 11.5% = 7.7 + 17.25 + 4.6 = 29.55;
    # girls: 7.7 + 5.75 + 6.9 = 20.35. The bands without children have no need.
    rows = results(area(), "NEED01", breakdowns=("age_band", "sex"), options=OPTIONS)
    expected = {
        ("Total", "Total"): 49.9,
        ("age_band", "0 to 5"): 15.4,
        ("age_band", "6 to 10"): 0.0,
        ("age_band", "11 to 14"): 23.0,
        ("age_band", "15"): 0.0,
        ("age_band", "16"): 0.0,
        ("age_band", "17"): 11.5,
        ("sex", "1"): 29.55,
        ("sex", "2"): 20.35,
    }
    for (breakdown, level), need in expected.items():
        assert rows[("NEED01", breakdown, level)].value == pytest.approx(need)
    assert rows[("NEED01", "Total", "Total")].denominator == 500


def test_need_on_a_probable_disorder_scheme():
    # mhcyp_2023 (8 to 10 at 15.7%, 11 to 16 at 22.6%, 17 to 19 at 23.3%): age 3 takes 15.7%.
    # 200 x 15.7% + 200 x 22.6% + 100 x 23.3% = 31.4 + 45.2 + 23.3 = 99.9.
    options = MetricOptions(population=POPULATION, scheme="mhcyp_2023")
    rows = results(area(), "NEED01", options=options)
    assert rows[("NEED01", "Total", "Total")].value == pytest.approx(99.9)


def test_a_population_without_sex_has_no_sex_rows():
    persons = Population(counts={(12, "all"): 200}, source="by hand")
    rows = results(area(), "NEED01", breakdowns=("sex",), options=MetricOptions(population=persons))
    assert rows[("NEED01", "Total", "Total")].value == pytest.approx(23.0)
    assert not [key for key in rows if key[1] == "sex"]


def _reached():
    """Three children with a counted contact in the window: MHS95 = 3.

    P1, a boy born 1 Jan 2012, referred at 12 (band 11 to 14); P2, a girl born 1 Jun 2021,
    referred at 3 (0 to 5); P3, a girl born 1 Jan 2012 (11 to 14).
    """
    refs = [
        referral("R1", date(2024, 5, 1), person_id="P1"),
        referral("R2", date(2024, 5, 1), person_id="P2"),
        referral("R3", date(2024, 5, 1), person_id="P3"),
    ]
    return area(
        children=[
            child("P1", born=date(2012, 1, 1), gender="1"),
            child("P2", born=date(2021, 6, 1), gender="2"),
            child("P3", born=date(2012, 1, 1), gender="2"),
        ],
        referrals=refs,
        contacts=[contact(f"C{i}", r, date(2024, 6, 1)) for i, r in enumerate(refs)],
    )


def test_reach_worked_example():
    # ACC01 = 100 x MHS95 / NEED01: 300 / 49.9 = 6.01; band 0 to 5: 100 / 15.4 = 6.49;
    # 11 to 14: 200 / 23.0 = 8.70; boys 100 / 29.55 = 3.38; girls 200 / 20.35 = 9.83.
    # MHS95a = MHS95 / population x 100,000: 3 / 500 -> 600; 11 to 14: 2 / 200 -> 1000;
    # 0 to 5: 1 / 200 -> 500; 6 to 10 has no population: 0 (the publication's COALESCE);
    # boys 1 / 290 -> 344.83; girls 2 / 210 -> 952.38.
    rows = results(_reached(), "ACC01", "MHS95a", breakdowns=("age_band", "sex"), options=OPTIONS)
    acc = {
        ("Total", "Total"): 300 / 49.9,
        ("age_band", "0 to 5"): 100 / 15.4,
        ("age_band", "11 to 14"): 200 / 23.0,
        ("sex", "1"): 100 / 29.55,
        ("sex", "2"): 200 / 20.35,
    }
    for (breakdown, level), share in acc.items():
        assert rows[("ACC01", breakdown, level)].value == pytest.approx(share)
    rate = {
        ("Total", "Total"): 600.0,
        ("age_band", "11 to 14"): 1000.0,
        ("age_band", "0 to 5"): 500.0,
        ("age_band", "6 to 10"): 0.0,
        ("sex", "1"): 100_000 / 290,
        ("sex", "2"): 200_000 / 210,
    }
    for (breakdown, level), per in rate.items():
        assert rows[("MHS95a", breakdown, level)].value == pytest.approx(per)
    assert rows[("ACC01", "Total", "Total")].numerator == 3


def test_referral_rates_worked_example():
    # This year (1 Apr 2024 - 31 Mar 2025): R1, R2 (the last day), R3 (the first day) = 3.
    # Base year (1 Apr 2023 - 31 Mar 2024): R4 (its last day), R5 (its first day) = 2.
    # R6 (31 Mar 2023) is in neither; R7 (1 Apr 2025) is after the period end; R8's child
    # lives in Wales. REF02 = 100 x (3 - 2) / 2 = 50.0; REF01a = 3 / 500 x 100,000 = 600.
    days = {
        "R1": date(2024, 6, 1),
        "R2": date(2025, 3, 31),
        "R3": date(2024, 4, 1),
        "R4": date(2024, 3, 31),
        "R5": date(2023, 4, 1),
        "R6": date(2023, 3, 31),
        "R7": date(2025, 4, 1),
    }
    refs = [referral(rid, day) for rid, day in days.items()]
    refs.append(referral("R8", date(2024, 6, 1), person_id="P2"))
    records = area(children=[child("P1"), child("P2", la_district="W06000015")], referrals=refs)
    rows = results(records, "REF01", "REF01a", "REF02", options=OPTIONS)
    assert rows[("REF01", "Total", "Total")].value == 3
    assert rows[("REF02", "Total", "Total")].value == 50.0
    assert rows[("REF02", "Total", "Total")].denominator == 2
    assert rows[("REF01a", "Total", "Total")].value == pytest.approx(600.0)


def test_no_base_year_referrals_gives_no_change():
    records = area(referrals=[referral("R1", date(2024, 6, 1))])
    assert results(records, "REF02")[("REF02", "Total", "Total")].value is None


def test_looked_after_reach_worked_example():
    # Looked after in the window: P1 (episode to 1 May 2024, reached by a contact on 1 Jun 2024)
    # and P2 (an episode from 31 Mar 2025, the last day; no contact). P3's episode ended on
    # 31 Mar 2024, before the window: not counted, though reached. P4 is never looked after.
    # P5's episode starts 1 Apr 2025, after the period end. ACC02 = 1 / 2 = 50.0%.
    # MHS95 = P1, P3, P4 = 3, of 500 children. ACC02r = (1/2) / (3/500) = 83.33, and by the
    # log method se = sqrt(1/1 - 1/2 + 1/3 - 1/500), interval 83.33 exp(-/+ z se), z the normal 97.5% point.
    people = ["P1", "P2", "P3", "P4", "P5"]
    refs = [referral(f"R{p}", date(2024, 5, 1), person_id=p) for p in ("P1", "P3", "P4")]
    records = area(
        children=[child(p) for p in people],
        referrals=refs,
        contacts=[contact(f"C{r.referral_id}", r, date(2024, 6, 1)) for r in refs],
        care_episodes=[
            episode(date(2023, 1, 1), date(2024, 5, 1), person_id="P1"),
            episode(date(2025, 3, 31), person_id="P2"),
            episode(date(2023, 1, 1), date(2024, 3, 31), person_id="P3"),
            episode(date(2025, 4, 1), person_id="P5"),
        ],
    )
    rows = results(records, "ACC02", "ACC02r", "MHS95", options=OPTIONS)
    assert rows[("MHS95", "Total", "Total")].value == 3
    acc02 = rows[("ACC02", "Total", "Total")]
    assert (acc02.value, acc02.numerator, acc02.denominator) == (50.0, 1, 2)
    ratio = rows[("ACC02r", "Total", "Total")]
    se = math.sqrt(1 / 1 - 1 / 2 + 1 / 3 - 1 / 500)
    z = NormalDist().inv_cdf(0.975)
    assert ratio.value == pytest.approx(250 / 3)
    assert ratio.lower_ci == pytest.approx(250 / 3 * math.exp(-z * se))
    assert ratio.upper_ci == pytest.approx(250 / 3 * math.exp(z * se))
    assert (ratio.reference_numerator, ratio.reference_denominator) == (3, 500)


def test_a_population_metric_without_a_population_is_a_clear_error():
    with pytest.raises(InvalidValueError, match="NEED01 need the area's population"):
        compute(area(), PERIOD, metrics=["NEED01"])


def test_the_whole_catalogue_leaves_them_out_without_a_population():
    ids = {row.metric_id for row in compute(area(), PERIOD, disclosure="none")}
    assert not ids & {"NEED01", "ACC01", "MHS95a", "REF01a", "ACC02r"}
    assert {"REF01", "REF02", "ACC02"} <= ids


def test_need_is_never_suppressed_and_rests_on_published_counts():
    # NEED01 is public arithmetic; under safe ACC01 is worked out from MHS95 as published:
    # 3 is under 5, so MHS95 is hidden and ACC01 with it.
    rows = compute(
        _reached(), PERIOD, metrics=["NEED01", "ACC01"], disclosure="safe", options=OPTIONS
    )
    shown = {r.metric_id: r.shown for r in rows if r.breakdown == "Total"}
    assert shown == {"NEED01": "50", "ACC01": "*"}
