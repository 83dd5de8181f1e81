"""Materialising a lazy frame part-way through a query, on the backends that need it.

SQL-building backends pay for the length of a query as it is written, not
only as it runs: DuckDB's relational API binds every step, and SQLFrame
copies its whole expression tree at every step, so a long chain of
``with_columns`` and self-joins grows in cost with its length (SQLFrame took
minutes on the demo area before this). :func:`settle` stores the frame's
current rows as a table and starts again from that table. The engine
calls it on the prepared input tables, on each population's narrow table
of codes before its breakdowns are joined, on the social-care keys, and on
the outcome measures' scores and pairs. Polars plans lazily with common-subexpression
elimination and pandas is eager, so for them it does nothing.

:func:`store` is for a large part that several queries read (each family is
its own query), or one query reads several times: the contacts with their
counted-contact flag, and the four-week spells' referrals. It settles the
frame, and on Polars also collects it into memory: a lazy part would be
computed again by each query, and Polars did not share the spells' window
functions between the five places the four-week query reads them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from typing import Any

import narwhals as nw

__all__ = ["Settled", "settle", "store"]

Frame = nw.LazyFrame[Any]

_names = itertools.count()


def settle(frame: Frame) -> Frame:
    """``frame`` with its rows stored, on DuckDB, SQLFrame and PySpark; as it is elsewhere."""
    implementation = frame.implementation
    if implementation.is_duckdb():
        # Through Arrow rather than ``materialize()``: the copy lands on DuckDB's default
        # connection, where narwhals runs the queries it writes as SQL (``unpivot``), so
        # relations of any connection can be given.
        import duckdb

        table = frame.collect("pyarrow").to_native()
        return nw.from_native(duckdb.from_arrow(table))
    if implementation.is_sqlframe():
        native = frame.to_native()
        connection = native.session._conn
        name = f"cypmh_settled_{next(_names)}"
        connection.register(f"{name}_arrow", frame.collect("pyarrow").to_native())
        connection.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_arrow")
        connection.unregister(f"{name}_arrow")
        stored: Frame = nw.from_native(native.session.read.table(name))
        return stored
    if implementation.is_pyspark():
        checkpointed: Frame = nw.from_native(frame.to_native().localCheckpoint())
        return checkpointed
    return frame


def store(frame: Frame) -> Frame:
    """``frame`` with its rows kept, for a part that is read several times.

    On Polars the rows are collected into memory; elsewhere this is
    :func:`settle`.
    """
    if frame.implementation.is_polars():
        kept: Frame = frame.collect().lazy()
        return kept
    return settle(frame)


class Settled(Mapping[str, Frame]):
    """``tables`` with each one settled when it is first asked for (the engine's as-at views).

    Every family starts from these views; settled, the SQL backends start
    each family's query from a table rather than from the view's filters.
    """

    def __init__(self, tables: Mapping[str, Frame]) -> None:
        self._tables = tables
        self._settled: dict[str, Frame] = {}

    def __getitem__(self, name: str) -> Frame:
        if name not in self._settled:
            self._settled[name] = settle(self._tables[name])
        return self._settled[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._tables)

    def __len__(self) -> int:
        return len(self._tables)
