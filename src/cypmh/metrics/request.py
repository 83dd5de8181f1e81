"""A request to the engines: the metrics and breakdowns checked, and the period read.

Both engines and the series take a request through here, so that a bad id,
breakdown, policy or period is the same error on every engine.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from cypmh.codes.deprivation import IMD_BREAKDOWNS
from cypmh.errors import InvalidValueError
from cypmh.metrics.catalogue import BREAKDOWNS, MetricDefinition, definitions, metric
from cypmh.metrics.disclosure import POLICIES
from cypmh.metrics.families.four_week_metrics import OWN_IDS
from cypmh.metrics.joint import needs_deprivation
from cypmh.metrics.need import needs_population
from cypmh.metrics.results import STANDARDISED_AGGREGATES
from cypmh.metrics.standardised import GAPS
from cypmh.periods import FinancialYear, Month, Quarter, RollingMonths

if TYPE_CHECKING:
    from cypmh.metrics.options import MetricOptions

__all__ = [
    "FIRST_PERIOD",
    "LAST_PERIOD",
    "Period",
    "check_request",
    "in_run",
    "lacks_groups",
    "lacks_input",
    "reporting_month",
    "run_id",
]

_TWINS = frozenset(OWN_IDS.values())


def run_id(metric_id: str, direct_contacts_only: bool) -> str:
    """The id a run reports for ``metric_id``: its direct-contacts twin where it has one.

    With ``direct_contacts_only`` (:attr:`~cypmh.metrics.MetricOptions.direct_contacts_only`),
    an NHS England measure whose wait indirect activity can stop is reported under
    cypmh's own id; every other id is itself.

    >>> run_id("MRS08b", True), run_id("MRS08b", False), run_id("MHS131", True)
    ('WAIT08b', 'MRS08b', 'MHS131')
    """
    return OWN_IDS.get(metric_id, metric_id) if direct_contacts_only else metric_id


def in_run(definition: MetricDefinition, direct_contacts_only: bool) -> bool:
    """Whether the whole catalogue of a run includes ``definition``.

    A run reports MRS08-MRS09f, or with ``direct_contacts_only`` their twins WAIT08-WAIT09f
    in their place; never both (asked for by id, either may be had).
    """
    twin = definition.id in _TWINS
    national = definition.id in OWN_IDS
    return not (twin or national) or twin == direct_contacts_only


def lacks_groups(definition: MetricDefinition, groups: bool, deprivation: bool) -> bool:
    """Whether a standardised rate lacks what it reads (the population by group, the IMD)."""
    if definition.aggregate not in STANDARDISED_AGGREGATES:
        return False
    gap = GAPS.get(definition.id)
    return not groups or (gap is not None and gap.breakdown in IMD_BREAKDOWNS and not deprivation)


def lacks_input(definition: MetricDefinition, options: MetricOptions) -> bool:
    """Whether ``options`` lack a population the metric reads (the area's, or by group)."""
    return (options.population is None and needs_population(definition)) or lacks_groups(
        definition, options.population_groups is not None, bool(options.deprivation)
    )


def check_request(
    metrics: Iterable[str] | None,
    breakdowns: Iterable[str],
    disclosure: str,
    *,
    population: bool = False,
    deprivation: bool = True,
    direct_contacts_only: bool = False,
    population_groups: bool = False,
) -> tuple[list[MetricDefinition], list[str]]:
    """The chosen metric definitions and breakdowns, checked (shared by both engines).

    Without a ``population``, the whole catalogue (``metrics`` ``None``) leaves
    out the metrics that need one, and asking for one is an error. Without the
    ``population_groups``, the standardised rates (MHS95b, MHS95c, MHS95f, MHS95g
    and ACC03) are left out in the same way, and MHS95g also without a
    ``deprivation`` file. The whole
    catalogue includes the KPIs being declared (:func:`~cypmh.metrics.catalogue.declaring`);
    a KPI counted ``by`` a column of its own always has that breakdown (``by``).
    Without a ``deprivation`` file the IMD breakdowns give no rows: they are left
    out (the command line refuses to be asked for them without one). With
    ``direct_contacts_only``, an id with a direct-contacts twin is read as the twin's
    (:func:`run_id`), and the whole catalogue has the twins in place of MRS08-MRS09f
    (:func:`in_run`). Under disclosure control, a request for both of a pair (MRS08 and
    WAIT08) is refused: the difference of the two is a count no policy controls.
    """
    if metrics is None:
        chosen = [
            d
            for d in definitions().values()
            if (population or not needs_population(d))
            and in_run(d, direct_contacts_only)
            and not lacks_groups(d, population_groups, deprivation)
        ]
    else:
        ids = dict.fromkeys(run_id(m, direct_contacts_only) for m in metrics)
        chosen = [metric(m) for m in ids]
    lacking = [d.id for d in chosen if needs_population(d)] if not population else []
    if lacking:
        raise InvalidValueError(
            "compute",
            "options.population",
            None,
            f"{', '.join(lacking)} need the area's population: pass "
            "options=MetricOptions(population=cypmh.need.read_population(...))",
        )
    lacking = [d.id for d in chosen if lacks_groups(d, population_groups, deprivation)]
    if lacking and not population_groups:
        raise InvalidValueError(
            "compute",
            "options.population_groups",
            None,
            f"{', '.join(lacking)} need the area's population by ethnic group and IMD decile: "
            "pass options=MetricOptions(population_groups=cypmh.need.read_group_population(...))",
        )
    if lacking:
        raise InvalidValueError(
            "compute",
            "options.deprivation",
            None,
            f"{', '.join(lacking)}: a gap between deprivation levels needs a deprivation file: "
            "pass options=MetricOptions(deprivation=cypmh.read_deprivation(...))",
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
        wanted = [name for name in wanted if not needs_deprivation(name)]
    if disclosure not in POLICIES:
        raise InvalidValueError(
            "compute", "disclosure", disclosure, f"must be one of {', '.join(POLICIES)}"
        )
    if disclosure != "none":
        asked = {d.id for d in chosen}
        both = [f"{n} and {t}" for n, t in OWN_IDS.items() if n in asked and t in asked]
        if both:
            raise InvalidValueError(
                "compute",
                "metrics",
                ", ".join(both),
                "count the same spells with and without indirect activity, and their "
                "differences can give away small counts: an output under disclosure control "
                "holds one of each pair (waits_from chooses which)",
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
