"""Native frames of each backend, made from plain Python columns.

The dataframe engine reads any frame narwhals supports; this module makes
them, for the tests, the benchmarks and the ``cypmh report --engine``
option. Every backend is built through a PyArrow table, so the column types
are the same everywhere (pandas gets ``datetime64`` dates, as a pandas user
would have). ``shuffle`` permutes every table's rows with the given seed,
so that nothing can rely on the order rows were written in.
"""

from __future__ import annotations

import importlib.util
import itertools
import random
from collections.abc import Mapping
from typing import Any

from cypmh.errors import InvalidValueError
from cypmh.model import Area
from cypmh.tables.schema import TABLES, Kind, columns_from_area

__all__ = [
    "BACKENDS",
    "LAZY_BACKENDS",
    "available",
    "fastest_available",
    "from_arrow",
    "polars_schema",
    "tables_from_area",
    "to_native",
]

BACKENDS = ("polars", "duckdb", "pandas", "pyarrow", "sqlframe", "spark")
"""Every backend :func:`to_native` can make frames for."""

LAZY_BACKENDS = frozenset({"duckdb", "sqlframe", "spark"})
"""Backends whose frames are lazy query plans rather than tables in memory."""

_MODULES = {
    "polars": ("polars",),
    "duckdb": ("duckdb", "pyarrow"),
    "pandas": ("pandas", "pyarrow"),
    "pyarrow": ("pyarrow",),
    "sqlframe": ("sqlframe", "duckdb", "pyarrow"),
    "spark": ("pyspark", "pyarrow"),
}

_SPEED_ORDER = ("polars", "duckdb", "pandas")
"""Backends by speed on the benchmark (``benchmarks/frames.py``), fastest first."""

_counter = itertools.count()


def available(backend: str) -> bool:
    """Whether the packages ``backend`` needs (and narwhals) are installed."""
    modules = (*_MODULES[_known(backend)], "narwhals")
    return all(importlib.util.find_spec(module) is not None for module in modules)


def fastest_available() -> str | None:
    """The fastest installed backend for a local report, or ``None`` if none is installed."""
    return next((b for b in _SPEED_ORDER if available(b)), None)


def _known(backend: str) -> str:
    if backend not in _MODULES:
        raise InvalidValueError(
            "frames", "backend", backend, f"must be one of {', '.join(BACKENDS)}"
        )
    return backend


def _arrow_schema(kinds: Mapping[str, Kind]) -> Any:
    # Imported here: an optional extra.
    import pyarrow as pa

    types = {
        Kind.TEXT: pa.string(),
        Kind.DATE: pa.date32(),
        Kind.INTEGER: pa.int64(),
        Kind.NUMBER: pa.float64(),
        Kind.FLAG: pa.bool_(),
    }
    return pa.schema([(name, types[kind]) for name, kind in kinds.items()])


def polars_schema(kinds: Mapping[str, Kind]) -> dict[str, Any]:
    """The Polars types of columns of ``kinds``, by column name."""
    # Imported here: an optional extra.
    import polars as pl

    types = {
        Kind.TEXT: pl.String,
        Kind.DATE: pl.Date,
        Kind.INTEGER: pl.Int64,
        Kind.NUMBER: pl.Float64,
        Kind.FLAG: pl.Boolean,
    }
    return {column: types[kind] for column, kind in kinds.items()}


def _arrow_table(columns: Mapping[str, list[Any]], kinds: Mapping[str, Kind]) -> Any:
    # Imported here: an optional extra.
    import pyarrow as pa

    return pa.table({name: columns[name] for name in kinds}, schema=_arrow_schema(kinds))


def from_arrow(
    tables: Mapping[str, Any], backend: str, *, session: Any = None, connection: Any = None
) -> dict[str, Any]:
    """Native frames of ``backend`` from PyArrow tables of :data:`~cypmh.metrics.frames.TABLES`.

    Each table is cast to the engine's column types first; ``session`` and
    ``connection`` are as for :func:`to_native`.
    """
    _known(backend)
    if backend == "spark" and session is None:
        session = spark_session()
    if backend == "sqlframe" and session is None:
        # Imported here: an optional extra.
        from sqlframe.duckdb import DuckDBSession

        session = DuckDBSession()
    out: dict[str, Any] = {}
    for name, kinds in TABLES.items():
        arrow = tables[name].select(list(kinds)).cast(_arrow_schema(kinds))
        if backend == "polars":
            # Imported here: an optional extra.
            import polars as pl

            out[name] = pl.from_arrow(arrow)
        else:
            out[name] = _native(backend, name, {}, kinds, arrow, session, connection)
    return out


def to_native(
    tables: Mapping[str, Mapping[str, list[Any]]],
    backend: str,
    *,
    shuffle: int | None = None,
    session: Any = None,
    connection: Any = None,
) -> dict[str, Any]:
    """Native frames of ``backend`` for each table of :data:`~cypmh.metrics.frames.TABLES`.

    ``tables`` maps table names to columns (lists by column name), as
    :func:`~cypmh.metrics.frames.columns_from_area` gives them. A missing
    table is made empty. ``session`` is the Spark or SQLFrame session to use
    (default: a new local one), ``connection`` the DuckDB connection.
    """
    _known(backend)
    rng = random.Random(shuffle) if shuffle is not None else None
    out: dict[str, Any] = {}
    if backend == "spark" and session is None:
        session = spark_session()
    if backend == "sqlframe" and session is None:
        # Imported here: an optional extra.
        from sqlframe.duckdb import DuckDBSession

        session = DuckDBSession()
    for name, kinds in TABLES.items():
        columns = tables.get(name) or {column: [] for column in kinds}
        if rng is not None:
            order = list(range(len(next(iter(columns.values()), []))))
            rng.shuffle(order)
            columns = {column: [values[i] for i in order] for column, values in columns.items()}
        arrow = _arrow_table(columns, kinds) if backend != "polars" else None
        out[name] = _native(backend, name, columns, kinds, arrow, session, connection)
    return out


def _native(
    backend: str,
    name: str,
    columns: Mapping[str, list[Any]],
    kinds: Mapping[str, Kind],
    arrow: Any,
    session: Any,
    connection: Any,
) -> Any:
    if backend == "polars":
        # Imported here: an optional extra.
        import polars as pl

        return pl.DataFrame({c: columns[c] for c in kinds}, schema=polars_schema(kinds))
    if backend == "pyarrow":
        return arrow
    if backend == "pandas":
        return arrow.to_pandas(date_as_object=False)
    if backend == "duckdb":
        if connection is None:
            # Imported here: an optional extra.
            import duckdb

            return duckdb.from_arrow(arrow)
        return connection.from_arrow(arrow)
    if backend == "sqlframe":
        view = f"cypmh_{name}_{next(_counter)}"
        session._conn.execute(f"CREATE TABLE {view} AS SELECT * FROM arrow")
        return session.read.table(view)
    return session.createDataFrame(arrow)


def spark_session() -> Any:
    """A local PySpark session for cypmh (one core per machine core, UTC, quiet)."""
    # Imported here: an optional extra.
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master("local[2]")
        .appName("cypmh")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )


def tables_from_area(area: Area, backend: str = "polars", **options: Any) -> dict[str, Any]:
    """``area``'s tables as native frames of ``backend`` (see :mod:`cypmh.tables.backends`).

    ``options`` go to :func:`~cypmh.tables.backends.to_native`
    (``shuffle`` for a seed that shuffles every table's rows, ``session`` for
    a Spark or SQLFrame session, ``connection`` for a DuckDB connection).
    """
    return to_native(columns_from_area(area), backend, **options)
