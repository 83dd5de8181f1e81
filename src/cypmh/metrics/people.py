"""The people in each metric's population, for the whole area.

What a report's notes on rejected rows read (:mod:`cypmh.metrics.notes`). On an area,
each population's members are listed (:func:`cypmh.metrics.drilldown.members`); on the
dataframe engine's tables, each family's query is built once for all its
populations and only the people are collected.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from cypmh.metrics.drilldown import member_request, members, month_frames
from cypmh.metrics.options import MetricOptions
from cypmh.metrics.request import Period, reporting_month
from cypmh.metrics.results import Aggregate
from cypmh.model import Area

if TYPE_CHECKING:
    from cypmh.metrics.frames.engine import PreparedTables

__all__ = ["population_people"]


def population_people(
    target: Area | Mapping[str, Any] | PreparedTables,
    period: Period,
    metric_ids: Iterable[str],
    *,
    options: MetricOptions | None = None,
) -> dict[str, frozenset[str]]:
    """The people among the members of each metric's population, for the whole area.

    ``target`` is an :class:`~cypmh.model.Area` (:func:`members`) or the
    dataframe engine's tables. Metrics of one family population share their
    members, which are listed once; on tables each family's query is built
    once for all its populations, and only the people are collected. A metric
    without members (the estimates of need) is left out.
    """
    wanted: dict[str, tuple[str, str]] = {}
    for metric_id in metric_ids:
        definition = member_request(metric_id, period, None, None, options).definition
        if definition.aggregate is not Aggregate.EXPECTED:
            wanted[metric_id] = (definition.family, definition.population)
    if isinstance(target, Area):
        shared: dict[tuple[str, str], frozenset[str]] = {}
        for metric_id, key in wanted.items():
            if key not in shared:
                listed = members(target, metric_id, period, options=options)
                shared[key] = frozenset(m.person_id for m in listed if m.person_id)
    else:
        shared = _people_frames(target, period, set(wanted.values()), options)
    return {metric_id: shared.get(key, frozenset()) for metric_id, key in wanted.items()}


def _people_frames(
    tables: Mapping[str, Any] | PreparedTables,
    period: Period,
    keys: set[tuple[str, str]],
    options: MetricOptions | None,
) -> dict[tuple[str, str], frozenset[str]]:
    """:func:`population_people` on the dataframe engine: each family built once."""
    # Imported here: the dataframe engine needs the frames extra (narwhals).
    import narwhals as nw

    from cypmh.metrics.families import FRAME_FAMILIES

    ctx = month_frames(tables, reporting_month(period), options or MetricOptions())
    found: dict[tuple[str, str], set[str]] = {key: set() for key in keys}
    for family in sorted({family for family, _ in keys}):
        for base in FRAME_FAMILIES[family](ctx):
            for name, population in base.populations.items():
                if (family, name) not in keys:
                    continue
                # As a column first: a member rule may be a literal, which filter refuses.
                people = (
                    base.frame.with_columns(population.member.fill_null(False).alias("m_member"))
                    .filter(nw.col("m_member"))
                    .select("person_id")
                    .unique()
                    .collect()
                )
                found[(family, name)] |= {
                    str(person) for person in people.get_column("person_id").to_list() if person
                }
    return {key: frozenset(people) for key, people in found.items()}
