"""Every metric as a monthly series: one value per metric, breakdown level and month.

:func:`compute_series` computes a range of months in one call. Each month
is what :func:`~cypmh.metrics.compute` gives for it alone: each metric's own
window ending that month, over the area as at the month's last day, with
disclosure control applied to the month's rows. What does not depend on the
month is done once: the request is checked once, the dataframe engine's
tables are prepared once, and the reference engine's area is indexed once.

A level with members in some months and none in others gets a row in every
month (0 for a count, no value for a percentage, median or mean), so a series
never has a gap that would shift it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import attrs

from cypmh.errors import InvalidValueError
from cypmh.metrics.catalogue import MetricDefinition, with_declared
from cypmh.metrics.disclosure import DEFAULT_POLICY, apply_disclosure
from cypmh.metrics.disclosure_series import disclose_series
from cypmh.metrics.engine import Summary, finish
from cypmh.metrics.engine import month_rows as reference_rows
from cypmh.metrics.options import MetricOptions
from cypmh.metrics.request import Period, check_request, reporting_month
from cypmh.metrics.results import POPULATION_AGGREGATES, Aggregate, ResultRow
from cypmh.model import Area
from cypmh.periods import Month

__all__ = ["Series", "SeriesKey", "compute_series", "months_between"]

SeriesKey = tuple[str, str, str]
"""A series' name: metric id, breakdown and level."""


def months_between(start: Period, end: Period) -> tuple[Month, ...]:
    """The months from ``start`` to ``end``, both included (read as :func:`reporting_month` reads).

    >>> [str(m) for m in months_between("2024-11", "2025-02")]
    ['2024-11', '2024-12', '2025-01', '2025-02']
    """
    first, last = reporting_month(start), reporting_month(end)
    if last.uniq_month_id < first.uniq_month_id:
        raise InvalidValueError(
            "compute_series", "end", str(last), f"must not be before the start ({first})"
        )
    ids = range(first.uniq_month_id, last.uniq_month_id + 1)
    return tuple(Month.from_uniq_month_id(i) for i in ids)


@attrs.frozen(kw_only=True)
class Series:
    """The rows of a range of months: ``rows[i]`` are the rows of ``months[i]``.

    Every month has a row for every :data:`SeriesKey` that any month has, in
    the same order. :meth:`of` gives one series; iterating gives
    ``(month, row)`` pairs in month order.
    """

    months: tuple[Month, ...]
    rows: tuple[tuple[ResultRow, ...], ...]

    def keys(self) -> tuple[SeriesKey, ...]:
        """Every series' key, in the rows' order."""
        return tuple(_key(row) for row in self.rows[0]) if self.rows else ()

    def of(
        self, metric_id: str, breakdown: str = "Total", level: str = "Total"
    ) -> tuple[ResultRow, ...]:
        """One series: the row of each month for this metric and level."""
        wanted = (metric_id, breakdown, level)
        found = tuple(row for month in self.rows for row in month if _key(row) == wanted)
        if not found:
            raise InvalidValueError(
                "Series", "key", wanted, "is not a series here (see Series.keys())"
            )
        return found

    def __iter__(self) -> Iterator[tuple[Month, ResultRow]]:
        for month, rows in zip(self.months, self.rows, strict=True):
            for row in rows:
                yield month, row

    def __len__(self) -> int:
        return sum(len(rows) for rows in self.rows)


def _key(row: ResultRow) -> SeriesKey:
    return (row.metric_id, row.breakdown, row.level)


def empty_row(definition: MetricDefinition, breakdown: str, level: str) -> ResultRow:
    """The row of a level with no members: 0 for a count, no value otherwise."""
    if (
        definition.aggregate is Aggregate.RATE_RATIO
        or definition.aggregate in POPULATION_AGGREGATES
    ):
        fields: dict[str, Any] = {"value": None, "numerator": 0, "denominator": 0, "base": 0}
    else:
        fields = finish(definition, Summary())
    return ResultRow(
        metric_id=definition.id, breakdown=breakdown, level=level, unit=definition.unit, **fields
    )


def _fill(
    months: list[list[ResultRow]], chosen: Iterable[MetricDefinition], policy: str, national: bool
) -> tuple[tuple[ResultRow, ...], ...]:
    """Give every month a row for every key, in one order: each metric's keys as first seen."""
    definitions = {d.id: d for d in chosen}
    order: dict[SeriesKey, None] = {}
    for rows in months:
        for row in rows:
            order.setdefault(_key(row), None)
    by_metric: dict[str, list[SeriesKey]] = {}
    for key in order:
        by_metric.setdefault(key[0], []).append(key)
    keys = [key for metric_id in definitions for key in by_metric.get(metric_id, ())]
    filled = []
    for rows in months:
        have = {_key(row): row for row in rows}
        missing = [k for k in keys if k not in have]
        # An empty level's row says only that the level had no members, as its absence did.
        for row in apply_disclosure(
            [empty_row(definitions[k[0]], k[1], k[2]) for k in missing], policy, national=national
        ):
            have[_key(row)] = row
        filled.append(tuple(have[k] for k in keys))
    return tuple(filled)


@with_declared
def compute_series(
    source: Area | Mapping[str, Any],
    start: Period,
    end: Period,
    *,
    metrics: Iterable[str] | None = None,
    breakdowns: Iterable[str] = (),
    disclosure: str = DEFAULT_POLICY,
    national: bool = False,
    options: MetricOptions | None = None,
    progress: Callable[[Month], None] | None = None,
) -> Series:
    """Compute catalogue metrics for every month from ``start`` to ``end``.

    ``source`` is an :class:`~cypmh.model.Area` (the reference engine) or a
    mapping of the dataframe engine's tables
    (:func:`~cypmh.metrics.frames.compute_frames`'s ``tables``). Every other
    argument is :func:`~cypmh.metrics.compute`'s; ``progress``, when given,
    is called with each month once it is done.

    >>> from cypmh.synth.examples import example_area
    >>> series = compute_series(example_area(), "2025-01", "2025-03", metrics=["REJ01a"])
    >>> [(str(m), row.value, row.shown) for m, row in series]
    [('2025-01', 1.0, '*'), ('2025-02', 0.0, '*'), ('2025-03', 1.0, '*')]
    """
    months = months_between(start, end)
    settings = options or MetricOptions()
    chosen, wanted = check_request(
        metrics,
        breakdowns,
        disclosure,
        population=settings.population is not None,
        deprivation=bool(settings.deprivation),
        direct_contacts_only=settings.direct_contacts_only,
        population_groups=settings.population_groups is not None,
    )
    one_month: Callable[[Month], list[ResultRow]]
    if isinstance(source, Area):

        def one_month(month: Month) -> list[ResultRow]:
            return reference_rows(source, month, chosen, wanted, options=settings)

    else:
        # Imported here: the dataframe engine needs the frames extra (narwhals).
        from cypmh.metrics.frames.engine import (
            UnsupportedMetricsError,
            month_rows,
            prepare_tables,
            unsupported,
        )

        missing = unsupported(d.id for d in chosen)
        if missing:
            raise UnsupportedMetricsError(missing)
        prepared = prepare_tables(source)
        # The parts that do not depend on the month are kept from month to month; for one
        # month alone there is nothing to keep, and the month is computed as compute_frames
        # computes it.
        lasting: dict[str, Any] | None = {} if len(months) > 1 else None

        def one_month(month: Month) -> list[ResultRow]:
            return month_rows(
                prepared,
                month,
                chosen,
                wanted,
                options=settings,
                lasting=lasting,
            )

    computed: list[list[ResultRow]] = []
    for month in months:
        computed.append(one_month(month))
        if progress is not None:
            progress(month)
    done = [list(rows) for rows in disclose_series(months, computed, disclosure, national=national)]
    return Series(months=months, rows=_fill(done, chosen, disclosure, national))
