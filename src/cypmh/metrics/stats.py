"""Statistics used by the metrics, written out so that every engine gives the same numbers.

Rounding and percentiles are cypmh's own, never left to a dataframe backend
(NHS England's publication rounds half up, ``menh_analysis`` ``95.Round_output.py``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "Z_95",
    "mean_interval",
    "median",
    "percentile",
    "rate_ratio",
    "round_half_away",
    "round_to_base",
    "wilson_interval",
]

Z_95 = 1.959963984540054
"""The standard normal quantile for a two-sided 95% interval."""


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """The ``fraction`` percentile by linear interpolation between closest ranks.

    The rank is ``fraction * (n - 1)`` on the sorted values, as Spark SQL's
    exact ``percentile`` computes it (the function NHS England's code uses);
    ``None`` for no values.

    >>> percentile([10, 20, 30, 40], 0.5), percentile([10, 20, 30, 40], 0.9)
    (25.0, 37.0)
    """
    if not 0 <= fraction <= 1:
        raise ValueError(f"fraction must be from 0 to 1, not {fraction}")
    if not values:
        return None
    ordered = sorted(values)
    rank = fraction * (len(ordered) - 1)
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return float(ordered[low] + (ordered[high] - ordered[low]) * (rank - low))


def median(values: Sequence[float]) -> float | None:
    """The 50th percentile (see :func:`percentile`)."""
    return percentile(values, 0.5)


def round_half_away(value: float, digits: int = 0) -> float:
    """Round to ``digits`` decimal places, halves away from zero, as written in decimal.

    >>> round_half_away(2.5), round_half_away(-2.5)
    (3.0, -3.0)
    >>> round_half_away(0.125, 2), round_half_away(2.675, 2)
    (0.13, 2.68)
    """
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def round_to_base(count: int, base: int) -> int:
    """Round a count to the nearest multiple of ``base``, halves away from zero.

    >>> round_to_base(7, 5), round_to_base(8, 5), round_to_base(15, 10), round_to_base(14, 10)
    (5, 10, 20, 10)
    """
    return int(round_half_away(count / base)) * base


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval for a proportion, as fractions from 0 to 1.

    ``None`` when there are no trials.

    >>> low, high = wilson_interval(5, 10)
    >>> round(low, 4), round(high, 4)
    (0.2366, 0.7634)
    """
    if trials <= 0:
        return None
    if not 0 <= successes <= trials:
        raise ValueError(f"successes ({successes}) must be from 0 to trials ({trials})")
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def rate_ratio(
    events: int, total: int, reference_events: int, reference_total: int, z: float = Z_95
) -> tuple[float, float, float] | None:
    """The ratio of two proportions with its 95% interval by the log method (Katz et al., 1978).

    Returns ``(ratio, low, high)``, or ``None`` when either group has no
    events or no members, or more events than members (a population smaller
    than the children reached): the ratio or its interval is then undefined.

    >>> rate_ratio(5, 10, 900, 12) is None
    True

    With 20 of 100 against 10 of 100: se = sqrt(1/20 - 1/100 + 1/10 - 1/100)
    = sqrt(0.13) = 0.3606, and exp(1.96 * 0.3606) = 2.027, so the interval is
    2 / 2.027 to 2 * 2.027:

    >>> ratio, low, high = rate_ratio(20, 100, 10, 100)
    >>> ratio, round(low, 3), round(high, 3)
    (2.0, 0.987, 4.054)
    """
    if min(events, total, reference_events, reference_total) <= 0:
        return None
    if events > total or reference_events > reference_total:
        return None
    ratio = (events / total) / (reference_events / reference_total)
    se = math.sqrt(1 / events - 1 / total + 1 / reference_events - 1 / reference_total)
    return ratio, ratio * math.exp(-z * se), ratio * math.exp(z * se)


def mean_interval(values: Sequence[float], z: float = Z_95) -> tuple[float, float, float] | None:
    """The mean with a normal-approximation 95% interval (mean ± z·s/√n, s the sample SD).

    ``None`` for no values; the interval is the mean itself for one value.

    >>> mean_interval([10, 12, 14])
    (12.0, 9.736..., 14.263...)
    """
    if not values:
        return None
    n = len(values)
    mean = sum(values) / n
    if n == 1:
        return mean, mean, mean
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    half = z * sd / math.sqrt(n)
    return mean, mean - half, mean + half
