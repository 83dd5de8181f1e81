"""What a CIN census file gives: its periods, children, assessment factors and problems.

The records :mod:`cypmh.io.cin_census` reads a census file into, kept apart from the
parser so that each stays short.
"""

from __future__ import annotations

from datetime import date

import attrs

from cypmh.codes import SocialWorkType
from cypmh.errors import CypmhError

__all__ = ["CinCensus", "CinCensusError", "CinChild", "CinFactor", "CinPeriod", "CinProblem"]


class CinCensusError(CypmhError, ValueError):
    """A file that cannot be read as a CIN census at all (not XML, or not the census)."""


@attrs.frozen
class CinProblem:
    """An element left out: where it is, what it holds, and why."""

    file: str
    line: int
    element: str
    value: str
    rule: str

    def __str__(self) -> str:
        return f"{self.file}, line {self.line}, <{self.element}> {self.value!r}: {self.rule}"


@attrs.frozen
class CinPeriod:
    """A child-in-need or child-protection-plan period of one child, and where it was read."""

    child: str
    kind: SocialWorkType
    start: date
    end: date | None
    file: str
    line: int


@attrs.frozen
class CinFactor:
    """A factor an authorised assessment identified, and where it was read."""

    child: str
    day: date
    factor: str
    file: str
    line: int


@attrs.frozen
class CinChild:
    """A child's identifiers as the census gives them, kept as written (the readers check them).

    ``sex`` is ``<Sex>`` (from 2024-25) or ``<GenderCurrent>`` (before): ``1`` or ``M``
    male, ``2`` or ``F`` female; anything else is written as not known (an empty cell).
    """

    child: str
    birth_date: str
    sex: str
    ethnicity: str
    file: str
    line: int


@attrs.frozen
class CinCensus:
    """One file's periods, its reference date, its children and referrals, and the problems."""

    file: str
    reference_date: date | None
    children: int
    referrals: int
    no_further_action: int
    """The referrals that ended in no further action, and so gave no child-in-need period."""
    periods: tuple[CinPeriod, ...]
    problems: tuple[CinProblem, ...]
    people: tuple[CinChild, ...] = ()
    """Each child with an ``<LAchildID>``: its birth date, sex and ethnicity."""
    factors: tuple[CinFactor, ...] = ()
    """Each factor of each authorised assessment."""
    open_assessments: int = 0
    """Assessments with factors but no ``<AssessmentAuthorisationDate>``: their factors are
    left out."""
