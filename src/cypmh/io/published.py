"""The publication's long layout: read a published CSV, and write cells safe to open.

:func:`read_published` reads NHS England's published CSV or cypmh's own;
:func:`csv_text` writes cells that a spreadsheet shows as text.

Split from :mod:`cypmh.report.kpi`, which re-exports :func:`read_published`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date
from os import PathLike
from pathlib import Path
from typing import Any

from cypmh.codes.labels import printable
from cypmh.io.lines import ExtractError

__all__ = ["COLUMNS", "csv_cell", "csv_text", "read_published"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def csv_cell(value: Any) -> Any:
    """A cell as cypmh writes it to a CSV: never a formula, never a control character.

    Text that a spreadsheet would run as a formula (it begins with ``=``,
    ``+``, ``-``, ``@``, a tab or CR, and is not a number) gets a leading
    apostrophe, which shows it as text. Anything that is not text is left as it is.

    >>> csv_cell("=SUM(A1)"), csv_cell("-7"), csv_cell("-1+1"), csv_cell(3)
    ("'=SUM(A1)", '-7', "'-1+1", 3)
    """
    if not isinstance(value, str):
        return value
    text = printable(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_text(header: Sequence[str], rows: Iterable[Iterable[Any]]) -> str:
    """A CSV of ``header`` and ``rows``, every cell through :func:`csv_cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([csv_cell(h) for h in header])
    writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


COLUMNS = (
    "REPORTING_PERIOD_START",
    "REPORTING_PERIOD_END",
    "STATUS",
    "BREAKDOWN",
    "PRIMARY_LEVEL",
    "PRIMARY_LEVEL_DESCRIPTION",
    "SECONDARY_LEVEL",
    "SECONDARY_LEVEL_DESCRIPTION",
    "MEASURE_ID",
    "MEASURE_NAME",
    "MEASURE_VALUE",
)
"""The columns of the MHSDS monthly statistics' long format, in order."""


def read_published(path: str | PathLike[str]) -> list[dict[str, str]]:
    """Read a file in the publication's long layout: NHS England's published CSV, or cypmh's.

    NHS England's files are often cp1252 text with ``DD/MM/YYYY`` dates; cypmh
    writes UTF-8 with ISO dates. Either is read: UTF-8 (one BOM stripped) or,
    failing that, cp1252; ``REPORTING_PERIOD_START`` and ``REPORTING_PERIOD_END``
    come back as ``YYYY-MM-DD``. Every column is kept, as text. A file without
    the layout's columns, or with a period date that is neither form, is an
    :class:`~cypmh.io.lines.ExtractError` naming the file and line.
    """
    source = Path(path)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise ExtractError(f"{source}: cannot be read ({exc.strerror or exc})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise ExtractError(f"{source}: not the publication's layout (no {', '.join(missing)})")
    records = []
    for line, record in enumerate(reader, start=2):
        for column in ("REPORTING_PERIOD_START", "REPORTING_PERIOD_END"):
            record[column] = _iso_day(record[column], source, line, column)
        records.append(record)
    return records


def _iso_day(text: str, source: Path, line: int, column: str) -> str:
    value = text.strip()
    try:
        if "/" in value:
            day, month, year = (int(part) for part in value.split("/"))
            return date(year, month, day).isoformat()
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise ExtractError(
            f"{source}, line {line}, {column}: {value!r} is not a date (YYYY-MM-DD or DD/MM/YYYY)"
        ) from None
