"""Statistical process control: XmR charts read as NHS England's Making Data Count reads them.

:func:`xmr` takes a series of values (one a month, say) and gives, per
point, the mean, the process limits, the special-cause rule that fired and
the point's type, and for the series the variation icon and the assurance
against a target. It follows NHSRplotthedots 0.2.2, the NHS-R community's
open implementation of Making Data Count (MDC); the explanation page on SPC
lists the rules and where MDC's own tools differ.

Pure Python with no dependency: other tools can call it on series of their
own. The arithmetic is exact (:class:`fractions.Fraction` from each value's
decimal form), so a value on a limit or on the mean is decided the way it is
worked by hand, and only the results are floats.

>>> chart = xmr([10, 12, 11, 13, 12, 11, 30])
>>> chart.points[-1].rule, chart.points[-1].point_type
('Above UCL', 'special_cause_improvement')
>>> chart.variation
'improvement_high'
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Iterable, Sequence
from datetime import date
from fractions import Fraction
from typing import Literal

import attrs

from cypmh.errors import InvalidValueError

__all__ = [
    "ASSURANCES",
    "COLOURS",
    "IMPROVEMENTS",
    "POINT_TYPES",
    "SpcGroup",
    "SpcPoint",
    "SpcResult",
    "xmr",
]

Improvement = Literal["increase", "decrease", "neutral"]

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

LIMITS = Fraction("2.66")
"""Process limits lie this many average moving ranges from the mean (3 sigma)."""
NEAR = 2 * LIMITS / 3
"""The 2-sigma lines, for the two-in-three rule."""
SCREEN = Fraction("3.267")
"""Moving ranges of at least this many average moving ranges are screened out."""
TRIAL_BELOW = 13
"""A group with fewer points than this has trial limits (NHSRplotthedots' threshold)."""
FIX_AT_LEAST = 12
"""The fewest points a fixed baseline may have."""

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
                "date": _show(p.date),
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


def _show(value: Hashable | None) -> object:
    if value is None or isinstance(value, int | float | str):
        return value
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _key(value: object) -> Hashable:
    """A date as it is compared: ``YYYY-MM`` and ``YYYY-MM-DD`` text read as a month or a day."""
    if isinstance(value, str):
        from cypmh.periods import Month

        text = value.strip()
        try:
            return Month.parse(text) if len(text) == 7 else date.fromisoformat(text)
        except (ValueError, InvalidValueError):
            raise InvalidValueError(
                "xmr", "dates", value, "must be a date, a Month, 'YYYY-MM' or 'YYYY-MM-DD'"
            ) from None
    if not isinstance(value, Hashable):
        raise InvalidValueError("xmr", "dates", value, "must be a date, a Month or a number")
    return value


def _number(value: object, position: int) -> Fraction | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Fraction):
        try:
            value = float(value)  # type: ignore[arg-type]  # numpy and Decimal numbers
        except (TypeError, ValueError):
            raise InvalidValueError(
                "xmr", f"values[{position}]", value, "must be a number or None"
            ) from None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if math.isinf(value):
            raise InvalidValueError("xmr", f"values[{position}]", value, "must be finite")
        return Fraction(repr(value))
    return Fraction(value)


def _check_options(
    improvement: str,
    target: float | None,
    fix_after: int | None,
    run_length: int,
    trend_length: int,
) -> None:
    if improvement not in IMPROVEMENTS:
        raise InvalidValueError(
            "xmr", "improvement", improvement, f"must be one of {', '.join(IMPROVEMENTS)}"
        )
    if target is not None:
        if improvement == "neutral":
            raise InvalidValueError(
                "xmr", "target", target, "needs a direction: a neutral metric has no assurance"
            )
        if isinstance(target, bool) or not isinstance(target, int | float):
            raise InvalidValueError("xmr", "target", target, "must be a number")
        if not math.isfinite(target):
            raise InvalidValueError("xmr", "target", target, "must be finite")
    if fix_after is not None and (
        isinstance(fix_after, bool) or not isinstance(fix_after, int) or fix_after < FIX_AT_LEAST
    ):
        raise InvalidValueError(
            "xmr", "fix_after", fix_after, f"must be a whole number of at least {FIX_AT_LEAST}"
        )
    for name, length in (("run_length", run_length), ("trend_length", trend_length)):
        if length not in (6, 7):
            raise InvalidValueError("xmr", name, length, "must be 6 or 7")


@attrs.frozen
class _Limits:
    mean: Fraction | None
    lower: Fraction | None = None
    upper: Fraction | None = None
    near_lower: Fraction | None = None
    near_upper: Fraction | None = None
    no_limits: str | None = None


def _mean(numbers: Sequence[Fraction]) -> Fraction:
    return sum(numbers, Fraction(0)) / len(numbers)


def _limits(values: Sequence[Fraction | None], screen: bool) -> _Limits:
    """The mean and limits of a group's baseline values (``None``: missing)."""
    present = [v for v in values if v is not None]
    if not present:
        return _Limits(None, no_limits="the group has no values")
    mean = _mean(present)
    ranges = [abs(b - a) for a, b in itertools.pairwise(values) if a is not None and b is not None]
    if not ranges:
        return _Limits(mean, no_limits="fewer than two consecutive values: no moving range")
    if not any(ranges):
        return _Limits(mean, no_limits="a constant series: every moving range is 0")
    average = _mean(ranges)
    if screen:
        # One pass: ranges of 3.267 average moving ranges or more are left out. Not every
        # range can be, since the smallest is below the average.
        average = _mean([r for r in ranges if r < SCREEN * average])
    return _Limits(
        mean,
        lower=mean - LIMITS * average,
        upper=mean + LIMITS * average,
        near_lower=mean - NEAR * average,
        near_upper=mean + NEAR * average,
    )


def _sign(number: Fraction) -> int:
    return (number > 0) - (number < 0)


def _windows_end(flags: Sequence[int], length: int) -> list[bool]:
    """Whether each position lies in a window of ``length`` ending at a non-zero flag."""
    part = [False] * len(flags)
    for end, flag in enumerate(flags):
        if flag:
            for i in range(end - length + 1, end + 1):
                part[i] = True
    return part


@attrs.frozen
class _Flags:
    outside: list[bool]
    close: list[bool]
    rel: list[int]
    trend: list[bool]
    two: list[bool]
    run: list[bool]
    labels: list[str]


def _rules(
    values: Sequence[Fraction],
    limits: _Limits,
    run_length: int,
    trend_length: int,
    beyond_counts: bool,
) -> _Flags:
    """The rules over a group's present values, in order (missing points left out)."""
    n = len(values)
    mean, lower, upper = limits.mean, limits.lower, limits.upper
    assert mean is not None or n == 0
    rel = [_sign(v - mean) for v in values] if mean is not None else []
    if lower is not None and upper is not None:
        near_lower, near_upper = limits.near_lower, limits.near_upper
        assert near_lower is not None
        assert near_upper is not None
        outside = [v > upper or v < lower for v in values]
        close = [
            not o and (v > near_upper or v < near_lower)
            for v, o in zip(values, outside, strict=True)
        ]
    else:
        outside = [False] * n
        close = [False] * n
    # Run: the point and the run_length - 1 before it on the same side of the mean.
    run_ends = [
        int(i >= run_length - 1 and rel[i] != 0 and len(set(rel[i - run_length + 1 : i + 1])) == 1)
        for i in range(n)
    ]
    run = _windows_end(run_ends, run_length)
    # Trend: trend_length values each strictly above (or below) the one before; a tie breaks it.
    steps = [_sign(b - a) for a, b in itertools.pairwise(values)]
    trend_ends = []
    for i in range(n):
        window = set(steps[i - trend_length + 1 : i]) if i >= trend_length - 1 else {0}
        trend_ends.append(window.pop() if len(window) == 1 and 0 not in window else 0)
    trend = _windows_end(trend_ends, trend_length)
    # Two of three: a window of three on one side of the mean (none on it) with at least
    # two points near the limits; points beyond the limits count only with beyond_counts.
    counted = [c or (beyond_counts and o) for c, o in zip(close, outside, strict=True)]
    qualifies = [
        sum(counted[s : s + 3]) >= 2 and abs(sum(rel[s : s + 3])) == 3 for s in range(n - 2)
    ]
    two = [
        counted[i] and any(qualifies[s] for s in range(max(0, i - 2), min(i, n - 3) + 1))
        for i in range(n)
    ]
    labels = []
    for i in range(n):
        side = "Above" if rel[i] > 0 else "Below"
        if outside[i]:
            labels.append("Above UCL" if rel[i] == 1 else "Below LCL")
        elif trend[i]:
            # The direction of the segment it starts, where the next point is in a trend
            # too, else of the one it ends (so a peak takes the fall after it). A tie
            # between two trends reads as decreasing, as in NHSRplotthedots.
            ahead = i + 1 < n and trend[i + 1]
            step = steps[i] if ahead else (steps[i - 1] if i > 0 else 0)
            labels.append(f"{trend_length} Point Trend ({'In' if step == 1 else 'De'}creasing)")
        elif two[i]:
            labels.append(f"2 in 3 {side} CL")
        elif run[i]:
            labels.append(f"{run_length} Points {side} CL")
        else:
            labels.append(COMMON)
    return _Flags(outside, close, rel, trend, two, run, labels)


def _point_type(label: str, improvement: str) -> str:
    score = (
        1
        if ("Above" in label or "Increasing" in label)
        else -1
        if ("Below" in label or "Decreasing" in label)
        else 0
    )
    if score == 0:
        return "common_cause"
    if improvement == "neutral":
        return "special_cause_neutral_high" if score > 0 else "special_cause_neutral_low"
    oriented = score * (1 if improvement == "increase" else -1)
    return "special_cause_improvement" if oriented > 0 else "special_cause_concern"


def _variation(point_type: str, improvement: str) -> str:
    if point_type == "special_cause_improvement":
        return "improvement_high" if improvement == "increase" else "improvement_low"
    if point_type == "special_cause_concern":
        return "concern_low" if improvement == "increase" else "concern_high"
    return point_type.removeprefix("special_cause_")


def _float(number: Fraction | None) -> float | None:
    return None if number is None else float(number)


def _order(
    numbers: list[Fraction | None], dates: Sequence[object] | None
) -> tuple[list[Hashable | None], list[Fraction | None]]:
    if dates is None:
        return [None] * len(numbers), numbers
    if len(dates) != len(numbers):
        raise InvalidValueError(
            "xmr", "dates", len(dates), f"must be as many as the values ({len(numbers)})"
        )
    keys = [_key(d) for d in dates]
    seen: set[Hashable] = set()
    for given, key in zip(dates, keys, strict=True):
        if key in seen:
            raise InvalidValueError("xmr", "dates", given, "appears twice: one value a date")
        seen.add(key)
    try:
        order = sorted(range(len(keys)), key=lambda i: keys[i])  # type: ignore[arg-type, return-value]
    except TypeError:
        raise InvalidValueError("xmr", "dates", dates[0], "must all be of one kind") from None
    return [keys[i] for i in order], [numbers[i] for i in order]


def _group_numbers(
    keys: Sequence[Hashable | None], rebase: Iterable[object], dated: bool
) -> tuple[list[int], list[str]]:
    """Each point's group: a rebase date (a position, with no dates) starts a new one."""
    warnings = []
    starts: set[int] = set()
    positions = {key: i for i, key in enumerate(keys)}
    for item in rebase:
        if dated:
            key = _key(item)
            if key in positions:
                starts.add(positions[key])
            else:
                warnings.append(f"rebase {_show(key)} is not one of the dates: ignored")
        elif isinstance(item, int) and not isinstance(item, bool) and 0 <= item < len(keys):
            starts.add(item)
        else:
            raise InvalidValueError(
                "xmr", "rebase", item, "must be positions in the series when no dates are given"
            )
    groups, number = [], 0
    for i in range(len(keys)):
        if i in starts and i > 0:
            number += 1
        groups.append(number)
    return groups, warnings


def xmr(
    values: Sequence[float | int | None],
    *,
    dates: Sequence[object] | None = None,
    improvement: Improvement | str = "increase",
    target: float | None = None,
    rebase: Iterable[object] = (),
    fix_after: int | None = None,
    screen_outliers: bool = True,
    run_length: int = 7,
    trend_length: int = 7,
    two_in_three_counts_beyond_limits: bool = False,
) -> SpcResult:
    """An XmR chart of ``values``, read by Making Data Count's rules.

    ``values`` may hold ``None`` (or NaN) for a missing point: it stays a
    point with no value, no moving range is formed across it, and it neither
    starts nor breaks a rule (the rules read the values either side of it as
    neighbours). ``dates`` (dates, :class:`~cypmh.periods.Month`,
    ``'YYYY-MM'`` or ``'YYYY-MM-DD'``), when given, order the points and must
    not repeat; ``rebase`` names the first point of each new group (dates,
    or positions when there are no dates). Within each group, the mean and
    the limits come from the first ``fix_after`` points (at least 12; default:
    all), with moving ranges of 3.267 average moving ranges or more screened
    out unless ``screen_outliers`` is false (as in MDC's Excel tool).

    ``improvement`` is ``increase`` (higher is better), ``decrease`` or
    ``neutral``; ``target`` gives the assurance and needs a direction.
    ``run_length`` and ``trend_length`` are 7 or 6; with
    ``two_in_three_counts_beyond_limits`` points beyond the limits count
    towards two-of-three, as MDC announced in 2023.
    """
    _check_options(improvement, target, fix_after, run_length, trend_length)
    numbers = [_number(v, i) for i, v in enumerate(values)]
    keys, numbers = _order(numbers, dates)
    group_of, warnings = _group_numbers(keys, rebase, dates is not None)
    points: list[SpcPoint] = []
    groups: list[SpcGroup] = []
    last_limits = _Limits(None)
    for number in sorted(set(group_of)):
        members = [i for i, g in enumerate(group_of) if g == number]
        group_values = [numbers[i] for i in members]
        baseline = group_values[:fix_after] if fix_after is not None else group_values
        limits = _limits(baseline, screen_outliers)
        last_limits = limits
        present = [i for i, v in zip(members, group_values, strict=True) if v is not None]
        flags = _rules(
            [numbers[i] for i in present],  # type: ignore[misc]
            limits,
            run_length,
            trend_length,
            two_in_three_counts_beyond_limits,
        )
        at = {i: k for k, i in enumerate(present)}
        trial = len(members) < TRIAL_BELOW
        for i in members:
            k = at.get(i)
            label = flags.labels[k] if k is not None else COMMON
            point_type = _point_type(label, improvement)
            value = numbers[i]
            points.append(
                SpcPoint(
                    index=i,
                    date=keys[i],
                    value=_float(value),
                    group=number,
                    mean=_float(limits.mean),
                    lower=_float(limits.lower),
                    upper=_float(limits.upper),
                    relative_to_mean=flags.rel[k] if k is not None else None,
                    outside_limits=k is not None and flags.outside[k],
                    close_to_limits=k is not None and flags.close[k],
                    in_trend=k is not None and flags.trend[k],
                    in_two_of_three=k is not None and flags.two[k],
                    in_run=k is not None and flags.run[k],
                    rule=label,
                    point_type=point_type,
                    trial_limits=trial,
                )
            )
        mine = points[-len(members) :]
        start = _show(keys[members[0]]) if dates is not None else members[0]
        if trial:
            warnings.append(
                f"the group from {start} has {len(members)} points, fewer than {TRIAL_BELOW}: "
                "its limits are trial limits"
            )
        if limits.no_limits is not None:
            warnings.append(f"the group from {start} has no limits: {limits.no_limits}")
        groups.append(
            SpcGroup(
                number=number,
                start=members[0],
                size=len(members),
                mean=_float(limits.mean),
                lower=_float(limits.lower),
                upper=_float(limits.upper),
                no_limits=limits.no_limits,
                trial_limits=trial,
                common_cause=sum(p.point_type == "common_cause" for p in mine),
                improvement=sum(p.point_type == "special_cause_improvement" for p in mine),
                concern=sum(p.point_type == "special_cause_concern" for p in mine),
                variation=_variation(mine[-1].point_type, improvement),
            )
        )
    return SpcResult(
        points=tuple(points),
        groups=tuple(groups),
        improvement=improvement,
        target=None if target is None else float(target),
        variation=groups[-1].variation if groups else "common_cause",
        assurance=_assurance(target, improvement, last_limits),
        warnings=tuple(warnings),
    )


def _assurance(target: float | None, improvement: str, limits: _Limits) -> str | None:
    """Whether the latest group's limits lie wholly on one side of the target (strictly)."""
    if target is None or improvement == "neutral":
        return None
    goal = _number(target, 0)
    assert goal is not None
    if limits.lower is None or limits.upper is None:
        return "inconsistent"
    if goal > limits.upper:
        return "consistent_fail" if improvement == "increase" else "consistent_pass"
    if goal < limits.lower:
        return "consistent_pass" if improvement == "increase" else "consistent_fail"
    return "inconsistent"
