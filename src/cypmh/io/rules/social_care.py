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

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from cypmh.codes import SocialWorkType
from cypmh.io.frame_checks import (
    SHORT,
    code_checks,
    date_checks,
    not_before,
    parsed_date,
    required_cell,
)
from cypmh.io.rows import Row, missing
from cypmh.io.rules import sdq
from cypmh.io.rules.people import child_fits, child_fits_frames, person, person_frames
from cypmh.model import CareEpisode, SocialWorkInvolvement, WellbeingAssessment

if TYPE_CHECKING:
    from cypmh.io.frame_reader import FrameReader
    from cypmh.io.record_reader import RecordReader

__all__ = ["frames", "records"]

EPISODES = "ssda903/episodes.csv"
SOCIAL_WORK = "ssda903/social_work.csv"
MH_ASSESSMENTS = "ssda903/mh_assessments.csv"

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


# The reference reader.


def records(r: RecordReader) -> None:
    """Read the three files into ``r.records``."""
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
    r.records["care_episodes"] = tuple(x for _, x in episodes)

    sdq.records(r)
    _social_work(r)
    _mh_assessments(r)


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


# The frame reader.


def frames(r: FrameReader) -> None:
    """Read the three files into ``r.tables``."""
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
