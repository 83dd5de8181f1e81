"""The arithmetic of an XmR chart: a group's limits, and the special-cause rules over it.

The numbers are NHSRplotthedots' (``R/ptd_spc_standard.R``) and the rules and
their labels follow ``R/ptd_calculate_point_type.R``; see :mod:`cypmh.spc`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from fractions import Fraction

import attrs

from cypmh.spc.results import COMMON

__all__ = [
    "FIX_AT_LEAST",
    "LIMITS",
    "NEAR",
    "SCREEN",
    "TRIAL_BELOW",
    "Flags",
    "Limits",
    "group_limits",
    "point_type_of",
    "read_rules",
    "variation_of",
]

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


@attrs.frozen
class Limits:
    """A group's mean and limits (exact), or why it has none (``no_limits``)."""

    mean: Fraction | None
    lower: Fraction | None = None
    upper: Fraction | None = None
    near_lower: Fraction | None = None
    near_upper: Fraction | None = None
    no_limits: str | None = None


def _mean(numbers: Sequence[Fraction]) -> Fraction:
    return sum(numbers, Fraction(0)) / len(numbers)


def group_limits(values: Sequence[Fraction | None], screen: bool) -> Limits:
    """The mean and limits of a group's baseline values (``None``: missing)."""
    present = [v for v in values if v is not None]
    if not present:
        return Limits(None, no_limits="the group has no values")
    mean = _mean(present)
    ranges = [abs(b - a) for a, b in itertools.pairwise(values) if a is not None and b is not None]
    if not ranges:
        return Limits(mean, no_limits="fewer than two consecutive values: no moving range")
    if not any(ranges):
        return Limits(mean, no_limits="a constant series: every moving range is 0")
    average = _mean(ranges)
    if screen:
        # One pass: ranges of 3.267 average moving ranges or more are left out. Not every
        # range can be, since the smallest is below the average.
        average = _mean([r for r in ranges if r < SCREEN * average])
    return Limits(
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
class Flags:
    """Each present value's flags, rule by rule, and its label (one list a flag)."""

    outside: list[bool]
    close: list[bool]
    rel: list[int]
    trend: list[bool]
    two: list[bool]
    run: list[bool]
    labels: list[str]


def read_rules(
    values: Sequence[Fraction],
    limits: Limits,
    run_length: int,
    trend_length: int,
    beyond_counts: bool,
) -> Flags:
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
    return Flags(outside, close, rel, trend, two, run, labels)


def point_type_of(label: str, improvement: str) -> str:
    """A label's point type: its side (above or increasing, below or decreasing) by direction."""
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


def variation_of(point_type: str, improvement: str) -> str:
    """The variation icon's name for a latest point of this type (NHSRplotthedots' icon files)."""
    if point_type == "special_cause_improvement":
        return "improvement_high" if improvement == "increase" else "improvement_low"
    if point_type == "special_cause_concern":
        return "concern_low" if improvement == "increase" else "concern_high"
    return point_type.removeprefix("special_cause_")
