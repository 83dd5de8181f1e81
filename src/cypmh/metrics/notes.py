"""What qualifies a run's values: notes that every output shows beside the metrics they touch.

A note is not a footnote: the reports put it beside the value (the ``NOTE``
column of the CSV and JSON, a line under the value in the text report, the
headline table and the metric's section on a page), and the command line
warns of it on standard error; ``cypmh report --strict`` refuses to publish
a run that has one.
"""

from __future__ import annotations

from collections.abc import Iterable

from cypmh.metrics.catalogue import CATALOGUE
from cypmh.metrics.options import MetricOptions

__all__ = ["UNDERCOUNT", "run_notes"]

UNDERCOUNT = (
    "Undercounts: the four-week clock stopped only on cypmh's two default intervention "
    "codes, not on the MHSDS reference sets NHS England uses. Give --intervention-codes "
    "(the SNOMED CT UK release's simple refset file) for comparable figures."
)
"""The note on every four-week metric computed without an area's intervention codes."""


def run_notes(options: MetricOptions, metric_ids: Iterable[str]) -> dict[str, str]:
    """The notes on ``metric_ids`` computed with ``options``, by metric id (none: empty).

    An id that is not in the catalogue has no note (the caller reports it).

    >>> sorted(run_notes(MetricOptions(), ["MRS08", "MHS95", "MRS09"]))
    ['MRS08', 'MRS09']
    """
    codes = options.interventions
    if codes is not None and not codes.is_default:
        return {}
    four_week = {m for m, d in CATALOGUE.items() if d.family == "four_week_waits"}
    return {m: UNDERCOUNT for m in metric_ids if m in four_week}
