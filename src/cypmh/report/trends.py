"""Trends: each series of a :class:`~cypmh.metrics.Series` read as an SPC chart.

A trend charts the *published* values: what disclosure control lets out
(``ResultRow.shown``), never the raw ones, so a chart says nothing the
tables do not. A series with a suppressed month gets no chart at all, and
says why: limits are never computed from suppressed values, and a chart
with holes where small numbers were would point at them. A month whose
value is undefined (a percentage of no one) is a missing point.

Each metric's improvement direction and national target come from the
catalogue (:attr:`~cypmh.metrics.MetricDefinition.improvement`,
:attr:`~cypmh.metrics.MetricDefinition.target`); ``improvements`` and
``targets`` override them by metric id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from cypmh.errors import InvalidValueError
from cypmh.metrics.catalogue import definitions
from cypmh.metrics.results import ResultRow
from cypmh.metrics.series import Series
from cypmh.periods import Month
from cypmh.spc import IMPROVEMENTS, SpcResult, xmr

__all__ = ["Trend", "published_value", "read_trends"]

BETTER = {
    "increase": "higher is better",
    "decrease": "lower is better",
    "neutral": "neither direction is better",
}
"""How a chart's title says which way is better."""


@attrs.frozen(kw_only=True)
class Trend:
    """One series (a metric at one breakdown level) and its SPC chart.

    ``chart`` is ``None`` when the series cannot be charted; ``no_chart``
    then says why. ``target_source`` names the target's source (or says
    that the user gave it, or that there is none).
    """

    metric_id: str
    breakdown: str
    level: str
    months: tuple[Month, ...]
    rows: tuple[ResultRow, ...]
    improvement: str
    target: float | None
    target_source: str
    chart: SpcResult | None
    no_chart: str | None = None

    @property
    def values(self) -> tuple[float | None, ...]:
        """The published values, month by month (``None`` for a suppressed or undefined one)."""
        return tuple(v if isinstance(v, float) else None for v in map(published_value, self.rows))

    @property
    def better(self) -> str:
        """Which way is better, in words."""
        return BETTER[self.improvement]


def published_value(row: ResultRow) -> float | str | None:
    """The value as published: a number, ``"*"`` when suppressed, ``None`` when undefined."""
    if row.shown == "*":
        return "*"
    if row.shown == "" or row.unavailable:
        return None
    return float(row.shown)


def _check_overrides(
    improvements: Mapping[str, str], targets: Mapping[str, float]
) -> tuple[dict[str, str], dict[str, float]]:
    for metric_id, direction in improvements.items():
        if metric_id not in definitions():
            raise InvalidValueError("trend", "improvements", metric_id, "is not a metric")
        if direction not in IMPROVEMENTS:
            raise InvalidValueError(
                "trend",
                "improvements",
                f"{metric_id}={direction}",
                f"the direction must be one of {', '.join(IMPROVEMENTS)}",
            )
    for metric_id, target in targets.items():
        if metric_id not in definitions():
            raise InvalidValueError("trend", "targets", metric_id, "is not a metric")
        direction = improvements.get(metric_id, definitions()[metric_id].improvement)
        if direction == "neutral":
            raise InvalidValueError(
                "trend",
                "targets",
                f"{metric_id}={target}",
                "the metric is neutral (neither direction is better), so a target means "
                "nothing; give it a direction too",
            )
    return dict(improvements), {k: float(v) for k, v in targets.items()}


def read_trends(
    series: Series,
    *,
    improvements: Mapping[str, str] | None = None,
    targets: Mapping[str, float] | None = None,
    rebase: Iterable[Month | str] = (),
    fix_after: int | None = None,
    screen_outliers: bool = True,
    run_length: int = 7,
    trend_length: int = 7,
    two_in_three_counts_beyond_limits: bool = False,
) -> tuple[Trend, ...]:
    """The trend of every series in ``series``, in its order.

    ``rebase`` months start a new group of limits in every chart; the other
    SPC options are :func:`cypmh.spc.xmr`'s.

    >>> from cypmh.synth.examples import example_area
    >>> from cypmh.metrics import compute_series
    >>> series = compute_series(example_area(), "2024-01", "2025-03", metrics=["REJ01a"])
    >>> trend = read_trends(series)[0]
    >>> trend.chart is None, trend.no_chart[:40]
    (True, '15 months are suppressed by disclosure c')
    """
    improvement_of, target_of = _check_overrides(improvements or {}, targets or {})
    rebased = [Month.parse(m) if isinstance(m, str) else m for m in rebase]
    trends = []
    for key in series.keys():  # noqa: SIM118 - iterating a Series gives (month, row) pairs
        metric_id, breakdown, level = key
        definition = definitions()[metric_id]
        rows = series.of(*key)
        direction = improvement_of.get(metric_id, definition.improvement)
        target: float | None
        if metric_id in target_of:
            target, source = target_of[metric_id], "given by the user"
        elif direction == "neutral":
            target, source = None, definition.target_source
        else:
            target, source = definition.target, definition.target_source
        published = [published_value(row) for row in rows]
        hidden = [str(m) for m, v in zip(series.months, published, strict=True) if v == "*"]
        chart: SpcResult | None = None
        reason = None
        if rows and rows[-1].unavailable:
            reason = f"not available: {rows[-1].unavailable}"
        elif hidden:
            reason = (
                f"{_months(len(hidden))} suppressed by disclosure control ({_list(hidden)}): "
                "no SPC, since limits are never computed from suppressed values"
            )
        elif all(v is None for v in published):
            reason = "no month has a value"
        else:
            values: list[Any] = list(published)
            chart = xmr(
                values,
                dates=series.months,
                improvement=direction,
                target=target,
                rebase=rebased,
                fix_after=fix_after,
                screen_outliers=screen_outliers,
                run_length=run_length,
                trend_length=trend_length,
                two_in_three_counts_beyond_limits=two_in_three_counts_beyond_limits,
            )
        trends.append(
            Trend(
                metric_id=metric_id,
                breakdown=breakdown,
                level=level,
                months=series.months,
                rows=rows,
                improvement=direction,
                target=target,
                target_source=source,
                chart=chart,
                no_chart=reason,
            )
        )
    return tuple(trends)


def _months(n: int) -> str:
    return "1 month is" if n == 1 else f"{n} months are"


def _list(months: list[str]) -> str:
    return ", ".join(months) if len(months) <= 4 else f"between {months[0]} and {months[-1]}"
