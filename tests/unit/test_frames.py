"""Unit tests of the dataframe engine's own parts: dates as numbers, checks of its input."""

from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cypmh.errors import InvalidValueError
from cypmh.examples import example_area
from cypmh.metrics import CATALOGUE
from cypmh.metrics.frames import (
    SUPPORTED,
    UnsupportedMetricsError,
    compute_frames,
    prepare_tables,
    tables_from_area,
    unsupported,
)
from cypmh.metrics.frames.exprs import day_number, ymd_number


@given(days=st.lists(st.dates(date(1900, 3, 1), date(2100, 12, 31)), min_size=1, max_size=50))
def test_prepared_dates_are_day_numbers_and_ymd(days):
    """Each date column becomes its day number and YYYYMMDD, as Python's date arithmetic has them."""
    tables = tables_from_area(example_area(), "polars")
    tables["wellbeing_assessments"] = pl.DataFrame(
        {"person_id": ["P"] * len(days), "date": days},
        schema={"person_id": pl.String, "date": pl.Date},
    )
    got = prepare_tables(tables)["wellbeing_assessments"].collect().to_native()
    assert got["date"].to_list() == [(d - date(1970, 1, 1)).days for d in days]
    assert got["date_ymd"].to_list() == [int(d.strftime("%Y%m%d")) for d in days]


def test_day_number_and_ymd_of_python_dates():
    """The period bounds are turned into numbers the same way (1970-01-01 is day 0)."""
    assert day_number(date(1970, 1, 1)) == 0
    assert day_number(date(1970, 1, 1) + timedelta(days=20000)) == 20000
    assert ymd_number(date(2025, 3, 31)) == 20250331


def test_every_catalogue_metric_runs_on_frames():
    assert unsupported() == ()
    assert set(CATALOGUE) == SUPPORTED


def test_unsupported_metrics_are_named_not_computed(monkeypatch):
    """A metric the frame engine lacks (as a newly catalogued one would be) raises, naming it.

    Every metric is supported today, so one is taken out of ``SUPPORTED`` here;
    nothing may fall back to the reference engine.
    """
    import cypmh.metrics.frames.engine as engine

    dropped = "MHS95"
    monkeypatch.setattr(engine, "SUPPORTED", SUPPORTED - {dropped})
    assert unsupported() == (dropped,)
    tables = tables_from_area(example_area(), "polars")
    with pytest.raises(UnsupportedMetricsError) as caught:
        compute_frames(tables, "2025-03", metrics=[dropped, "MRS08"])
    assert caught.value.metrics == (dropped,)
    assert dropped in str(caught.value)


def test_missing_table_and_column_are_named():
    tables = tables_from_area(example_area(), "polars")
    del tables["contacts"]
    with pytest.raises(InvalidValueError, match="'contacts': is required"):
        prepare_tables(tables)
    tables = tables_from_area(example_area(), "polars")
    tables["referrals"] = tables["referrals"].drop("received_date")
    with pytest.raises(InvalidValueError, match=r"referrals = \['received_date'\]"):
        prepare_tables(tables)


def test_unknown_table_and_non_frame_are_refused():
    tables = tables_from_area(example_area(), "polars")
    with pytest.raises(InvalidValueError, match="are not tables"):
        prepare_tables({**tables, "contact": tables["contacts"]})
    with pytest.raises(InvalidValueError, match="is not a frame narwhals supports"):
        prepare_tables({**tables, "schools": [1, 2, 3]})
