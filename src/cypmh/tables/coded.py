"""Identifiers as whole numbers: the same tables in a quarter of the memory.

An identifier column (a person, referral, contact or care plan id) is text,
and on Polars a text cell longer than 12 bytes costs 16 bytes plus its
length. A large area's contacts table holds three ids a row, so its ids
take most of its memory. :func:`code_ids` replaces each id with its place
in the sorted list of every id of its kind, across every table that holds
that kind, as a 32-bit whole number:

- two cells hold the same id exactly when they hold the same number, so
  every join, count of distinct children and duplicate check is unchanged;
- ids sort as their numbers sort, so every tie broken by the smaller id
  picks the same row.

The dataframe engine (:func:`~cypmh.metrics.frames.compute_frames`) reads a
coded column as it reads the text one, and gives the same rows
(``tests/generative/test_engines_agree.py`` holds the two equal). What it
cannot give from a coded table is the id itself: drill-down
(``cypmh members``) lists the numbers, so it is given the text tables.
Polars only (``pip install 'cypmh[polars]'``). At most 2**32 ids of a kind.

The other text columns are codes of a few values each (:data:`CODE_COLUMNS`);
:func:`as_categories` holds them as Polars ``Categorical``, 4 bytes a cell,
which the engine reads as text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cypmh.tables.schema import TABLES, Kind

__all__ = ["CODE_COLUMNS", "ID_COLUMNS", "as_categories", "code_ids", "numbers"]


ID_COLUMNS: Mapping[str, tuple[tuple[str, str], ...]] = {
    kind: tuple(
        (table, column) for table, columns in TABLES.items() for column in columns if column == kind
    )
    for kind in ("person_id", "referral_id", "contact_id", "care_plan_id")
}
"""Each kind of identifier, and the (table, column) pairs that hold it."""

CODE_COLUMNS: Mapping[str, tuple[str, ...]] = {
    table: tuple(
        column for column, kind in columns.items() if kind is Kind.TEXT and column not in ID_COLUMNS
    )
    for table, columns in TABLES.items()
}
"""Each table's text columns that are not ids: codes, each of a few values.

A coded reading (:func:`~cypmh.io.frames.read_extract_frames` with ``coded``)
holds them as Polars ``Categorical``: each cell is then a 32-bit number into
one list of the column's values, not a 16-byte text cell, which on a large
area's contacts table is 640 MB less. The engine reads them as text."""


def numbers(ids: Any) -> Any:
    """Each id of a Polars series as its place among the distinct ids, sorted (``UInt32``).

    >>> import polars as pl
    >>> numbers(pl.Series(["b", "a", None, "b"])).to_list()
    [1, 0, None, 1]
    """
    import polars as pl  # an optional extra

    return (ids.rank("dense") - 1).cast(pl.UInt32)


def as_categories(frame: Any, table: str) -> Any:
    """``frame`` (Polars, table ``table``) with its :data:`CODE_COLUMNS` as ``Categorical``.

    The values are unchanged: ``cast(pl.String)`` gives the text back.

    >>> import polars as pl
    >>> frame = as_categories(pl.DataFrame({"attend_status": ["5", None, "5"]}), "contacts")
    >>> frame.schema["attend_status"], frame["attend_status"].cast(pl.String).to_list()
    (Categorical, ['5', None, '5'])
    """
    import polars as pl  # an optional extra

    wanted = [c for c in CODE_COLUMNS[table] if frame.schema.get(c) == pl.String]
    return frame.with_columns(pl.col(wanted).cast(pl.Categorical)) if wanted else frame


def code_ids(tables: Mapping[str, Any], *, in_place: bool = False) -> dict[str, Any]:
    """``tables`` (Polars frames by :data:`~cypmh.tables.schema.TABLES` name) with ids coded.

    Each kind of id in :data:`ID_COLUMNS` is numbered in sorted order over
    every table given that holds it; a missing id stays missing. Tables and
    columns not given are left out of the numbering; the other columns are
    unchanged. With ``in_place`` (``tables`` must then be a ``dict``), each
    table is replaced in ``tables`` as it is coded, so that its text ids are
    let go at once rather than when the caller lets ``tables`` go.

    >>> import polars as pl
    >>> coded = code_ids({
    ...     "referrals": pl.DataFrame({"referral_id": ["R2", "R10"], "person_id": ["P", "P"]}),
    ...     "contacts": pl.DataFrame({"contact_id": ["C1"], "referral_id": ["R2"],
    ...                               "person_id": ["P"]}),
    ... })
    >>> coded["referrals"]["referral_id"].to_list(), coded["contacts"]["referral_id"].to_list()
    ([1, 0], [1])
    """
    import polars as pl  # an optional extra

    out = tables if in_place and isinstance(tables, dict) else dict(tables)
    for places in ID_COLUMNS.values():
        given = [(t, c) for t, c in places if t in out and c in out[t].columns]
        if not given:
            continue
        # One dense rank over every cell of the kind: a sort, without a table of the ids
        # to join back (three times quicker on 20 million contact ids).
        cells = pl.concat([out[t][c].cast(pl.String) for t, c in given])
        codes = numbers(cells)
        del cells
        start = 0
        for table, column in given:
            frame = out[table]
            out[table] = frame.with_columns(codes.slice(start, frame.height).alias(column))
            start += frame.height
        del codes
    return out
