"""Results out: the KPI report in each format, the trend report, the need panel, data quality.

- :mod:`cypmh.report.kpi`: a month's report as the publication's CSV, JSON, HTML or text;
- :mod:`cypmh.report.trend`: a series of months, with its SPC columns and board page;
- :mod:`cypmh.report.trends`: each series read as an SPC chart (what is published only);
- :mod:`cypmh.report.need_panel`: need and reach;
- :mod:`cypmh.report.quality`: the data-quality section, under the report's disclosure policy.

This layer reads :mod:`cypmh.metrics`, :mod:`cypmh.spc` and :mod:`cypmh.io` and is read
only by the command line. The names below are imported from their modules on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cypmh._lazy import lazy_names

__all__ = [
    "NeedPanel",
    "Trend",
    "need_panel",
    "read_trends",
    "to_csv",
    "to_html",
    "to_json",
    "to_records",
    "trend_csv",
    "trend_html",
    "trend_json",
    "trend_text",
]

_HOMES = {
    "cypmh.report.kpi": ("to_csv", "to_html", "to_json", "to_records"),
    "cypmh.report.trend": ("trend_csv", "trend_html", "trend_json", "trend_text"),
    "cypmh.report.trends": ("Trend", "read_trends"),
    "cypmh.report.need_panel": ("NeedPanel", "need_panel"),
}

__getattr__, __dir__ = lazy_names("cypmh.report", _HOMES, globals())

if TYPE_CHECKING:
    from cypmh.report.kpi import to_csv, to_html, to_json, to_records
    from cypmh.report.need_panel import NeedPanel, need_panel
    from cypmh.report.trend import trend_csv, trend_html, trend_json, trend_text
    from cypmh.report.trends import Trend, read_trends
