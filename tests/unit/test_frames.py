"""Unit tests of the dataframe engine's own parts: dates as numbers, checks of its input."""

from datetime import date, timedelta
from typing import Any

import attrs
import duckdb
import narwhals as nw
import polars as pl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cypmh.errors import InvalidValueError
from cypmh.metrics import CATALOGUE, compute
from cypmh.metrics.frames import (
    SUPPORTED,
    UnsupportedMetricsError,
    compute_frames,
    prepare_tables,
    tables_from_area,
    unsupported,
)
from cypmh.periods import Month
from cypmh.synth import demo_area
from cypmh.synth.examples import example_area
from cypmh.tables.exprs import aged, day_number, ymd_number
from tests.budget import examples


def _as(backend: str, frame: pl.DataFrame) -> Any:
    if backend == "polars":
        return frame
    if backend == "duckdb":
        return duckdb.from_arrow(frame.to_arrow())
    return frame.to_pandas()


# Three ways to a day number: Polars reads the stored number, DuckDB subtracts
# 1970-01-01, pandas computes it from year, month and day (days_from_civil).
@pytest.mark.parametrize("backend", ["polars", "duckdb", "pandas"])
@settings(max_examples=examples(40))
@given(days=st.lists(st.dates(date(1900, 3, 1), date(2100, 12, 31)), min_size=1, max_size=50))
def test_prepared_dates_are_day_numbers_and_ymd(backend, days):
    """Each date column becomes its day number and YYYYMMDD, as Python's date arithmetic has them."""
    tables = tables_from_area(example_area(), backend)
    tables["wellbeing_assessments"] = _as(
        backend,
        pl.DataFrame(
            {"person_id": ["P"] * len(days), "date": days},
            schema={"person_id": pl.String, "date": pl.Date},
        ),
    )
    got = nw.from_native(
        prepare_tables(tables)["wellbeing_assessments"].collect().to_native()
    ).to_dict(as_series=False)
    assert [int(d) for d in got["date"]] == [(d - date(1970, 1, 1)).days for d in days]
    assert [int(d) for d in got["date_ymd"]] == [int(d.strftime("%Y%m%d")) for d in days]


# The edges, which random dates seldom hit: the 18th birthday itself, the day before,
# a 29 February birthday in a year without one, the first birthday, a day before birth.
@example(birth=date(2007, 3, 1), on=date(2025, 3, 1), low=0, span=17)
@example(birth=date(2007, 3, 1), on=date(2025, 2, 28), low=0, span=17)
@example(birth=date(2008, 2, 29), on=date(2026, 2, 28), low=0, span=17)
@example(birth=date(2008, 2, 29), on=date(2026, 3, 1), low=0, span=17)
@example(birth=date(2020, 5, 5), on=date(2021, 5, 5), low=1, span=0)
@example(birth=date(2020, 5, 5), on=date(2020, 5, 4), low=0, span=17)
@given(
    birth=st.dates(date(1900, 1, 1), date(2100, 12, 31)),
    on=st.dates(date(1900, 1, 1), date(2100, 12, 31)),
    low=st.integers(0, 30),
    span=st.integers(0, 30),
)
def test_aged_is_the_age_in_whole_years_within_bounds(birth, on, low, span):
    """``aged`` (no division) agrees with ``low <= (on - birth) // 10000 <= high`` in Python.

    The expected value is the model's own age (Child.age_on's YYYYMMDD rule)
    worked out in Python integers; days before the birth give negative ages.
    """
    high = low + span
    frame = nw.from_native(pl.DataFrame({"b": [ymd_number(birth)], "o": [ymd_number(on)]}))
    got = frame.select(aged(nw.col("b"), nw.col("o"), low, high).alias("x"))["x"][0]
    age = (ymd_number(on) - ymd_number(birth)) // 10000
    assert got == (low <= age <= high)


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


@pytest.mark.parametrize("backend", ["polars", "duckdb", "pandas"])
def test_assessment_factors_left_out_are_read_as_none(backend):
    """Tables made before the factors existed still run: CIN01 is what an area without any gives."""
    area = attrs.evolve(demo_area(), assessment_factors=())
    month = Month.parse("2025-03")
    tables = tables_from_area(area, backend)
    del tables["assessment_factors"]
    left_out = compute_frames(tables, month, metrics=["CIN01", "CIN01b"], disclosure="none")
    given = compute(area, month, metrics=["CIN01", "CIN01b"], disclosure="none")
    assert left_out == given
    assert {r.value for r in given if r.metric_id == "CIN01"} == {0}


def test_unknown_table_and_non_frame_are_refused():
    tables = tables_from_area(example_area(), "polars")
    with pytest.raises(InvalidValueError, match="are not tables"):
        prepare_tables({**tables, "contact": tables["contacts"]})
    with pytest.raises(InvalidValueError, match="is not a frame narwhals supports"):
        prepare_tables({**tables, "schools": [1, 2, 3]})
