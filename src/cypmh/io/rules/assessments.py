"""Coded assessments: ``MHS606CodedScoreAssessmentRefer.csv``.

Rows make coded assessments (the model's rules: ids, a tool in the
assessment catalogue, a finite score in the tool's range, a date), on a kept
referral of the same person, dated on or after the child's birth. (The date
is not checked against the referral's receipt: a baseline may come first.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cypmh.codes import assessment_tools
from cypmh.io.frame_checks import (
    FLOAT,
    SNOMED,
    Check,
    date_checks,
    lit,
    parsed_date,
    pattern,
    required_cell,
)
from cypmh.io.rules.people import born_by, born_by_frames
from cypmh.io.rules.referrals import on_referral, on_referral_frames
from cypmh.model import CodedAssessment

if TYPE_CHECKING:
    from cypmh.io.frame_reader import FrameReader
    from cypmh.io.record_reader import RecordReader

__all__ = ["frames", "records"]

FILE = "MHS606CodedScoreAssessmentRefer.csv"

COLUMNS = {
    "referral_id": "UniqServReqID",
    "person_id": "Person_ID",
    "tool_code": "CodedAssToolType",
    "score": "PersScore",
    "date": "AssToolCompDate",
}


def records(r: RecordReader) -> None:
    """Read the assessments into ``r.records["assessments"]``."""
    assessments = r.build(
        FILE,
        r.rows(FILE),
        lambda c: CodedAssessment(
            referral_id=c.required("UniqServReqID"),
            person_id=c.required("Person_ID"),
            tool_code=c.required("CodedAssToolType"),
            score=c.number("PersScore"),
            date=c.day("AssToolCompDate"),
        ),
        COLUMNS,
    )
    assessments = r.keep_if(
        FILE,
        assessments,
        lambda a: (
            on_referral(r, a.referral_id, a.person_id, None, "")
            or born_by(r, a.person_id, a.date, "AssToolCompDate")
        ),
    )
    r.finish(FILE, len(assessments))
    r.records["assessments"] = tuple(x for _, x in assessments)


def frames(r: FrameReader) -> None:
    """Read the assessments into ``r.tables["assessments"]``."""
    pl = r.pl
    tools = assessment_tools()
    score = pl.col("PersScore")
    tool = pl.col("CodedAssToolType")

    def by_tool(values: dict[str, object], dtype: object) -> object:
        return tool.replace_strict(values, default=None, return_dtype=dtype)

    low = by_tool({code: t.min_score for code, t in tools.items()}, pl.Float64)
    high = by_tool({code: t.max_score for code, t in tools.items()}, pl.Float64)
    out_of_range = by_tool(
        {
            code: f"must be from {t.min_score:g} to {t.max_score:g} for {t.scale}"
            for code, t in tools.items()
        },
        pl.String,
    )
    ass = r.build(
        FILE,
        r.rows(FILE),
        [
            pl.when(score.str.contains(f"^(?:{FLOAT})$"))
            .then(score.str.replace_all("_", "", literal=True).cast(pl.Float64, strict=False))
            .alias("_score"),
            parsed_date("AssToolCompDate", False),
        ],
        [
            required_cell("UniqServReqID"),
            required_cell("Person_ID"),
            required_cell("CodedAssToolType"),
            required_cell("PersScore"),
            Check(pl.col("_score").is_null(), "PersScore", score, lit("not a number")),
            *date_checks("AssToolCompDate", False),
            pattern("CodedAssToolType", SNOMED, optional=False),
            Check(
                ~tool.is_in(list(tools)),
                "CodedAssToolType",
                tool,
                lit("not a code in the assessment_tools list"),
            ),
            Check(
                ~pl.col("_score").is_finite(), "PersScore", score, lit("must be a finite number")
            ),
            Check(
                (pl.col("_score") < low) | (pl.col("_score") > high),
                "PersScore",
                score,
                out_of_range,
            ),
        ],
    )
    ass, checks = on_referral_frames(r, ass, None, "")
    ass, more = born_by_frames(r, ass, "Person_ID", "_d_AssToolCompDate", "AssToolCompDate")
    ass = r.keep_if(FILE, ass, [*checks, *more[1:]])
    r.finish(FILE, ass.height)
    r.tables["assessments"] = ass.select(
        referral_id=pl.col("UniqServReqID"),
        person_id=pl.col("Person_ID"),
        tool_code=tool,
        score=pl.col("_score"),
        date=pl.col("_d_AssToolCompDate"),
    )
