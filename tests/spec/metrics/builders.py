"""Helpers for the metric spec tests: build small areas and read one result, on the engine
the ``engine`` fixture (``conftest.py``) has chosen."""

from contextvars import ContextVar
from datetime import date

from cypmh.metrics import WHOLE_AREA, compute

ENGINE: ContextVar[str] = ContextVar("engine", default="reference")
"""The engine the helpers compute on (set per test by the ``engine`` fixture)."""

PERIOD = "2025-03"  # every spec test reports on March 2025 unless it says otherwise
PERIOD_END = date(2025, 3, 31)


def results(area, *metric_ids, breakdowns=(), **options):
    """The rows of ``metric_ids`` without disclosure control, keyed by (id, breakdown, level)."""
    rows = compute(
        area,
        PERIOD,
        engine=ENGINE.get(),
        metrics=list(metric_ids),
        breakdowns=breakdowns,
        disclosure="none",
        **options,
    )
    return {(r.metric_id, r.breakdown, r.level): r for r in rows}


def value(area, metric_id, breakdown=WHOLE_AREA, level=WHOLE_AREA, **options):
    rows = results(
        area, metric_id, breakdowns=() if breakdown == WHOLE_AREA else (breakdown,), **options
    )
    return rows[(metric_id, breakdown, level)].value
