"""The reference engine: the catalogue computed over Python objects.

It is written for clarity; the dataframe engines must agree with it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence

from cypmh.codes import (
    SocialCareStatus,
)
from cypmh.errors import InvalidValueError
from cypmh.metrics.catalogue import MetricDefinition, with_declared
from cypmh.metrics.disclosure import DEFAULT_POLICY, apply_disclosure
from cypmh.metrics.families import Context, MetricOptions, Observation, Populations
from cypmh.metrics.groups import Summary, fixed_levels, level_order
from cypmh.metrics.kpis.family import ALL_FAMILIES
from cypmh.metrics.levels import level_reader
from cypmh.metrics.need import Basis, basis_of, population_rows
from cypmh.metrics.request import Period, check_request, reporting_month
from cypmh.metrics.results import (
    POPULATION_AGGREGATES,
    STANDARDISED_AGGREGATES,
    WHOLE_AREA,
    Aggregate,
    ResultRow,
)
from cypmh.metrics.standardised import Standard, standard_of, standardised_rows
from cypmh.metrics.stats import (
    mean_interval,
    median,
    percentile,
    rate_ratio,
    round_half_away,
    wilson_interval,
)
from cypmh.model import Area
from cypmh.model.asat import as_at
from cypmh.periods import Month, uniq_month_id

__all__ = [
    "Period",
    "Summary",
    "check_request",
    "compute",
    "finish",
    "level_reader",
    "month_rows",
    "reporting_month",
    "result_rows",
]


def finish(definition: MetricDefinition, summary: Summary) -> dict[str, object]:
    """Value, counts and interval of one metric over one group, from its summary."""
    kind = definition.aggregate
    if kind is Aggregate.COUNT:
        size = summary.count
        return {"value": float(size), "numerator": size, "base": size}
    if kind is Aggregate.PERCENTAGE:
        hits, total = summary.hits, summary.count
        if total == 0:
            return {"value": None, "numerator": 0, "denominator": 0, "base": 0}
        value = 100 * hits / total
        if definition.decimals is not None:
            value = round_half_away(value, definition.decimals)
        low, high = wilson_interval(hits, total) or (0.0, 0.0)
        return {
            "value": value,
            "numerator": hits,
            "denominator": total,
            "base": hits,
            "lower_ci": 100 * low,
            "upper_ci": 100 * high,
        }
    if kind is Aggregate.WEIGHTED_PERCENTAGE:
        # The members' weights are whole numbers (a school's pupils): the sums are exact.
        weight, hit_weight = round(summary.weight), round(summary.hit_weight)
        if weight == 0:
            return {"value": None, "numerator": 0, "denominator": 0, "base": 0}
        share = 100 * hit_weight / weight
        if definition.decimals is not None:
            share = round_half_away(share, definition.decimals)
        return {
            "value": share,
            "numerator": hit_weight,
            "denominator": weight,
            # What the share rests on is the members it counts (schools), not their weight.
            "base": summary.hits,
        }
    values = summary.values
    if kind in (Aggregate.MEDIAN, Aggregate.PERCENTILE_90):
        middle = median(values) if kind is Aggregate.MEDIAN else percentile(values, 0.9)
        return {"value": middle, "denominator": len(values), "base": len(values)}
    if kind is Aggregate.MEAN:
        interval = mean_interval(values)
        if interval is None:
            return {"value": None, "denominator": 0, "base": 0}
        return {
            "value": interval[0],
            "denominator": len(values),
            "base": len(values),
            "lower_ci": interval[1],
            "upper_ci": interval[2],
        }
    raise InvalidValueError("compute", "aggregate", kind, "is computed per breakdown level only")


def _row(
    definition: MetricDefinition, breakdown: str, level: str, fields: dict[str, object]
) -> ResultRow:
    return ResultRow(
        metric_id=definition.id,
        breakdown=breakdown,
        level=level,
        unit=definition.unit,
        **fields,  # type: ignore[arg-type]
    )


def _rate_ratio_rows(
    definition: MetricDefinition, groups: Mapping[str, Summary]
) -> list[ResultRow]:
    reference = groups.get(SocialCareStatus.NONE.value, Summary())
    rows = []
    for level, group in sorted(
        groups.items(), key=lambda item: level_order("social_care")(item[0])
    ):
        if level == SocialCareStatus.NONE.value:
            continue
        result = rate_ratio(group.hits, group.count, reference.hits, reference.count)
        value, low, high = result if result is not None else (None, None, None)
        rows.append(
            _row(
                definition,
                "social_care",
                level,
                {
                    "value": value,
                    "numerator": group.hits,
                    "denominator": group.count,
                    "base": min(group.hits, reference.hits),
                    "reference_numerator": reference.hits,
                    "reference_denominator": reference.count,
                    "lower_ci": low,
                    "upper_ci": high,
                },
            )
        )
    return rows


def result_rows(
    chosen: Sequence[MetricDefinition],
    breakdowns: Sequence[str],
    groups_of: Callable[[MetricDefinition, str], Mapping[str, Summary]],
    month: Month | None = None,
    basis: Basis | None = None,
    standard: Standard | None = None,
) -> list[ResultRow]:
    """The result rows of ``chosen`` metrics, before disclosure control.

    ``groups_of(definition, breakdown)`` gives the summary of each level of
    ``breakdown`` that has members (for :data:`WHOLE_AREA`, the one level
    ``"Total"``, even when the population is empty). With ``month``, every
    level of :func:`fixed_levels` gets a row too, empty where it has no
    members. Both engines call this, so the rows, their order and their
    arithmetic are the same. The metrics worked out with a population
    (:mod:`cypmh.metrics.need`) read ``basis``, and the standardised rates
    (:mod:`cypmh.metrics.standardised`) ``standard``.
    """
    rows: list[ResultRow] = []
    for definition in chosen:
        if definition.aggregate in STANDARDISED_AGGREGATES:
            month_id = uniq_month_id(month.last_day) if month is not None else 0
            rows += standardised_rows(definition, breakdowns, groups_of, standard, month_id)
            continue
        if definition.aggregate in POPULATION_AGGREGATES:
            rows += population_rows(definition, breakdowns, groups_of, basis, month)
            continue
        if definition.aggregate is Aggregate.RATE_RATIO:
            rows += _rate_ratio_rows(definition, groups_of(definition, "social_care"))
            continue
        whole = groups_of(definition, WHOLE_AREA).get(WHOLE_AREA, Summary())
        rows.append(_row(definition, WHOLE_AREA, WHOLE_AREA, finish(definition, whole)))
        for name in breakdowns:
            if name not in definition.breakdowns:
                continue
            groups = dict(groups_of(definition, name))
            for level in fixed_levels(name, month) if month is not None else ():
                groups.setdefault(level, Summary())
            rows += [
                _row(definition, name, level, finish(definition, groups[level]))
                for level in sorted(groups, key=level_order(name))
            ]
    return rows


@with_declared
def compute(
    area: Area,
    period: Period,
    *,
    metrics: Iterable[str] | None = None,
    breakdowns: Iterable[str] = (),
    disclosure: str = DEFAULT_POLICY,
    national: bool = False,
    options: MetricOptions | None = None,
) -> tuple[ResultRow, ...]:
    """Compute catalogue metrics for ``area`` and the reporting month ``period``.

    ``period`` names the reporting month (see :func:`reporting_month`: a month,
    ``"YYYY-MM"``, a UniqMonthID, or a quarter, financial year or rolling
    window, which report on their last month); each metric applies its own
    window ending on that month's last day. ``metrics`` are
    ids (default: the whole catalogue); ``breakdowns`` are names from
    :data:`~cypmh.metrics.catalogue.BREAKDOWNS`, applied to the metrics that
    allow them, after the whole-area row (breakdown and level ``"Total"``).
    ``disclosure`` names the policy applied afterwards (``safe``, the
    default; ``mhsds``, ``hes`` or ``dfe`` as their publishers apply them; or
    ``none``). The ``thrive`` breakdown reads the area's THRIVE grouping
    records (:attr:`~cypmh.model.Area.groupings`).

    >>> from cypmh.synth.examples import example_area
    >>> rows = compute(example_area(), "2025-03", metrics=["REJ01", "REJ01a"], disclosure="none")
    >>> [(r.metric_id, r.value) for r in rows]
    [('REJ01', 0.0), ('REJ01a', 1.0)]
    """
    options = options or MetricOptions()
    chosen, wanted = check_request(
        metrics,
        breakdowns,
        disclosure,
        population=options.population is not None,
        deprivation=bool(options.deprivation),
        direct_contacts_only=options.direct_contacts_only,
        population_groups=options.population_groups is not None,
    )
    rows = month_rows(
        area,
        reporting_month(period),
        chosen,
        wanted,
        options=options,
    )
    return apply_disclosure(rows, disclosure, national=national)


def month_rows(
    area: Area,
    month: Month,
    chosen: Sequence[MetricDefinition],
    wanted: Sequence[str],
    *,
    options: MetricOptions,
) -> list[ResultRow]:
    """One month's result rows over ``area`` as at the month's end, before disclosure control."""
    ctx = Context(
        area=as_at(area, month.last_day),
        month=month,
        options=options,
    )
    populations: dict[str, Populations] = {}

    def groups_of(definition: MetricDefinition, breakdown: str) -> dict[str, Summary]:
        if definition.family not in populations:
            populations[definition.family] = ALL_FAMILIES[definition.family](ctx)
        members = populations[definition.family][definition.population_for(breakdown)]
        if breakdown == WHOLE_AREA:
            return {WHOLE_AREA: Summary.of(members)}
        level_of = level_reader(ctx, breakdown)
        groups: defaultdict[str, list[Observation]] = defaultdict(list)
        for obs in members:
            groups[level_of(obs)].append(obs)
        return {level: Summary.of(group) for level, group in groups.items()}

    return result_rows(chosen, wanted, groups_of, month, basis_of(options), standard_of(options))
