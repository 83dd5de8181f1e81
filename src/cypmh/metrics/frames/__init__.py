"""The dataframe engine: the catalogue on pandas, Polars, PyArrow, DuckDB, SQLFrame or PySpark.

Needs the optional extra ``frames`` (narwhals) and the backend's own package.
:func:`compute_frames` takes the tables of :data:`TABLES` as native frames
and returns the same result rows as the reference engine
(:func:`cypmh.metrics.compute`), which is its oracle in the tests. The
metrics it cannot compute yet are named by :func:`unsupported`; asking for
one raises :class:`UnsupportedMetricsError` rather than falling back.
"""

from cypmh.metrics.frames.engine import (
    SUPPORTED,
    UnsupportedMetricsError,
    compute_frames,
    prepare_tables,
    unsupported,
)
from cypmh.tables.backends import (
    BACKENDS,
    available,
    fastest_available,
    from_arrow,
    tables_from_area,
    to_native,
)
from cypmh.tables.schema import (
    OPTIONAL_TABLES,
    TABLES,
    Kind,
    columns_from_area,
)

__all__ = [
    "BACKENDS",
    "OPTIONAL_TABLES",
    "SUPPORTED",
    "TABLES",
    "Kind",
    "UnsupportedMetricsError",
    "available",
    "columns_from_area",
    "compute_frames",
    "fastest_available",
    "from_arrow",
    "prepare_tables",
    "tables_from_area",
    "to_native",
    "unsupported",
]
