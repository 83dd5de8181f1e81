"""The CIN census files in ``cin/`` as rows: their periods, and the children they name."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path

from cypmh.io.cin_census import CinCensus, CinCensusError, CinChild, cin_census_from_bytes, combine
from cypmh.io.feeds.rows import (
    CIN_FOLDER,
    EPISODES,
    FACTORS,
    FROM_SSD,
    HEADER,
    OC2,
    PERSON,
    SHOWN,
    SOCIAL_WORK,
    FeedRow,
    Origin,
    feed_row,
    own_children,
)
from cypmh.io.lines import ExtractError

__all__ = ["census_factors", "census_periods", "people_rows", "read_census"]


def read_census(root: Path, paths: Sequence[str], warnings: list[str]) -> list[CinCensus]:
    """The census files ``paths``, what they left out said in ``warnings``.

    The referrals that ended in no further action are counted there too. A file
    that is not a census is an :class:`ExtractError`.
    """
    censuses = []
    for path in paths:
        try:
            censuses.append(cin_census_from_bytes((root / path).read_bytes(), path))
        except CinCensusError as exc:
            raise ExtractError(str(exc)) from None
        except OSError as exc:
            raise ExtractError(f"{path}: cannot be read: {exc.strerror}") from None
    problems = [p for c in censuses for p in c.problems]
    warnings += [f"{p}" for p in problems[:SHOWN]]
    if len(problems) > SHOWN:
        warnings.append(f"{CIN_FOLDER}/: {len(problems) - SHOWN} more elements left out, as above")
    nfa = sum(c.no_further_action for c in censuses)
    if nfa:
        warnings.append(
            f"{CIN_FOLDER}/: {nfa} referral(s) ended in no further action (ReferralNFA), so give "
            "no child-in-need period"
        )
    unauthorised = sum(c.open_assessments for c in censuses)
    if unauthorised:
        warnings.append(
            f"{CIN_FOLDER}/: {unauthorised} assessment(s) with factors have no "
            "AssessmentAuthorisationDate, so their factors are left out (they are those at an "
            "assessment's end)"
        )
    return censuses


_FACTOR_NAMES = {
    "CHILD": "<LAchildID>",
    "DATE": "<AssessmentAuthorisationDate>",
    "FACTOR": "<AssessmentFactors>",
}


def census_factors(
    censuses: Iterable[CinCensus], earlier: Sequence[FeedRow], warnings: list[str]
) -> list[FeedRow]:
    """The census's assessment factors, each once, but those an earlier feed gives.

    A factor is the same where the child, the day and the code are: a referral open
    across two collection years repeats its assessments in both years' files.
    """
    seen = {(r.cells["CHILD"], r.cells["DATE"], r.cells["FACTOR"]) for r in earlier}
    rows, both = [], 0
    for census in censuses:
        for factor in census.factors:
            key = (factor.child, factor.day.isoformat(), factor.factor)
            if key in seen:
                both += 1
                continue
            seen.add(key)
            cells = dict(zip(("CHILD", "DATE", "FACTOR"), key, strict=True))
            rows.append(FeedRow(cells, Origin(f"{factor.file}, line {factor.line}", _FACTOR_NAMES)))
    if both:
        warnings.append(
            f"{FACTORS}: {both} factor(s) given twice (by the SSD, the DfE API or another "
            "census year) are read once"
        )
    return rows


_CIN_NAMES = {
    "CIN": {"CHILD": "<LAchildID>", "START": "<CINreferralDate>", "END": "<CINclosureDate>"},
    "CPP": {"CHILD": "<LAchildID>", "START": "<CPPstartDate>", "END": "<CPPendDate>"},
}


def census_periods(
    censuses: Iterable[CinCensus], ssd: Sequence[FeedRow], warnings: list[str]
) -> list[FeedRow]:
    """The census's periods, but those an earlier feed gives (the same child, kind and start)."""
    given = {(r.cells["CHILD"], r.cells["STATUS"], r.cells["START"]) for r in ssd}
    rows, both = [], 0
    for period in combine(censuses):
        kind = period.kind.value
        start = period.start.isoformat()
        if (period.child, kind, start) in given:
            both += 1
            continue
        cells = {
            "CHILD": period.child,
            "STATUS": kind,
            "START": start,
            "END": period.end.isoformat() if period.end else "",
        }
        rows.append(FeedRow(cells, Origin(f"{period.file}, line {period.line}", _CIN_NAMES[kind])))
    if both:
        warnings.append(
            f"{SOCIAL_WORK}: {both} period(s) that the CIN census and the SSD or the DfE API "
            "give are read once, from them"
        )
    return rows


def people_rows(
    root: Path,
    rows: Mapping[str, Sequence[FeedRow]],
    persons: Sequence[tuple[int, dict[str, str]]],
    censuses: Sequence[CinCensus],
    api: Sequence[FeedRow] = (),
) -> list[FeedRow]:
    """A header row for each child of a feed's rows that the folder's header does not have.

    The child's ``ssd_person`` row, else their DfE API ``child_details`` (``api``), else the
    latest census's.
    """
    wanted = {
        r.cells["CHILD"] for path in (SOCIAL_WORK, EPISODES, OC2, FACTORS) for r in rows[path]
    }
    for path in _NEED_A_CHILD:
        wanted |= own_children(root, path)
    wanted -= own_children(root, HEADER)
    out: list[FeedRow] = []
    columns = FROM_SSD[PERSON.name][1]
    for line, cells in persons:
        child = cells.get("pers_person_id", "")
        if child in wanted:
            wanted.discard(child)
            out.append(feed_row(PERSON.path, line, cells, columns))
    for row in api:
        if row.cells["CHILD"] in wanted:
            wanted.discard(row.cells["CHILD"])
            out.append(row)
    latest: dict[str, CinChild] = {}
    for census in sorted(censuses, key=lambda c: (c.reference_date or date.min, c.file)):
        for person in census.people:
            if person.child in wanted:
                latest[person.child] = person
    for child in sorted(latest):
        person = latest[child]
        cells = {
            "CHILD": child,
            "DOB": person.birth_date,
            "SEX": person.sex,
            "ETHNIC": person.ethnicity,
        }
        out.append(FeedRow(cells, Origin(f"{person.file}, line {person.line}", _CIN_PERSON)))
    return out


_CIN_PERSON = {
    "CHILD": "<LAchildID>",
    "DOB": "<PersonBirthDate>",
    "SEX": "<Sex>",
    "ETHNIC": "<Ethnicity>",
}


_NEED_A_CHILD = (EPISODES, "ssda903/oc2.csv", SOCIAL_WORK, "ssda903/mh_assessments.csv", FACTORS)
"""The folder's own social-care files whose children a feed's person row may describe."""
