"""THRIVE groupings: ``thrive.csv``.

Rows make THRIVE grouping records: a known person, a grouping's label
(``GROUPING``, read as ``Grouping.parse`` reads it: case, spaces, hyphens,
underscores and ``&`` forgiven, and the short names "Getting Advice",
"Getting Additional Help" and "Risk Support"), the date it applies from
(``DATE``, not before the child's birth) and ``STATUS``: ``agreed`` with the
child and family, or ``suggested``. ``UniqServReqID``, where given, must be a
kept referral of the same person, received on or before ``DATE``. One agreed
and one suggested grouping per child and day: a second row of the same status
for a child on a day is rejected, whatever its grouping.

The grouping in force on a date is the latest dated on or before it, and an
agreed grouping always wins: a suggestion counts only while the child has no
agreed grouping, and is counted apart (``Getting Help (suggested)``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from cypmh.codes.groupings import NOT_A_GROUPING, Grouping
from cypmh.errors import InvalidValueError
from cypmh.io.frame_checks import Check, date_checks, iso, lit, parsed_date, required_cell
from cypmh.io.rows import Row, RowError
from cypmh.io.rules.people import born_by, born_by_frames
from cypmh.io.rules.referrals import on_referral, on_referral_frames
from cypmh.model import GroupingRecord, GroupingSource

if TYPE_CHECKING:
    from cypmh.io.frame_reader import FrameReader
    from cypmh.io.record_reader import RecordReader

__all__ = ["frames", "records"]

T = TypeVar("T")

FILE = "thrive.csv"

COLUMNS = {
    "person_id": "Person_ID",
    "grouping": "GROUPING",
    "from_date": "DATE",
    "source": "STATUS",
    "referral_id": "UniqServReqID",
}

NOT_A_STATUS = "must be 'agreed' (with the child and family) or 'suggested'"
"""The reason a ``STATUS`` is refused."""

SECOND_OF_DAY = "a second {} grouping for this child on this day (line {})"
"""A row repeats a child's day and status (the status, and the earlier row's line)."""


def _parsed(row: Row, column: str, parse: Callable[[str], T], reason: str) -> T:
    """The required cell of ``column`` read by ``parse``; its refusal is the row's ``reason``."""
    cell = row.required(column)
    try:
        return parse(cell)
    except InvalidValueError:
        raise RowError(column, cell, reason) from None


def records(r: RecordReader) -> None:
    """Read the grouping records into ``r.records["groupings"]``."""
    built = r.build(
        FILE,
        r.rows(FILE),
        lambda c: GroupingRecord(
            person_id=c.required("Person_ID"),
            grouping=_parsed(c, "GROUPING", Grouping.parse, NOT_A_GROUPING),
            from_date=c.day("DATE"),
            source=_parsed(c, "STATUS", GroupingSource.parse, NOT_A_STATUS),
            referral_id=c.text("UniqServReqID"),
        ),
        COLUMNS,
    )
    built = r.keep_if(
        FILE,
        built,
        lambda g: (
            born_by(r, g.person_id, g.from_date, "DATE")
            if g.referral_id is None
            else on_referral(r, g.referral_id, g.person_id, g.from_date, "DATE")
        ),
    )
    first: dict[tuple[str, object, GroupingSource], int] = {}
    kept = []
    for line, record in built:
        key = (record.person_id, record.from_date, record.source)
        if key in first:
            reason = SECOND_OF_DAY.format(record.source.value, first[key])
            r.reject(FILE, line, "DATE", record.from_date.isoformat(), reason)
        else:
            first[key] = line
            kept.append(record)
    r.finish(FILE, len(kept))
    r.records["groupings"] = tuple(kept)


def frames(r: FrameReader) -> None:
    """Read the grouping records into ``r.tables["groupings"]``."""
    pl = r.pl
    label = (
        pl.col("GROUPING")
        .str.replace_all("&", " and ", literal=True)
        .str.replace_all(r"[\s_\-]+", " ")
        .str.strip_chars()
        .str.to_lowercase()
        .replace_strict(
            {key: g.value for key, g in Grouping.aliases().items()},
            default=None,
            return_dtype=pl.String,
        )
    )
    status = pl.col("STATUS").str.strip_chars().str.to_lowercase()
    rows = r.build(
        FILE,
        r.rows(FILE),
        [
            label.alias("_grouping"),
            pl.when(status.is_in([s.value for s in GroupingSource])).then(status).alias("_status"),
            parsed_date("DATE", False),
        ],
        [
            required_cell("Person_ID"),
            required_cell("GROUPING"),
            Check(
                pl.col("_grouping").is_null(), "GROUPING", pl.col("GROUPING"), lit(NOT_A_GROUPING)
            ),
            *date_checks("DATE", False),
            required_cell("STATUS"),
            Check(pl.col("_status").is_null(), "STATUS", pl.col("STATUS"), lit(NOT_A_STATUS)),
        ],
    )
    given = pl.col("UniqServReqID") != ""
    rows, checks = on_referral_frames(r, rows, "_d_DATE", "DATE")
    rows, more = born_by_frames(r, rows, "Person_ID", "_d_DATE", "DATE")
    rows = r.keep_if(FILE, rows, [*(_if(given, c) for c in checks), *more])
    rows = rows.with_columns(_first=pl.col("_line").min().over("Person_ID", "_d_DATE", "_status"))
    again = pl.col("_line") != pl.col("_first")
    r.reject(
        FILE,
        rows.filter(again),
        "DATE",
        iso(pl.col("_d_DATE")),
        pl.format(SECOND_OF_DAY, pl.col("_status"), pl.col("_first")),
    )
    rows = rows.filter(~again)
    r.finish(FILE, rows.height)
    r.tables["groupings"] = rows.select(
        person_id=pl.col("Person_ID"),
        grouping=pl.col("_grouping"),
        from_date=pl.col("_d_DATE"),
        source=pl.col("_status"),
        referral_id=pl.when(given).then(pl.col("UniqServReqID")),
    )


def _if(condition: object, check: Check) -> Check:
    """``check``, failing only where ``condition`` holds."""
    return Check(condition & check.fail, check.column, check.value, check.reason)
