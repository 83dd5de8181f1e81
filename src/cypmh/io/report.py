"""Write metric results: the publication's long CSV, JSON, and an HTML report for people.

The layouts are the contract's (``shared/spec/extract-format.md``, "Output").
"""

from __future__ import annotations

import base64
import csv
import html
import io
import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from cypmh.io.readers import QualityReport
from cypmh.metrics import CATALOGUE, WHOLE_AREA, ResultRow
from cypmh.metrics.disclosure import DEFAULT_POLICY
from cypmh.periods import Month, RollingMonths

__all__ = ["BREAKDOWN_NAMES", "COLUMNS", "to_csv", "to_html", "to_json", "to_records"]

COLUMNS = (
    "REPORTING_PERIOD_START",
    "REPORTING_PERIOD_END",
    "STATUS",
    "BREAKDOWN",
    "PRIMARY_LEVEL",
    "PRIMARY_LEVEL_DESCRIPTION",
    "SECONDARY_LEVEL",
    "SECONDARY_LEVEL_DESCRIPTION",
    "MEASURE_ID",
    "MEASURE_NAME",
    "MEASURE_VALUE",
)
"""The columns of the MHSDS monthly statistics' long format, in order."""

BREAKDOWN_NAMES = {
    "age_band": "Age Group (CYP)",
    "sex": "Gender",
    "ethnicity": "Ethnic Category",
    "social_care": "Social Care Status",
    "provider": "Provider",
    "school_link": "School Link",
    "thrive": "THRIVE Grouping",
}
"""How each breakdown is named in the ``BREAKDOWN`` column, after ``England;`` and a space."""


def _level_description(breakdown: str, level: str) -> str:
    if breakdown == "social_care":
        return level.replace("_", " ").capitalize()
    return level


def _start(month: Month, metric_id: str) -> date:
    return RollingMonths(last=month, months=CATALOGUE[metric_id].months).start


def _ci(shown: str) -> float | str | None:
    """An interval bound for JSON: a number, ``"*"`` when suppressed, ``None`` when undefined."""
    if shown == "":
        return None
    return shown if shown == "*" else float(shown)


def to_records(
    rows: Sequence[ResultRow],
    month: Month,
    *,
    status: str = "Final",
    area_name: str = "England",
    disclosure: str = DEFAULT_POLICY,
) -> list[dict[str, Any]]:
    """The rows as the long format's records, with the JSON's extra keys.

    Whole-area rows have ``BREAKDOWN`` and ``PRIMARY_LEVEL`` ``England`` (the
    publication's name for the top level) and ``area_name`` as the level's
    description. Numerators, denominators and intervals are the rows' published
    fields (see :mod:`cypmh.metrics.disclosure`); ``disclosure`` is kept for
    callers that name the policy, which the rows already carry out.
    """
    records = []
    for row in rows:
        whole = row.breakdown == WHOLE_AREA
        records.append(
            {
                "REPORTING_PERIOD_START": _start(month, row.metric_id).isoformat(),
                "REPORTING_PERIOD_END": month.last_day.isoformat(),
                "STATUS": status,
                "BREAKDOWN": "England" if whole else f"England; {BREAKDOWN_NAMES[row.breakdown]}",
                "PRIMARY_LEVEL": "England" if whole else row.level,
                "PRIMARY_LEVEL_DESCRIPTION": area_name
                if whole
                else _level_description(row.breakdown, row.level),
                "SECONDARY_LEVEL": "NONE",
                "SECONDARY_LEVEL_DESCRIPTION": "NONE",
                "MEASURE_ID": row.metric_id,
                "MEASURE_NAME": CATALOGUE[row.metric_id].name,
                "MEASURE_VALUE": row.shown,
                "NUMERATOR": row.shown_numerator,
                "DENOMINATOR": row.shown_denominator,
                "LOWER_CI": _ci(row.shown_lower_ci),
                "UPPER_CI": _ci(row.shown_upper_ci),
            }
        )
    return records


def to_csv(records: Sequence[dict[str, Any]]) -> str:
    """The long CSV: the publication's columns only."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([record[c] for c in COLUMNS] for record in records)
    return buffer.getvalue()


def to_json(records: Sequence[dict[str, Any]]) -> str:
    """A JSON array of the records (the long format's keys plus numerator, denominator, CI)."""
    return json.dumps(list(records), indent=2, ensure_ascii=False)


def _can_chart() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def chart_bars(rows: Sequence[ResultRow]) -> list[tuple[str, float]]:
    """The bars of a metric's chart: each level's *published* value, suppressed levels left out.

    Charts must not show more than the tables, so they plot ``shown``, never ``value``.
    """
    bars = []
    for row in rows:
        if row.shown in ("", "*"):
            continue
        if row.breakdown == WHOLE_AREA:
            label = "All"
        else:
            label = (
                f"{BREAKDOWN_NAMES[row.breakdown]}: {_level_description(row.breakdown, row.level)}"
            )
        bars.append((label, float(row.shown)))
    return bars


def _chart(metric_id: str, rows: Sequence[ResultRow]) -> str | None:
    """A bar chart of the metric's published values as an inline SVG; ``None`` if there are none."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = chart_bars(rows)
    if not shown:
        return None
    figure, axes = plt.subplots(figsize=(7, 0.35 * len(shown) + 1.2))
    axes.barh([label for label, _ in shown][::-1], [v for _, v in shown][::-1], color="#2c6e99")
    axes.set_title(f"{metric_id} ({CATALOGUE[metric_id].unit.value})", fontsize=9)
    axes.tick_params(labelsize=8)
    figure.tight_layout()
    buffer = io.BytesIO()
    # A fixed salt for the SVG's element ids and no creation date: reruns give the same bytes.
    with matplotlib.rc_context({"svg.hashsalt": "cypmh"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(figure)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem}"
    "table{border-collapse:collapse;margin:.5rem 0 1.5rem}"
    "td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}"
    "td.n{text-align:right}small{color:#555}"
)


def _table(
    header: Sequence[str], rows: Sequence[Sequence[object]], numeric: Sequence[int] = ()
) -> str:
    """An HTML table; cells are escaped, except those already marked up as links."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = []
    for row in rows:
        cells = []
        for index, cell in enumerate(row):
            text = cell if isinstance(cell, _Markup) else html.escape(str(cell))
            cells.append(f"<td class='n'>{text}</td>" if index in numeric else f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>" + "".join(body) + "</table>"


class _Markup(str):
    """Text that is already HTML."""


def to_html(
    rows: Sequence[ResultRow],
    month: Month,
    *,
    area_name: str,
    disclosure: str,
    quality: QualityReport | None = None,
    charts: bool = True,
) -> str:
    """A self-contained HTML report for people.

    Headlines, breakdowns, a chart per metric, the data-quality summary and
    the definition behind every number. Charts need matplotlib (``pip install
    cypmh[report]``); without it the page says so and has none.
    """
    e = html.escape
    by_metric: dict[str, list[ResultRow]] = {}
    for row in rows:
        by_metric.setdefault(row.metric_id, []).append(row)
    body = [
        f"<h1>{e(area_name)}: children and young people's mental health, {month}</h1>",
        f"<p><small>Disclosure control: {e(disclosure)}. Every metric's window ends on "
        f"{month.last_day}. Made with cypmh.</small></p>",
    ]
    headlines = []
    for metric_id, metric_rows in by_metric.items():
        whole = next((r for r in metric_rows if r.breakdown == WHOLE_AREA), None)
        if whole is None:
            continue
        interval = ""
        if whole.shown_lower_ci not in ("", "*") and whole.shown_upper_ci not in ("", "*"):
            interval = f"{whole.shown_lower_ci} to {whole.shown_upper_ci}"
        link = _Markup(f"<a href='#{e(metric_id)}'>{e(metric_id)}</a>")
        headlines.append((link, CATALOGUE[metric_id].name, whole.shown, interval))
    body += [
        "<h2>Headlines</h2>",
        _table(("Id", "Measure", "Value", "95% interval"), headlines, (2,)),
    ]
    body.append("<h2>Metrics</h2>")
    charts = charts and _can_chart()
    for metric_id, metric_rows in by_metric.items():
        definition = CATALOGUE[metric_id]
        body.append(f"<h3 id='{e(metric_id)}'>{e(metric_id)}: {e(definition.name)}</h3>")
        levels = [
            (
                "All" if r.breakdown == WHOLE_AREA else BREAKDOWN_NAMES[r.breakdown],
                area_name
                if r.breakdown == WHOLE_AREA
                else _level_description(r.breakdown, r.level),
                r.shown,
            )
            for r in metric_rows
        ]
        body.append(_table(("Breakdown", "Level", "Value"), levels, (2,)))
        image = _chart(metric_id, metric_rows) if charts else None
        if image is not None:
            body.append(f"<img alt='Chart of {e(metric_id)}' src='{image}'>")
        facts = [
            f"<p>{e(definition.definition)}</p>",
            f"<p><b>Window:</b> {e(definition.window)}.",
            f" <b>Numerator:</b> {e(definition.numerator)}.",
            f" <b>Denominator:</b> {e(definition.denominator or '—')}.</p>",
            f"<p><b>Source:</b> {e(definition.source)}</p>",
        ]
        if definition.deviation:
            facts.append(f"<p><b>Deviation:</b> {e(definition.deviation)}</p>")
        body.append(
            "<details><summary>Definition and source</summary>" + "".join(facts) + "</details>"
        )
    if not _can_chart():
        body.insert(2, "<p><small>Charts need matplotlib: pip install 'cypmh[report]'.</small></p>")
    if quality is not None:
        counts = [(f, c.read, c.used, c.rejected) for f, c in quality.files.items()]
        body += [
            "<h2>Data quality</h2>",
            _table(("File", "Read", "Used", "Rejected"), counts, (1, 2, 3)),
        ]
        if quality.warnings:
            body.append("<ul>" + "".join(f"<li>{e(w)}</li>" for w in quality.warnings) + "</ul>")
        summary = quality.summary()
        if summary:
            body.append(
                f"<p>{quality.rejected} rows were rejected. By file, column and reason "
                "(the rows themselves are listed by <code>cypmh validate</code>, which is "
                "record-level and stays with the data controller):</p>"
            )
            body.append(
                _table(
                    ("File", "Column", "Reason", "Rows"),
                    [(f, c, r, n) for f, c, r, n in summary],
                    (3,),
                )
            )
    title = f"cypmh report: {e(area_name)}, {month}"
    head = f"<head><meta charset='utf-8'><title>{title}</title><style>{_STYLE}</style></head>"
    return f"<!DOCTYPE html><html lang='en'>{head}<body>" + "\n".join(body) + "</body></html>"
