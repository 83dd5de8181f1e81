"""People: ``MHS001MPI.csv``, ``linkage.csv`` and the SSDA903 ``header.csv``.

The rules, in the order both readers apply them:

- MPI rows make children (the model's rules), born from 1900 to the
  extract's last event (:func:`birth_problem`), one row per ``Person_ID``;
- ``linkage.csv`` links an SSDA903 ``CHILD`` code to a ``Person_ID``: both
  are required, and the first link of a code is used;
- header rows make children too (``CHILD`` read through the linkage), by the
  same birth rule, one per person, and a child known to the MPI must have the
  MPI's birth date; the others join the area's children, their ``SEX`` in
  either SSDA903 coding read as the MHSDS Gender code (:func:`ssda903_sex`).

Each rule is written for the reference reader (:func:`records`) and beside it
for the frame reader (:func:`frames`). The helpers later files use (who a
``CHILD`` is, whether a person exists and was born by a day) are here too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from cypmh.io import reasons
from cypmh.io.contract import EARLIEST_BIRTH
from cypmh.io.frame_checks import (
    SHORT,
    URN,
    Check,
    c,
    date_checks,
    day_before,
    iso,
    lit,
    parsed_date,
    pattern,
    required_cell,
    text,
)
from cypmh.io.rows import Row
from cypmh.model import Child

if TYPE_CHECKING:
    from cypmh.io.frame_reader import FrameReader
    from cypmh.io.record_reader import RecordReader

__all__ = [
    "SSDA903_SEX",
    "birth_problem",
    "born_by",
    "born_by_frames",
    "child_fits",
    "child_fits_frames",
    "frames",
    "person",
    "records",
    "ssda903_sex",
]

Failure = tuple[str, object, str] | None
"""What a cross-file check returns: ``None``, or the (column, value, reason) to reject."""

CHILD_COLUMNS = {
    "person_id": "Person_ID",
    "birth_date": "PersonBirthDate",
    "gender": "Gender",
    "ethnic_category": "EthnicCategory",
    "la_district": "LADistrictAuth",
    "lsoa": "LSOA2011",
    "lsoa2021": "LSOA2021",
    "school_urn": "OrgIDEduEstab",
}
HEADER_COLUMNS = {
    "person_id": "CHILD",
    "birth_date": "DOB",
    "gender": "SEX",
    "ethnic_category": "ETHNIC",
}


def birth_problem(column: str, born: date, end: date | None) -> Failure:
    """Why a birth date cannot be true: before 1900, or after the extract's end."""
    if born < date.fromisoformat(EARLIEST_BIRTH):
        return (column, born.isoformat(), reasons.BIRTH_BEFORE.format(EARLIEST_BIRTH))
    if end is not None and born > end:
        return (column, born.isoformat(), reasons.BIRTH_AFTER_END.format(end))
    return None


def born_in_range_frames(r: FrameReader, column: str) -> list[Check]:
    """:func:`birth_problem`, for the frame reader."""
    born = r.pl.col(f"_d_{column}")
    earliest = date.fromisoformat(EARLIEST_BIRTH)
    checks = [
        Check(born < earliest, column, iso(born), lit(reasons.BIRTH_BEFORE.format(EARLIEST_BIRTH)))
    ]
    if isinstance(r.end, date):
        reason = reasons.BIRTH_AFTER_END.format(r.end.isoformat())
        checks.append(Check(born > r.end, column, iso(born), lit(reason)))
    return checks


def person(r: RecordReader, child_code: str) -> str:
    """The person a ``CHILD`` code is: its ``Person_ID`` in ``linkage.csv``, else the code."""
    return r.linkage.get(child_code, child_code)


def person_frames(r: FrameReader, frame: Any) -> Any:
    """:func:`person`, for the frame reader: ``frame`` with the column ``_person``."""
    pl = r.pl
    joined = frame.join(r.link, left_on="CHILD", right_on="_code", how="left")
    return joined.with_columns(_person=pl.coalesce(pl.col("_linked"), pl.col("CHILD"))).drop(
        "_linked"
    )


def born_by(r: RecordReader, pid: str, day: date, column: str) -> Failure:
    """The person exists (MPI or header), and ``day`` is not before their birth."""
    child = r.children.get(pid)
    if child is None:
        return ("Person_ID", pid, reasons.NO_SUCH_PERSON)
    if day < child.birth_date:
        return (column, day.isoformat(), reasons.BEFORE_BIRTH.format(child.birth_date))
    return None


def born_by_frames(
    r: FrameReader, frame: Any, who: str, day: str, column: str
) -> tuple[Any, list[Check]]:
    """:func:`born_by`, for the frame reader: ``frame`` joined to the births, and the checks."""
    pl = r.pl
    frame = r.look_up(frame, who, r.births, "_who")
    return frame, [
        Check(pl.col("_birth_of").is_null(), "Person_ID", pl.col(who), lit(reasons.NO_SUCH_PERSON)),
        day_before(day, "_birth_of", column, reasons.BEFORE_BIRTH),
    ]


def child_fits(r: RecordReader, pid: str, day: date | None, column: str) -> Failure:
    """The child is known; ``day`` (if any) is not before their birth."""
    if pid not in r.children:
        return ("CHILD", pid, reasons.NO_SUCH_CHILD)
    return None if day is None else born_by(r, pid, day, column)


def child_fits_frames(
    r: FrameReader, frame: Any, day: str | None, column: str
) -> tuple[Any, list[Check]]:
    """:func:`child_fits`, for the frame reader (``frame`` has ``_person``)."""
    pl = r.pl
    frame = r.look_up(frame, "_person", r.births, "_who")
    checks = [
        Check(pl.col("_birth_of").is_null(), "CHILD", pl.col("_person"), lit(reasons.NO_SUCH_CHILD))
    ]
    if day is not None:
        checks.append(day_before(day, "_birth_of", column, reasons.BEFORE_BIRTH))
    return frame, checks


# The reference reader.


SSDA903_SEX: dict[str, str | None] = {"M": "1", "F": "2", "U": None}
"""The SSDA903 ``SEX`` codes of 2024-25 on (``M``, ``F``, ``U``) in the MHSDS Gender codes
that the years before use (``1`` male, ``2`` female); ``U`` (not known) is not recorded.
Both codings are read in any year (the sector validator ties each to its years: its
``lac_validator/rules/lac2024_25/rule_101.py`` accepts ``M``, ``F`` and ``U``, the earlier
years' rule 101 ``1`` and ``2``)."""


def ssda903_sex(value: str | None) -> str | None:
    """An SSDA903 ``SEX`` code as an MHSDS Gender code (:data:`SSDA903_SEX`; others kept).

    >>> [ssda903_sex(v) for v in ("M", "F", "U", "1", "2", None)]
    ['1', '2', None, '1', '2', None]
    """
    return SSDA903_SEX.get(value, value) if value is not None else None


def records(r: RecordReader) -> None:
    """Read the three files into ``r.children`` and ``r.linkage``."""
    mpi = _children(
        r,
        "MHS001MPI.csv",
        lambda c: Child(
            person_id=c.required("Person_ID"),
            birth_date=c.day("PersonBirthDate"),
            gender=c.text("Gender"),
            ethnic_category=c.text("EthnicCategory"),
            la_district=c.text("LADistrictAuth"),
            lsoa=c.text("LSOA2011"),
            lsoa2021=c.text("LSOA2021"),
            school_urn=c.text("OrgIDEduEstab"),
        ),
        CHILD_COLUMNS,
    )
    _linkage(r)
    r.children = {ch.person_id: ch for _, ch in mpi}
    header = _children(
        r,
        "ssda903/header.csv",
        lambda c: Child(
            person_id=person(r, c.required("CHILD")),
            birth_date=c.day("DOB"),
            gender=ssda903_sex(c.text("SEX")),
            ethnic_category=c.text("ETHNIC"),
        ),
        HEADER_COLUMNS,
    )
    header = r.keep_if("ssda903/header.csv", header, lambda ch: _header_fits(r, ch))
    for _, ch in header:
        r.children.setdefault(ch.person_id, ch)
    r.finish("MHS001MPI.csv", len(mpi))
    r.finish("ssda903/header.csv", len(header))
    r.records["children"] = tuple(r.children.values())


def _children(
    r: RecordReader, path: str, make: Callable[[Row], Child], columns: dict[str, str]
) -> list[tuple[int, Child]]:
    """Children from ``path``'s rows: built, born from 1900 to the end, one per person."""
    built = r.build(path, r.rows(path), make, columns)
    born = columns["birth_date"]
    kept = r.keep_if(path, built, lambda child: birth_problem(born, child.birth_date, r.end))
    return r.unique(path, kept, lambda child: child.person_id, columns["person_id"])


def _linkage(r: RecordReader) -> None:
    for row in r.rows("linkage.csv"):
        code, pid = row.get("CHILD"), row.get("Person_ID")
        if not code or not pid:
            column = "CHILD" if not code else "Person_ID"
            r.reject("linkage.csv", row.line, column, "", reasons.REQUIRED)
        elif code in r.linkage:
            r.reject("linkage.csv", row.line, "CHILD", code, reasons.LINKED_TWICE)
        else:
            r.linkage[code] = pid
    r.finish("linkage.csv", len(r.linkage))


def _header_fits(r: RecordReader, ch: Child) -> Failure:
    known = r.children.get(ch.person_id)
    if known is not None and known.birth_date != ch.birth_date:
        return ("DOB", ch.birth_date.isoformat(), reasons.DOB_DIFFERS.format(known.birth_date))
    return None


# The frame reader.


def frames(r: FrameReader) -> None:
    """Read the three files into ``r.tables["children"]``, ``r.link`` and ``r.births``."""
    pl = r.pl
    mpi = r.build(
        "MHS001MPI.csv",
        r.rows("MHS001MPI.csv"),
        [parsed_date("PersonBirthDate", False)],
        [
            required_cell("Person_ID"),
            *date_checks("PersonBirthDate", False),
            pattern("Gender", SHORT),
            pattern("EthnicCategory", SHORT),
            pattern("LADistrictAuth", SHORT),
            pattern("LSOA2011", SHORT),
            pattern("LSOA2021", SHORT),
            pattern("OrgIDEduEstab", URN),
        ],
    )
    mpi = r.keep_if("MHS001MPI.csv", mpi, born_in_range_frames(r, "PersonBirthDate"))
    mpi = r.unique("MHS001MPI.csv", mpi, "Person_ID", "Person_ID")
    _linkage_frames(r)
    header = _header_frames(r, mpi)
    children = pl.concat(
        [
            mpi.select(
                person_id=pl.col("Person_ID"),
                birth_date=pl.col("_d_PersonBirthDate"),
                gender=text("Gender"),
                ethnic_category=text("EthnicCategory"),
                la_district=text("LADistrictAuth"),
                lsoa=text("LSOA2011"),
                lsoa2021=text("LSOA2021"),
                school_urn=text("OrgIDEduEstab"),
            ),
            header.filter(pl.col("_mpi_birth").is_null()).select(
                person_id=pl.col("_person"),
                birth_date=pl.col("_d_DOB"),
                gender=text("SEX").replace(SSDA903_SEX),
                ethnic_category=text("ETHNIC"),
                la_district=pl.lit(None, pl.String),
                lsoa=pl.lit(None, pl.String),
                lsoa2021=pl.lit(None, pl.String),
                school_urn=pl.lit(None, pl.String),
            ),
        ]
    )
    r.finish("MHS001MPI.csv", mpi.height)
    r.finish("ssda903/header.csv", header.height)
    r.tables["children"] = children
    r.births = children.select(_birth_of=pl.col("birth_date"), _who=pl.col("person_id"))


def _linkage_frames(r: FrameReader) -> None:
    pl = r.pl
    link = r.build(
        "linkage.csv",
        r.rows("linkage.csv"),
        (),
        [
            Check(c("CHILD") == "", "CHILD", lit(""), lit(reasons.REQUIRED)),
            Check(c("Person_ID") == "", "Person_ID", lit(""), lit(reasons.REQUIRED)),
        ],
    )
    first_link = pl.col("_line") == pl.col("_line").min().over("CHILD")
    r.reject(
        "linkage.csv", link.filter(~first_link), "CHILD", c("CHILD"), lit(reasons.LINKED_TWICE)
    )
    r.link = link.filter(first_link).select(_code=pl.col("CHILD"), _linked=pl.col("Person_ID"))
    r.finish("linkage.csv", r.link.height)


def _header_frames(r: FrameReader, mpi: Any) -> Any:
    pl = r.pl
    header = r.build(
        "ssda903/header.csv",
        r.rows("ssda903/header.csv"),
        [parsed_date("DOB", True)],
        [
            required_cell("CHILD"),
            *date_checks("DOB", True),
            pattern("SEX", SHORT),
            pattern("ETHNIC", SHORT),
        ],
    )
    header = person_frames(r, header)
    header = r.keep_if("ssda903/header.csv", header, born_in_range_frames(r, "DOB"))
    header = r.unique("ssda903/header.csv", header, "_person", "CHILD")
    known = mpi.select(_person=pl.col("Person_ID"), _mpi_birth=pl.col("_d_PersonBirthDate"))
    header = header.join(known, on="_person", how="left")
    differs = pl.col("_mpi_birth").is_not_null() & (pl.col("_mpi_birth") != pl.col("_d_DOB"))
    return r.keep_if(
        "ssda903/header.csv",
        header,
        [
            Check(
                differs,
                "DOB",
                iso(pl.col("_d_DOB")),
                pl.format(reasons.DOB_DIFFERS, iso(pl.col("_mpi_birth"))),
            )
        ],
    )
