"""Hints for the common ways an extract goes wrong, worked out from the rejected rows.

A spreadsheet round trip leaves marks that the row checks see one cell at a
time: dates written ``DD/MM/YYYY``, a file saved as Windows-1252, codes whose
leading zero was dropped, a quote that is never closed. :func:`hints` counts
each kind of mark over a :class:`~cypmh.io.quality.QualityReport`'s problems
and says in one line per file what probably happened and what to do. Both
readers report the same problems, so they give the same hints. Hints quote
no row's value (only codes from the code lists and line numbers), so a
report may carry them.

>>> from cypmh.io.quality import Problem, QualityReport
>>> problem = Problem(
...     file="MHS101Referral.csv", line=2, column="ReferralRequestReceivedDate",
...     value="03/02/2025", reason="is not a date (YYYY-MM-DD)")
>>> report = QualityReport(files={}, problems=(problem,))
>>> print(hints(report)[0])  # doctest: +NORMALIZE_WHITESPACE
MHS101Referral.csv: 1 row has dates written DD/MM/YYYY (first at line 2,
ReferralRequestReceivedDate); the health files take YYYY-MM-DD
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from cypmh.io.reasons import TIME_OF_DAY

if TYPE_CHECKING:
    from cypmh.io.quality import Problem, QualityReport

__all__ = ["hints", "looks_semicolon_separated", "zero_dropped"]

_UK_DATE = re.compile(r"\d{1,2}/\d{1,2}/\d{4}")
_CODE_LIST = re.compile(r"not a code in the (\w+) list|^not an? (\w+) code$")
"""The reasons of an unknown code: a code set's (``service_team_types``) or an enum's
(``RejectionReason``), named as :mod:`cypmh.codes` names it."""


def looks_semicolon_separated(header: list[str]) -> bool:
    """Whether a header read with commas is really a semicolon-separated one.

    >>> looks_semicolon_separated(["Person_ID;PersonBirthDate;Gender"])
    True
    >>> looks_semicolon_separated(["Person_ID", "PersonBirthDate"])
    False
    """
    return any(name.count(";") >= 1 for name in header) and len(header) <= 2


def _in_list(list_name: str) -> Callable[[str], bool] | None:
    """A test of whether a code is in the list the reasons name, or ``None`` if unknown."""
    import enum

    from cypmh import codes

    found = getattr(codes, list_name, None)
    if isinstance(found, type) and issubclass(found, enum.Enum):
        values = {str(member.value) for member in found}
        return values.__contains__
    if callable(found):
        try:
            table = found()
        except TypeError:
            return None
        if hasattr(table, "__contains__"):
            return table.__contains__  # type: ignore[no-any-return]
    return None


def zero_dropped(problem: Problem) -> str | None:
    """The code a rejected all-digit code probably was before its leading zero was lost.

    ``None`` unless the problem is an unknown code of a named list and the value
    with one or two zeros put back is in that list.
    """
    match = _CODE_LIST.search(problem.reason)
    if match is None or not problem.value.isdigit():
        return None
    test = _in_list(match.group(1) or match.group(2))
    if test is None:
        return None
    for padded in ("0" + problem.value, "00" + problem.value):
        if test(padded):
            return padded
    return None


def _rows(count: int) -> str:
    return "1 row has" if count == 1 else f"{count} rows have"


def _grouped(problems: Iterable[Problem]) -> dict[str, list[Problem]]:
    by_file: dict[str, list[Problem]] = {}
    for problem in problems:
        by_file.setdefault(problem.file, []).append(problem)
    return by_file


def hints(quality: QualityReport) -> list[str]:
    """One line per file and kind of common mistake, with the number of rows it affects.

    The kinds: dates written ``DD/MM/YYYY`` in a health file (the SSDA903
    files accept them); text that is not UTF-8 (a file saved as Latin-1 or
    Windows-1252); codes with a leading zero dropped, of a code list or of
    an enum; dates with a time of day; a quote that opens and is never
    closed, at the line where it opens.
    """
    problems = [p for p in quality.problems if p.column]
    said: list[str] = []
    uk = [p for p in problems if not p.file.startswith("ssda903/") and _UK_DATE.fullmatch(p.value)]
    for file, found in _grouped(uk).items():
        first = found[0]
        said.append(
            f"{file}: {_rows(len(found))} dates written DD/MM/YYYY (first at line {first.line}, "
            f"{first.column}); the health files take YYYY-MM-DD"
        )
    encoded = [p for p in problems if p.reason == "is not UTF-8 text"]
    for file, found in _grouped(encoded).items():
        said.append(
            f"{file}: {_rows(len(found))} text that is not UTF-8 (first at line {found[0].line}); "
            "the file was probably saved as Latin-1 or Windows-1252 (cp1252): save it as UTF-8"
        )
    zeros = [(p, padded) for p in problems if (padded := zero_dropped(p)) is not None]
    for file, found in _grouped(p for p, _ in zeros).items():
        first = found[0]
        padded = next(code for p, code in zeros if p is first)
        said.append(
            f"{file}: {_rows(len(found))} codes that look like they lost a leading zero "
            f"(first at line {first.line}, {first.column}: {padded} is a code of the list); "
            "a spreadsheet drops them: keep the column as text"
        )
    timed = [p for p in problems if p.reason == TIME_OF_DAY]
    for file, found in _grouped(timed).items():
        first = found[0]
        said.append(
            f"{file}: {_rows(len(found))} dates with a time of day (first at line {first.line}, "
            f"{first.column}); export the date alone (a time of 00:00:00 is read as the date)"
        )
    quotes = [p for p in problems if p.reason.startswith("opens a quote")]
    for file, found in _grouped(quotes).items():
        lines = ", ".join(str(p.line) for p in found[:5])
        said.append(
            f"{file}: {_rows(len(found))} a quote that is never closed; it opens at line(s) "
            f"{lines}{', ...' if len(found) > 5 else ''}"
        )
    return said
