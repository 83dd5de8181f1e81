"""SDQ returns: ``ssda903/oc2.csv``, undated (the SSDA903 OC2 return) and dated.

A row's ``SDQ_DATE`` is optional. Without it, the row is the child's OC2
return for the year: one such row per child, with at most one of an SDQ
score (a whole number from 0 to 40, ``20.0`` read as 20) and a reason, and
one of them for a child due an SDQ in the episodes' collection year
(:func:`sdq_due`); a row with neither for a child not due is used, as no
return. With it, the row is an SDQ completed on that day (the Standard
Safeguarding Dataset's ``ssd_sdq_scores``, :mod:`cypmh.io.feeds`): one row
per child and day, not before the child's birth, with a score or a reason.
Every ``CHILD`` is read through the linkage and must be a known child
(:func:`~cypmh.io.rules.people.child_fits`). The DfE's other columns are ignored.
The social-care step reads the file once its episodes are kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from cypmh.codes import SdqReason
from cypmh.io import reasons
from cypmh.io.frame_checks import (
    Check,
    code_checks,
    date_checks,
    lit,
    parsed_date,
    required_cell,
    text,
)
from cypmh.io.rows import Row
from cypmh.io.rules.people import child_fits, child_fits_frames, person, person_frames
from cypmh.model import CareEpisode, Child, SdqReturn
from cypmh.pathways import sdq_eligible

if TYPE_CHECKING:
    from cypmh.io.frame_reader import FrameReader
    from cypmh.io.record_reader import RecordReader

__all__ = ["OC2", "collection_year_end", "frames", "records", "sdq_due"]

OC2 = "ssda903/oc2.csv"
_SEP = "\x1f"
"""Joins a row's child and day into its key (the frame reader's duplicates)."""


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


def both_sdq_warning(lines: list[int]) -> list[str]:
    """The warning of rows with both an SDQ score and a reason for no score.

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


# The reference reader.

_Built = tuple[str, date | None, SdqReturn | None]
"""A row read: the child, the day (``None``: the OC2 return), and the return (``None``: empty)."""


def records(r: RecordReader) -> None:
    """Read ``oc2.csv`` into ``r.records["sdq_returns"]`` (``care_episodes`` already kept)."""
    oc2 = r.rows(OC2)
    r.warnings += both_sdq_warning(
        [row.line for row in oc2 if row.get("SDQ_SCORE") and row.get("SDQ_REASON")]
    )

    def make_sdq(c: Row) -> _Built:
        pid = person(r, c.required("CHILD"))
        score = c.whole("SDQ_SCORE", point_zero=True)
        # Rule 197a: with a score, a reason for no score is flagged and left out.
        reason = None if c.text("SDQ_SCORE") else c.code("SDQ_REASON", SdqReason)
        day = c.optional_date("SDQ_DATE")
        if score is None and reason is None:
            return pid, day, None  # no return: a problem for a dated row, or a child due one
        return pid, day, SdqReturn(person_id=pid, score=score, reason=reason, date=day)

    columns = {"person_id": "CHILD", "score": "SDQ_SCORE", "reason": "SDQ_REASON"}
    sdq = r.build(OC2, oc2, make_sdq, columns)
    sdq = r.unique(OC2, sdq, lambda s: (s[0], s[1]), "CHILD", shown=lambda s: _shown(s[0], s[1]))
    sdq = r.keep_if(
        OC2,
        sdq,
        lambda s: (
            child_fits(r, s[0], s[1], "SDQ_DATE")
            or (
                ("SDQ_SCORE", "", reasons.SDQ_DATED_EMPTY)
                if s[1] is not None and s[2] is None
                else None
            )
        ),
    )
    episodes = r.records["care_episodes"]
    year_end = collection_year_end(d for e in episodes for d in (e.start, e.end))
    empty = {pid for _, (pid, _, ret) in sdq if ret is None}
    due = sdq_due(r.children, [e for e in episodes if e.person_id in empty], year_end)
    sdq = r.keep_if(
        OC2,
        sdq,
        lambda s: (
            ("SDQ_SCORE", "", reasons.SDQ_DUE.format(year_end))
            if s[2] is None and s[0] in due
            else None
        ),
    )
    r.finish(OC2, len(sdq))
    r.records["sdq_returns"] = tuple(ret for _, (_, _, ret) in sdq if ret is not None)


def _shown(pid: str, day: date | None) -> str:
    """A duplicate's value: its child, and its day if it has one."""
    return pid if day is None else f"{pid} on {day.isoformat()}"


# The frame reader.


def frames(r: FrameReader, episodes: Any) -> None:
    """Read ``oc2.csv`` into ``r.tables["sdq_returns"]``; ``episodes`` are the kept episodes.

    ``episodes`` has ``person_id``, ``start`` and ``end``, with ids as read (not yet coded).
    """
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
        [parsed_date("SDQ_DATE", True)],
        [
            required_cell("CHILD"),
            Check((score != "") & ~whole, "SDQ_SCORE", score, lit("not a whole number")),
            *code_checks("SDQ_REASON", SdqReason),
            *date_checks("SDQ_DATE", True, required=False),
            Check(
                (score != "") & ~pl.col("_score").is_between(0, 40).fill_null(False),
                "SDQ_SCORE",
                score,
                lit("must be a whole number from 0 to 40"),
            ),
        ],
    )
    day = pl.col("_d_SDQ_DATE")
    sdq = person_frames(r, sdq).with_columns(
        _key=pl.concat_str(pl.col("_person"), pl.lit(_SEP), day.cast(pl.String).fill_null("")),
        _shown=pl.when(day.is_null())
        .then(pl.col("_person"))
        .otherwise(pl.format("{} on {}", pl.col("_person"), day.dt.strftime("%Y-%m-%d"))),
    )
    sdq = r.unique(OC2, sdq, "_key", "CHILD", shown=pl.col("_shown"))
    sdq, checks = child_fits_frames(r, sdq, "_d_SDQ_DATE", "SDQ_DATE")
    empty = (score == "") & (reason == "")
    sdq = r.keep_if(
        OC2,
        sdq,
        [
            *checks,
            Check(empty & day.is_not_null(), "SDQ_SCORE", pl.lit(""), lit(reasons.SDQ_DATED_EMPTY)),
        ],
    )
    # Who of the children with neither a score nor a reason was due an SDQ: few, so in Python.
    ends = episodes.select(pl.col("start").max().alias("a"), pl.col("end").max().alias("b"))
    year_end = collection_year_end(ends.row(0))
    undated = sdq.filter(empty).select("_person", "_birth_of")
    born = dict(undated.iter_rows())
    chosen = episodes.join(undated.select(person_id="_person"), on="person_id", how="semi")
    due = sdq_due(
        {pid: Child(person_id=pid, birth_date=day) for pid, day in born.items()},
        [
            CareEpisode(person_id=pid, start=start, end=end)
            for pid, start, end in chosen.select("person_id", "start", "end").iter_rows()
        ],
        year_end,
    )
    sdq = r.keep_if(
        OC2,
        sdq,
        [
            Check(
                empty & pl.col("_person").is_in(sorted(due)),
                "SDQ_SCORE",
                pl.lit(""),
                lit(reasons.SDQ_DUE.format(year_end)),
            )
        ],
    )
    r.finish(OC2, sdq.height)
    returned = sdq.filter(~empty)
    r.tables["sdq_returns"] = returned.select(
        person_id=pl.col("_person"),
        score=pl.col("_score"),
        reason=text("SDQ_REASON"),
        date=pl.col("_d_SDQ_DATE"),
    )
