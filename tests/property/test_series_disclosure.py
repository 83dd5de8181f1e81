"""A trend's months read as one table: no hidden count of 1 to 4 comes back across months.

Under ``safe`` :func:`cypmh.metrics.compute_series` audits the months together
(:mod:`cypmh.metrics.disclosure_series`). The attacker of a series
(:func:`cypmh.testing.attack_series.attack_series`) reads each month as the
one-report attacker does, joins the months by the windows the catalogue
declares (REF01 is twelve months of REJ01a's referrals, REF02's base is
REF01 a year earlier, MHS130 sums three months, an SDQ year repeats), solves
the exact integer bounds, and reads a ``*`` as under 5 where that leaves one
value. Under ``safe`` it must recover nothing.
"""

import itertools

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cypmh.metrics import MetricOptions, compute, compute_series
from cypmh.metrics.disclosure import apply_disclosure
from cypmh.metrics.disclosure_series import WINDOWS, chain_bounds
from cypmh.report.kpi import to_records
from cypmh.synth.area import synthetic_area, synthetic_population
from cypmh.synth.folder import write_synthetic
from cypmh.testing.attack_series import attack_series
from tests.budget import examples

WINDOWED = [
    "REJ01a", "REJ02", "REF01", "REF02", "MHS130", "MRS08", "MRS08a", "MRS08b",
    "ED86", "ED86a", "ED86e", "LAC01", "LAC01a", "LAC01b", "LINK02", "SDQ02", "SDQ03a",
]  # fmt: skip


def by_month(series):
    return dict(zip(series.months, series.rows, strict=True))


def attacked(months_rows, truth):
    records = {m: to_records(list(rows), m) for m, rows in months_rows.items()}
    return attack_series(records, "safe", truth=by_month(truth))


def test_the_issue_example_is_worked_out_by_hand():
    # Months 1-14. The 12-month sums ending at months 12 and 14 are published as 25 and 40,
    # so they are 23-27 and 38-42 (rounding to 5). Months 1 and 2 are known to be 0 and
    # month 14 is published as 5 (5-7: 3 and 4 would be '*'). Month 13 is hidden.
    # By hand: months 3-12 total 23-27, so month 13 = (months 3-14) - (months 3-12) - month 14
    # lies in 38 - 27 - 7 = 4 .. 42 - 23 - 5 = 14. Read as under 5, it is 4.
    no_limit = 10**12
    bounds = chain_bounds(
        [(1, 12, 23, 27), (3, 14, 38, 42), (1, 2, 0, 0), (14, 14, 5, 7), (13, 13, 0, no_limit)]
    )
    assert bounds.feasible
    assert bounds.span(13, 13) == (4, 14)
    assert bounds.span(3, 12) == (23, 27)


def test_contradicting_sums_are_read_as_saying_nothing():
    # Months 1-2 total exactly 3 while month 1 alone is at least 5: no counts fit.
    assert not chain_bounds([(1, 2, 3, 3), (1, 1, 5, 9)]).feasible


@settings(max_examples=examples(150), deadline=None)
@given(
    truth=st.lists(st.integers(0, 4), min_size=1, max_size=4),
    windows=st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 3), st.integers(0, 3)),
        max_size=5,
    ),
)
def test_chain_bounds_are_the_exact_integer_bounds(truth, windows):
    # Brute force: every vector of counts 0..4 that meets the sums; the solver's span of every
    # run of months is exactly the least and most that run adds up to over those vectors.
    n = len(truth)
    sums = [(k, k, 0, 4) for k in range(1, n + 1)]  # each month 0-4, so the search is finite
    for a, b, slack_low, slack_high in windows:
        first, last = sorted((a % n + 1, b % n + 1))
        total = sum(truth[first - 1 : last])
        sums.append((first, last, max(0, total - slack_low), total + slack_high))
    fits = [
        x
        for x in itertools.product(range(5), repeat=n)
        if all(lo <= sum(x[f - 1 : t]) <= hi for f, t, lo, hi in sums)
    ]
    bounds = chain_bounds(sums)
    assert bounds.feasible
    assert tuple(truth) in fits
    for first in range(1, n + 1):
        for last in range(first, n + 1):
            totals = [sum(x[first - 1 : last]) for x in fits]
            assert bounds.span(first, last) == (min(totals), max(totals))


def test_the_issue_trend_gave_a_month_away_and_no_longer_does(tmp_path):
    # The issue's reproduction: `cypmh synth r1 --people 134 --seed 704`, REJ01a beside REF01.
    # Controlled month by month, REJ01a for 2023-08 ('*') falls out as 4 across the months.
    from cypmh.io.readers import read_extract

    write_synthetic(tmp_path / "r1", people=134, seed=704)
    area = read_extract(tmp_path / "r1").area
    request = {"metrics": ["REJ01a", "REF01"]}
    truth = compute_series(area, "2023-01", "2023-12", disclosure="none", **request)
    alone = {m: apply_disclosure(rows, "safe") for m, rows in by_month(truth).items()}
    found = attacked(alone, truth).recovered
    assert [(r.metric_id, r.value) for r in found] == [("REJ01a", 4)]
    audited = compute_series(area, "2023-01", "2023-12", **request)
    assert attacked(by_month(audited), truth).recovered == ()


@settings(max_examples=examples(12), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), people=st.integers(40, 260))
@example(seed=84, people=84)  # MRS08, read as windowed sums, once gave a count of 4 away
def test_no_hidden_count_comes_back_across_a_trend(seed, people):
    area = synthetic_area(seed=seed, people=people)
    options = MetricOptions(population=synthetic_population(seed=seed, people=people))
    request = {
        "metrics": WINDOWED,
        "breakdowns": ["age_band", "sex"],
        "options": options,
    }
    truth = compute_series(area, "2024-01", "2025-03", disclosure="none", **request)
    published = compute_series(area, "2024-01", "2025-03", **request)
    result = attacked(by_month(published), truth)
    assert result.recovered == (), result.recovered[:5]
    # The audit only ever hides more: what a month's own report hides stays hidden, and a
    # shown value is the value that report shows.
    for month, rows in by_month(published).items():
        alone = {
            (r.metric_id, r.breakdown, r.level): r.shown
            for r in compute(area, month, **request)  # type: ignore[arg-type]
        }
        for row in rows:
            key = (row.metric_id, row.breakdown, row.level)
            if key in alone:
                assert row.shown in (alone[key], "*"), (str(month), key, alone[key], row.shown)


def test_other_policies_control_each_month_on_its_own():
    area = synthetic_area(seed=3, people=120)
    truth = compute_series(area, "2024-06", "2025-03", metrics=WINDOWED, disclosure="none")
    for policy in ("mhsds", "hes", "dfe"):
        published = compute_series(area, "2024-06", "2025-03", metrics=WINDOWED, disclosure=policy)
        for month, rows in by_month(truth).items():
            assert by_month(published)[month] == apply_disclosure(rows, policy)


def test_every_windowed_cell_names_a_population_the_catalogue_has():
    from cypmh.metrics.catalogue import CATALOGUE

    populations = {f"{d.family}/{d.population}" for d in CATALOGUE.values()}
    populations.add("referrals/received_prior")  # REF02's base, a cell of REF02's row
    assert {population for population, _ in WINDOWS} <= populations


@settings(max_examples=examples(20), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), people=st.integers(40, 260))
@example(seed=84, people=84)
def test_every_declared_series_is_a_sum_of_monthly_counts(seed, people):
    """The audit's premise, checked: a windowed count (WINDOWS) is a sum over its window of
    counts fixed month by month. Then the true counts of every series, read together, are
    consistent: the chain's bounds are feasible. A count that is not such a sum (MRS08's,
    whose spells are rebuilt as at each period end) makes them infeasible, and was found so
    (seed 84, 84 people: its 3-month counts imply a month of -1)."""
    from collections import defaultdict

    from cypmh.metrics.disclosure import month_cells
    from cypmh.metrics.disclosure_series import window_of

    area = synthetic_area(seed=seed, people=people)
    options = MetricOptions(population=synthetic_population(seed=seed, people=people))
    truth = compute_series(
        area,
        "2023-06",
        "2025-03",
        disclosure="none",
        metrics=WINDOWED,
        breakdowns=["age_band", "sex"],
        options=options,
    )
    chains = defaultdict(list)
    for month, rows in zip(truth.months, truth.rows, strict=True):
        values, _ = month_cells(rows, "none")
        for cell, n in values.items():
            placed = window_of(cell, month)
            if placed is not None:
                chains[placed[0]].append((placed[1], placed[2], n, n))
    assert chains  # the series are there to check
    inconsistent = sorted(
        chain for chain, sums in chains.items() if not chain_bounds(sums).feasible
    )
    assert inconsistent == []
