"""What a reader did with every row: the data-quality report (both readers make it), and its hints.

:meth:`QualityReport.hints` gives the hints for the common ways an extract goes
wrong, worked out from the rejected rows. A spreadsheet round trip leaves marks
that the row checks see one cell at a time: dates written ``DD/MM/YYYY``, a file
saved as Windows-1252, codes whose leading zero was dropped, a quote that is
never closed. :func:`hints` counts each kind of mark over a report's problems
and says in one line per file what probably happened and what to do. Both
readers report the same problems, so they give the same hints. Hints quote no
row's value (only codes from the code lists and line numbers), so a report may
carry them.

>>> problem = Problem(
...     file="MHS101Referral.csv", line=2, column="ReferralRequestReceivedDate",
...     value="03/02/2025", reason="is not a date (YYYY-MM-DD)")
>>> report = QualityReport(files={}, problems=(problem,))
>>> print(report.hints()[0])  # doctest: +NORMALIZE_WHITESPACE
MHS101Referral.csv: 1 row has dates written DD/MM/YYYY (first at line 2,
ReferralRequestReceivedDate); the health files take YYYY-MM-DD
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from cypmh import codes
from cypmh.io.contract import FILES, FileSpec
from cypmh.io.lines import (
    ExtractError,
    unknown_columns,
)
from cypmh.io.reasons import TIME_OF_DAY
from cypmh.model import (
    Area,
)

__all__ = [
    "ExtractError",
    "FileCounts",
    "Linkage",
    "Problem",
    "QualityReport",
    "ReadResult",
    "hints",
    "ordered_warnings",
    "tie_warning",
]


@attrs.frozen(kw_only=True)
class Problem:
    """One rejected row: where it is, what was wrong and why.

    ``line`` is the row's line in its contract file (the header is line 1).
    A row read from a table (:mod:`cypmh.io.sources`) also has its ``table``
    and ``key``, the row's key column and value; it is row ``line - 1``. A row
    made from a feed (:mod:`cypmh.io.feeds`) has its ``origin``, the feed's file
    and line (``ssd/ssd_cin_episodes.csv, line 7``), and its ``column`` is the
    feed's own name for it.
    """

    file: str
    line: int
    column: str
    value: str
    reason: str
    table: str | None = None
    key: str | None = None
    origin: str | None = None

    @property
    def where(self) -> str:
        """Where the row is, for people: a file's line, or a table's row and key.

        >>> Problem(file="MHS101Referral.csv", line=3, column="c", value="", reason="r").where
        'MHS101Referral.csv, line 3'
        """
        if self.origin is not None:
            return self.origin
        if self.table is None:
            return f"{self.file}, line {self.line}"
        key = f" ({self.key})" if self.key else ""
        return f"table {self.table}, row {self.line - 1}{key}"


@attrs.frozen(kw_only=True)
class Linkage:
    """How the children of the health and the social-care records meet (counts of children).

    A child of the health records has a referral (``MHS101Referral.csv``); a child
    of social care's has an episode, a period, an SDQ return or an assessment
    (``ssda903/``, or a feed's rows). A social-care child is the same child as a
    health one where ``linkage.csv`` (or the NHS number, :mod:`cypmh.io.feeds`)
    links its ``CHILD`` to the ``Person_ID``, or the two are the same text.
    """

    linked: int
    """Children in both."""
    social_care_only: int
    """Children in social care's records and not the health records'."""
    health_only: int
    """Children in the health records and not social care's."""

    @classmethod
    def of(cls, health: Iterable[object], social: Iterable[object]) -> Linkage:
        """The counts for these people of the health and the social-care records.

        >>> Linkage.of(["P1", "P2", "P3"], ["P2", "C9"])
        Linkage(linked=1, social_care_only=1, health_only=2)
        """
        h, s = set(health), set(social)
        return cls(linked=len(h & s), social_care_only=len(s - h), health_only=len(h - s))

    @staticmethod
    def applies(files: Iterable[str]) -> bool:
        """Whether an extract that read ``files`` has both sides to link."""
        read = list(files)
        return "MHS101Referral.csv" in read and any(f.startswith("ssda903/") for f in read)

    def line(self, count: Callable[[int], str] = str) -> str:
        """The counts in words, each written by ``count``."""
        return (
            f"Linkage: {count(self.linked)} children in both the health and the social-care "
            f"records; {count(self.social_care_only)} children in the social-care records only; "
            f"{count(self.health_only)} children in the health records only"
        )


@attrs.frozen(kw_only=True)
class FileCounts:
    """Rows of one file: ``read = used + rejected``.

    ``superseded`` counts the used rows that a later monthly submission
    (``UniqMonthID``) replaced.
    """

    read: int = 0
    used: int = 0
    rejected: int = 0
    superseded: int = 0


@attrs.frozen(kw_only=True)
class QualityReport:
    """What the reader did with every row of every file it read."""

    files: Mapping[str, FileCounts]
    problems: tuple[Problem, ...]
    warnings: tuple[str, ...] = ()
    headers: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    """Each read file's column names, as its header has them (what the extract covers)."""
    linkage: Linkage | None = None
    """How the health and social-care records' children meet (``None``: the extract has
    not both)."""
    rejected_people: Mapping[str, frozenset[str]] = attrs.field(factory=dict, repr=False, eq=False)
    """The people of each file's rejected rows (:func:`cypmh.io.rejected.rejected_people`):
    identifiers, used only to count, never published."""

    @property
    def rejected(self) -> int:
        """Rows rejected in all files."""
        return sum(c.rejected for c in self.files.values())

    def to_data(self) -> dict[str, Any]:
        """The report in the JSON shape of ``cypmh validate --format json``."""
        return {
            "files": {name: attrs.asdict(counts) for name, counts in self.files.items()},
            "problems": [attrs.asdict(p) for p in self.problems],
            "warnings": list(self.warnings),
            "hints": self.hints(),
            "linkage": None if self.linkage is None else attrs.asdict(self.linkage),
        }

    def hints(self) -> list[str]:
        """What the rejected rows suggest went wrong (:func:`hints`), with counts."""
        return hints(self)

    def summary(self) -> list[tuple[str, str, str, int]]:
        """The problems as (file, column, reason, rows) counts: no value from any row.

        This is what a report may carry; the values themselves (which can be
        identifiers) stay in ``cypmh validate``. Reasons that quote another
        row's value are reduced to their rule, so that no identifier leaks
        through them either. A row made from a feed is counted under the feed's
        file (``ssd/ssd_cin_episodes.csv``), as its column is the feed's field.
        """
        counts: dict[tuple[str, str, str], int] = {}
        for p in self.problems:
            file = p.file if p.origin is None else p.origin.rsplit(", line ", 1)[0]
            key = (file, p.column, _general_reason(p.reason))
            counts[key] = counts.get(key, 0) + 1
        return [(f, c, r, n) for (f, c, r), n in counts.items()]

    def summary_text(
        self,
        count: Callable[[int], str] = str,
        text: Callable[[str], str] = str,
    ) -> str:
        """The report's data-quality section as text: counts by file, column and reason.

        ``count`` writes each count and ``text`` each hint and warning (a report
        passes its disclosure policy's: :func:`cypmh.report.quality.quality_text`).
        """
        lines = [f"{'file':<38} {'read':>8} {'used':>8} {'rejected':>9}"]
        for name, c in self.files.items():
            lines.append(f"{name:<38} {count(c.read):>8} {count(c.used):>8} {count(c.rejected):>9}")
        summary = self.summary()
        if summary:
            lines += ["", f"{count(self.rejected)} rows rejected, by file, column and reason:"]
            lines += [f"  {count(n):>6}  {f}, {c}: {r}" for f, c, r, n in summary]
            lines.append("  (the rows themselves: cypmh validate, which is record-level)")
        else:
            lines += ["", "No rows rejected."]
        if self.linkage is not None:
            lines.append(self.linkage.line(count))
        lines += [f"Hint: {text(h)}" for h in self.hints()]
        lines += [f"Warning: {text(w)}" for w in self.warnings]
        return "\n".join(lines)

    def to_text(self, *, limit: int = 50) -> str:
        """A report for people: counts per file, then the first ``limit`` problems."""
        lines = [f"{'file':<38} {'read':>8} {'used':>8} {'rejected':>9}"]
        for name, c in self.files.items():
            lines.append(f"{name:<38} {c.read:>8} {c.used:>8} {c.rejected:>9}")
        if self.problems:
            lines.append("")
            lines.append(f"{len(self.problems)} rows rejected:")
            for p in self.problems[:limit]:
                lines.append(f"  {p.where}, {p.column} = {p.value!r}: {p.reason}")
            if len(self.problems) > limit:
                lines.append(f"  ... and {len(self.problems) - limit} more")
        else:
            lines += ["", "No rows rejected."]
        if self.linkage is not None:
            lines.append(self.linkage.line())
        lines += [f"Hint: {h}" for h in self.hints()]
        lines += [f"Warning: {w}" for w in self.warnings]
        named = [
            f"  {path} column {position}: {name!r}"
            for path, header in self.headers.items()
            for position, name in unknown_columns(_spec(path), header)
        ]
        if named:
            lines += ["", "Columns not in the contract, by name (input text: keep it inside):"]
            lines += named
        return "\n".join(lines)


def _spec(path: str) -> FileSpec:
    return next(f for f in FILES if f.path == path)


def _general_reason(reason: str) -> str:
    """A reason without the values it quotes (dates, ids, line numbers), for counting."""
    reason = re.sub(r"\bline \d+", "line N", reason)
    reason = re.sub(r"\(([^()]*)\)", "(...)", reason)
    return re.sub(r"\bthe referral is for .*$", "the referral is for another person", reason)


@attrs.frozen(kw_only=True)
class ReadResult:
    """The area built from the rows that were used, and the data-quality report."""

    area: Area
    quality: QualityReport


def ordered_warnings(warnings: list[str]) -> tuple[str, ...]:
    """Warnings in the contract's file order (both readers read the files in their own order)."""
    order = {f.path: i for i, f in enumerate(FILES)}
    return tuple(sorted(warnings, key=lambda w: order.get(w.split(":")[0], len(order))))


def tie_warning(file: FileSpec, ties: int, first_line: int) -> str:
    """The warning for keys whose latest ``UniqMonthID`` has more than one row (both readers)."""
    return (
        f"{file.path}: {ties} {file.key} value(s) have more than one row in their latest "
        f"UniqMonthID; the last of each was kept (the first such row is at line {first_line})"
    )


# Hints.

_UK_DATE = re.compile(r"\d{1,2}/\d{1,2}/\d{4}")
_CODE_LIST = re.compile(r"not a code in the (\w+) list|^not an? (\w+) code$")
"""The reasons of an unknown code: a code set's (``service_team_types``) or an enum's
(``RejectionReason``), named as :mod:`cypmh.codes` names it."""


def _in_list(list_name: str) -> Callable[[str], bool] | None:
    """A test of whether a code is in the list the reasons name, or ``None`` if unknown."""
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
