"""Read an extract folder straight into dataframes, with the reader's data-quality rules.

:func:`read_extract_frames` gives the same clean tables as
:func:`~cypmh.io.readers.read_extract` followed by
:func:`~cypmh.metrics.frames.tables_from_area`, and the same
:class:`~cypmh.io.readers.QualityReport` (every rejected row with its file,
line, column, value and reason), without making a Python object per record:
cells are read and checked as Polars columns, and the clean tables are handed
to the chosen backend through Arrow. The generative test
``tests/generative/test_frame_reader_agrees.py`` holds the two readers equal
on broken folders.

Each rule below names the reference reader's step it mirrors. The order of
the checks of one row is the reference reader's: first the cells in the order
the record is built, then the model's rules in the order of its fields, then
the checks against other files. Needs Polars (``pip install 'cypmh[polars]'``).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from datetime import date
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from cypmh.codes import (
    AttendStatus,
    ClinicalPriority,
    ClosureReason,
    CodeSet,
    RejectionReason,
    SdqReason,
    SocialWorkType,
    assessment_tools,
    consultation_mechanisms,
    referral_reasons,
    referral_sources,
    team_types,
)
from cypmh.io.contract import EARLIEST_BIRTH, EVENT_DATES, FILES, FileSpec, spec
from cypmh.io.lines import MAX_CELL, check_header, open_text
from cypmh.io.readers import (
    BAD_UNIQ_MONTH_ID,
    NUMBER,
    UNIQ_MONTH_ID,
    ExtractError,
    FileCounts,
    Problem,
    QualityReport,
    ordered_warnings,
    rows_of_text,
    tie_warning,
)
from cypmh.metrics.frames.schema import TABLES

if TYPE_CHECKING:
    pass

__all__ = ["FrameReadResult", "read_extract_frames"]

_PROBLEM_COLUMNS = ("file", "line", "column", "value", "reason")
_NO_SUCH_REFERRAL = "no such referral in MHS101Referral.csv (or it was rejected)"
_NO_SUCH_PERSON = "no such person in MHS001MPI.csv"
_NO_SUCH_CHILD = "no such child in MHS001MPI.csv or ssda903/header.csv"
# The model's formats (cypmh.model._rules), as patterns for a whole cell.
_ODS = (r"[A-Z0-9]{3,9}", "an ODS code is 3 to 9 capital letters or digits")
_URN = (r"[0-9]{6}", "a school URN is 6 digits")
_SHORT = (r"[A-Za-z0-9]{1,10}", "a code is 1 to 10 letters or digits")
_SNOMED = (r"[1-9][0-9]{5,17}", "a SNOMED CT id is 6 to 18 digits with no leading zero")
# What a number cell may hold: the reference reader's pattern (ASCII digits only).
_FLOAT = NUMBER.pattern


@attrs.frozen(kw_only=True)
class FrameReadResult:
    """The clean tables of an extract as native frames, and the data-quality report.

    ``tables`` has every table of :data:`~cypmh.metrics.frames.TABLES`, ready
    for :func:`~cypmh.metrics.frames.compute_frames`; ``name`` labels the area.
    """

    tables: Mapping[str, Any]
    quality: QualityReport
    name: str


@functools.cache
def _whitespace() -> str:
    """Every character Python's ``str.strip()`` removes, so that cells are trimmed alike."""
    return "".join(chr(c) for c in range(0x110000) if chr(c).isspace())


def _pl() -> Any:
    try:
        import polars
    except ImportError:  # pragma: no cover - the extra is installed in every test run
        raise ExtractError(
            "reading an extract into frames needs Polars: pip install 'cypmh[polars]'"
        ) from None
    return polars


# Cells: every data row of a file as stripped strings, with its line number.


def _fast_lines(text: str) -> Any | None:
    """The file's lines as a one-column frame, or ``None`` if the csv module must read it.

    Without quotes, carriage returns, NULs, undecodable bytes or a line longer
    than a cell may be, every line is one row and its cells are the text
    between commas, as :mod:`cypmh.io.lines` reads them.
    """
    if not text or any(mark in text for mark in ('"', "\r", "\x00", "\x1f")):
        return None
    if text.startswith("\ufeff"):  # a second byte-order mark: Polars would strip it too
        return None
    if len(text) > MAX_CELL and max(map(len, text.split("\n"))) > MAX_CELL:
        return None
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # surrogates: bytes that were not UTF-8
        return None
    pl = _pl()
    return pl.read_csv(
        data,
        has_header=False,
        separator="\x1f",
        quote_char=None,
        infer_schema=False,
        new_columns=["_text"],
    ).with_columns(pl.col("_text").fill_null(""))


def _cells(folder: Path, file: FileSpec, warnings: list[str]) -> tuple[Any, list[Any]] | None:
    """The file's rows (``None`` if it is absent) and its malformed rows, as the reader has them."""
    pl = _pl()
    text = open_text(folder, file, warnings)
    if text is None:
        return None
    lines = _fast_lines(text)
    columns = set(file.columns)
    if lines is None:
        rows, found = rows_of_text(file, text)
        header = list(rows[0].index) if rows else list(file.columns)
        columns |= set(header)
        frame = pl.DataFrame(
            {
                "_line": [row.line for row in rows],
                **{name: [row.get(name) for row in rows] for name in sorted(columns)},
            },
            schema={"_line": pl.Int64, **dict.fromkeys(sorted(columns), pl.String)},
        )
        problems = [_problems([attrs.astuple(p) for p in found])] if found else []
        return frame, problems
    lines = lines.with_row_index("_line", offset=1).with_columns(pl.col("_line").cast(pl.Int64))
    header = [h.strip() for h in lines["_text"][0].split(",")]
    check_header(file, header)
    index = {column: position for position, column in enumerate(header)}
    body = (
        lines.slice(1)
        .filter(pl.col("_text") != "")
        .with_columns(pl.col("_text").str.split(",").alias("_cells"))
    )
    ragged = pl.col("_cells").list.len() != len(header)
    problems = [
        body.filter(ragged).select(
            file=pl.lit(file.path),
            line=pl.col("_line"),
            column=pl.lit("(row)"),
            value=pl.col("_text").str.slice(0, 80),
            reason=pl.format(
                "has {} cells where the header has " + str(len(header)),
                pl.col("_cells").list.len(),
            ),
        )
    ]
    space = _whitespace()
    frame = body.filter(~ragged).select(
        pl.col("_line"),
        *(
            pl.col("_cells").list.get(index[name]).str.strip_chars(space).alias(name)
            if name in index
            else pl.lit("").alias(name)
            for name in sorted(columns | set(index))
        ),
    )
    return frame, problems


def _problems(rows: Sequence[tuple[object, ...]]) -> Any:
    pl = _pl()
    return pl.DataFrame(
        [tuple(row) for row in rows],
        schema={
            "file": pl.String,
            "line": pl.Int64,
            "column": pl.String,
            "value": pl.String,
            "reason": pl.String,
        },
        orient="row",
    )


# Cell rules. A check is the reference reader's failure for one row: a condition, and the
# column, value and reason it reports. The first check a row fails is its problem.


@attrs.frozen
class _Check:
    fail: Any
    column: str
    value: Any
    reason: Any


def _c(column: str) -> Any:
    return _pl().col(column)


def _lit(value: object) -> Any:
    return _pl().lit(value)


def _iso(expr: Any) -> Any:
    return expr.dt.to_string("%Y-%m-%d")


def _text(column: str) -> Any:
    """``_Row.text``: the cell, or null if empty."""
    pl = _pl()
    return pl.when(_c(column) != "").then(_c(column)).otherwise(pl.lit(None, pl.String))


def _required(column: str) -> _Check:
    return _Check(_c(column) == "", column, _lit(""), _lit("is required and empty"))


def _parsed_date(column: str, uk: bool) -> Any:
    """The cell as a date where ``readers._date`` reads one, else null."""
    pl = _pl()
    cell = _c(column)
    year_ok = ~cell.str.contains(r"^0000-|/0000$")
    iso = pl.when(cell.str.contains(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$") & year_ok).then(
        cell.str.to_date("%Y-%m-%d", strict=False)
    )
    if not uk:
        return iso.alias(f"_d_{column}")
    return (
        pl.when(_iso_shape(cell))
        .then(iso)
        .when(cell.str.contains(r"^[0-9]{2}/[0-9]{2}/[0-9]{4}$") & year_ok)
        .then(cell.str.to_date("%d/%m/%Y", strict=False))
        .alias(f"_d_{column}")
    )


def _iso_shape(cell: Any) -> Any:
    """``readers._date``'s test for trying the ISO format (the year is any four digits)."""
    return (
        (cell.str.len_chars() == 10)
        & (cell.str.slice(4, 1) == "-")
        & (cell.str.slice(7, 1) == "-")
        & cell.str.slice(0, 4).str.contains(r"^[0-9]{4}$")
    )


def _date(column: str, uk: bool, *, required: bool = True) -> list[_Check]:
    pl = _pl()
    cell = _c(column)
    shaped = _iso_shape(cell)
    if uk:
        shaped = shaped | cell.str.contains(r"^[0-9]{2}/[0-9]{2}/[0-9]{4}$")
    wrong = " or DD/MM/YYYY)" if uk else ")"
    bad = _Check(
        (cell != "") & _c(f"_d_{column}").is_null(),
        column,
        cell,
        pl.when(shaped)
        .then(pl.lit("not a date"))
        .otherwise(pl.lit("not a date (YYYY-MM-DD" + wrong)),
    )
    return [_required(column), bad] if required else [bad]


def _code(column: str, enum_type: Any, *, required: bool = False) -> list[_Check]:
    cell = _c(column)
    bad = _Check(
        (cell != "") & ~cell.is_in([m.value for m in enum_type]),
        column,
        cell,
        _lit(f"not a {enum_type.__name__} code"),
    )
    return [_required(column), bad] if required else [bad]


def _pattern(column: str, rule: tuple[str, str], *, optional: bool = True) -> _Check:
    cell = _c(column)
    fails = ~cell.str.contains(f"^(?:{rule[0]})$")
    return _Check((cell != "") & fails if optional else fails, column, cell, _lit(rule[1]))


def _code_in(column: str, codes: CodeSet) -> _Check:
    cell = _c(column)
    return _Check(
        (cell != "") & ~cell.is_in(list(codes)),
        column,
        cell,
        _lit(f"not a code in the {codes.name} list"),
    )


def _not_before(column: str, other: str, other_field: str) -> _Check:
    pl = _pl()
    earlier = _c(f"_d_{other}")
    return _Check(
        (_c(f"_d_{column}") < earlier).fill_null(False),
        column,
        _c(column),
        pl.format("must not be before {} ({})", pl.lit(other_field), _iso(earlier)),
    )


def _requires(column: str, other: str, other_field: str) -> _Check:
    return _Check(
        (_c(column) != "") & _c(f"_d_{other}").is_null(),
        column,
        _c(column),
        _lit(f"may be given only with {other_field}"),
    )


def _day_before(day: str, bound: str, column: str, what: str) -> _Check:
    """The day in column ``day`` is before the one in ``bound``: ``before <what> (<bound>)``."""
    pl = _pl()
    return _Check(
        pl.col(day) < pl.col(bound),
        column,
        _iso(pl.col(day)),
        pl.format(f"before {what} ({{}})", _iso(pl.col(bound))),
    )


class _FrameReader:
    """The reference reader's ``_Reader``, on frames: counts and problems while checking."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.counts: dict[str, FileCounts] = {}
        self.problems: list[Any] = []
        self.warnings: list[str] = []
        self.cache: dict[str, Any] = {}
        self.pl = _pl()

    def preload(self) -> Any:
        """``_Reader.preload``: every file's rows, in the contract's order; the extract's end."""
        pl = self.pl
        self.cache = {f.path: self._rows(f.path) for f in FILES}
        ends = [
            self.cache[path].select(_parsed_date(column, spec(path).ssda903_dates).max()).item()
            for path, column in EVENT_DATES.items()
            if self.cache[path].height
        ]
        ends = [e for e in ends if e is not None]
        return max(ends) if ends else pl.lit(None, pl.Date)

    def rows(self, path: str) -> Any:
        """The file's rows (read once by :meth:`preload`)."""
        return self.cache.pop(path)

    def _rows(self, path: str) -> Any:
        """The file's rows after the latest-submission rule (``_Reader.rows``)."""
        pl = self.pl
        file = spec(path)
        raw = _cells(self.folder, file, self.warnings)
        if raw is None:
            return pl.DataFrame(
                schema={"_line": pl.Int64, **dict.fromkeys(file.columns, pl.String)}
            )
        frame, problems = raw
        superseded = 0
        if file.key is not None and frame.height and "UniqMonthID" in frame.columns:
            month = pl.col("UniqMonthID")
            numbered = month.str.contains(f"^(?:{UNIQ_MONTH_ID.pattern})$")
            problems.append(
                frame.filter(~numbered).select(
                    file=pl.lit(path),
                    line=pl.col("_line"),
                    column=pl.lit("UniqMonthID"),
                    value=month,
                    reason=pl.lit(BAD_UNIQ_MONTH_ID),
                )
            )
            valid = frame.filter(numbered).with_columns(_month=month.cast(pl.Int64, strict=False))
            latest = pl.col("_line").sort_by(["_month", "_line"]).last().over(file.key) == pl.col(
                "_line"
            )
            top = valid.filter(pl.col("_month") == pl.col("_month").max().over(file.key))
            ties = (
                top.group_by(file.key)
                .agg(pl.len().alias("_rows"), pl.col("_line").min().alias("_first"))
                .filter(pl.col("_rows") > 1)
            )
            if ties.height:
                self.warnings.append(tie_warning(file, ties.height, int(ties["_first"].min())))
            frame = valid.filter(latest).drop("_month")
            superseded = valid.height - frame.height
        self.problems += problems
        rejected = sum(p.height for p in problems)
        self.counts[path] = FileCounts(
            read=frame.height + superseded + rejected, superseded=superseded
        )
        return frame

    def reject(self, path: str, frame: Any, column: Any, value: Any, reason: Any) -> None:
        pl = self.pl
        self.problems.append(
            frame.select(
                file=pl.lit(path),
                line=pl.col("_line"),
                column=column if isinstance(column, pl.Expr) else pl.lit(column),
                value=value,
                reason=reason,
            )
        )

    def build(self, path: str, frame: Any, parsed: Sequence[Any], checks: Sequence[_Check]) -> Any:
        """Keep the rows that pass every check; report each other row's first failure."""
        pl = self.pl
        if parsed:
            frame = frame.with_columns(parsed)
        if not checks:
            return frame
        failure = pl.coalesce(
            [pl.when(c.fail.fill_null(False)).then(pl.lit(i)) for i, c in enumerate(checks)]
        ).alias("_fail")
        frame = frame.with_columns(failure)

        def pick(part: str) -> Any:
            chain: Any = pl
            for i, check in enumerate(checks):
                value = getattr(check, part)
                chain = chain.when(pl.col("_fail") == i).then(
                    value if isinstance(value, pl.Expr) else pl.lit(value)
                )
            return chain

        bad = frame.filter(pl.col("_fail").is_not_null())
        if bad.height:
            self.reject(path, bad, pick("column"), pick("value"), pick("reason"))
        return frame.filter(pl.col("_fail").is_null()).drop("_fail")

    def unique(self, path: str, frame: Any, key: str, column: str) -> Any:
        """``_Reader.unique``: a later row with the same key duplicates the first."""
        pl = self.pl
        frame = frame.with_columns(_first=pl.col("_line").min().over(key))
        again = pl.col("_line") != pl.col("_first")
        self.reject(
            path,
            frame.filter(again),
            column,
            pl.col(key),
            pl.format("duplicates line {}", pl.col("_first")),
        )
        return frame.filter(~again).drop("_first")

    def keep_if(self, path: str, frame: Any, checks: Sequence[_Check]) -> Any:
        """``_Reader.keep_if``: checks against other files, the first failure reported."""
        return self.build(path, frame, (), checks)

    def finish(self, path: str, used: int) -> None:
        counts = self.counts.get(path)
        if counts is not None:
            rejected = sum(p.filter(self.pl.col("file") == path).height for p in self.problems)
            self.counts[path] = attrs.evolve(
                counts, used=used + counts.superseded, rejected=rejected
            )


def read_extract_frames(
    folder: str | PathLike[str],
    backend: str = "polars",
    *,
    name: str | None = None,
    **options: Any,
) -> FrameReadResult:
    """Read the extract in ``folder`` into native frames of ``backend``.

    The rules and the report are :func:`~cypmh.io.readers.read_extract`'s;
    ``options`` go to :func:`~cypmh.metrics.frames.to_native` (``session``,
    ``connection``). Raises :class:`~cypmh.io.readers.ExtractError` for a
    missing folder, required file or column.

    >>> from cypmh.examples import example_area
    >>> from cypmh.io.extract import write_extract
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     result = read_extract_frames(write_extract(example_area(), tmp), "polars")
    >>> result.tables["referrals"].height, result.quality.rejected
    (5, 0)
    """
    from cypmh.metrics.frames.backends import from_arrow, polars_schema

    root = Path(folder)
    if not root.is_dir():
        raise ExtractError(f"not a folder: {root}")
    tables, quality = _read(root)
    if backend == "polars":  # already Polars: no Arrow (and no PyArrow) needed
        out = {
            name: tables[name].select(list(kinds)).cast(polars_schema(kinds))
            for name, kinds in TABLES.items()
        }
    else:
        out = from_arrow(
            {table: frame.to_arrow() for table, frame in tables.items()}, backend, **options
        )
    return FrameReadResult(tables=out, quality=quality, name=name or root.resolve().name or "area")


def _read(root: Path) -> tuple[dict[str, Any], QualityReport]:
    pl = _pl()
    r = _FrameReader(root)
    end = r.preload()

    def born_in_range(column: str) -> list[_Check]:
        """``readers.birth_problem``: from 1900 to the extract's last event."""
        born = pl.col(f"_d_{column}")
        earliest = date.fromisoformat(EARLIEST_BIRTH)
        checks = [_Check(born < earliest, column, _iso(born), _lit(f"is before {EARLIEST_BIRTH}"))]
        if isinstance(end, date):
            reason = f"is after the extract's last event ({end.isoformat()})"
            checks.append(_Check(born > end, column, _iso(born), _lit(reason)))
        return checks

    # People: MHS001MPI (readers: Child from MHS001MPI, then unique Person_ID).
    mpi = r.rows("MHS001MPI.csv")
    mpi = r.build(
        "MHS001MPI.csv",
        mpi,
        [_parsed_date("PersonBirthDate", False)],
        [
            _required("Person_ID"),
            *_date("PersonBirthDate", False),
            _pattern("Gender", _SHORT),
            _pattern("EthnicCategory", _SHORT),
            _pattern("LADistrictAuth", _SHORT),
            _pattern("LSOA2011", _SHORT),
            _pattern("OrgIDEduEstab", _URN),
        ],
    )
    mpi = r.keep_if("MHS001MPI.csv", mpi, born_in_range("PersonBirthDate"))
    mpi = r.unique("MHS001MPI.csv", mpi, "Person_ID", "Person_ID")

    # linkage.csv: the first link of each CHILD code.
    link = r.rows("linkage.csv")
    link = r.build(
        "linkage.csv",
        link,
        (),
        [
            _Check(_c("CHILD") == "", "CHILD", _lit(""), _lit("is required and empty")),
            _Check(_c("Person_ID") == "", "Person_ID", _lit(""), _lit("is required and empty")),
        ],
    )
    first_link = pl.col("_line") == pl.col("_line").min().over("CHILD")
    r.reject("linkage.csv", link.filter(~first_link), "CHILD", _c("CHILD"), _lit("is linked twice"))
    link = link.filter(first_link).select(_code=pl.col("CHILD"), _linked=pl.col("Person_ID"))
    r.finish("linkage.csv", link.height)

    def person(frame: Any) -> Any:
        """``person()``: the CHILD code, or the Person_ID it is linked to."""
        joined = frame.join(link, left_on="CHILD", right_on="_code", how="left")
        return joined.with_columns(_person=pl.coalesce(pl.col("_linked"), pl.col("CHILD"))).drop(
            "_linked"
        )

    header = r.rows("ssda903/header.csv")
    header = r.build(
        "ssda903/header.csv",
        header,
        [_parsed_date("DOB", True)],
        [
            _required("CHILD"),
            *_date("DOB", True),
            _pattern("SEX", _SHORT),
            _pattern("ETHNIC", _SHORT),
        ],
    )
    header = person(header)
    header = r.keep_if("ssda903/header.csv", header, born_in_range("DOB"))
    header = r.unique("ssda903/header.csv", header, "_person", "CHILD")
    known = mpi.select(_person=pl.col("Person_ID"), _mpi_birth=pl.col("_d_PersonBirthDate"))
    header = header.join(known, on="_person", how="left")
    header = r.keep_if(
        "ssda903/header.csv",
        header,
        [
            _Check(
                pl.col("_mpi_birth").is_not_null() & (pl.col("_mpi_birth") != pl.col("_d_DOB")),
                "DOB",
                _iso(pl.col("_d_DOB")),
                pl.format(
                    "differs from PersonBirthDate in MHS001MPI.csv ({})", _iso(pl.col("_mpi_birth"))
                ),
            )
        ],
    )
    children = pl.concat(
        [
            mpi.select(
                person_id=pl.col("Person_ID"),
                birth_date=pl.col("_d_PersonBirthDate"),
                gender=_text("Gender"),
                ethnic_category=_text("EthnicCategory"),
                la_district=_text("LADistrictAuth"),
                school_urn=_text("OrgIDEduEstab"),
            ),
            header.filter(pl.col("_mpi_birth").is_null()).select(
                person_id=pl.col("_person"),
                birth_date=pl.col("_d_DOB"),
                gender=_text("SEX"),
                ethnic_category=_text("ETHNIC"),
                la_district=pl.lit(None, pl.String),
                school_urn=pl.lit(None, pl.String),
            ),
        ]
    )
    r.finish("MHS001MPI.csv", mpi.height)
    r.finish("ssda903/header.csv", header.height)
    births = children.select(_birth_of=pl.col("birth_date"), _who=pl.col("person_id"))

    def born_by(frame: Any, who: str, day: str, column: str) -> tuple[Any, list[_Check]]:
        """``born_by``: the person exists and the day is not before their birth."""
        frame = frame.join(births, left_on=who, right_on="_who", how="left")
        return frame, [
            _Check(pl.col("_birth_of").is_null(), "Person_ID", pl.col(who), _lit(_NO_SUCH_PERSON)),
            _day_before(day, "_birth_of", column, "the child's birth date"),
        ]

    # Referrals.
    ref = r.rows("MHS101Referral.csv")
    ref = r.build(
        "MHS101Referral.csv",
        ref,
        [
            _parsed_date("ReferralRequestReceivedDate", False),
            _parsed_date("ReferRejectionDate", False),
            _parsed_date("ReferClosureDate", False),
            _parsed_date("ServDischDate", False),
        ],
        [
            _required("UniqServReqID"),
            _required("Person_ID"),
            _required("OrgIDProv"),
            *_date("ReferralRequestReceivedDate", False),
            *_code("ClinRespPriorityType", ClinicalPriority),
            *_date("ReferRejectionDate", False, required=False),
            *_code("ReferRejectReason", RejectionReason),
            *_date("ReferClosureDate", False, required=False),
            *_code("ReferClosReason", ClosureReason),
            *_date("ServDischDate", False, required=False),
            _pattern("OrgIDProv", _ODS, optional=False),
            _code_in("SourceOfReferralMH", referral_sources()),
            _code_in("PrimReasonReferralMH", referral_reasons()),
            _code_in("ServTeamType", team_types()),
            _not_before("ReferRejectionDate", "ReferralRequestReceivedDate", "received_date"),
            _requires("ReferRejectReason", "ReferRejectionDate", "rejection_date"),
            _not_before("ReferClosureDate", "ReferralRequestReceivedDate", "received_date"),
            _requires("ReferClosReason", "ReferClosureDate", "closure_date"),
            _not_before("ServDischDate", "ReferralRequestReceivedDate", "received_date"),
        ],
    )
    ref = r.unique("MHS101Referral.csv", ref, "UniqServReqID", "UniqServReqID")
    ref, checks = born_by(
        ref, "Person_ID", "_d_ReferralRequestReceivedDate", "ReferralRequestReceivedDate"
    )
    ref = r.keep_if("MHS101Referral.csv", ref, checks)
    r.finish("MHS101Referral.csv", ref.height)
    referrals = ref.select(
        referral_id=pl.col("UniqServReqID"),
        person_id=pl.col("Person_ID"),
        provider_code=pl.col("OrgIDProv"),
        received_date=pl.col("_d_ReferralRequestReceivedDate"),
        source=_text("SourceOfReferralMH"),
        priority=_text("ClinRespPriorityType"),
        primary_reason=_text("PrimReasonReferralMH"),
        team_type=_text("ServTeamType"),
        rejection_date=pl.col("_d_ReferRejectionDate"),
        rejection_reason=_text("ReferRejectReason"),
        closure_date=pl.col("_d_ReferClosureDate"),
        discharge_date=pl.col("_d_ServDischDate"),
    )
    received = ref.select(
        _rid=pl.col("UniqServReqID"),
        _ref_person=pl.col("Person_ID"),
        _received=pl.col("_d_ReferralRequestReceivedDate"),
    )

    def on_referral(frame: Any, day: str | None, column: str) -> tuple[Any, list[_Check]]:
        """``on_referral`` (or, without a day, ``assessment_fits``'s first two checks)."""
        frame = frame.join(received, left_on="UniqServReqID", right_on="_rid", how="left")
        checks = [
            _Check(
                pl.col("_ref_person").is_null(),
                "UniqServReqID",
                pl.col("UniqServReqID"),
                _lit(_NO_SUCH_REFERRAL),
            ),
            _Check(
                pl.col("_ref_person") != pl.col("Person_ID"),
                "Person_ID",
                pl.col("Person_ID"),
                pl.format("the referral is for {}", pl.col("_ref_person")),
            ),
        ]
        if day is not None:
            checks.append(_day_before(day, "_received", column, "the referral was received"))
        return frame, checks

    # Care activities: each code is checked on its own row first.
    act = r.rows("MHS202CareActivity.csv").with_columns(
        _code=pl.col("Procedure").str.split(":").list.first().str.strip_chars(_whitespace())
    )
    act = r.build(
        "MHS202CareActivity.csv",
        act,
        (),
        [
            _Check(
                ~pl.col("_code").str.contains(f"^(?:{_SNOMED[0]})$"),
                "Procedure",
                pl.col("Procedure"),
                _lit(_SNOMED[1]),
            )
        ],
    )

    con = r.rows("MHS201CareContact.csv")
    con = r.build(
        "MHS201CareContact.csv",
        con,
        [_parsed_date("CareContDate", False)],
        [
            _required("UniqCareContID"),
            _required("UniqServReqID"),
            _required("Person_ID"),
            *_date("CareContDate", False),
            *_code("AttendStatus", AttendStatus, required=True),
            _code_in("ConsMechanismMH", consultation_mechanisms()),
        ],
    )
    con = r.unique("MHS201CareContact.csv", con, "UniqCareContID", "UniqCareContID")
    con, checks = on_referral(con, "_d_CareContDate", "CareContDate")
    con, more = born_by(con, "Person_ID", "_d_CareContDate", "CareContDate")
    con = r.keep_if("MHS201CareContact.csv", con, [*checks, *more[1:]])
    kept = con.select(_cid=pl.col("UniqCareContID"))
    orphan = act.join(kept, left_on="UniqCareContID", right_on="_cid", how="anti")
    r.reject(
        "MHS202CareActivity.csv",
        orphan,
        "UniqCareContID",
        pl.col("UniqCareContID"),
        _lit("no such contact in MHS201CareContact.csv (or it was rejected)"),
    )
    act = act.join(kept, left_on="UniqCareContID", right_on="_cid", how="semi")
    r.finish("MHS201CareContact.csv", con.height)
    r.finish("MHS202CareActivity.csv", act.height)
    contacts = con.select(
        contact_id=pl.col("UniqCareContID"),
        referral_id=pl.col("UniqServReqID"),
        person_id=pl.col("Person_ID"),
        date=pl.col("_d_CareContDate"),
        attend_status=pl.col("AttendStatus"),
        consultation_mechanism=_text("ConsMechanismMH"),
    )
    procedures = act.select(contact_id=pl.col("UniqCareContID"), procedure=pl.col("_code"))

    ind = r.rows("MHS204IndirectActivity.csv").with_columns(
        _code=pl.col("IndActProcedure").str.split(":").list.first().str.strip_chars(_whitespace())
    )
    ind = r.build(
        "MHS204IndirectActivity.csv",
        ind,
        [_parsed_date("IndirectActDate", False)],
        [
            _required("UniqServReqID"),
            _required("Person_ID"),
            *_date("IndirectActDate", False),
            _Check(
                (pl.col("_code") != "") & ~pl.col("_code").str.contains(f"^(?:{_SNOMED[0]})$"),
                "IndActProcedure",
                pl.col("IndActProcedure"),
                _lit(_SNOMED[1]),
            ),
        ],
    )
    ind, checks = on_referral(ind, "_d_IndirectActDate", "IndirectActDate")
    ind, more = born_by(ind, "Person_ID", "_d_IndirectActDate", "IndirectActDate")
    ind = r.keep_if("MHS204IndirectActivity.csv", ind, [*checks, *more[1:]])
    r.finish("MHS204IndirectActivity.csv", ind.height)
    indirect = ind.select(
        referral_id=pl.col("UniqServReqID"),
        person_id=pl.col("Person_ID"),
        date=pl.col("_d_IndirectActDate"),
        procedure=_text("_code"),
    )

    # Coded assessments: the tool must be in the catalogue and the score in its range.
    tools = assessment_tools()
    ass = r.rows("MHS606CodedScoreAssessmentRefer.csv")
    score = pl.col("PersScore")
    tool = pl.col("CodedAssToolType")
    low = tool.replace_strict(
        {code: t.min_score for code, t in tools.items()}, default=None, return_dtype=pl.Float64
    )
    high = tool.replace_strict(
        {code: t.max_score for code, t in tools.items()}, default=None, return_dtype=pl.Float64
    )
    ass = r.build(
        "MHS606CodedScoreAssessmentRefer.csv",
        ass,
        [
            pl.when(score.str.contains(f"^(?:{_FLOAT})$"))
            .then(score.str.replace_all("_", "", literal=True).cast(pl.Float64, strict=False))
            .alias("_score"),
            _parsed_date("AssToolCompDate", False),
        ],
        [
            _required("UniqServReqID"),
            _required("Person_ID"),
            _required("CodedAssToolType"),
            _required("PersScore"),
            _Check(pl.col("_score").is_null(), "PersScore", score, _lit("not a number")),
            *_date("AssToolCompDate", False),
            _pattern("CodedAssToolType", _SNOMED, optional=False),
            _Check(
                ~tool.is_in(list(tools)),
                "CodedAssToolType",
                tool,
                _lit("not a code in the assessment_tools list"),
            ),
            _Check(
                ~pl.col("_score").is_finite(), "PersScore", score, _lit("must be a finite number")
            ),
            _Check(
                (pl.col("_score") < low) | (pl.col("_score") > high),
                "PersScore",
                score,
                tool.replace_strict(
                    {
                        code: f"must be from {t.min_score:g} to {t.max_score:g} for {t.scale}"
                        for code, t in tools.items()
                    },
                    default=None,
                    return_dtype=pl.String,
                ),
            ),
        ],
    )
    ass, checks = on_referral(ass, None, "")
    ass, more = born_by(ass, "Person_ID", "_d_AssToolCompDate", "AssToolCompDate")
    ass = r.keep_if("MHS606CodedScoreAssessmentRefer.csv", ass, [*checks, *more[1:]])
    r.finish("MHS606CodedScoreAssessmentRefer.csv", ass.height)
    assessments = ass.select(
        referral_id=pl.col("UniqServReqID"),
        person_id=pl.col("Person_ID"),
        tool_code=tool,
        score=pl.col("_score"),
        date=pl.col("_d_AssToolCompDate"),
    )

    # Care plans, then their agreements (MHS009).
    plan = r.rows("MHS008CarePlanType.csv")
    plan = r.build(
        "MHS008CarePlanType.csv",
        plan,
        [_parsed_date("CarePlanCreatDate", False), _parsed_date("CarePlanLastUpdateDate", False)],
        [
            _required("UniqCarePlanID"),
            _required("Person_ID"),
            _required("CarePlanTypeMH"),
            *_date("CarePlanCreatDate", False),
            *_date("CarePlanLastUpdateDate", False, required=False),
            _pattern("CarePlanTypeMH", _SHORT, optional=False),
            _not_before("CarePlanLastUpdateDate", "CarePlanCreatDate", "created"),
        ],
    )
    plan = r.unique("MHS008CarePlanType.csv", plan, "UniqCarePlanID", "UniqCarePlanID")
    plan, checks = born_by(plan, "Person_ID", "_d_CarePlanCreatDate", "CarePlanCreatDate")
    plan = r.keep_if("MHS008CarePlanType.csv", plan, checks)
    r.finish("MHS008CarePlanType.csv", plan.height)

    # MHS009: every agreement of a known plan, with a good date or none, is kept.
    created = pl.col("_d_CarePlanCreatDate")
    agree = r.rows("MHS009CarePlanAgreement.csv").join(
        plan.select(_pid=pl.col("UniqCarePlanID"), _d_CarePlanCreatDate=created),
        left_on="UniqCarePlanID",
        right_on="_pid",
        how="left",
    )
    agree = r.build(
        "MHS009CarePlanAgreement.csv",
        agree.with_columns(_parsed_date("CarePlanAgreedDate", False)),
        (),
        [
            _Check(
                created.is_null(),
                "UniqCarePlanID",
                pl.col("UniqCarePlanID"),
                _lit("no such care plan in MHS008CarePlanType.csv (or it was rejected)"),
            ),
            *_date("CarePlanAgreedDate", False, required=False),
            _not_before("CarePlanAgreedDate", "CarePlanCreatDate", "created"),
        ],
    )
    r.finish("MHS009CarePlanAgreement.csv", agree.height)
    care_plans = plan.select(
        care_plan_id=pl.col("UniqCarePlanID"),
        person_id=pl.col("Person_ID"),
        plan_type=pl.col("CarePlanTypeMH"),
        created=pl.col("_d_CarePlanCreatDate"),
        last_updated=pl.col("_d_CarePlanLastUpdateDate"),
    )
    care_plan_agreements = agree.select(
        care_plan_id=pl.col("UniqCarePlanID"), date=pl.col("_d_CarePlanAgreedDate")
    )

    # Social care: every record's child must be known, and born by the record's date.
    def child_fits(frame: Any, day: str | None, column: str) -> tuple[Any, list[_Check]]:
        frame = frame.join(births, left_on="_person", right_on="_who", how="left")
        checks = [
            _Check(pl.col("_birth_of").is_null(), "CHILD", pl.col("_person"), _lit(_NO_SUCH_CHILD))
        ]
        if day is not None:
            checks.append(_day_before(day, "_birth_of", column, "the child's birth date"))
        return frame, checks

    epi = r.rows("ssda903/episodes.csv")
    epi = r.build(
        "ssda903/episodes.csv",
        epi,
        [_parsed_date("DECOM", True), _parsed_date("DEC", True)],
        [
            _required("CHILD"),
            *_date("DECOM", True),
            *_date("DEC", True, required=False),
            _not_before("DEC", "DECOM", "start"),
            _pattern("LS", _SHORT),
            _pattern("PLACE", _SHORT),
            _pattern("RNE", _SHORT),
            _pattern("CIN", _SHORT),
            _pattern("REC", _SHORT),
            _requires("REC", "DEC", "end"),
        ],
    )
    epi, checks = child_fits(person(epi), "_d_DECOM", "DECOM")
    epi = r.keep_if("ssda903/episodes.csv", epi, checks)
    r.finish("ssda903/episodes.csv", epi.height)
    episodes = epi.select(
        person_id=pl.col("_person"), start=pl.col("_d_DECOM"), end=pl.col("_d_DEC")
    )

    sdq = r.rows("ssda903/oc2.csv")
    sdq_score = pl.col("SDQ_SCORE")
    whole = sdq_score.str.contains(r"^-?[0-9]+$")
    sdq = r.build(
        "ssda903/oc2.csv",
        sdq.with_columns(_score=pl.when(whole).then(sdq_score.cast(pl.Int64, strict=False))),
        (),
        [
            _required("CHILD"),
            _Check((sdq_score != "") & ~whole, "SDQ_SCORE", sdq_score, _lit("not a whole number")),
            *_code("SDQ_REASON", SdqReason),
            _Check(
                (sdq_score != "") & ~pl.col("_score").is_between(0, 40).fill_null(False),
                "SDQ_SCORE",
                sdq_score,
                _lit("must be a whole number from 0 to 40"),
            ),
            _Check(
                (sdq_score == "") == (pl.col("SDQ_REASON") == ""),
                "SDQ_SCORE",
                pl.when(sdq_score != "").then(sdq_score).otherwise(pl.lit("None")),
                _lit("exactly one of score and reason must be given"),
            ),
        ],
    )
    sdq = r.unique("ssda903/oc2.csv", person(sdq), "_person", "CHILD")
    sdq, checks = child_fits(sdq, None, "CHILD")
    sdq = r.keep_if("ssda903/oc2.csv", sdq, checks)
    r.finish("ssda903/oc2.csv", sdq.height)
    sdq_returns = sdq.select(
        person_id=pl.col("_person"), score=pl.col("_score"), reason=_text("SDQ_REASON")
    )

    soc = r.rows("ssda903/social_work.csv")
    soc = r.build(
        "ssda903/social_work.csv",
        soc,
        [_parsed_date("START", True), _parsed_date("END", True)],
        [
            _required("CHILD"),
            *_code("STATUS", SocialWorkType, required=True),
            *_date("START", True),
            *_date("END", True, required=False),
            _not_before("END", "START", "start"),
        ],
    )
    soc, checks = child_fits(person(soc), "_d_START", "START")
    soc = r.keep_if("ssda903/social_work.csv", soc, checks)
    r.finish("ssda903/social_work.csv", soc.height)
    social_work = soc.select(
        person_id=pl.col("_person"),
        kind=pl.col("STATUS"),
        start=pl.col("_d_START"),
        end=pl.col("_d_END"),
    )

    wel = r.rows("ssda903/mh_assessments.csv")
    wel = r.build(
        "ssda903/mh_assessments.csv",
        wel,
        [_parsed_date("ASSESSMENT_DATE", True)],
        [_required("CHILD"), *_date("ASSESSMENT_DATE", True)],
    )
    wel, checks = child_fits(person(wel), "_d_ASSESSMENT_DATE", "ASSESSMENT_DATE")
    wel = r.keep_if("ssda903/mh_assessments.csv", wel, checks)
    r.finish("ssda903/mh_assessments.csv", wel.height)
    wellbeing = wel.select(person_id=pl.col("_person"), date=pl.col("_d_ASSESSMENT_DATE"))

    # Schools, and the link contacts of known schools.
    sch = r.rows("schools/schools.csv")
    sch = r.build(
        "schools/schools.csv",
        sch,
        (),
        [_required("URN"), _required("NAME"), _pattern("URN", _URN, optional=False)],
    )
    sch = r.unique("schools/schools.csv", sch, "URN", "URN")
    r.finish("schools/schools.csv", sch.height)
    lnk = r.rows("schools/link_contacts.csv")
    lnk = r.build(
        "schools/link_contacts.csv",
        lnk,
        [_parsed_date("START", False), _parsed_date("END", False)],
        [
            _required("URN"),
            _required("OrgIDProv"),
            *_date("START", False),
            *_date("END", False, required=False),
            _pattern("URN", _URN, optional=False),
            _pattern("OrgIDProv", _ODS, optional=False),
            _not_before("END", "START", "start"),
        ],
    )
    lnk = lnk.join(
        sch.select(_urn=pl.col("URN")), left_on="URN", right_on="_urn", how="left", coalesce=False
    )
    lnk = r.keep_if(
        "schools/link_contacts.csv",
        lnk,
        [
            _Check(
                pl.col("_urn").is_null(),
                "URN",
                pl.col("URN"),
                _lit("no such school in schools/schools.csv"),
            )
        ],
    )
    r.finish("schools/link_contacts.csv", lnk.height)
    link_contacts = lnk.select(
        school_urn=pl.col("URN"),
        provider_code=pl.col("OrgIDProv"),
        school_lead_role=_text("SCHOOL_LEAD_ROLE"),
        camhs_contact_role=_text("CAMHS_CONTACT_ROLE"),
        start=pl.col("_d_START"),
        end=pl.col("_d_END"),
    )

    tables = {
        "children": children,
        "referrals": referrals,
        "contacts": contacts,
        "contact_procedures": procedures,
        "indirect_activities": indirect,
        "assessments": assessments,
        "care_plans": care_plans,
        "care_plan_agreements": care_plan_agreements,
        "care_episodes": episodes,
        "social_work": social_work,
        "sdq_returns": sdq_returns,
        "wellbeing_assessments": wellbeing,
        "schools": sch.select(urn=pl.col("URN")),
        "link_contacts": link_contacts,
    }
    return tables, _report(r)


def _report(r: _FrameReader) -> QualityReport:
    pl = r.pl
    order = {f.path: i for i, f in enumerate(FILES)}
    found = (
        pl.concat([p.select(_PROBLEM_COLUMNS) for p in r.problems]) if r.problems else _problems([])
    )
    found = found.with_columns(_order=pl.col("file").replace_strict(order, return_dtype=pl.Int64))
    found = found.sort(["_order", "line"])
    problems = tuple(
        Problem(file=f, line=line, column=c, value=v, reason=why)
        for f, line, c, v, why in found.select(_PROBLEM_COLUMNS).iter_rows()
    )
    files = {f.path: r.counts[f.path] for f in FILES if f.path in r.counts}
    return QualityReport(files=files, problems=problems, warnings=ordered_warnings(r.warnings))
