"""The KPI catalogue, both engines, disclosure control and series of months.

Every metric is declared once in :data:`CATALOGUE` (id, name, window,
numerator, denominator, definition, source, deviation) and computed by
:func:`compute` on the engine chosen by ``engine=`` (:mod:`cypmh.metrics.api`),
which returns :class:`ResultRow` objects after the chosen disclosure control.
An area's own KPIs (:mod:`cypmh.metrics.kpis`) are computed beside the catalogue's
when given in :class:`MetricOptions` (``kpis=``); :func:`definitions` and
:func:`metric` find them within :func:`declaring`, as every engine and command does.
``compute_frames`` and ``members_frames`` are deprecated names, kept for one
release: ``compute`` and ``members`` take tables, or ``engine=``.
"""

from typing import TYPE_CHECKING

from cypmh._lazy import lazy_names
from cypmh.metrics.definition import BREAKDOWNS, MetricDefinition
from cypmh.metrics.results import WHOLE_AREA, Aggregate, ResultRow, Unit

__all__ = [
    "BREAKDOWNS",
    "CATALOGUE",
    "ENGINES",
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
    "compute_series",
    "declaring",
    "definitions",
    "members",
    "metric",
    "to_frame",
    "why",
]

DEPRECATED = {
    "compute_frames": 'compute(tables) or compute(area, ..., engine="polars")',
    "members_frames": 'members(tables, ...) or members(area, ..., engine="polars")',
}
"""The names with the engine in them, kept for one release (see the changelog)."""

# The catalogue gathers every family's module, and the engines and the options import the
# pathways and THRIVE: load them on first use, so that `cypmh --help` stays quick.
_HOMES = {
    "cypmh.metrics.catalogue": ("CATALOGUE", "declaring", "definitions", "metric"),
    "cypmh.metrics.disclosure": ("POLICIES", "apply_disclosure"),
    "cypmh.metrics.api": ("ENGINES", "compute", "compute_series", "members", "why"),
    "cypmh.metrics.families": ("MetricOptions",),
    "cypmh.metrics.series": ("Series",),
    "cypmh.metrics.frames.engine": ("compute_frames",),
    "cypmh.metrics.table": ("to_frame",),
    "cypmh.metrics.drilldown": ("members_frames",),
}

__getattr__, __dir__ = lazy_names("cypmh.metrics", _HOMES, globals(), DEPRECATED)

if TYPE_CHECKING:
    from cypmh.metrics.api import ENGINES, compute, compute_series, members, why
    from cypmh.metrics.catalogue import CATALOGUE, declaring, definitions, metric
    from cypmh.metrics.disclosure import POLICIES, apply_disclosure
    from cypmh.metrics.drilldown import members_frames as members_frames
    from cypmh.metrics.families import MetricOptions
    from cypmh.metrics.frames.engine import compute_frames as compute_frames
    from cypmh.metrics.series import Series
    from cypmh.metrics.table import to_frame
