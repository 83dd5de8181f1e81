"""Problems of a database or frame source, named by its table, row and key.

The readers read a source (:mod:`cypmh.io.sources`) as the CSV files it is
written to; :func:`relocated` names each problem as the source has it: the
table, the row and the row's key, in place of the written file's line.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from cypmh.io.contract import FILES
from cypmh.io.lines import Record, records
from cypmh.io.quality import QualityReport

if TYPE_CHECKING:
    from cypmh.io.sources import Source

__all__ = ["relocated"]


def relocated(quality: QualityReport, source: Source, folder: Path) -> QualityReport:
    """``quality`` with each problem named by its table and row (and the row's key).

    Line ``n`` of a written file is row ``n - 1`` of its table; a reason that
    cites another line cites its row.
    """
    wanted: dict[str, set[int]] = {}
    for p in quality.problems:
        if p.origin is None:
            wanted.setdefault(p.file, set()).add(p.line)
    keys = {path: _keys(folder, path, lines) for path, lines in wanted.items()}
    problems = tuple(
        attrs.evolve(
            p,
            table=source.table_of(p.file),
            key=keys[p.file].get(p.line),
            reason=re.sub(r"\bline (\d+)", lambda m: f"row {int(m.group(1)) - 1}", p.reason),
        )
        if p.origin is None
        else attrs.evolve(p, origin=_as_table(p.origin))
        for p in quality.problems
    )
    return attrs.evolve(quality, problems=problems)


def _as_table(origin: str) -> str:
    """A feed table's file and line as its table and row.

    >>> _as_table("ssd/ssd_cp_plans.csv, line 3")
    'table ssd_cp_plans, row 2'
    """
    found = re.fullmatch(r"ssd/(\w+)\.csv, line (\d+)", origin)
    if found is None:
        return origin
    return f"table {found.group(1)}, row {int(found.group(2)) - 1}"


def _keys(folder: Path, path: str, lines: set[int]) -> dict[int, str]:
    """The key cell (the file's key, else its first column) of each of ``lines``.

    The file is split into rows as the readers split it, so a row that the
    ``csv`` module cannot take (a cell over its field limit) has no key here,
    and a very long key is cut short.
    """
    file = next(f for f in FILES if f.path == path)
    column = file.key or file.required_columns[0]
    found: dict[int, str] = {}
    text = (folder / path).read_text(encoding="utf-8", errors="replace")
    rows = records(text)
    first = next(rows, None)
    header = [h.strip() for h in _split(first.text)] if isinstance(first, Record) else []
    if column not in header:
        return found
    position = header.index(column)
    for row in rows:
        if isinstance(row, Record) and row.line in lines:
            cells = _split(row.text)
            if position < len(cells):
                cell = cells[position]
                found[row.line] = f"{column} {cell if len(cell) <= 60 else cell[:60] + '...'!r}"
    return found


def _split(text: str) -> list[str]:
    try:
        return next(csv.reader([text]), [])
    except csv.Error:  # a cell over the csv module's field limit
        return []
