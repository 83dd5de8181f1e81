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

import math
from collections.abc import Hashable, Iterable, Sequence
from datetime import date
from fractions import Fraction
from typing import Literal

from cypmh.errors import InvalidValueError
from cypmh.periods import Month
from cypmh.spc.results import (
    ASSURANCES,
    COLOURS,
    COMMON,
    IMPROVEMENTS,
    POINT_TYPES,
    SpcGroup,
    SpcPoint,
    SpcResult,
    show_date,
)
from cypmh.spc.rules import (
    FIX_AT_LEAST,
    TRIAL_BELOW,
    Limits,
    group_limits,
    point_type_of,
    read_rules,
    variation_of,
)

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


def _key(value: object) -> Hashable:
    """A date as it is compared: ``YYYY-MM`` and ``YYYY-MM-DD`` text read as a month or a day."""
    if isinstance(value, str):
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
                warnings.append(f"rebase {show_date(key)} is not one of the dates: ignored")
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
    last_limits = Limits(None)
    for number in sorted(set(group_of)):
        members = [i for i, g in enumerate(group_of) if g == number]
        group_values = [numbers[i] for i in members]
        baseline = group_values[:fix_after] if fix_after is not None else group_values
        limits = group_limits(baseline, screen_outliers)
        last_limits = limits
        present = [i for i, v in zip(members, group_values, strict=True) if v is not None]
        flags = read_rules(
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
            point_type = point_type_of(label, improvement)
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
        start = show_date(keys[members[0]]) if dates is not None else members[0]
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
                variation=variation_of(mine[-1].point_type, improvement),
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


def _assurance(target: float | None, improvement: str, limits: Limits) -> str | None:
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
