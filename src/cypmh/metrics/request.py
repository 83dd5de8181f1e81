"""A request to the engines: the metrics and breakdowns checked, and the period read.

Both engines and the series take a request through here, so that a bad id,
breakdown, policy or period is the same error on every engine.
"""

from __future__ import annotations

from collections.abc import Iterable

from cypmh.codes.deprivation import IMD_BREAKDOWNS
from cypmh.errors import InvalidValueError
from cypmh.metrics.catalogue import BREAKDOWNS, MetricDefinition, definitions, metric
from cypmh.metrics.disclosure import POLICIES
from cypmh.metrics.need import needs_population
from cypmh.periods import FinancialYear, Month, Quarter, RollingMonths

__all__ = ["FIRST_PERIOD", "LAST_PERIOD", "Period", "check_request", "reporting_month"]


def check_request(
    metrics: Iterable[str] | None,
    breakdowns: Iterable[str],
    disclosure: str,
    *,
    population: bool = False,
    deprivation: bool = True,
) -> tuple[list[MetricDefinition], list[str]]:
    """The chosen metric definitions and breakdowns, checked (shared by both engines).

    Without a ``population``, the whole catalogue (``metrics`` ``None``) leaves
    out the metrics that need one, and asking for one is an error. The whole
    catalogue includes the KPIs being declared (:func:`~cypmh.metrics.catalogue.declaring`);
    a KPI counted ``by`` a column of its own always has that breakdown (``by``).
    Without a ``deprivation`` file the IMD breakdowns give no rows: they are left
    out (the command line refuses to be asked for them without one).
    """
    if metrics is None:
        chosen = [d for d in definitions().values() if population or not needs_population(d)]
    else:
        chosen = [metric(m) for m in metrics]
    lacking = [d.id for d in chosen if needs_population(d)] if not population else []
    if lacking:
        raise InvalidValueError(
            "compute",
            "options.population",
            None,
            f"{', '.join(lacking)} need the area's population: pass "
            "options=MetricOptions(population=cypmh.need.read_population(...))",
        )
    wanted = list(dict.fromkeys(breakdowns))
    if "by" not in wanted and any("by" in d.breakdowns for d in chosen):
        wanted.append("by")
    for name in wanted:
        if name not in BREAKDOWNS:
            raise InvalidValueError(
                "compute", "breakdowns", name, f"is not a breakdown: {', '.join(BREAKDOWNS)}"
            )
    if not deprivation:
        wanted = [name for name in wanted if name not in IMD_BREAKDOWNS]
    if disclosure not in POLICIES:
        raise InvalidValueError(
            "compute", "disclosure", disclosure, f"must be one of {', '.join(POLICIES)}"
        )
    return chosen, wanted


Period = Month | Quarter | FinancialYear | RollingMonths | str | int


FIRST_PERIOD = Month(year=1910, month=1)
"""The earliest reporting month: every metric's window, looking back, stays within the
months cypmh counts (from 1901)."""
LAST_PERIOD = Month(year=9998, month=12)
"""The latest reporting month."""


def reporting_month(period: Period) -> Month:
    """The month a period reports on: its last month.

    A :class:`~cypmh.periods.Month`, ``"YYYY-MM"``, a ``UniqMonthID`` (an
    ``int``), or a :class:`~cypmh.periods.Quarter`,
    :class:`~cypmh.periods.FinancialYear` or
    :class:`~cypmh.periods.RollingMonths`, which report on their last month.

    >>> reporting_month(1500), reporting_month(FinancialYear(year=2024))
    (Month(year=2025, month=3), Month(year=2025, month=3))
    """
    month = _reported(period)
    if not FIRST_PERIOD <= month <= LAST_PERIOD:
        raise InvalidValueError(
            "compute",
            "period",
            str(month),
            f"must be a month from {FIRST_PERIOD} to {LAST_PERIOD} (a metric looks back "
            "up to a few years from its period, and months start in 1901)",
        )
    return month


def _reported(period: Period) -> Month:
    if isinstance(period, Month):
        return period
    if isinstance(period, str):
        return Month.parse(period)
    if isinstance(period, bool) or not isinstance(
        period, int | Quarter | FinancialYear | RollingMonths
    ):
        raise InvalidValueError(
            "compute", "period", period, "must be a Month, 'YYYY-MM', a UniqMonthID or a period"
        )
    if isinstance(period, int):
        return Month.from_uniq_month_id(period)
    if isinstance(period, RollingMonths):
        return period.last
    return period.window.last
