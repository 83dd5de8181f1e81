"""Run clause trees on a backend's frames, as the dataframe engine prepares them."""

from __future__ import annotations

import functools
from typing import Any

import narwhals as nw

from cypmh.clauses.compile import truths
from cypmh.metrics.frames.engine import PreparedTables, prepare_table
from cypmh.tables.backends import to_native
from cypmh.tables.schema import TABLES

KEY = "referral_id"
"""The column that numbers the rows (each table tested here has it)."""


def kinds_of(table: str) -> dict[str, Any]:
    """The columns a tree may read: the table's, but the row key."""
    return {name: kind for name, kind in TABLES[table].items() if name != KEY}


@functools.cache
def _sqlframe_session():
    from sqlframe.duckdb import DuckDBSession

    return DuckDBSession()


def frame_truths(backend, table, records, trees, month, *, shuffle=0, **options):
    """Each tree's value on each record, read from the compiled expressions: True, False or None."""
    if backend == "sqlframe":
        options.setdefault("session", _sqlframe_session())
    columns = {name: [r.get(name) for r in records] for name in TABLES[table]}
    columns[KEY] = [f"k{i:05d}" for i in range(len(records))]
    native = to_native({table: columns}, backend, shuffle=shuffle, **options)
    frame = PreparedTables({table: prepare_table(native[table], table)})[table]
    exprs = []
    for i, tree in enumerate(trees):
        holds, fails = truths(tree, month, anchor=KEY)
        exprs += [holds.alias(f"h{i}"), fails.alias(f"f{i}")]
    out = frame.select(nw.col(KEY), *exprs)
    if isinstance(out, nw.LazyFrame):
        out = out.collect()
    rows = sorted(out.rows(named=True), key=lambda row: row[KEY])
    assert [row[KEY] for row in rows] == columns[KEY]

    def read(row, i):
        holds, fails = bool(row[f"h{i}"]), bool(row[f"f{i}"])
        assert not (holds and fails), "a clause both holds and fails"
        return True if holds else (False if fails else None)

    return [[read(row, i) for row in rows] for i in range(len(trees))]
