"""Turning a contract file into rows: the one path every reader takes from bytes to cells.

Both readers (:mod:`cypmh.io.readers` and :mod:`cypmh.io.frames`), and so
``cypmh validate`` and ``cypmh report``, read a file's bytes through
:func:`cypmh.io.opening.open_text` and split them through :func:`records`, so that hostile
input is met the same way everywhere:

- a path that is a folder, a pipe, a broken or looping link, or unreadable is
  an :class:`ExtractError` naming it (never skipped in silence, never opened
  if it could block);
- a zero-byte optional file counts as an empty file, with a warning;
- one byte-order mark is stripped (a second is part of the first header cell);
- a duplicated header column is an :class:`ExtractError`;
- a quoted cell may run across lines, but a quote that is not closed within
  :data:`MAX_RECORD_LINES` lines or :data:`MAX_CELL` characters is a problem
  reported at the line where it opens, and reading goes on from the next line;
- a cell longer than :data:`MAX_CELL` characters is a problem.

Values are parsed by the rules of :mod:`cypmh.io.readers` (ASCII digits only).
"""

from __future__ import annotations

import csv
import difflib
import os
import re
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path

from cypmh.errors import CypmhError
from cypmh.io.contract import FileSpec

__all__ = [
    "BOM",
    "MAX_CELL",
    "MAX_RECORD_LINES",
    "ExtractError",
    "Record",
    "check_header",
    "folder_present",
    "header_of",
    "header_warnings",
    "looks_semicolon_separated",
    "misspellings",
    "probe",
    "records",
    "unknown_columns",
]

MAX_CELL = 32_767
"""The longest cell read, in characters (a spreadsheet's limit); a longer one is a problem."""

MAX_RECORD_LINES = 100
"""The most physical lines one row may span inside quotes before the quote counts as unclosed."""

BOM = "\ufeff"
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


class ExtractError(CypmhError):
    """The folder cannot be read as an extract: a required file or column is missing."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _mode(path: Path, shown: str) -> int | None:
    """The path's file mode, ``None`` if nothing is there; an ExtractError if it cannot be seen."""
    try:
        return os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        if os.path.islink(path):
            raise ExtractError(f"{shown}: a link to nothing (broken link)") from None
        return None
    except OSError as exc:
        raise ExtractError(f"{shown}: cannot be read: {exc.strerror}") from None


def probe(path: Path, shown: str) -> bool:
    """Whether ``path`` is a regular file; ``False`` if nothing is there; else an ExtractError."""
    mode = _mode(path, shown)
    if mode is not None and not stat.S_ISREG(mode):
        raise ExtractError(f"{shown}: is {_kind(mode)}, not a CSV file")
    return mode is not None


def folder_present(root: Path, file: FileSpec) -> bool:
    """Whether the file's sub-folder is there (an ExtractError if it is there but not a folder)."""
    if file.folder is None:
        return False
    mode = _mode(root / file.folder, file.folder)
    if mode is not None and not stat.S_ISDIR(mode):
        raise ExtractError(f"{file.folder}: is {_kind(mode)}, not a folder")
    return mode is not None


def header_of(text: str) -> list[str]:
    r"""The column names of a file's first line (stripped), as both readers read them.

    >>> header_of("URN,NAME\r000000,A\r"), header_of("\ufeffa, b\n1,2\n"), header_of("")
    (['URN', 'NAME'], ['a', 'b'], [])
    """
    found = _LINE.match(text.removeprefix(BOM))
    first = found.group(0).rstrip("\r\n") if found else ""
    try:
        return [h.strip() for h in next(csv.reader([first]), [])]
    except csv.Error:  # a NUL or stray quote: the readers report the file; no hint here
        return [h.strip() for h in first.split(",")]


def header_warnings(file: FileSpec, header: list[str]) -> list[str]:
    """Warnings for columns the contract does not have, by position, never by name.

    A column close to a contract column the header lacks (``ServDischargeDate``
    for ``ServDischDate``, or a difference of case) gets its own warning with
    the suggestion: the column it was meant to be is then absent, and the metrics
    that read it are not available (:mod:`cypmh.metrics.inputs`). Any other
    unknown columns are counted once, with their positions. Their values are
    ignored. The names themselves are input text (a file saved without its
    header has a record there), so only ``cypmh validate``, which is
    record-level, prints them (:func:`unknown_columns`).

    >>> from cypmh.io.contract import spec
    >>> header = ["UniqServReqID", "ServDischargeDate", "Notes"]
    >>> for warning in header_warnings(spec("MHS101Referral.csv"), header):
    ...     print(warning)  # doctest: +NORMALIZE_WHITESPACE
    MHS101Referral.csv: column 2 is not in the contract but looks like ServDischDate
    misspelt (read as absent: the file has no ServDischDate)
    MHS101Referral.csv: 1 column not in the contract, ignored (column 3)
    """
    if looks_semicolon_separated(header):
        return [
            f"{file.path}: the header is separated by semicolons, so no column of the contract "
            "is read: save the file as CSV with commas"
        ]
    meant = misspellings(file, header)
    warnings, others = [], []
    for position, name in unknown_columns(file, header):
        match = meant.get(name)
        if match is None:
            others.append(position)
        else:
            warnings.append(
                f"{file.path}: column {position} is not in the contract but looks like {match} "
                f"misspelt (read as absent: the file has no {match})"
            )
    if others:
        said = ", ".join(str(p) for p in others)
        many = "columns" if len(others) > 1 else "column"
        warnings.append(
            f"{file.path}: {len(others)} {many} not in the contract, ignored ({many} {said})"
        )
    return warnings


def unknown_columns(file: FileSpec, header: Sequence[str]) -> list[tuple[int, str]]:
    """The header's columns that are neither the contract's nor the national layout's.

    Each with its position (the first column is 1).

    >>> from cypmh.io.contract import spec
    >>> unknown_columns(spec("thrive.csv"), ["Person_ID", "Notes", "", "GROUPING"])
    [(2, 'Notes')]
    """
    known = set(file.columns) | set(file.national_columns)
    return [(i, name) for i, name in enumerate(header, start=1) if name and name not in known]


def misspellings(file: FileSpec, header: Sequence[str]) -> dict[str, str]:
    """The header's names that look like a contract column the header lacks: name to column.

    A difference of case, or a close spelling (``ServDischargeDate`` for
    ``ServDischDate``). Names of the contract or of the national layout are
    not misspellings.

    >>> from cypmh.io.contract import spec
    >>> misspellings(spec("MHS101Referral.csv"), ["UniqServReqID", "ServDischargeDate", "notes"])
    {'ServDischargeDate': 'ServDischDate'}
    """
    known = set(file.columns) | set(file.national_columns)
    missing = [c for c in file.columns if c not in header]
    by_case = {c.lower(): c for c in missing}
    meant = {}
    for name in header:
        if not name or name in known:
            continue
        match = by_case.get(name.lower()) or next(
            iter(difflib.get_close_matches(name, missing, n=1, cutoff=0.75)), None
        )
        if match is not None:
            meant[name] = match
    return meant


def looks_semicolon_separated(header: list[str]) -> bool:
    """Whether a header read with commas is really a semicolon-separated one.

    >>> looks_semicolon_separated(["Person_ID;PersonBirthDate;Gender"])
    True
    >>> looks_semicolon_separated(["Person_ID", "PersonBirthDate"])
    False
    """
    return any(name.count(";") >= 1 for name in header) and len(header) <= 2


def check_header(file: FileSpec, header: list[str]) -> None:
    """A duplicated or missing required column is an :class:`ExtractError`."""
    seen: dict[str, int] = {}
    for position, name in enumerate(header, start=1):
        if name in seen and name:
            raise ExtractError(
                f"{file.path}, line 1: column {name!r} appears twice in the header "
                f"(columns {seen[name]} and {position})"
            )
        seen.setdefault(name, position)
    missing = [c for c in file.required_columns if c not in header]
    if missing:
        hint = (
            "; the header is separated by semicolons: save the file as CSV with commas"
            if looks_semicolon_separated(header)
            else ""
        )
        raise ExtractError(f"{file.path}: required column(s) missing: {', '.join(missing)}{hint}")


class Record:
    """One row's physical lines: ``line`` is its last line's number (the header is line 1)."""

    __slots__ = ("line", "text")

    def __init__(self, line: int, text: str) -> None:
        self.line, self.text = line, text


def _ends_quoted(line: str, quoted: bool) -> bool:
    """Whether a row is still inside a quoted cell at the end of ``line``, as ``csv`` reads it.

    ``quoted`` says whether the line starts inside one. A quote opens a quoted
    cell only at the start of a cell; inside it, two quotes stand for one.
    """
    end = len(line.rstrip("\r\n"))
    position = 0
    while True:
        if quoted:
            close = line.find('"', position, end)
            while close != -1 and line.startswith('""', close) and close + 1 < end:
                close = line.find('"', close + 2, end)
            if close == -1:
                return True
            quoted, position = False, close + 1
            comma = line.find(",", position, end)  # anything after the closing quote joins the cell
            if comma == -1:
                return False
            position = comma + 1
        elif position < end and line[position] == '"':
            quoted, position = True, position + 1
        else:
            comma = line.find(",", position, end)
            if comma == -1:
                return False
            position = comma + 1


def records(text: str) -> Iterator[Record | tuple[int, str]]:
    """The file's rows as :class:`Record`, and ``(line, first text)`` for each unclosed quote.

    Lines are ended by CR LF, CR or LF, as the ``csv`` module ends them. A row
    whose quote stays open for :data:`MAX_RECORD_LINES` lines or
    :data:`MAX_CELL` characters, or to the end of the file, is reported at the
    line where it opened, and reading goes on with the line after that.
    """
    lines = _LINE.findall(text)
    index = 0
    while index < len(lines):
        first = lines[index]
        if '"' not in first or not _ends_quoted(first, False):
            index += 1
            yield Record(index, first)
            continue
        end, size, closed = index, len(first), False
        while end + 1 < len(lines) and end - index + 1 < MAX_RECORD_LINES and size <= MAX_CELL + 2:
            end += 1
            size += len(lines[end])
            if not _ends_quoted(lines[end], True):
                closed = True
                break
        if closed:
            yield Record(end + 1, "".join(lines[index : end + 1]))
            index = end + 1
        else:
            yield (index + 1, first.rstrip("\r\n"))
            index += 1
