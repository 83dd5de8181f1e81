"""Generative tests: the dataframe engine on each backend agrees with the reference engine.

As in ehrQL: Hypothesis builds whole areas (``cypmh.testing.strategies``),
and for every metric the frame engine supports, with every breakdown, the
rows from the dataframe engine must equal the reference engine's: counts
exactly, floats within 1e-9. Each backend's tables are shuffled with a
drawn seed, so nothing can rely on the order rows were written in.
"""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from cypmh.metrics import BREAKDOWNS, compute
from cypmh.metrics.frames import SUPPORTED, compute_frames, tables_from_area
from cypmh.periods import Month
from cypmh.testing import strategies as cst

months = st.builds(Month, year=st.integers(2018, 2026), month=st.integers(1, 12))

# DuckDB binds each step of a query as it is built, which costs a few seconds
# per run whatever the data: fewer examples there keep `make test` short.
EXAMPLES = {"polars": 40, "duckdb": 5}


@st.composite
def cases(draw):
    """An area dense around a reporting month, the month, and a shuffle seed."""
    month = draw(months)
    area = draw(cst.areas(max_children=5, max_referrals=3, max_contacts=5, period=month))
    return area, month, draw(st.integers(0, 2**16))


def same(reference, frames):
    """Whether two result rows agree: equal fields, floats within 1e-9."""
    for field in ("metric_id", "breakdown", "level", "unit", "numerator", "denominator", "base"):
        if getattr(reference, field) != getattr(frames, field):
            return False
    for field in ("value", "lower_ci", "upper_ci"):
        a, b = getattr(reference, field), getattr(frames, field)
        if (a is None) != (b is None):
            return False
        if a is not None and not math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9):
            return False
    return True


def check(backend, area, month, seed):
    metrics = sorted(SUPPORTED)
    breakdowns = tuple(BREAKDOWNS)
    expected = compute(area, month, metrics=metrics, breakdowns=breakdowns, disclosure="none")
    tables = tables_from_area(area, backend, shuffle=seed)
    got = compute_frames(tables, month, metrics=metrics, breakdowns=breakdowns, disclosure="none")
    assert len(got) == len(expected)
    for reference, frames in zip(expected, got, strict=True):
        assert same(reference, frames), f"{backend}:\n reference {reference}\n frames    {frames}"


def backend_test(backend):
    @settings(max_examples=EXAMPLES[backend])
    @given(case=cases())
    def test(case):
        check(backend, *case)

    test.__name__ = f"test_{backend}_agrees_with_reference"
    test.__doc__ = f"The dataframe engine on {backend} gives the reference engine's rows."
    return test


test_polars_agrees_with_reference = backend_test("polars")
test_duckdb_agrees_with_reference = backend_test("duckdb")
