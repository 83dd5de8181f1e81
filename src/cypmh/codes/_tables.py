"""Reading the package's reference tables (``cypmh/codes/data/*.csv``).

Every code list cypmh knows is one of these files; nothing here retypes a code.
Tables are read on first use and kept, so importing cypmh reads no files.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Mapping

__all__ = ["index_table", "optional_int", "read_table"]


@functools.cache
def read_table(name: str) -> tuple[Mapping[str, str], ...]:
    """Return the rows of ``data/<name>.csv`` as read-only mappings of strings.

    Cells stay strings so that codes keep their leading zeros.
    """
    # Imported on first use, for start-up time.
    from importlib import resources  # here, not at import: it is slow to import

    text = resources.files("cypmh.codes").joinpath("data", f"{name}.csv").read_text("utf-8-sig")
    return tuple(dict(row) for row in csv.DictReader(io.StringIO(text, newline="")))


@functools.cache
def index_table(name: str, column: str) -> Mapping[str, Mapping[str, str]]:
    """Return the rows of ``data/<name>.csv`` keyed by ``column`` (which must be unique)."""
    rows = read_table(name)
    index = {row[column]: row for row in rows}
    if len(index) != len(rows):
        raise ValueError(f"package table {name}.csv repeats values in column {column}")
    return index


def optional_int(text: str) -> int | None:
    """Return ``None`` for an empty cell, else the integer it holds."""
    return int(text) if text.strip() else None
