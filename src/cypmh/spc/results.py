"""The results of an XmR chart: its points, its groups, and the names they use."""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date

import attrs

__all__ = [
    "ASSURANCES",
    "COLOURS",
    "COMMON",
    "IMPROVEMENTS",
    "POINT_TYPES",
    "SpcGroup",
    "SpcPoint",
    "SpcResult",
    "show_date",
]

IMPROVEMENTS: tuple[str, ...] = ("increase", "decrease", "neutral")
"""The improvement directions: higher is better, lower is better, neither."""

POINT_TYPES: tuple[str, ...] = (
    "common_cause",
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_neutral_high",
    "special_cause_neutral_low",
)
"""A point's type, as NHSRplotthedots names it."""

ASSURANCES: tuple[str, ...] = ("consistent_pass", "consistent_fail", "inconsistent")
"""How the process limits stand against the target."""

COLOURS: dict[str, str] = {
    "common_cause": "#a6a6a6",
    "special_cause_improvement": "#00b0f0",
    "special_cause_concern": "#e46c0a",
    "special_cause_neutral_high": "#490092",
    "special_cause_neutral_low": "#490092",
}
"""The colour of each point type (Making Data Count's, as NHSRplotthedots uses them)."""

COMMON = "Common Cause"


@attrs.frozen(kw_only=True)
class SpcPoint:
    """One point of an XmR chart.

    ``mean``, ``lower`` and ``upper`` are its group's (``None`` where the group
    has no limits, or no values). ``rule`` is the label of the first
    special-cause rule that holds, in NHSRplotthedots' order (``Above UCL``,
    ``7 Point Trend (Increasing)``, ``2 in 3 Below CL``, ``7 Points Above
    CL``…) or ``Common Cause``; ``point_type`` is one of :data:`POINT_TYPES`.
    The four ``in_*``/``outside_limits`` flags say which rules hold, whatever
    the label; a missing value has none and is common cause.
    """

    index: int
    date: Hashable | None
    value: float | None
    group: int
    mean: float | None
    lower: float | None
    upper: float | None
    relative_to_mean: int | None
    outside_limits: bool
    close_to_limits: bool
    in_trend: bool
    in_two_of_three: bool
    in_run: bool
    rule: str
    point_type: str
    trial_limits: bool

    @property
    def special_cause(self) -> bool:
        """Whether any special-cause rule labels this point."""
        return self.rule != COMMON

    @property
    def colour(self) -> str:
        """The point's colour (:data:`COLOURS`)."""
        return COLOURS[self.point_type]


@attrs.frozen(kw_only=True)
class SpcGroup:
    """One rebase group: the points from one rebase date to the next.

    ``no_limits`` says why a group has none (a constant series, or fewer than
    two consecutive values); ``trial_limits`` is true for a group of fewer
    than 13 points. ``variation`` is the icon of the group's last point.
    """

    number: int
    start: int
    size: int
    mean: float | None
    lower: float | None
    upper: float | None
    no_limits: str | None
    trial_limits: bool
    common_cause: int
    improvement: int
    concern: int
    variation: str


@attrs.frozen(kw_only=True)
class SpcResult:
    """An XmR chart: its points in date order, its groups, and how to read it.

    ``variation`` names the icon of the latest point (``common_cause``,
    ``improvement_high``, ``improvement_low``, ``concern_high``,
    ``concern_low``, ``neutral_high``, ``neutral_low``). ``assurance`` is one
    of :data:`ASSURANCES`, or ``None`` with no target (or a neutral
    direction); it uses the latest group's limits. ``warnings`` are for a
    reader: trial limits, ignored rebase dates, groups without limits.
    """

    points: tuple[SpcPoint, ...]
    groups: tuple[SpcGroup, ...]
    improvement: str
    target: float | None
    variation: str
    assurance: str | None
    warnings: tuple[str, ...]

    def to_rows(self) -> list[dict[str, object]]:
        """One plain dictionary a point, for CSV or JSON."""
        return [
            {
                "date": show_date(p.date),
                "value": p.value,
                "group": p.group,
                "mean": p.mean,
                "lower_limit": p.lower,
                "upper_limit": p.upper,
                "rule": p.rule,
                "point_type": p.point_type,
                "trial_limits": p.trial_limits,
                "variation": self.variation if p is self.points[-1] else None,
                "assurance": self.assurance if p is self.points[-1] else None,
            }
            for p in self.points
        ]


def show_date(value: Hashable | None) -> object:
    """A point's date for CSV or JSON: ISO text for a date, text for a month, else as it is."""
    if value is None or isinstance(value, int | float | str):
        return value
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
