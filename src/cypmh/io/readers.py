"""Read an extract folder into an :class:`~cypmh.model.Area` and a data-quality report.

The contract is :mod:`cypmh.io.contract`.
Every row read is either used or reported, with its file, line (the header is
line 1), column, value and the reason, so that for every file
``read = used + rejected``. A missing required file or column is an
:class:`ExtractError`, not a row problem. Rows are checked alone (dates,
codes, the model's rules) and then against each other, in the order the
records depend on one another: a contact whose referral was rejected is
itself reported, with the reason.
"""

from __future__ import annotations

import csv
import functools
import gc
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from os import PathLike
from pathlib import Path
from typing import Any, TypeVar

import attrs

from cypmh.codes import (
    AttendStatus,
    ClinicalPriority,
    ClosureReason,
    RejectionReason,
    SdqReason,
    SocialWorkType,
    check_snomed_code,
)
from cypmh.errors import InvalidValueError
from cypmh.io.contract import EARLIEST_BIRTH, EVENT_DATES, FILES, FileSpec
from cypmh.io.lines import (
    MAX_CELL,
    MAX_RECORD_LINES,
    ExtractError,
    Record,
    check_header,
    open_text,
    records,
)
from cypmh.model import (
    Area,
    CareEpisode,
    CarePlan,
    Child,
    CodedAssessment,
    Contact,
    IndirectActivity,
    LinkContact,
    Referral,
    School,
    SdqReturn,
    SocialWorkInvolvement,
    WellbeingAssessment,
)

__all__ = ["ExtractError", "FileCounts", "Problem", "QualityReport", "ReadResult", "read_extract"]

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class Problem:
    """One rejected row: where it is, what was wrong and why."""

    file: str
    line: int
    column: str
    value: str
    reason: str


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
        }

    def summary(self) -> list[tuple[str, str, str, int]]:
        """The problems as (file, column, reason, rows) counts: no value from any row.

        This is what a report may carry; the values themselves (which can be
        identifiers) stay in ``cypmh validate``. Reasons that quote another
        row's value are reduced to their rule, so that no identifier leaks
        through them either.
        """
        counts: dict[tuple[str, str, str], int] = {}
        for p in self.problems:
            key = (p.file, p.column, _general_reason(p.reason))
            counts[key] = counts.get(key, 0) + 1
        return [(f, c, r, n) for (f, c, r), n in counts.items()]

    def summary_text(self) -> str:
        """The report's data-quality section as text: counts by file, column and reason."""
        lines = [f"{'file':<38} {'read':>8} {'used':>8} {'rejected':>9}"]
        for name, c in self.files.items():
            lines.append(f"{name:<38} {c.read:>8} {c.used:>8} {c.rejected:>9}")
        summary = self.summary()
        if summary:
            lines += ["", f"{self.rejected} rows rejected, by file, column and reason:"]
            lines += [f"  {n:>6}  {f}, {c}: {r}" for f, c, r, n in summary]
            lines.append("  (the rows themselves: cypmh validate, which is record-level)")
        else:
            lines += ["", "No rows rejected."]
        lines += [f"Warning: {w}" for w in self.warnings]
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
                lines.append(f"  {p.file}, line {p.line}, {p.column} = {p.value!r}: {p.reason}")
            if len(self.problems) > limit:
                lines.append(f"  ... and {len(self.problems) - limit} more")
        else:
            lines += ["", "No rows rejected."]
        lines += [f"Warning: {w}" for w in self.warnings]
        return "\n".join(lines)


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


# Reading raw rows.


class _RowError(Exception):
    def __init__(self, column: str, value: str, reason: str) -> None:
        self.column, self.value, self.reason = column, value, reason
        super().__init__(reason)


@functools.cache
def _members(enum_type: Any) -> dict[str, Any]:
    return {member.value: member for member in enum_type}


class _Row:
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
        position = self.index.get(column)
        return (self.values[position].strip() or None) if position is not None else None

    def required(self, column: str) -> str:
        position = self.index.get(column)
        value = self.values[position].strip() if position is not None else ""
        if not value:
            raise _RowError(column, "", "is required and empty")
        return value

    def day(self, column: str) -> date:
        return _date(self.required(column), column, uk=self.uk)

    def optional_date(self, column: str) -> date | None:
        value = self.text(column)
        return None if value is None else _date(value, column, uk=self.uk)

    def code(self, column: str, enum_type: Any) -> Any:
        value = self.text(column)
        if value is None:
            return None
        member = _members(enum_type).get(value)
        if member is None:
            raise _RowError(column, value, f"not a {enum_type.__name__} code")
        return member

    def number(self, column: str) -> float:
        value = self.required(column)
        if not NUMBER.fullmatch(value):
            raise _RowError(column, value, "not a number")
        return float(value)

    def whole(self, column: str) -> int | None:
        value = self.text(column)
        if value is None:
            return None
        if not re.fullmatch(r"-?[0-9]+", value):
            raise _RowError(column, value, "not a whole number")
        return int(value)


_SURROGATE = re.compile("[\udc80-\udcff]")


def _read_rows(
    folder: Path, file: FileSpec, warnings: list[str] | None = None
) -> tuple[list[_Row], list[Problem]] | None:
    """The file's rows (or ``None`` if absent), after checking its header."""
    text = open_text(folder, file, warnings if warnings is not None else [])
    return None if text is None else rows_of_text(file, text)


def rows_of_text(file: FileSpec, text: str) -> tuple[list[_Row], list[Problem]]:
    """The rows of ``file``'s ``text`` (as :func:`~cypmh.io.lines.open_text` gives it)."""
    found = records(text)
    first = next(found, None)
    if first is None:
        raise ExtractError(f"{file.path}: the file is empty (it needs a header row)")
    if not isinstance(first, Record):
        raise ExtractError(f"{file.path}, line 1: the header opens a quote that is not closed")
    rows: list[_Row] = []
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
    for line, cells in parsed:
        problem = _row_problem(file, header, line, cells, undecodable)
        if problem is not None:
            if problem.column != "":
                problems.append(problem)
            continue
        rows.append(_Row(line, cells, index, file.ssda903_dates))
    problems.sort(key=lambda p: p.line)
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


def _latest_submissions(
    rows: list[_Row], file: FileSpec, warnings: list[str]
) -> tuple[list[_Row], int, list[Problem]]:
    """Keep the row of the highest ``UniqMonthID`` per key, if the file is stacked.

    Two rows of one key in its latest month are a tie: the later line is kept,
    and the tie is reported as a warning.
    """
    if file.key is None or not rows or "UniqMonthID" not in rows[0].index:
        return rows, 0, []
    problems: list[Problem] = []
    best: dict[str, tuple[int, _Row]] = {}
    tied: dict[str, int] = {}
    valid: list[_Row] = []
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


# Parsing cells.

_UK = re.compile(r"^[0-9]{2}/[0-9]{2}/[0-9]{4}$")


def _date(value: str, column: str, *, uk: bool = False) -> date:
    try:
        if len(value) == 10 and value[4] == "-" and value[7] == "-" and _YEAR.fullmatch(value[:4]):
            return date.fromisoformat(value)
        if uk and _UK.match(value):
            return datetime.strptime(value, "%d/%m/%Y").date()  # noqa: DTZ007 - a date, not a time
    except ValueError:
        raise _RowError(column, value, "not a date") from None
    raise _RowError(column, value, "not a date (YYYY-MM-DD" + (" or DD/MM/YYYY)" if uk else ")"))


class _Reader:
    """Collects problems and counts while building records from one folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.counts: dict[str, FileCounts] = {}
        self.problems: list[Problem] = []
        self.warnings: list[str] = []
        self.cache: dict[str, list[_Row]] = {}

    def preload(self) -> date | None:
        """Read every file's rows (in the contract's order); return the extract's end.

        The end is the latest event date (:data:`~cypmh.io.contract.EVENT_DATES`)
        that reads as a date, or ``None`` if there is none.
        """
        self.cache = {f.path: self._rows(f.path) for f in FILES}
        end: date | None = None
        for path, column in EVENT_DATES.items():
            for row in self.cache[path]:
                try:
                    day = row.optional_date(column)
                except _RowError:
                    continue
                if day is not None and (end is None or day > end):
                    end = day
        return end

    def rows(self, path: str) -> list[_Row]:
        """The file's rows (read once by :meth:`preload`)."""
        return self.cache.pop(path)

    def _rows(self, path: str) -> list[_Row]:
        file = next(f for f in FILES if f.path == path)
        raw = _read_rows(self.folder, file, self.warnings)
        if raw is None:
            return []
        rows, problems = raw
        rows, superseded, more = _latest_submissions(rows, file, self.warnings)
        problems += more
        self.counts[path] = FileCounts(
            read=len(rows) + superseded + len(problems), superseded=superseded
        )
        self.problems += problems
        return rows

    def reject(self, path: str, line: int, column: str, value: object, reason: str) -> None:
        self.problems.append(
            Problem(file=path, line=line, column=column, value=str(value), reason=reason)
        )

    def build(
        self,
        path: str,
        rows: Iterable[_Row],
        make: Callable[[_Row], T],
        columns: Mapping[str, str],
    ) -> list[tuple[int, T]]:
        """Build one record per row (with its line); report the rows whose values break a rule."""
        built = []
        for row in rows:
            try:
                built.append((row.line, make(row)))
            except _RowError as exc:
                self.reject(path, row.line, exc.column, exc.value, exc.reason)
            except InvalidValueError as exc:
                column = columns.get(exc.field.split("[")[0], exc.field)
                self.reject(path, row.line, column, row.get(column) or exc.value, exc.rule)
        return built

    def unique(
        self, path: str, built: list[tuple[int, T]], key: Callable[[T], object], column: str
    ) -> list[tuple[int, T]]:
        seen: dict[object, int] = {}
        kept = []
        for line, record in built:
            k = key(record)
            if k in seen:
                self.reject(path, line, column, k, f"duplicates line {seen[k]}")
            else:
                seen[k] = line
                kept.append((line, record))
        return kept

    def keep_if(
        self,
        path: str,
        built: list[tuple[int, T]],
        check: Callable[[T], tuple[str, object, str] | None],
    ) -> list[tuple[int, T]]:
        """Keep the records ``check`` passes; it returns (column, value, reason) to reject."""
        kept = []
        for line, record in built:
            failure = check(record)
            if failure is None:
                kept.append((line, record))
            else:
                self.reject(path, line, *failure)
        return kept

    def finish(self, path: str, used: int) -> None:
        counts = self.counts.get(path)
        if counts is not None:
            rejected = sum(1 for p in self.problems if p.file == path)
            self.counts[path] = attrs.evolve(
                counts, used=used + counts.superseded, rejected=rejected
            )


_CHILD_COLUMNS = {
    "person_id": "Person_ID",
    "birth_date": "PersonBirthDate",
    "gender": "Gender",
    "ethnic_category": "EthnicCategory",
    "la_district": "LADistrictAuth",
    "lsoa": "LSOA2011",
    "school_urn": "OrgIDEduEstab",
}
_REFERRAL_COLUMNS = {
    "referral_id": "UniqServReqID",
    "person_id": "Person_ID",
    "provider_code": "OrgIDProv",
    "received_date": "ReferralRequestReceivedDate",
    "source": "SourceOfReferralMH",
    "priority": "ClinRespPriorityType",
    "primary_reason": "PrimReasonReferralMH",
    "team_type": "ServTeamType",
    "rejection_date": "ReferRejectionDate",
    "rejection_reason": "ReferRejectReason",
    "closure_date": "ReferClosureDate",
    "closure_reason": "ReferClosReason",
    "discharge_date": "ServDischDate",
}
_CONTACT_COLUMNS = {
    "contact_id": "UniqCareContID",
    "referral_id": "UniqServReqID",
    "person_id": "Person_ID",
    "date": "CareContDate",
    "attend_status": "AttendStatus",
    "consultation_mechanism": "ConsMechanismMH",
    "procedures": "Procedure",
}


def read_extract(folder: str | PathLike[str], *, name: str | None = None) -> ReadResult:
    """Read the extract in ``folder``; see the module docstring for what happens to each row.

    ``name`` labels the area (default: the folder's name). Raises
    :class:`ExtractError` for a missing folder, required file or column.
    """
    # Reading makes a great many objects that all live to the end; the cyclic garbage
    # collector would scan them again and again for nothing, so it waits until we are done.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _read(folder, name)
    finally:
        if enabled:
            gc.enable()


def _read(folder: str | PathLike[str], name: str | None) -> ReadResult:
    root = Path(folder)
    if not root.is_dir():
        raise ExtractError(f"not a folder: {root}")
    r = _Reader(root)
    end = r.preload()

    def born_in_range(column: str) -> Callable[[Child], tuple[str, object, str] | None]:
        return lambda child: birth_problem(column, child.birth_date, end)

    # People: MHS001MPI, then the SSDA903 header for children only known to social care.
    mpi = r.unique(
        "MHS001MPI.csv",
        r.keep_if(
            "MHS001MPI.csv",
            r.build(
                "MHS001MPI.csv",
                r.rows("MHS001MPI.csv"),
                lambda c: Child(
                    person_id=c.required("Person_ID"),
                    birth_date=c.day("PersonBirthDate"),
                    gender=c.text("Gender"),
                    ethnic_category=c.text("EthnicCategory"),
                    la_district=c.text("LADistrictAuth"),
                    lsoa=c.text("LSOA2011"),
                    school_urn=c.text("OrgIDEduEstab"),
                ),
                _CHILD_COLUMNS,
            ),
            born_in_range("PersonBirthDate"),
        ),
        lambda ch: ch.person_id,
        "Person_ID",
    )
    linkage: dict[str, str] = {}
    for row in r.rows("linkage.csv"):
        code, pid = row.get("CHILD"), row.get("Person_ID")
        if not code or not pid:
            r.reject(
                "linkage.csv",
                row.line,
                "CHILD" if not code else "Person_ID",
                "",
                "is required and empty",
            )
        elif code in linkage:
            r.reject("linkage.csv", row.line, "CHILD", code, "is linked twice")
        else:
            linkage[code] = pid
    r.finish("linkage.csv", len(linkage))
    children = {ch.person_id: ch for _, ch in mpi}

    def person(child_code: str) -> str:
        return linkage.get(child_code, child_code)

    header = r.unique(
        "ssda903/header.csv",
        r.keep_if(
            "ssda903/header.csv",
            r.build(
                "ssda903/header.csv",
                r.rows("ssda903/header.csv"),
                lambda c: Child(
                    person_id=person(c.required("CHILD")),
                    birth_date=c.day("DOB"),
                    gender=c.text("SEX"),
                    ethnic_category=c.text("ETHNIC"),
                ),
                {
                    "person_id": "CHILD",
                    "birth_date": "DOB",
                    "gender": "SEX",
                    "ethnic_category": "ETHNIC",
                },
            ),
            born_in_range("DOB"),
        ),
        lambda ch: ch.person_id,
        "CHILD",
    )

    def header_fits(ch: Child) -> tuple[str, object, str] | None:
        known = children.get(ch.person_id)
        if known is not None and known.birth_date != ch.birth_date:
            return (
                "DOB",
                ch.birth_date.isoformat(),
                f"differs from PersonBirthDate in MHS001MPI.csv ({known.birth_date})",
            )
        return None

    header = r.keep_if("ssda903/header.csv", header, header_fits)
    for _, ch in header:
        children.setdefault(ch.person_id, ch)
    r.finish("MHS001MPI.csv", len(mpi))
    r.finish("ssda903/header.csv", len(header))

    def born_by(pid: str, day: date, column: str) -> tuple[str, object, str] | None:
        child = children.get(pid)
        if child is None:
            return ("Person_ID", pid, "no such person in MHS001MPI.csv")
        if day < child.birth_date:
            return (column, day.isoformat(), f"before the child's birth date ({child.birth_date})")
        return None

    # Referrals.
    referrals = r.build(
        "MHS101Referral.csv",
        r.rows("MHS101Referral.csv"),
        lambda c: Referral(
            referral_id=c.required("UniqServReqID"),
            person_id=c.required("Person_ID"),
            provider_code=c.required("OrgIDProv"),
            received_date=c.day("ReferralRequestReceivedDate"),
            source=c.text("SourceOfReferralMH"),
            priority=c.code("ClinRespPriorityType", ClinicalPriority),
            primary_reason=c.text("PrimReasonReferralMH"),
            team_type=c.text("ServTeamType"),
            rejection_date=c.optional_date("ReferRejectionDate"),
            rejection_reason=c.code("ReferRejectReason", RejectionReason),
            closure_date=c.optional_date("ReferClosureDate"),
            closure_reason=c.code("ReferClosReason", ClosureReason),
            discharge_date=c.optional_date("ServDischDate"),
        ),
        _REFERRAL_COLUMNS,
    )
    referrals = r.unique("MHS101Referral.csv", referrals, lambda x: x.referral_id, "UniqServReqID")
    referrals = r.keep_if(
        "MHS101Referral.csv",
        referrals,
        lambda x: born_by(x.person_id, x.received_date, "ReferralRequestReceivedDate"),
    )
    by_referral = {x.referral_id: x for _, x in referrals}
    r.finish("MHS101Referral.csv", len(referrals))

    def on_referral(
        referral_id: str, person_id: str, day: date, column: str
    ) -> tuple[str, object, str] | None:
        referral = by_referral.get(referral_id)
        if referral is None:
            return (
                "UniqServReqID",
                referral_id,
                "no such referral in MHS101Referral.csv (or it was rejected)",
            )
        if referral.person_id != person_id:
            return ("Person_ID", person_id, f"the referral is for {referral.person_id}")
        if day < referral.received_date:
            return (
                column,
                day.isoformat(),
                f"before the referral was received ({referral.received_date})",
            )
        return born_by(person_id, day, column)

    # Care activities give contacts their procedures; they are checked once contacts are.
    activity_rows = r.rows("MHS202CareActivity.csv")
    procedures: dict[str, list[tuple[_Row, str]]] = {}
    for row in activity_rows:
        code = row.get("Procedure").split(":")[0].strip()
        procedures.setdefault(row.get("UniqCareContID"), []).append((row, code))

    def make_contact(c: _Row) -> Contact:
        contact_id = c.required("UniqCareContID")
        return Contact(
            contact_id=contact_id,
            referral_id=c.required("UniqServReqID"),
            person_id=c.required("Person_ID"),
            date=c.day("CareContDate"),
            attend_status=c.code("AttendStatus", AttendStatus) or _missing("AttendStatus"),
            consultation_mechanism=c.text("ConsMechanismMH"),
            procedures=tuple(good_procedures.get(contact_id, ())),
        )

    # Procedures are checked on their own rows first, so that a bad code rejects only itself.
    good_procedures: dict[str, list[str]] = {}
    activity_lines: dict[str, list[_Row]] = {}
    for contact_id, items in procedures.items():
        for activity_row, code in items:
            try:
                check_snomed_code(code, owner="MHS202CareActivity", field="Procedure")
            except InvalidValueError as exc:
                r.reject(
                    "MHS202CareActivity.csv",
                    activity_row.line,
                    "Procedure",
                    activity_row.get("Procedure"),
                    exc.rule,
                )
                continue
            good_procedures.setdefault(contact_id, []).append(code)
            activity_lines.setdefault(contact_id, []).append(activity_row)

    contacts = r.build(
        "MHS201CareContact.csv", r.rows("MHS201CareContact.csv"), make_contact, _CONTACT_COLUMNS
    )
    contacts = r.unique("MHS201CareContact.csv", contacts, lambda x: x.contact_id, "UniqCareContID")
    contacts = r.keep_if(
        "MHS201CareContact.csv",
        contacts,
        lambda x: on_referral(x.referral_id, x.person_id, x.date, "CareContDate"),
    )
    with_procedures = contacts
    kept_ids = {x.contact_id for _, x in contacts}
    used_activities = sum(len(rows) for cid, rows in activity_lines.items() if cid in kept_ids)
    for contact_id, rows_of_contact in activity_lines.items():
        if contact_id not in kept_ids:
            for activity_row in rows_of_contact:
                r.reject(
                    "MHS202CareActivity.csv",
                    activity_row.line,
                    "UniqCareContID",
                    contact_id,
                    "no such contact in MHS201CareContact.csv (or it was rejected)",
                )
    r.finish("MHS201CareContact.csv", len(with_procedures))
    r.finish("MHS202CareActivity.csv", used_activities)

    indirect = r.build(
        "MHS204IndirectActivity.csv",
        r.rows("MHS204IndirectActivity.csv"),
        lambda c: IndirectActivity(
            referral_id=c.required("UniqServReqID"),
            person_id=c.required("Person_ID"),
            date=c.day("IndirectActDate"),
            procedure=(c.text("IndActProcedure") or "").split(":")[0].strip() or None,
        ),
        {
            "referral_id": "UniqServReqID",
            "person_id": "Person_ID",
            "date": "IndirectActDate",
            "procedure": "IndActProcedure",
        },
    )
    indirect = r.keep_if(
        "MHS204IndirectActivity.csv",
        indirect,
        lambda x: on_referral(x.referral_id, x.person_id, x.date, "IndirectActDate"),
    )
    r.finish("MHS204IndirectActivity.csv", len(indirect))

    assessments = r.build(
        "MHS606CodedScoreAssessmentRefer.csv",
        r.rows("MHS606CodedScoreAssessmentRefer.csv"),
        lambda c: CodedAssessment(
            referral_id=c.required("UniqServReqID"),
            person_id=c.required("Person_ID"),
            tool_code=c.required("CodedAssToolType"),
            score=c.number("PersScore"),
            date=c.day("AssToolCompDate"),
        ),
        {
            "referral_id": "UniqServReqID",
            "person_id": "Person_ID",
            "tool_code": "CodedAssToolType",
            "score": "PersScore",
            "date": "AssToolCompDate",
        },
    )

    def assessment_fits(a: CodedAssessment) -> tuple[str, object, str] | None:
        referral = by_referral.get(a.referral_id)
        if referral is None:
            return (
                "UniqServReqID",
                a.referral_id,
                "no such referral in MHS101Referral.csv (or it was rejected)",
            )
        if referral.person_id != a.person_id:
            return ("Person_ID", a.person_id, f"the referral is for {referral.person_id}")
        return born_by(a.person_id, a.date, "AssToolCompDate")

    assessments = r.keep_if("MHS606CodedScoreAssessmentRefer.csv", assessments, assessment_fits)
    r.finish("MHS606CodedScoreAssessmentRefer.csv", len(assessments))

    plans = r.build(
        "MHS008CarePlanType.csv",
        r.rows("MHS008CarePlanType.csv"),
        lambda c: CarePlan(
            care_plan_id=c.required("UniqCarePlanID"),
            person_id=c.required("Person_ID"),
            plan_type=c.required("CarePlanTypeMH"),
            created=c.day("CarePlanCreatDate"),
            last_updated=c.optional_date("CarePlanLastUpdateDate"),
        ),
        {
            "care_plan_id": "UniqCarePlanID",
            "person_id": "Person_ID",
            "plan_type": "CarePlanTypeMH",
            "created": "CarePlanCreatDate",
            "last_updated": "CarePlanLastUpdateDate",
        },
    )
    plans = r.unique("MHS008CarePlanType.csv", plans, lambda x: x.care_plan_id, "UniqCarePlanID")
    plans = r.keep_if(
        "MHS008CarePlanType.csv",
        plans,
        lambda x: born_by(x.person_id, x.created, "CarePlanCreatDate"),
    )
    plan_by_id = {p.care_plan_id: p for _, p in plans}
    # MHS009: every agreement row is kept (resubmissions and re-agreements give a plan several).
    agreements: dict[str, list[date | None]] = {}
    used = 0
    for row in r.rows("MHS009CarePlanAgreement.csv"):
        plan_id = row.get("UniqCarePlanID")
        plan = plan_by_id.get(plan_id)
        if plan is None:
            r.reject(
                "MHS009CarePlanAgreement.csv",
                row.line,
                "UniqCarePlanID",
                plan_id,
                "no such care plan in MHS008CarePlanType.csv (or it was rejected)",
            )
            continue
        try:
            agreed_on = row.optional_date("CarePlanAgreedDate")
        except _RowError as exc:
            r.reject("MHS009CarePlanAgreement.csv", row.line, exc.column, exc.value, exc.reason)
            continue
        if agreed_on is not None and agreed_on < plan.created:
            r.reject(
                "MHS009CarePlanAgreement.csv",
                row.line,
                "CarePlanAgreedDate",
                row.get("CarePlanAgreedDate"),
                f"must not be before created ({plan.created})",
            )
            continue
        agreements.setdefault(plan_id, []).append(agreed_on)
        used += 1
    for plan_id, days in agreements.items():
        plan_by_id[plan_id] = attrs.evolve(plan_by_id[plan_id], agreements=days)
    r.finish("MHS008CarePlanType.csv", len(plans))
    r.finish("MHS009CarePlanAgreement.csv", used)

    # Social care.
    def child_fits(pid: str, day: date | None, column: str) -> tuple[str, object, str] | None:
        if pid not in children:
            return ("CHILD", pid, "no such child in MHS001MPI.csv or ssda903/header.csv")
        return None if day is None else born_by(pid, day, column)

    episodes = r.build(
        "ssda903/episodes.csv",
        r.rows("ssda903/episodes.csv"),
        lambda c: CareEpisode(
            person_id=person(c.required("CHILD")),
            start=c.day("DECOM"),
            end=c.optional_date("DEC"),
            reason_new_episode=c.text("RNE"),
            legal_status=c.text("LS"),
            category_of_need=c.text("CIN"),
            placement=c.text("PLACE"),
            reason_ceased=c.text("REC"),
        ),
        {
            "person_id": "CHILD",
            "start": "DECOM",
            "end": "DEC",
            "reason_new_episode": "RNE",
            "legal_status": "LS",
            "category_of_need": "CIN",
            "placement": "PLACE",
            "reason_ceased": "REC",
        },
    )
    episodes = r.keep_if(
        "ssda903/episodes.csv", episodes, lambda e: child_fits(e.person_id, e.start, "DECOM")
    )
    r.finish("ssda903/episodes.csv", len(episodes))

    def make_sdq(c: _Row) -> SdqReturn:
        return SdqReturn(
            person_id=person(c.required("CHILD")),
            score=c.whole("SDQ_SCORE"),
            reason=c.code("SDQ_REASON", SdqReason),
        )

    sdq = r.build(
        "ssda903/oc2.csv",
        r.rows("ssda903/oc2.csv"),
        make_sdq,
        {"person_id": "CHILD", "score": "SDQ_SCORE", "reason": "SDQ_REASON"},
    )
    sdq = r.unique("ssda903/oc2.csv", sdq, lambda s: s.person_id, "CHILD")
    sdq = r.keep_if("ssda903/oc2.csv", sdq, lambda s: child_fits(s.person_id, None, "CHILD"))
    r.finish("ssda903/oc2.csv", len(sdq))

    social = r.build(
        "ssda903/social_work.csv",
        r.rows("ssda903/social_work.csv"),
        lambda c: SocialWorkInvolvement(
            person_id=person(c.required("CHILD")),
            kind=c.code("STATUS", SocialWorkType) or _missing("STATUS"),
            start=c.day("START"),
            end=c.optional_date("END"),
        ),
        {"person_id": "CHILD", "kind": "STATUS", "start": "START", "end": "END"},
    )
    social = r.keep_if(
        "ssda903/social_work.csv", social, lambda s: child_fits(s.person_id, s.start, "START")
    )
    r.finish("ssda903/social_work.csv", len(social))

    wellbeing = r.build(
        "ssda903/mh_assessments.csv",
        r.rows("ssda903/mh_assessments.csv"),
        lambda c: WellbeingAssessment(
            person_id=person(c.required("CHILD")), date=c.day("ASSESSMENT_DATE")
        ),
        {"person_id": "CHILD", "date": "ASSESSMENT_DATE"},
    )
    wellbeing = r.keep_if(
        "ssda903/mh_assessments.csv",
        wellbeing,
        lambda w: child_fits(w.person_id, w.date, "ASSESSMENT_DATE"),
    )
    r.finish("ssda903/mh_assessments.csv", len(wellbeing))

    # Schools.
    schools = r.build(
        "schools/schools.csv",
        r.rows("schools/schools.csv"),
        lambda c: School(
            urn=c.required("URN"),
            name=c.required("NAME"),
            phase=c.text("PHASE"),
            local_authority=c.text("LA"),
        ),
        {"urn": "URN", "name": "NAME", "phase": "PHASE", "local_authority": "LA"},
    )
    schools = r.unique("schools/schools.csv", schools, lambda s: s.urn, "URN")
    urns = {s.urn for _, s in schools}
    r.finish("schools/schools.csv", len(schools))
    links = r.build(
        "schools/link_contacts.csv",
        r.rows("schools/link_contacts.csv"),
        lambda c: LinkContact(
            school_urn=c.required("URN"),
            provider_code=c.required("OrgIDProv"),
            school_lead_role=c.text("SCHOOL_LEAD_ROLE"),
            camhs_contact_role=c.text("CAMHS_CONTACT_ROLE"),
            start=c.day("START"),
            end=c.optional_date("END"),
        ),
        {
            "school_urn": "URN",
            "provider_code": "OrgIDProv",
            "school_lead_role": "SCHOOL_LEAD_ROLE",
            "camhs_contact_role": "CAMHS_CONTACT_ROLE",
            "start": "START",
            "end": "END",
        },
    )
    links = r.keep_if(
        "schools/link_contacts.csv",
        links,
        lambda k: (
            None
            if k.school_urn in urns
            else ("URN", k.school_urn, "no such school in schools/schools.csv")
        ),
    )
    r.finish("schools/link_contacts.csv", len(links))

    area = Area(
        name=name or root.resolve().name or "area",
        children=tuple(children.values()),
        schools=tuple(s for _, s in schools),
        referrals=tuple(x for _, x in referrals),
        contacts=tuple(x for _, x in with_procedures),
        indirect_activities=tuple(x for _, x in indirect),
        assessments=tuple(x for _, x in assessments),
        care_plans=tuple(plan_by_id[p.care_plan_id] for _, p in plans),
        care_episodes=tuple(x for _, x in episodes),
        social_work=tuple(x for _, x in social),
        sdq_returns=tuple(x for _, x in sdq),
        wellbeing_assessments=tuple(x for _, x in wellbeing),
        link_contacts=tuple(x for _, x in links),
    )
    problems = tuple(
        sorted(r.problems, key=lambda p: ([f.path for f in FILES].index(p.file), p.line))
    )
    ordered = {f.path: r.counts[f.path] for f in FILES if f.path in r.counts}
    return ReadResult(
        area=area,
        quality=QualityReport(
            files=ordered, problems=problems, warnings=ordered_warnings(r.warnings)
        ),
    )


def birth_problem(column: str, born: date, end: date | None) -> tuple[str, object, str] | None:
    """Why a birth date cannot be true: before 1900, or after the extract's end (both readers)."""
    if born < date.fromisoformat(EARLIEST_BIRTH):
        return (column, born.isoformat(), f"is before {EARLIEST_BIRTH}")
    if end is not None and born > end:
        return (column, born.isoformat(), f"is after the extract's last event ({end})")
    return None


def _missing(column: str) -> Any:
    raise _RowError(column, "", "is required and empty")
