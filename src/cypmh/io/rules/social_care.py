"""Social care: the SSDA903 files ``episodes``, ``social_work`` and ``mh_assessments``.

Every record's ``CHILD`` is read through the linkage
(:func:`~cypmh.io.rules.people.person`), must be a known child (MPI or
header), and its date must not be before the child's birth
(:func:`child_fits`). Besides the model's rules: an episode's end not before
its start (a reason ceased without an end is flagged and the episode read as
open, as the sector validator's rule 148 does: :func:`ceased_warnings`).
Codes are read in upper case (``FileSpec.code_columns``), and the DfE's other
columns of each file are ignored. ``oc2.csv`` has rules of its own
(:mod:`cypmh.io.rules.sdq`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cypmh.codes import SocialWorkType
from cypmh.codes.cin import assessment_factors
from cypmh.codes.ssda903 import (
    code_fits,
    collection_year,
    earliest_year,
    episode_codes,
    field_rule,
    year_name,
)
from cypmh.io.contract import FILES
from cypmh.io.frame_checks import (
    SHORT,
    Check,
    code_checks,
    date_checks,
    lit,
    not_before,
    parsed_date,
    required_cell,
)
from cypmh.io.rows import Row, RowError, missing
from cypmh.io.rules import sdq
from cypmh.io.rules.people import child_fits, child_fits_frames, person, person_frames
from cypmh.model import AssessmentFactor, CareEpisode, SocialWorkInvolvement, WellbeingAssessment

if TYPE_CHECKING:
    from cypmh.io.frame_reader import FrameReader
    from cypmh.io.record_reader import RecordReader

__all__ = ["frames", "records"]

EPISODES = "ssda903/episodes.csv"
SOCIAL_WORK = "ssda903/social_work.csv"
MH_ASSESSMENTS = "ssda903/mh_assessments.csv"
FACTORS = "ssda903/assessment_factors.csv"
_NOT_A_FACTOR = "not a child-in-need assessment factor code (the CIN census's AssessmentFactors)"

EPISODE_COLUMNS = {
    "person_id": "CHILD",
    "start": "DECOM",
    "end": "DEC",
    "reason_new_episode": "RNE",
    "legal_status": "LS",
    "category_of_need": "CIN",
    "placement": "PLACE",
    "reason_ceased": "REC",
}


def ceased_warnings(reason_alone: list[int], date_alone: list[int]) -> list[str]:
    """The warnings of the sector validator's rule 148, from the lines that break each half.

    Rule 148 ("Date episode ceased and reason episode ceased must both be coded,
    or both left blank", ``lac_validator/rules/lac2022_23/rule_148.py``) flags
    the row and keeps it. So does cypmh: an episode with a reason ceased
    (``REC``) but no date ceased (``DEC``) is read as open, its ``REC`` left
    out; one with a ``DEC`` and no ``REC`` is read as it is.
    """
    said = []
    for lines, what in (
        (reason_alone, "a reason ceased (REC) but no date ceased (DEC); read as open episodes"),
        (date_alone, "a date ceased (DEC) but no reason ceased (REC); read as ended episodes"),
    ):
        if lines:
            said.append(
                f"{EPISODES}: {len(lines)} row(s) have {what}, as the sector validator's rule "
                f"148 flags and keeps them (first at line {min(lines)})"
            )
    return said


CODE_COLUMNS = ("RNE", "LS", "CIN", "PLACE", "REC")
"""The episode's codes: a cell that is not a code at all is left out, and the episode read."""

_CODE = re.compile(SHORT[0])


def code_warnings(malformed: Mapping[str, list[int]]) -> list[str]:
    """A warning per episode code column with cells that are not codes (1 to 10 letters or digits).

    The sector validator's code rules (143 for RNE, 145 for CIN, 149 for REC, and
    those of LS and PLACE) flag such a row and keep it; cypmh reads the episode
    without that code.
    """
    return [
        f"{EPISODES}: {len(lines)} row(s) have a {column} that is not a code (1 to 10 letters "
        f"or digits), first at line {min(lines)}; read without it, as the sector validator's "
        "code rules flag and keep them"
        for column, lines in malformed.items()
        if lines
    ]


def year_code_warnings(flagged: Mapping[str, list[tuple[int, str, int, int]]]) -> list[str]:
    """A warning per episode field with codes its collection years do not list.

    ``flagged`` holds, per field, each kept episode whose code
    :func:`~cypmh.codes.ssda903.code_fits` none of the collection years it
    covers: (line, code, first year, last year). An episode covers the years of
    its start to its end, or to the end of the file's collection year while it
    is open (:func:`~cypmh.io.rules.sdq.collection_year_end`). The sector
    validator's code rules flag such a row and keep it; so does cypmh, reading
    the code as given.
    """
    said = []
    for column, hits in flagged.items():
        if not hits:
            continue
        line, code, first, last = min(hits)
        years = year_name(first) if first == last else f"{year_name(first)} to {year_name(last)}"
        said.append(
            f"{EPISODES}: {len(hits)} row(s) have a {column} code that the DfE's list does not "
            f"hold for the collection year(s) the episode covers (first at line {line}: {code} "
            f"in {years}); read as given, as the sector validator's rule {field_rule(column)} "
            "flags and keeps them"
        )
    return said


def _years(start: date, end: date | None) -> tuple[int, int]:
    """The collection years from ``start`` to ``end`` (an open episode's file's year end)."""
    return collection_year(start), collection_year(end or start)


def unread_files(folder: Path) -> list[str]:
    """A warning naming each file in ``ssda903/`` that cypmh does not read.

    The DfE's return has more tables than cypmh's metrics need (``ad1``,
    ``missing``, ``reviews``, ``oc3``, ``uasc``, and from 2026-27 the deprivation
    of liberty table ``DoLo``, among others). A council that exports them all
    is told which are left, so that nothing is passed over without a word.
    """
    here = folder / "ssda903"
    if not here.is_dir():
        return []
    read = {f.path for f in FILES if f.path.startswith("ssda903/")}
    names = ", ".join(p.removeprefix("ssda903/") for p in sorted(read))
    return [
        f"ssda903/{name}: not read: not a file cypmh reads (in ssda903/ it reads {names})"
        for name in sorted(os.listdir(here))
        if f"ssda903/{name}" not in read
    ]


# The reference reader.


def records(r: RecordReader) -> None:
    """Read the three files into ``r.records``."""
    r.warnings += unread_files(r.folder)
    rows = r.rows(EPISODES)
    r.warnings += ceased_warnings(
        [row.line for row in rows if row.get("REC") and not row.get("DEC")],
        [row.line for row in rows if row.get("DEC") and not row.get("REC")],
    )
    malformed = {
        column: [
            row.line for row in rows if row.get(column) and not _CODE.fullmatch(row.get(column))
        ]
        for column in CODE_COLUMNS
    }
    r.warnings += code_warnings(malformed)

    def code(c: Row, column: str) -> str | None:
        value = c.text(column)
        return value if value is not None and _CODE.fullmatch(value) else None

    episodes = r.build(
        EPISODES,
        rows,
        lambda c: CareEpisode(
            person_id=person(r, c.required("CHILD")),
            start=c.day("DECOM"),
            end=c.optional_date("DEC"),
            reason_new_episode=code(c, "RNE"),
            legal_status=code(c, "LS"),
            category_of_need=code(c, "CIN"),
            placement=code(c, "PLACE"),
            # Rule 148: a reason ceased without a date ceased is flagged, and the episode
            # read as open.
            reason_ceased=code(c, "REC") if c.text("DEC") else None,
        ),
        EPISODE_COLUMNS,
    )
    episodes = r.keep_if(EPISODES, episodes, lambda e: child_fits(r, e.person_id, e.start, "DECOM"))
    r.finish(EPISODES, len(episodes))
    year_end = sdq.collection_year_end(d for _, e in episodes for d in (e.start, e.end))
    flagged: dict[str, list[tuple[int, str, int, int]]] = {c: [] for c in CODE_COLUMNS}
    for line, e in episodes:
        first, last = _years(e.start, e.end or year_end)
        for column, field in EPISODE_COLUMNS.items():
            value = getattr(e, column) if field in CODE_COLUMNS else None
            if value is not None and not code_fits(field, value, first, last):
                flagged[field].append((line, value, first, last))
    r.warnings += year_code_warnings(flagged)
    r.records["care_episodes"] = tuple(x for _, x in episodes)

    sdq.records(r)
    _social_work(r)
    _mh_assessments(r)
    _factors(r)


def _social_work(r: RecordReader) -> None:
    social = r.build(
        SOCIAL_WORK,
        r.rows(SOCIAL_WORK),
        lambda c: SocialWorkInvolvement(
            person_id=person(r, c.required("CHILD")),
            kind=c.code("STATUS", SocialWorkType) or missing("STATUS"),
            start=c.day("START"),
            end=c.optional_date("END"),
        ),
        {"person_id": "CHILD", "kind": "STATUS", "start": "START", "end": "END"},
    )
    social = r.keep_if(SOCIAL_WORK, social, lambda s: child_fits(r, s.person_id, s.start, "START"))
    r.finish(SOCIAL_WORK, len(social))
    r.records["social_work"] = tuple(x for _, x in social)


def _mh_assessments(r: RecordReader) -> None:
    wellbeing = r.build(
        MH_ASSESSMENTS,
        r.rows(MH_ASSESSMENTS),
        lambda c: WellbeingAssessment(
            person_id=person(r, c.required("CHILD")), date=c.day("ASSESSMENT_DATE")
        ),
        {"person_id": "CHILD", "date": "ASSESSMENT_DATE"},
    )
    wellbeing = r.keep_if(
        MH_ASSESSMENTS,
        wellbeing,
        lambda w: child_fits(r, w.person_id, w.date, "ASSESSMENT_DATE"),
    )
    r.finish(MH_ASSESSMENTS, len(wellbeing))
    r.records["wellbeing_assessments"] = tuple(x for _, x in wellbeing)


def _factor(c: Row) -> str:
    value = c.required("FACTOR")
    if value not in assessment_factors():
        raise RowError("FACTOR", value, _NOT_A_FACTOR)
    return value


def _factors(r: RecordReader) -> None:
    factors = r.build(
        FACTORS,
        r.rows(FACTORS),
        lambda c: AssessmentFactor(
            person_id=person(r, c.required("CHILD")), date=c.day("DATE"), factor=_factor(c)
        ),
        {"person_id": "CHILD", "date": "DATE", "factor": "FACTOR"},
    )
    factors = r.keep_if(FACTORS, factors, lambda f: child_fits(r, f.person_id, f.date, "DATE"))
    r.finish(FACTORS, len(factors))
    r.records["assessment_factors"] = tuple(x for _, x in factors)


# The frame reader.


def _year_code_hits(r: FrameReader, epi: Any) -> dict[str, list[tuple[int, str, int, int]]]:
    """:func:`year_code_warnings`' episodes, from the kept episode rows (codes as read)."""
    pl = r.pl
    ends = epi.select(pl.col("_d_DECOM").max().alias("a"), pl.col("_d_DEC").max().alias("b"))
    year_end = sdq.collection_year_end(ends.row(0)) if epi.height else None
    if year_end is None:
        return {}

    def year(day: Any) -> Any:
        return day.dt.year() + (day.dt.month() >= 4).cast(pl.Int32)

    earliest = earliest_year()
    spans = epi.select(
        "_line",
        *CODE_COLUMNS,
        _first=year(pl.col("_d_DECOM")),
        _last=pl.coalesce(year(pl.col("_d_DEC")), pl.lit(collection_year(year_end))),
    )
    hits = {}
    for field in CODE_COLUMNS:
        listed = pl.DataFrame(
            [
                (c.code, c.first_year, c.last_year)
                for c in episode_codes().values()
                if c.field == field
            ],
            schema={field: pl.String, "_from": pl.Int32, "_to": pl.Int32},
            orient="row",
        )
        first = pl.max_horizontal("_first", pl.lit(earliest))
        last = pl.max_horizontal("_last", pl.lit(earliest))
        fits = (
            pl.col("_from").is_not_null()
            & (pl.col("_from") <= last)
            & (pl.col("_to").is_null() | (first <= pl.col("_to")))
        )
        bad = (
            spans.filter(pl.col(field) != "")
            .join(listed, on=field, how="left")
            .filter(~fits)
            .select("_line", field, "_first", "_last")
        )
        hits[field] = [(int(a), str(b), int(c), int(d)) for a, b, c, d in bad.iter_rows()]
    return hits


def frames(r: FrameReader) -> None:
    """Read the three files into ``r.tables``."""
    r.warnings += unread_files(r.folder)
    pl = r.pl
    rows = r.rows(EPISODES)
    alone = [
        rows.filter((pl.col(a) != "") & (pl.col(b) == ""))["_line"].to_list()
        for a, b in (("REC", "DEC"), ("DEC", "REC"))
    ]
    r.warnings += ceased_warnings(*alone)
    coded = {
        column: (pl.col(column) == "") | pl.col(column).str.contains(f"^{SHORT[0]}$")
        for column in CODE_COLUMNS
    }
    r.warnings += code_warnings(
        {column: rows.filter(~good)["_line"].to_list() for column, good in coded.items()}
    )
    rows = rows.with_columns(
        pl.when(good).then(pl.col(column)).otherwise(pl.lit("")).alias(column)
        for column, good in coded.items()
    )
    epi = r.build(
        EPISODES,
        rows.with_columns(REC=pl.when(pl.col("DEC") == "").then(pl.lit("")).otherwise("REC")),
        [parsed_date("DECOM", True), parsed_date("DEC", True)],
        [
            required_cell("CHILD"),
            *date_checks("DECOM", True),
            *date_checks("DEC", True, required=False),
            not_before("DEC", "DECOM", "DECOM"),
        ],
    )
    epi, checks = child_fits_frames(r, person_frames(r, epi), "_d_DECOM", "DECOM")
    epi = r.keep_if(EPISODES, epi, checks)
    r.finish(EPISODES, epi.height)
    r.warnings += year_code_warnings(_year_code_hits(r, epi))
    r.tables["care_episodes"] = epi.select(
        person_id=pl.col("_person"), start=pl.col("_d_DECOM"), end=pl.col("_d_DEC")
    )
    sdq.frames(r, r.tables["care_episodes"])
    soc = r.build(
        SOCIAL_WORK,
        r.rows(SOCIAL_WORK),
        [parsed_date("START", True), parsed_date("END", True)],
        [
            required_cell("CHILD"),
            *code_checks("STATUS", SocialWorkType, required=True),
            *date_checks("START", True),
            *date_checks("END", True, required=False),
            not_before("END", "START", "START"),
        ],
    )
    soc, checks = child_fits_frames(r, person_frames(r, soc), "_d_START", "START")
    soc = r.keep_if(SOCIAL_WORK, soc, checks)
    r.finish(SOCIAL_WORK, soc.height)
    r.tables["social_work"] = soc.select(
        person_id=pl.col("_person"),
        kind=pl.col("STATUS"),
        start=pl.col("_d_START"),
        end=pl.col("_d_END"),
    )
    wel = r.build(
        MH_ASSESSMENTS,
        r.rows(MH_ASSESSMENTS),
        [parsed_date("ASSESSMENT_DATE", True)],
        [required_cell("CHILD"), *date_checks("ASSESSMENT_DATE", True)],
    )
    wel, checks = child_fits_frames(
        r, person_frames(r, wel), "_d_ASSESSMENT_DATE", "ASSESSMENT_DATE"
    )
    wel = r.keep_if(MH_ASSESSMENTS, wel, checks)
    r.finish(MH_ASSESSMENTS, wel.height)
    r.tables["wellbeing_assessments"] = wel.select(
        person_id=pl.col("_person"), date=pl.col("_d_ASSESSMENT_DATE")
    )
    fac = r.build(
        FACTORS,
        r.rows(FACTORS),
        [parsed_date("DATE", True)],
        [
            required_cell("CHILD"),
            *date_checks("DATE", True),
            required_cell("FACTOR"),
            Check(
                (pl.col("FACTOR") != "") & ~pl.col("FACTOR").is_in(list(assessment_factors())),
                "FACTOR",
                pl.col("FACTOR"),
                lit(_NOT_A_FACTOR),
            ),
        ],
    )
    fac, checks = child_fits_frames(r, person_frames(r, fac), "_d_DATE", "DATE")
    fac = r.keep_if(FACTORS, fac, checks)
    r.finish(FACTORS, fac.height)
    r.tables["assessment_factors"] = fac.select(
        person_id=pl.col("_person"), date=pl.col("_d_DATE"), factor=pl.col("FACTOR")
    )
