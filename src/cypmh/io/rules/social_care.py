"""Social care: the SSDA903 files ``episodes``, ``oc2``, ``social_work`` and ``mh_assessments``.

Every record's ``CHILD`` is read through the linkage
(:func:`~cypmh.io.rules.people.person`), must be a known child (MPI or
header), and its date must not be before the child's birth
(:func:`child_fits`). Besides the model's rules: an episode's end not before
its start, a reason ceased only with an end; an OC2 row per child, with
exactly one of an SDQ score (a whole number from 0 to 40) and a reason.
"""

from __future__ import annotations

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
    pattern,
    required_cell,
    requires,
    text,
)
from cypmh.io.rows import Row, missing
from cypmh.io.rules.people import Failure, born_by, person, person_frames
from cypmh.model import CareEpisode, SdqReturn, SocialWorkInvolvement, WellbeingAssessment

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
    frame = frame.join(r.births, left_on="_person", right_on="_who", how="left")
    checks = [
        Check(pl.col("_birth_of").is_null(), "CHILD", pl.col("_person"), lit(reasons.NO_SUCH_CHILD))
    ]
    if day is not None:
        checks.append(day_before(day, "_birth_of", column, reasons.BEFORE_BIRTH))
    return frame, checks


# The reference reader.


def records(r: RecordReader) -> None:
    """Read the four files into ``r.records``."""
    episodes = r.build(
        EPISODES,
        r.rows(EPISODES),
        lambda c: CareEpisode(
            person_id=person(r, c.required("CHILD")),
            start=c.day("DECOM"),
            end=c.optional_date("DEC"),
            reason_new_episode=c.text("RNE"),
            legal_status=c.text("LS"),
            category_of_need=c.text("CIN"),
            placement=c.text("PLACE"),
            reason_ceased=c.text("REC"),
        ),
        EPISODE_COLUMNS,
    )
    episodes = r.keep_if(EPISODES, episodes, lambda e: child_fits(r, e.person_id, e.start, "DECOM"))
    r.finish(EPISODES, len(episodes))
    r.records["care_episodes"] = tuple(x for _, x in episodes)

    def make_sdq(c: Row) -> SdqReturn:
        return SdqReturn(
            person_id=person(r, c.required("CHILD")),
            score=c.whole("SDQ_SCORE"),
            reason=c.code("SDQ_REASON", SdqReason),
        )

    columns = {"person_id": "CHILD", "score": "SDQ_SCORE", "reason": "SDQ_REASON"}
    sdq = r.build(OC2, r.rows(OC2), make_sdq, columns)
    sdq = r.unique(OC2, sdq, lambda s: s.person_id, "CHILD")
    sdq = r.keep_if(OC2, sdq, lambda s: child_fits(r, s.person_id, None, "CHILD"))
    r.finish(OC2, len(sdq))
    r.records["sdq_returns"] = tuple(x for _, x in sdq)
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
    epi = r.build(
        EPISODES,
        r.rows(EPISODES),
        [parsed_date("DECOM", True), parsed_date("DEC", True)],
        [
            required_cell("CHILD"),
            *date_checks("DECOM", True),
            *date_checks("DEC", True, required=False),
            not_before("DEC", "DECOM", "start"),
            pattern("LS", SHORT),
            pattern("PLACE", SHORT),
            pattern("RNE", SHORT),
            pattern("CIN", SHORT),
            pattern("REC", SHORT),
            requires("REC", "DEC", "end"),
        ],
    )
    epi, checks = child_fits_frames(r, person_frames(r, epi), "_d_DECOM", "DECOM")
    epi = r.keep_if(EPISODES, epi, checks)
    r.finish(EPISODES, epi.height)
    r.tables["care_episodes"] = epi.select(
        person_id=pl.col("_person"), start=pl.col("_d_DECOM"), end=pl.col("_d_DEC")
    )
    _oc2_frames(r)
    soc = r.build(
        SOCIAL_WORK,
        r.rows(SOCIAL_WORK),
        [parsed_date("START", True), parsed_date("END", True)],
        [
            required_cell("CHILD"),
            *code_checks("STATUS", SocialWorkType, required=True),
            *date_checks("START", True),
            *date_checks("END", True, required=False),
            not_before("END", "START", "start"),
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


def _oc2_frames(r: FrameReader) -> None:
    pl = r.pl
    score = pl.col("SDQ_SCORE")
    whole = score.str.contains(r"^-?[0-9]+$")
    sdq = r.build(
        OC2,
        r.rows(OC2).with_columns(_score=pl.when(whole).then(score.cast(pl.Int64, strict=False))),
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
            Check(
                (score == "") == (pl.col("SDQ_REASON") == ""),
                "SDQ_SCORE",
                pl.when(score != "").then(score).otherwise(pl.lit("None")),
                lit("exactly one of score and reason must be given"),
            ),
        ],
    )
    sdq = r.unique(OC2, person_frames(r, sdq), "_person", "CHILD")
    sdq, checks = child_fits_frames(r, sdq, None, "CHILD")
    sdq = r.keep_if(OC2, sdq, checks)
    r.finish(OC2, sdq.height)
    r.tables["sdq_returns"] = sdq.select(
        person_id=pl.col("_person"), score=pl.col("_score"), reason=text("SDQ_REASON")
    )
