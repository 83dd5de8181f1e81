"""Every metric spec test runs on every engine: one fixture, as narwhals' ``constructor``.

The spec tests read their values through :mod:`tests.spec.metrics.builders`, which
computes with ``compute(..., engine=ENGINE)``. This fixture runs each test once per
engine: the reference engine over the area's objects, and the dataframe engine on
each local backend (Spark runs in ``make test-spark``). An engine whose packages are
not installed is skipped, and says so.
"""

import pytest

from cypmh.tables.backends import available
from tests.spec.metrics import builders

SPEC_ENGINES = ("reference", "polars", "duckdb", "pandas")


@pytest.fixture(params=SPEC_ENGINES, autouse=True)
def engine(request):
    """The engine this run of the test computes on."""
    if request.param != "reference" and not available(request.param):
        pytest.skip(f"the {request.param} backend is not installed")
    token = builders.ENGINE.set(request.param)
    yield request.param
    builders.ENGINE.reset(token)
