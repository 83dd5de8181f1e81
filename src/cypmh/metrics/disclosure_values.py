"""What a policy publishes for a derived value, and what a published count can stand for.

Split from :mod:`cypmh.metrics.disclosure`: :func:`derived` works out a
percentage, rate ratio or mean (and its interval) from the published counts
where the policy rounds them; :func:`preimage` gives the counts a policy
publishes as one value (also read by :mod:`cypmh.metrics.disclosure_series`).
"""

from __future__ import annotations

import math

from cypmh.metrics.published import Policy
from cypmh.metrics.results import ResultRow, Unit
from cypmh.metrics.stats import rate_ratio, wilson_interval

__all__ = ["derived", "preimage"]


def preimage(rule: Policy, published: int, national: bool) -> tuple[int, int]:
    """The counts that ``rule`` publishes as ``published``."""
    near = [
        n
        for n in range(max(0, published - 12), published + 13)
        if rule.count(n, national) == published
    ]
    return (min(near), max(near)) if near else (published, published)


def derived(
    row: ResultRow, rule: Policy, is_national: bool, n_pub: int | None, d_pub: int | None
) -> tuple[float | None, float | None, float | None]:
    """The value and interval a policy publishes: from the published counts where it rounds them."""
    if row.value is None:
        return None, None, None
    exact = (row.value, row.lower_ci, row.upper_ci)
    rounds_counts = rule.count(7, is_national) != 7 or rule.count(12, is_national) != 12
    if row.unit is Unit.PERCENTAGE and row.denominator is not None:
        if not rounds_counts:
            return exact
        if n_pub is None or d_pub is None or d_pub == 0:
            return (None if rule.safe_cells else row.value), None, None
        interval = wilson_interval(min(n_pub, d_pub), d_pub)
        low, high = (100 * interval[0], 100 * interval[1]) if interval else (None, None)
        value = 100 * n_pub / d_pub if rule.safe_cells else row.value
        return value, low, high
    if row.unit is Unit.RATIO:
        if not rounds_counts:
            return exact
        counts = (
            n_pub,
            d_pub,
            None if row.reference_numerator is None else rule.count(row.reference_numerator, False),
            None
            if row.reference_denominator is None
            else rule.count(row.reference_denominator, False),
        )
        if any(c is None for c in counts):
            return (None if rule.safe_cells else row.value), None, None
        a, b, c, d = (int(x) for x in counts)  # type: ignore[arg-type]
        result = rate_ratio(a, b, c, d)
        if result is None:
            return (None if rule.safe_cells else row.value), None, None
        return (result[0] if rule.safe_cells else row.value), result[1], result[2]
    if row.lower_ci is not None and row.upper_ci is not None and row.denominator:
        # A mean's interval (mean +- z s / sqrt(n)) from the exact n would identify n behind a
        # rounded denominator: keep the spread s, and take n as published.
        if not rounds_counts:
            return exact
        if not d_pub:
            return (None if rule.safe_cells else row.value), None, None
        half = (row.upper_ci - row.lower_ci) / 2 * math.sqrt(row.denominator / d_pub)
        return row.value, row.value - half, row.value + half
    return exact
