"""The reference reader's rows: a file's text as checked rows with typed cells.

The frame reader falls back on :func:`rows_of_text` for a file its fast path cannot read.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cypmh.io import reasons
from cypmh.io.contract import FileSpec
from cypmh.io.lines import (
    MAX_CELL,
    MAX_RECORD_LINES,
    ExtractError,
    Record,
    check_header,
    records,
)
from cypmh.io.opening import opened
from cypmh.io.quality import Problem, tie_warning

if TYPE_CHECKING:
    from cypmh.io.gias import ExtractSettings

__all__ = [
    "BAD_UNIQ_MONTH_ID",
    "NUMBER",
    "UNIQ_MONTH_ID",
    "Row",
    "RowError",
    "latest_submissions",
    "missing",
    "parse_date",
    "read_rows",
    "rows_of_text",
]


class RowError(Exception):
    """A cell that breaks a reader rule: its column, value and the reason."""

    def __init__(self, column: str, value: str, reason: str) -> None:
        self.column, self.value, self.reason = column, value, reason
        super().__init__(reason)


@functools.cache
def _members(enum_type: Any) -> dict[str, Any]:
    return {member.value: member for member in enum_type}


class Row:
    """One data row, with typed access to its cells (raising :class:`_RowError` naming the column).

    ``index`` (column -> position) is shared by all rows of a file; ``uk`` says whether the
    file's dates may also be written DD/MM/YYYY (the SSDA903 files).
    """

    __slots__ = ("index", "line", "uk", "values")

    def __init__(self, line: int, values: list[str], index: Mapping[str, int], uk: bool) -> None:
        self.line, self.values, self.index, self.uk = line, values, index, uk

    def get(self, column: str) -> str:
        """The cell of ``column`` without surrounding spaces ("" if there is no such column)."""
        position = self.index.get(column)
        return "" if position is None else self.values[position].strip()

    def text(self, column: str) -> str | None:
        """The cell, or ``None`` if it is empty or there is no such column."""
        position = self.index.get(column)
        return (self.values[position].strip() or None) if position is not None else None

    def required(self, column: str) -> str:
        """The cell; a :class:`RowError` if it is empty."""
        position = self.index.get(column)
        value = self.values[position].strip() if position is not None else ""
        if not value:
            raise RowError(column, "", "is required and empty")
        return value

    def day(self, column: str) -> date:
        """The cell as a date; it is required."""
        return parse_date(self.required(column), column, uk=self.uk)

    def optional_date(self, column: str) -> date | None:
        """The cell as a date, or ``None`` if it is empty."""
        value = self.text(column)
        return None if value is None else parse_date(value, column, uk=self.uk)

    def code(self, column: str, enum_type: Any) -> Any:
        """The cell as a member of ``enum_type``, or ``None`` if it is empty."""
        value = self.text(column)
        if value is None:
            return None
        member = _members(enum_type).get(value)
        if member is None:
            raise RowError(column, value, f"not a {enum_type.__name__} code")
        return member

    def number(self, column: str) -> float:
        """The cell as a number (ASCII digits, :data:`NUMBER`); it is required."""
        value = self.required(column)
        if not NUMBER.fullmatch(value):
            raise RowError(column, value, "not a number")
        return float(value)

    def whole(self, column: str, *, point_zero: bool = False) -> int | None:
        """The cell as a whole number, or ``None`` if it is empty.

        With ``point_zero``, a whole number may be written with a zero
        fraction (``20.0``), as spreadsheets export it.
        """
        value = self.text(column)
        if value is None:
            return None
        shape = r"-?[0-9]+(?:\.0+)?" if point_zero else r"-?[0-9]+"
        if not re.fullmatch(shape, value):
            raise RowError(column, value, "not a whole number")
        return int(value.split(".")[0])


_SURROGATE = re.compile("[\udc80-\udcff]")


def read_rows(
    folder: Path,
    file: FileSpec,
    warnings: list[str] | None = None,
    settings: ExtractSettings | None = None,
    headers: dict[str, tuple[str, ...]] | None = None,
) -> tuple[list[Row], list[Problem]] | None:
    """The file's rows (or ``None`` if absent), after checking its header.

    ``headers``, if given, gets the file's column names (by path) when it is read.
    """
    said = warnings if warnings is not None else []
    text = opened(folder, file, said, settings, headers)
    if text is None:
        return None
    return rows_of_text(file, text, said)


def rows_of_text(
    file: FileSpec, text: str, warnings: list[str] | None = None
) -> tuple[list[Row], list[Problem]]:
    """The rows of ``file``'s ``text`` (as :func:`~cypmh.io.opening.open_text` gives it).

    A byte that is not UTF-8 rejects its row when it is in a column the
    contract reads; in a column cypmh ignores it is shown as U+FFFD and said
    once in ``warnings``, with the number of rows.
    """
    found = records(text)
    first = next(found, None)
    if first is None:
        raise ExtractError(f"{file.path}: the file is empty (it needs a header row)")
    if not isinstance(first, Record):
        raise ExtractError(f"{file.path}, line 1: the header opens a quote that is not closed")
    rows: list[Row] = []
    problems: list[Problem] = []
    good: list[Record] = []
    for item in found:
        if isinstance(item, Record):
            good.append(item)
        else:
            problems.append(
                Problem(
                    file=file.path,
                    line=item[0],
                    column="(row)",
                    value=_shown(item[1][:80]),
                    reason=f"opens a quote that is not closed within {MAX_RECORD_LINES} lines "
                    f"or {MAX_CELL:,} characters; read on from the next line",
                )
            )
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(text) + 1))
    try:
        header = [h.strip() for h in next(csv.reader([first.text]), [])]
        check_header(file, header)
        cells_of = csv.reader([r.text for r in good])
        parsed = [(record.line, cells) for record, cells in zip(good, cells_of, strict=True)]
    finally:
        csv.field_size_limit(limit)
    index = {column: position for position, column in enumerate(header)}
    undecodable = _SURROGATE.search(text) is not None
    upper = [index[c] for c in file.code_columns if c in index]
    read = set(file.columns)
    ignored = [p for p, name in enumerate(header) if name not in read] if undecodable else []
    garbled: list[tuple[int, int]] = []
    for line, cells in parsed:
        for position in ignored:
            # A short (ragged) row may end before an ignored column: it is reported below.
            if position < len(cells) and _SURROGATE.search(cells[position]):
                garbled.append((line, position + 1))
                cells[position] = _shown(cells[position])
        problem = _row_problem(file, header, line, cells, undecodable)
        if problem is not None:
            if problem.column != "":
                problems.append(problem)
            continue
        for position in upper:
            cells[position] = cells[position].upper()
        rows.append(Row(line, cells, index, file.ssda903_dates))
    problems.sort(key=lambda p: p.line)
    if garbled and warnings is not None:
        lines = {line for line, _ in garbled}
        warnings.append(
            f"{file.path}: {len(lines)} row(s) have text that is not UTF-8 in a column cypmh "
            f"ignores (first at line {garbled[0][0]}, column {garbled[0][1]} of the header); "
            "the rows are read, and the file was probably saved as Latin-1 or Windows-1252"
        )
    return rows, problems


def _row_problem(
    file: FileSpec, header: list[str], line: int, cells: list[str], undecodable: bool
) -> Problem | None:
    """Why a data row cannot be read at all (a problem with column ``""``: a blank line)."""
    if not cells:  # a blank line is not a row
        return Problem(file=file.path, line=line, column="", value="", reason="")
    if len(cells) != len(header):
        return Problem(
            file=file.path,
            line=line,
            column="(row)",
            value=_shown(",".join(cells)[:80]),
            reason=f"has {len(cells)} cells where the header has {len(header)}",
        )
    if undecodable:
        for name, value in zip(header, cells, strict=True):
            if _SURROGATE.search(value):
                return Problem(
                    file=file.path,
                    line=line,
                    column=name,
                    value=_shown(value),
                    reason="is not UTF-8 text",
                )
    for name, value in zip(header, cells, strict=True):
        if len(value) > MAX_CELL:
            return Problem(
                file=file.path,
                line=line,
                column=name,
                value=_shown(value[:80]) + "...",
                reason=f"is longer than {MAX_CELL:,} characters",
            )
    return None


def _shown(text: str) -> str:
    """``text`` as it can be reported: each byte that was not UTF-8 becomes U+FFFD."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


_YEAR = re.compile(r"[0-9]{4}")


_DIGITS = r"[0-9](?:_?[0-9])*"


NUMBER = re.compile(
    rf"[+-]?(?:(?:{_DIGITS}(?:\.(?:{_DIGITS})?)?|\.{_DIGITS})(?:[eE][+-]?{_DIGITS})?"
    r"|(?i:inf|infinity|nan))"
)
"""What a number cell may hold: what Python's ``float()`` reads, in ASCII digits only."""


UNIQ_MONTH_ID = re.compile(r"0*[1-9][0-9]{0,3}")
"""A ``UniqMonthID`` as the readers accept it: a whole number from 1 to 9999, in ASCII digits."""


BAD_UNIQ_MONTH_ID = "is not a UniqMonthID (a whole number from 1 to 9999)"


def latest_submissions(
    rows: list[Row], file: FileSpec, warnings: list[str]
) -> tuple[list[Row], int, list[Problem]]:
    """Keep the row of the highest ``UniqMonthID`` per key, if the file is stacked.

    Two rows of one key in its latest month are a tie: the later line is kept,
    and the tie is reported as a warning.
    """
    if file.key is None or not rows or "UniqMonthID" not in rows[0].index:
        return rows, 0, []
    problems: list[Problem] = []
    best: dict[str, tuple[int, Row]] = {}
    tied: dict[str, int] = {}
    valid: list[Row] = []
    for row in rows:
        month = row.get("UniqMonthID")
        if not UNIQ_MONTH_ID.fullmatch(month):
            problems.append(
                Problem(
                    file=file.path,
                    line=row.line,
                    column="UniqMonthID",
                    value=month,
                    reason=BAD_UNIQ_MONTH_ID,
                )
            )
            continue
        valid.append(row)
        key = row.get(file.key)
        number = int(month)
        if key in best and number == best[key][0]:
            tied.setdefault(key, best[key][1].line)
        elif key in best and number > best[key][0]:
            tied.pop(key, None)
        if key not in best or number >= best[key][0]:
            best[key] = (number, row)
    if tied:
        warnings.append(tie_warning(file, len(tied), min(tied.values())))
    keep = {id(row) for _, row in best.values()}
    kept = [row for row in valid if id(row) in keep]
    return kept, len(valid) - len(kept), problems


_UK = re.compile(r"^[0-9]{2}/[0-9]{2}/[0-9]{4}$")


_ZERO_TIME = re.compile(reasons.ZERO_TIME)
_TIMED = re.compile(reasons.TIMED)


def parse_date(value: str, column: str, *, uk: bool = False) -> date:
    """A date cell: ``YYYY-MM-DD``, or with ``uk`` also ``DD/MM/YYYY``; else a :class:`RowError`.

    A date with a zero time (``YYYY-MM-DD 00:00:00``, :data:`cypmh.io.reasons.ZERO_TIME`)
    is the date; any other time of day is a problem of its own.
    """
    day = value
    if len(value) > 10 and (zero := _ZERO_TIME.match(value)) is not None:
        day = zero.group(1)
    try:
        if len(day) == 10 and day[4] == "-" and day[7] == "-" and _YEAR.fullmatch(day[:4]):
            return date.fromisoformat(day)
        if uk and _UK.match(day):
            return datetime.strptime(day, "%d/%m/%Y").date()  # noqa: DTZ007 - a date, not a time
    except ValueError:
        raise RowError(column, value, "not a date") from None
    if _TIMED.match(value):
        raise RowError(column, value, reasons.TIME_OF_DAY)
    raise RowError(column, value, "not a date (YYYY-MM-DD" + (" or DD/MM/YYYY)" if uk else ")"))


def missing(column: str) -> Any:
    """Raise the :class:`RowError` of an empty required ``column`` (for use in an expression)."""
    raise RowError(column, "", "is required and empty")
