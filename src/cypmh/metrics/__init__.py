"""The KPI catalogue and the reference engine.

Every metric is declared once in :data:`CATALOGUE` (id, name, window,
numerator, denominator, definition, source, deviation) and computed by
:func:`compute`, which returns :class:`ResultRow` objects after the chosen
disclosure control.
"""

from cypmh.metrics.catalogue import BREAKDOWNS, CATALOGUE, MetricDefinition, metric
from cypmh.metrics.disclosure import POLICIES, apply_disclosure
from cypmh.metrics.engine import compute
from cypmh.metrics.families import MetricOptions
from cypmh.metrics.results import WHOLE_AREA, Aggregate, ResultRow, Unit

__all__ = [
    "BREAKDOWNS",
    "CATALOGUE",
    "POLICIES",
    "WHOLE_AREA",
    "Aggregate",
    "MetricDefinition",
    "MetricOptions",
    "ResultRow",
    "Unit",
    "apply_disclosure",
    "compute",
    "metric",
]
