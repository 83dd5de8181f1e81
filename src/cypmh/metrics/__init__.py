"""The KPI catalogue, both engines, disclosure control and series of months.

Every metric is declared once in :data:`CATALOGUE` (id, name, window,
numerator, denominator, definition, source, deviation) and computed by
:func:`compute`, which returns :class:`ResultRow` objects after the chosen
disclosure control.
"""

from typing import TYPE_CHECKING

from cypmh.metrics.catalogue import BREAKDOWNS, CATALOGUE, MetricDefinition, metric
from cypmh.metrics.disclosure import POLICIES, apply_disclosure
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
    "Series",
    "Unit",
    "apply_disclosure",
    "compute",
    "compute_frames",
    "compute_series",
    "members",
    "members_frames",
    "metric",
    "to_frame",
    "why",
]

# The engine and the options import the pathways and THRIVE: load them on first use,
# so that reading the catalogue (as `cypmh --help` does) stays quick.
_LAZY = {
    "compute": "cypmh.metrics.engine",
    "MetricOptions": "cypmh.metrics.families",
    "Series": "cypmh.metrics.series",
    "compute_series": "cypmh.metrics.series",
    "compute_frames": "cypmh.metrics.frames.engine",
    "to_frame": "cypmh.metrics.table",
    "members": "cypmh.metrics.drilldown",
    "members_frames": "cypmh.metrics.drilldown",
    "why": "cypmh.metrics.why",
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        # Imported on first use, for start-up time.
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'cypmh.metrics' has no attribute {name!r}")


if TYPE_CHECKING:
    from cypmh.metrics.drilldown import members, members_frames
    from cypmh.metrics.engine import compute
    from cypmh.metrics.families import MetricOptions
    from cypmh.metrics.frames.engine import compute_frames
    from cypmh.metrics.series import Series, compute_series
    from cypmh.metrics.table import to_frame
    from cypmh.metrics.why import why
