"""The KPI catalogue: every metric, gathered from the families in order.

Each family module (:mod:`cypmh.metrics.families`) declares its own metrics
(``METRICS``) beside the code that works them out; the metrics that read the
area's population come after them (:mod:`cypmh.metrics.need_catalogue`).
A metric's id is the MHSDS measure id where its definition is the national
one (``mhsds=True``), cypmh's own otherwise. Each declaration says which
population of its family it aggregates and how, its window, its numerator
and denominator, its definition in words, its source, any deviation from the
source, which way is better and any national target, and the spec test whose
worked example documents it. The docs' metric pages are generated from these
declarations.
"""

from __future__ import annotations

from collections.abc import Mapping

from cypmh.errors import InvalidValueError
from cypmh.metrics.definition import BREAKDOWNS, MetricDefinition
from cypmh.metrics.families import MODULES
from cypmh.metrics.need_catalogue import NEED_DEFINITIONS

__all__ = ["BREAKDOWNS", "CATALOGUE", "MetricDefinition", "metric"]


_DEFINITIONS = [
    *(definition for module in MODULES.values() for definition in module.METRICS),
    *NEED_DEFINITIONS,
]

CATALOGUE: Mapping[str, MetricDefinition] = {d.id: d for d in _DEFINITIONS}
"""Every metric, by id, in the catalogue's order."""

if len(CATALOGUE) != len(_DEFINITIONS):  # pragma: no cover - guards the declarations above
    raise RuntimeError("a metric id is declared twice")


def metric(metric_id: str) -> MetricDefinition:
    """The metric with this id; :class:`~cypmh.errors.InvalidValueError` lists the ids otherwise."""
    try:
        return CATALOGUE[metric_id]
    except KeyError:
        raise InvalidValueError(
            "catalogue", "metric_id", metric_id, f"is not a metric: {', '.join(CATALOGUE)}"
        ) from None
