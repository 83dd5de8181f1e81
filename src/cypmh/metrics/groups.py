"""What both engines and the population metrics share about a group: its summary, and the levels.

:class:`Summary` is what a metric's value rests on for one group (both engines
reduce a group to it); :func:`fixed_levels` and :func:`level_order` say which
levels a breakdown always publishes and in what order. The reference engine
(:mod:`cypmh.metrics.engine`), the dataframe engine's cubes and the metrics
worked out with a population (:mod:`cypmh.metrics.need`) all read them here.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import attrs

from cypmh.codes import (
    UNKNOWN_ETHNICITY,
    SocialCareStatus,
    age_bands,
    ethnic_categories,
    upper_ethnicity,
    wnw_ethnicity,
)
from cypmh.codes.deprivation import IMD_BREAKDOWNS, imd_levels
from cypmh.codes.groupings import Grouping
from cypmh.metrics.joint import CROSS_SEPARATOR, CROSSED
from cypmh.metrics.results import SCHOOL_LINK_LEVELS
from cypmh.periods import Month, uniq_month_id
from cypmh.thrive.timeline import NO_GROUPING, grouping_levels

if TYPE_CHECKING:
    from cypmh.metrics.families.members import Observation

__all__ = ["Summary", "fixed_levels", "level_order"]


def level_order(breakdown: str) -> Callable[[str], tuple[int, str]]:
    """How a breakdown's levels are ordered.

    Age bands youngest first, social-care statuses in their order of
    precedence, the other fixed levels (:func:`fixed_levels`) in their order,
    anything else alphabetically; unknown levels last.
    """
    if breakdown == "age_band":
        known = [band.label for band in age_bands()] + ["18 or over"]
    elif breakdown == "social_care":
        known = [status.value for status in SocialCareStatus]
    elif breakdown == "thrive":
        known = list(grouping_levels())
    elif breakdown in ("ethnicity", "wnw_ethnicity", "school_link", *IMD_BREAKDOWNS, *CROSSED):
        known = list(fixed_levels(breakdown, Month(year=2020, month=1)))
    else:
        known = []

    def key(level: str) -> tuple[int, str]:
        return (known.index(level), "") if level in known else (len(known), level)

    return key


@attrs.frozen(kw_only=True)
class Summary:
    """What a metric's value rests on for one group: its members, hits and values.

    Both engines reduce a group of observations to this, and the value,
    counts and interval are worked out from it by one function
    (:func:`finish`), so that rounding and percentiles are cypmh's own on
    every backend. ``values`` are the group's non-missing values, in no
    particular order. ``weight`` is their sum and ``hit_weight`` the sum of the
    numerator's members' values (a weighted percentage's numerator).
    """

    count: int = 0
    hits: int = 0
    values: tuple[float, ...] = ()
    weight: float = 0.0
    hit_weight: float = 0.0

    @classmethod
    def of(cls, members: Sequence[Observation]) -> Summary:
        """The summary of a group of observations."""
        return cls(
            count=len(members),
            hits=sum(o.numerator for o in members),
            values=tuple(float(o.value) for o in members if o.value is not None),
            weight=sum(float(o.value) for o in members if o.value is not None),
            hit_weight=sum(float(o.value) for o in members if o.value is not None and o.numerator),
        )


def fixed_levels(breakdown: str, month: Month) -> tuple[str, ...]:
    """The levels a breakdown always publishes, with or without members (``()``: only those with).

    As the publication writes every level of its lookup tables: the age bands,
    the upper ethnicity groups valid in the month (and ``UNKNOWN``), the
    social-care statuses, the school-link levels and the THRIVE groupings
    (and ``Not recorded``), and every pair of a crossed breakdown's parts'.
    Providers and gender codes are written where they have members.
    """
    if breakdown == "age_band":
        return tuple(band.label for band in age_bands())
    if breakdown == "ethnicity":
        month_id = uniq_month_id(month.last_day)
        names = {upper_ethnicity(code, month_id) for code in ethnic_categories().codes(month_id)}
        return (*sorted(names - {UNKNOWN_ETHNICITY}), UNKNOWN_ETHNICITY)
    if breakdown == "wnw_ethnicity":
        month_id = uniq_month_id(month.last_day)
        kinds = {wnw_ethnicity(code, month_id) for code in ethnic_categories().codes(month_id)}
        order = ("White British", "Non-white British", "Missing/invalid")
        return (*sorted(kinds - {UNKNOWN_ETHNICITY}, key=order.index), UNKNOWN_ETHNICITY)
    if breakdown == "social_care":
        return tuple(status.value for status in SocialCareStatus)
    if breakdown in IMD_BREAKDOWNS:
        return imd_levels(breakdown)
    if breakdown == "school_link":
        return SCHOOL_LINK_LEVELS
    if breakdown == "thrive":
        return (*(g.label for g in Grouping), NO_GROUPING)
    if breakdown in CROSSED:
        parts = [fixed_levels(part, month) for part in CROSSED[breakdown]]
        return tuple(CROSS_SEPARATOR.join(pair) for pair in itertools.product(*parts))
    return ()
