"""Properties of :func:`cypmh.metrics.compute_series`: a series is its months computed alone.

For drawn areas and ranges of months, on the reference engine and on the
dataframe engine (Polars), each month of the series holds exactly the rows
that computing that month alone gives, under the default disclosure policy,
and nothing else but empty rows for levels that have members in another
month: 0 for a count, no value otherwise. Every month has the same keys in
the same order, so no series has a gap.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cypmh.metrics import CATALOGUE, compute, compute_series
from cypmh.metrics.results import Aggregate
from cypmh.periods import Month
from cypmh.testing import strategies as cst
from tests.budget import examples
from tests.generative.test_engines_agree import dense_cases

BREAKDOWNS = ("age_band", "provider", "social_care")


@st.composite
def ranges(draw):
    """An area dense around a month, and a range of 1 to 4 months ending within two of it."""
    month = draw(st.builds(Month, year=st.integers(2019, 2025), month=st.integers(1, 12)))
    area = draw(cst.areas(max_children=4, max_referrals=2, max_contacts=4, period=month))
    length = draw(st.integers(1, 4))
    end = Month.from_uniq_month_id(month.uniq_month_id + draw(st.integers(-2, 2)))
    start = Month.from_uniq_month_id(end.uniq_month_id - length + 1)
    return area, start, end


def check_series(series, alone_of) -> None:
    keys = None
    for month, rows in zip(series.months, series.rows, strict=True):
        alone = alone_of(month)
        here = {(r.metric_id, r.breakdown, r.level): r for r in rows}
        month_keys = [(r.metric_id, r.breakdown, r.level) for r in rows]
        assert keys is None or month_keys == keys, "every month has the same keys, in one order"
        keys = month_keys
        assert len(here) == len(rows)
        for row in alone:
            assert here.pop((row.metric_id, row.breakdown, row.level)) == row
        for (metric_id, _, _), row in here.items():
            definition = CATALOGUE[metric_id]
            if definition.aggregate is Aggregate.COUNT:
                assert row.value == 0.0
                assert row.numerator == 0
            else:
                assert row.value is None


@given(ranges())
@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_reference_series_is_each_month_alone(case) -> None:
    area, start, end = case
    series = compute_series(area, start, end, breakdowns=BREAKDOWNS)
    assert [str(m) for m in series.months] == [
        str(Month.from_uniq_month_id(i)) for i in range(start.uniq_month_id, end.uniq_month_id + 1)
    ]
    check_series(series, lambda month: compute(area, month, breakdowns=BREAKDOWNS))


@given(ranges())
@settings(max_examples=examples(10), deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_frame_series_is_each_month_alone(case) -> None:
    pytest.importorskip("polars")
    from cypmh.metrics.frames import compute_frames, tables_from_area

    area, start, end = case
    tables = tables_from_area(area, "polars")
    series = compute_series(tables, start, end, breakdowns=BREAKDOWNS)
    check_series(series, lambda month: compute_frames(tables, month, breakdowns=BREAKDOWNS))
    # And both engines give the same series.
    assert series == compute_series(area, start, end, breakdowns=BREAKDOWNS)


@settings(max_examples=examples(10), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dense_cases())
def test_frame_series_of_dense_areas(case) -> None:
    # The areas of the engines' agreement test where outcomes, SDQ and LAC01 have members;
    # their discharges fall on the edges of the month, so a series over the month before,
    # the month and the month after sees each referral close in one of them.
    pytest.importorskip("polars")
    from cypmh.metrics.frames import compute_frames, tables_from_area

    area, month, _ = case
    start = Month.from_uniq_month_id(month.uniq_month_id - 1)
    end = Month.from_uniq_month_id(month.uniq_month_id + 1)
    tables = tables_from_area(area, "polars")
    series = compute_series(tables, start, end, breakdowns=BREAKDOWNS)
    check_series(series, lambda m: compute_frames(tables, m, breakdowns=BREAKDOWNS))
    assert series == compute_series(area, start, end, breakdowns=BREAKDOWNS)
