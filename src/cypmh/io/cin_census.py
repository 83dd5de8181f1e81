"""The Children in Need census, as councils submit it to DfE (XML), read into social-care periods.

The census is the national definition of a child in need: each ``<Child>`` has
its ``<LAchildID>`` and one ``<CINdetails>`` per referral, with the referral and
closure dates and the child protection plans made in it. cypmh reads from it
the periods that ``ssda903/social_work.csv`` holds (:func:`social_work_text`),
so that the "with a social worker" status needs no file written by hand:

- a child-in-need period (``CIN``) from ``<CINreferralDate>`` to
  ``<CINclosureDate>`` (open where there is none). A referral with
  ``<ReferralNFA>`` true (``true`` or ``1``) ended in no further action: the
  child was not found to be in need, so it gives no period (the sector
  validator's rule 4000 refuses CIN plan dates for such a referral);
- a child-protection-plan period (``CPP``) from ``<CPPstartDate>`` to
  ``<CPPendDate>`` (open where there is none), for each ``<ChildProtectionPlans>``;
- the factors of each ``<Assessments>`` (``<FactorsIdentifiedAtAssessment>``'s
  ``<AssessmentFactors>``), dated by its ``<AssessmentAuthorisationDate>``: the
  factors are those understood at the assessment's end, so an assessment not
  yet authorised gives none (:attr:`CinCensus.open_assessments` counts them).

Only those elements are read, so every collection year reads alike: from
2024-25 ``<Sex>`` replaces ``<Gender>``, and 2025-26 adds the pre-proceedings
block; neither is read. ``<LAchildID>`` is the ``CHILD`` of the SSDA903 return
and of ``linkage.csv``.

Several years' files are read together (:func:`combine`): a period is the same
period where the child, the kind and the start are, and the file with the later
``<ReferenceDate>`` gives its end (a later census closes what an earlier one
left open).

A file that is not XML, or not a CIN census, is a :class:`CinCensusError` naming
the file and line. An element that cannot be read is left out and reported
(:class:`CinProblem`: file, line, element, value and rule); nothing read is
lost without a word. A document type declaration or an entity is refused, so
no file can make the reader fetch or expand anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from xml.parsers import expat

import attrs

from cypmh.codes import SocialWorkType
from cypmh.io.cin_records import (
    CinCensus,
    CinCensusError,
    CinChild,
    CinFactor,
    CinPeriod,
    CinProblem,
)

__all__ = [
    "CinCensus",
    "CinCensusError",
    "CinChild",
    "CinFactor",
    "CinPeriod",
    "CinProblem",
    "cin_census_from_bytes",
    "combine",
    "read_cin_census",
    "social_work_text",
]

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_TRUE, _FALSE = {"true", "1"}, {"false", "0", ""}
_DETAILS = ("PersonBirthDate", "GenderCurrent", "Sex", "Ethnicity")
_SEX = {"1": "1", "M": "1", "2": "2", "F": "2"}
"""The census's sex codes read as the SSDA903's (0, 9 and U are not known)."""
_MAX_BYTES = 2**30
"""A census of a large council is tens of megabytes; a file over this is not one."""


def read_cin_census(path: str | Path) -> CinCensus:
    """Read one CIN census XML file (see the module for what is read)."""
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > _MAX_BYTES:
            raise CinCensusError(f"{file}: {size} bytes is more than a CIN census holds")
        data = file.read_bytes()
    except OSError as exc:
        raise CinCensusError(f"{file}: cannot be read: {exc.strerror}") from None
    return cin_census_from_bytes(data, str(file))


@attrs.define
class _Referral:
    line: int
    start: tuple[str, int] | None = None
    end: tuple[str, int] | None = None
    nfa: tuple[str, int] | None = None
    plans: list[dict[str, tuple[str, int]]] = attrs.field(factory=list)
    plan_lines: list[int] = attrs.field(factory=list)
    assessments: list[_Assessment] = attrs.field(factory=list)


@attrs.define
class _Assessment:
    line: int
    authorised: tuple[str, int] | None = None
    factors: list[tuple[str, int]] = attrs.field(factory=list)


@attrs.define
class _Reading:
    """The parser's state: the open elements, the text of the one being read, the child."""

    file: str
    stack: list[str] = attrs.field(factory=list)
    text: list[str] = attrs.field(factory=list)
    text_line: int = 0
    reference: tuple[str, int] | None = None
    child: str | None = None
    child_line: int = 0
    referrals: list[_Referral] = attrs.field(factory=list)
    children: int = 0
    referrals_read: int = 0
    nfa: int = 0
    periods: list[CinPeriod] = attrs.field(factory=list)
    problems: list[CinProblem] = attrs.field(factory=list)
    details: dict[str, tuple[str, int]] = attrs.field(factory=dict)
    people: list[CinChild] = attrs.field(factory=list)
    factors: list[CinFactor] = attrs.field(factory=list)
    open_assessments: int = 0


def cin_census_from_bytes(data: bytes, file: str) -> CinCensus:
    """:func:`read_cin_census` on the file's bytes (``file`` names it in errors)."""
    state = _Reading(file=file)
    parser = expat.ParserCreate()

    def refuse(*_: object) -> None:
        raise CinCensusError(
            f"{file}, line {parser.CurrentLineNumber}: a document type or entity declaration; "
            "a CIN census has none, and cypmh does not read one"
        )

    def start(name: str, _attributes: dict[str, str]) -> None:
        if not state.stack and name != "Message":
            raise CinCensusError(
                f"{file}, line {parser.CurrentLineNumber}: <{name}>: not a CIN census "
                "(its root element is <Message>)"
            )
        state.stack.append(name)
        state.text = []
        state.text_line = parser.CurrentLineNumber
        if name == "Child":
            state.child, state.child_line, state.referrals = None, parser.CurrentLineNumber, []
            state.details = {}
            state.children += 1
        elif name == "CINdetails" and _inside(state, "Child"):
            state.referrals.append(_Referral(line=parser.CurrentLineNumber))
        elif name == "ChildProtectionPlans" and state.referrals:
            state.referrals[-1].plans.append({})
            state.referrals[-1].plan_lines.append(parser.CurrentLineNumber)
        elif name == "Assessments" and state.referrals:
            state.referrals[-1].assessments.append(_Assessment(line=parser.CurrentLineNumber))

    def end(name: str) -> None:
        value = "".join(state.text).strip()
        here = (value, state.text_line)
        parent = state.stack[-2] if len(state.stack) > 1 else ""
        if name == "ReferenceDate" and parent == "CollectionDetails":
            state.reference = here
        elif name == "LAchildID" and parent == "ChildIdentifiers":
            state.child = value
        elif name in _DETAILS and parent in ("ChildIdentifiers", "ChildCharacteristics"):
            state.details[name] = here
        elif parent == "CINdetails" and state.referrals:
            referral = state.referrals[-1]
            if name == "CINreferralDate":
                referral.start = here
            elif name == "CINclosureDate":
                referral.end = here
            elif name == "ReferralNFA":
                referral.nfa = here
        elif (
            parent == "ChildProtectionPlans"
            and name in ("CPPstartDate", "CPPendDate")
            and state.referrals
            and state.referrals[-1].plans
        ):
            state.referrals[-1].plans[-1][name] = here
        elif state.referrals and state.referrals[-1].assessments and _inside(state, "Assessments"):
            assessment = state.referrals[-1].assessments[-1]
            if name == "AssessmentAuthorisationDate" and parent == "Assessments":
                assessment.authorised = here
            elif name == "AssessmentFactors" and parent == "FactorsIdentifiedAtAssessment":
                assessment.factors.append(here)
        if name == "Child":
            _child_done(state)
        state.stack.pop()
        state.text = []

    def characters(text: str) -> None:
        state.text.append(text)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise CinCensusError(
            f"{file}, line {exc.lineno}: not well-formed XML ({expat.errors.messages[exc.code]})"
        ) from None
    reference = _date(state, state.reference, "ReferenceDate") if state.reference else None
    return CinCensus(
        file=file,
        reference_date=reference,
        children=state.children,
        referrals=state.referrals_read,
        no_further_action=state.nfa,
        periods=tuple(state.periods),
        problems=tuple(state.problems),
        people=tuple(state.people),
        factors=tuple(state.factors),
        open_assessments=state.open_assessments,
    )


def _inside(state: _Reading, name: str) -> bool:
    return name in state.stack


def _problem(state: _Reading, line: int, element: str, value: str, rule: str) -> None:
    state.problems.append(CinProblem(state.file, line, element, value, rule))


def _date(state: _Reading, found: tuple[str, int] | None, element: str) -> date | None:
    """The element's date, or ``None`` (reported) where it is not a date (YYYY-MM-DD)."""
    if found is None:
        return None
    value, line = found
    if _ISO.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    _problem(state, line, element, value, "is not a date (YYYY-MM-DD)")
    return None


def _child_done(state: _Reading) -> None:
    """Turn the child just read into periods, reporting what cannot be read."""
    child = state.child
    if child:
        details = state.details
        sex = (details.get("Sex") or details.get("GenderCurrent") or ("", 0))[0].upper()
        state.people.append(
            CinChild(
                child=child,
                birth_date=details.get("PersonBirthDate", ("", 0))[0],
                sex=_SEX.get(sex, ""),
                ethnicity=details.get("Ethnicity", ("", 0))[0],
                file=state.file,
                line=state.child_line,
            )
        )
    if not child:
        if state.referrals:
            _problem(
                state,
                state.child_line,
                "LAchildID",
                child or "",
                "a child with no LAchildID: its referrals and plans are left out",
            )
        return
    for referral in state.referrals:
        state.referrals_read += 1
        nfa = (referral.nfa[0].lower() if referral.nfa else "").strip()
        state.nfa += nfa in _TRUE
        if referral.nfa and nfa not in _TRUE | _FALSE:
            _problem(
                state,
                referral.nfa[1],
                "ReferralNFA",
                referral.nfa[0],
                "must be true, false, 1 or 0: the referral is read as not ended in no further "
                "action",
            )
        start = _date(state, referral.start, "CINreferralDate")
        end = _date(state, referral.end, "CINclosureDate")
        if referral.start is None:
            _problem(
                state,
                referral.line,
                "CINreferralDate",
                "",
                "a referral with no referral date gives no child-in-need period",
            )
        elif start is not None and nfa not in _TRUE:
            _add(
                state, child, SocialWorkType.CHILD_IN_NEED, start, end, referral.line, referral.end
            )
        for assessment in referral.assessments:
            _factors(state, child, assessment)
        for plan, line in zip(referral.plans, referral.plan_lines, strict=True):
            plan_start = _date(state, plan.get("CPPstartDate"), "CPPstartDate")
            plan_end = _date(state, plan.get("CPPendDate"), "CPPendDate")
            if "CPPstartDate" not in plan:
                _problem(
                    state,
                    line,
                    "CPPstartDate",
                    "",
                    "a child protection plan with no start date gives no period",
                )
            elif plan_start is not None:
                closing = plan.get("CPPendDate")
                _add(
                    state,
                    child,
                    SocialWorkType.CHILD_PROTECTION_PLAN,
                    plan_start,
                    plan_end,
                    line,
                    closing,
                )


def _factors(state: _Reading, child: str, assessment: _Assessment) -> None:
    """The assessment's factors, dated by its authorisation (none while it is not authorised)."""
    found = [(value.upper(), line) for value, line in assessment.factors if value]
    if not found:
        return
    if assessment.authorised is None:
        state.open_assessments += 1
        return
    day = _date(state, assessment.authorised, "AssessmentAuthorisationDate")
    if day is not None:
        state.factors += [CinFactor(child, day, code, state.file, line) for code, line in found]


def _add(
    state: _Reading,
    child: str,
    kind: SocialWorkType,
    start: date,
    end: date | None,
    line: int,
    closing: tuple[str, int] | None,
) -> None:
    if end is not None and end < start:
        value, at = closing if closing is not None else ("", line)
        element = "CINclosureDate" if kind is SocialWorkType.CHILD_IN_NEED else "CPPendDate"
        _problem(state, at, element, value, f"is before the start, {start.isoformat()}: left out")
        return
    if closing is not None and end is None:
        return  # an end that is not a date: reported by _date, and the period left out
    state.periods.append(CinPeriod(child, kind, start, end, state.file, line))


def combine(censuses: Iterable[CinCensus]) -> list[CinPeriod]:
    """The periods of several files, one per child, kind and start.

    Where two files give the same period, the one with the later reference date
    gives its end (a file without one counts as the earliest); the result is in
    order of child, kind and start.
    """
    by_date = sorted(censuses, key=lambda c: (c.reference_date or date.min, c.file))
    kept: dict[tuple[str, SocialWorkType, date], CinPeriod] = {}
    for census in by_date:
        for period in census.periods:
            kept[(period.child, period.kind, period.start)] = period
    return [kept[key] for key in sorted(kept, key=lambda k: (k[0], k[1].value, k[2]))]


def social_work_text(periods: Sequence[CinPeriod]) -> str:
    """The periods as ``ssda903/social_work.csv``: ``CHILD,STATUS,START,END``, dates DD/MM/YYYY."""

    def day(value: date | None) -> str:
        return "" if value is None else value.strftime("%d/%m/%Y")

    lines = ["CHILD,STATUS,START,END"]
    lines += [f"{_cell(p.child)},{p.kind.value},{day(p.start)},{day(p.end)}" for p in periods]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """A CSV cell: quoted where it holds a comma, a quote or a line break."""
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text
