"""Social care: the SSDA903 files ``episodes``, ``oc2``, ``social_work`` and ``mh_assessments``.

Every record's ``CHILD`` is read through the linkage
(:func:`~cypmh.io.rules.people.person`), must be a known child (MPI or
header), and its date must not be before the child's birth
(:func:`child_fits`). Besides the model's rules: an episode's end not before
its start (a reason ceased without an end is flagged and the episode read as
open, as the sector validator's rule 148 does: :func:`ceased_warnings`); an
OC2 row per child, with at most one of an SDQ score (a whole number from 0 to
40, ``20.0`` read as 20) and a reason, and one of them for a child due an SDQ in the episodes'
collection year (:func:`sdq_due`); a row with neither for a child not due
is used, as no return. Codes are read in upper case (``FileSpec.code_columns``),
and the DfE's other columns of each file are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from cypmh.codes import SdqReason, SocialWorkType
from cypmh.io import reasons
from cypmh.io.frame_checks import (
    SHORT,
    Check,
    code_checks,
    date_checks,
    day_before,
    lit,
    not_before,
    parsed_date,
    required_cell,
    text,
)
from cypmh.io.rows import Row, missing
from cypmh.io.rules.people import Failure, born_by, person, person_frames
from cypmh.model import (
    CareEpisode,
    Child,
    SdqReturn,
    SocialWorkInvolvement,
    WellbeingAssessment,
)
from cypmh.pathways import sdq_eligible

if TYPE_CHECKING:
    from cypmh.io.frame_reader import FrameReader
    from cypmh.io.record_reader import RecordReader

__all__ = ["child_fits", "child_fits_frames", "frames", "records"]

EPISODES = "ssda903/episodes.csv"
OC2 = "ssda903/oc2.csv"
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


def collection_year_end(days: Iterable[date | None]) -> date | None:
    """The end of the SSDA903 collection year of episodes with these dates.

    It is the 31 March on or after the latest of them (``None`` without any):
    the return covers 1 April to 31 March, as the sector validator's
    ``lac_validator/datastore.py`` sets its ``collection_start`` and
    ``collection_end``.

    >>> collection_year_end([date(2024, 6, 1), date(2025, 3, 31)]), collection_year_end([])
    (datetime.date(2025, 3, 31), None)
    >>> collection_year_end([date(2025, 4, 1), None])
    datetime.date(2026, 3, 31)
    """
    latest = max((d for d in days if d is not None), default=None)
    if latest is None:
        return None
    end = date(latest.year, 3, 31)
    return end if latest <= end else date(latest.year + 1, 3, 31)


def sdq_due(
    children: Mapping[str, Child], episodes: Iterable[CareEpisode], year_end: date | None
) -> set[str]:
    """The children of ``episodes`` due an SDQ in the collection year ending ``year_end``.

    Due, as SDQ01 counts a child eligible: looked after continuously for the
    12 months to the year's end and aged 4 to 16 by the DfE collection's rule
    (:func:`cypmh.pathways.sdq_eligible`). The year is the episodes file's
    (:func:`collection_year_end` of all its kept episodes).
    """
    if year_end is None:
        return set()
    by_child: dict[str, list[CareEpisode]] = {}
    for episode in episodes:
        by_child.setdefault(episode.person_id, []).append(episode)
    return {
        pid
        for pid, own in by_child.items()
        if pid in children and sdq_eligible(children[pid], own, year_end)
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


def both_sdq_warning(lines: list[int]) -> list[str]:
    """The warning of OC2 rows with both an SDQ score and a reason for no score.

    The sector validator's rule 197a ("Reason for no Strengths and Difficulties
    (SDQ) score is not required if Strengths and Difficulties Questionnaire
    score is filled in") flags the row and keeps it; cypmh reads the score.
    """
    if not lines:
        return []
    return [
        f"{OC2}: {len(lines)} row(s) have both an SDQ_SCORE and an SDQ_REASON, first at line "
        f"{min(lines)}; the score is read and the reason left out, as the sector validator's "
        "rule 197a flags and keeps them"
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


def records(r: RecordReader) -> None:
    """Read the four files into ``r.records``."""
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

    oc2 = r.rows(OC2)
    r.warnings += both_sdq_warning(
        [row.line for row in oc2 if row.get("SDQ_SCORE") and row.get("SDQ_REASON")]
    )

    def make_sdq(c: Row) -> tuple[str, SdqReturn | None]:
        pid = person(r, c.required("CHILD"))
        score = c.whole("SDQ_SCORE", point_zero=True)
        # Rule 197a: with a score, a reason for no score is flagged and left out.
        reason = None if c.text("SDQ_SCORE") else c.code("SDQ_REASON", SdqReason)
        if score is None and reason is None:
            return pid, None  # no return: a problem only for a child who was due one
        return pid, SdqReturn(person_id=pid, score=score, reason=reason)

    columns = {"person_id": "CHILD", "score": "SDQ_SCORE", "reason": "SDQ_REASON"}
    sdq = r.build(OC2, oc2, make_sdq, columns)
    sdq = r.unique(OC2, sdq, lambda s: s[0], "CHILD")
    sdq = r.keep_if(OC2, sdq, lambda s: child_fits(r, s[0], None, "CHILD"))
    year_end = collection_year_end(d for e in r.records["care_episodes"] for d in (e.start, e.end))
    empty = {pid for _, (pid, ret) in sdq if ret is None}
    chosen = [e for e in r.records["care_episodes"] if e.person_id in empty]
    due = sdq_due(r.children, chosen, year_end)
    sdq = r.keep_if(
        OC2,
        sdq,
        lambda s: (
            ("SDQ_SCORE", "", reasons.SDQ_DUE.format(year_end))
            if s[1] is None and s[0] in due
            else None
        ),
    )
    r.finish(OC2, len(sdq))
    r.records["sdq_returns"] = tuple(ret for _, (_, ret) in sdq if ret is not None)
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
    """Read the four files into ``r.tables``."""
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
    _oc2_frames(r, epi)
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


def _oc2_frames(r: FrameReader, episodes: Any) -> None:
    """OC2 on frames; ``episodes`` are the kept episodes (``_person``, ``_d_DECOM``, ``_d_DEC``)."""
    pl = r.pl
    score = pl.col("SDQ_SCORE")
    whole = score.str.contains(r"^-?[0-9]+(?:\.0+)?$")
    number = score.str.replace(r"\.0+$", "")
    reason = pl.col("SDQ_REASON")
    rows = r.rows(OC2)
    r.warnings += both_sdq_warning(rows.filter((score != "") & (reason != ""))["_line"].to_list())
    sdq = r.build(
        OC2,
        rows.with_columns(
            _score=pl.when(whole).then(number.cast(pl.Int64, strict=False)),
            # Rule 197a: with a score, a reason for no score is flagged and left out.
            SDQ_REASON=pl.when(score != "").then(pl.lit("")).otherwise(reason),
        ),
        (),
        [
            required_cell("CHILD"),
            Check((score != "") & ~whole, "SDQ_SCORE", score, lit("not a whole number")),
            *code_checks("SDQ_REASON", SdqReason),
            Check(
                (score != "") & ~pl.col("_score").is_between(0, 40).fill_null(False),
                "SDQ_SCORE",
                score,
                lit("must be a whole number from 0 to 40"),
            ),
        ],
    )
    sdq = r.unique(OC2, person_frames(r, sdq), "_person", "CHILD")
    sdq, checks = child_fits_frames(r, sdq, None, "CHILD")
    sdq = r.keep_if(OC2, sdq, checks)
    # Who of the children with neither a score nor a reason was due an SDQ: few, so in Python.
    ends = episodes.select(pl.col("_d_DECOM").max().alias("a"), pl.col("_d_DEC").max().alias("b"))
    year_end = collection_year_end(ends.row(0))
    empty = sdq.filter((score == "") & (reason == "")).select("_person", "_birth_of")
    born = dict(empty.iter_rows())
    chosen = episodes.join(empty.select("_person"), on="_person", how="semi")
    due = sdq_due(
        {pid: Child(person_id=pid, birth_date=day) for pid, day in born.items()},
        [
            CareEpisode(person_id=pid, start=start, end=end)
            for pid, start, end in chosen.select("_person", "_d_DECOM", "_d_DEC").iter_rows()
        ],
        year_end,
    )
    sdq = r.keep_if(
        OC2,
        sdq,
        [
            Check(
                (score == "") & (reason == "") & pl.col("_person").is_in(sorted(due)),
                "SDQ_SCORE",
                pl.lit(""),
                lit(reasons.SDQ_DUE.format(year_end)),
            )
        ],
    )
    r.finish(OC2, sdq.height)
    returned = sdq.filter((score != "") | (reason != ""))
    r.tables["sdq_returns"] = returned.select(
        person_id=pl.col("_person"), score=pl.col("_score"), reason=text("SDQ_REASON")
    )
