"""Write metric results: the publication's long CSV, JSON, and an HTML report for people.

The long layout is the one NHS England publishes; the reference page on reading and
writing says how cypmh's file joins to theirs.
"""

from __future__ import annotations

import base64
import html
import io
import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from cypmh.io.published import COLUMNS, csv_text, read_published
from cypmh.io.readers import QualityReport
from cypmh.metrics import WHOLE_AREA, ResultRow, definitions
from cypmh.metrics.disclosure import DEFAULT_POLICY, disclose_count
from cypmh.metrics.need import NEEDS_POPULATION
from cypmh.metrics.table import level_label
from cypmh.periods import Month, RollingMonths
from cypmh.report.deprivation_panel import GradientPanel, gradient_html
from cypmh.report.need_panel import PANEL_STYLE, NeedPanel, panel_html
from cypmh.report.quality import Markup, html_table, quality_html

__all__ = [
    "BREAKDOWN_NAMES",
    "COLUMNS",
    "CONTEXT_COLUMNS",
    "JOIN_KEY",
    "can_chart",
    "read_published",
    "settings_html",
    "to_csv",
    "to_html",
    "to_json",
    "to_records",
]


BREAKDOWN_NAMES = {
    "age_band": "England; Age Band",
    "sex": "England; Gender",
    "ethnicity": "England; Upper Ethnicity",
    "wnw_ethnicity": "England; Ethnicity (White British/Non-White British)",
    "imd_decile": "England; IMD Decile",
    "imd_quintile": "England; IMD Quintile",
    "imd_core20": "England; IMD Core20",
    "social_care": "England; Social Care Status",
    "social_care_imd": "England; Social Care Status; IMD Quintile",
    "provider": "Provider",
    "school_link": "England; School Link",
    "thrive": "England; THRIVE Grouping",
    "referral_source": "England; Source of Referral",
    "team_type": "England; Service or Team Type Referred To",
    "referral_reason": "England; Primary reason for referral",
    "by": "England; Declared KPI's Own Column",
}
"""Each breakdown's name in the ``BREAKDOWN`` column: the publication's own names
(``menh_bbrb/notebooks/breakdown_metadata.py``) for the national breakdowns, and
cypmh's own breakdowns named in the same style. The whole area is ``England``."""

LABELS = {
    "age_band": "Age band",
    "sex": "Gender",
    "ethnicity": "Upper ethnicity",
    "wnw_ethnicity": "White British / non-White British",
    "imd_decile": "Deprivation decile (IMD)",
    "imd_quintile": "Deprivation quintile (IMD)",
    "imd_core20": "Most deprived fifth of neighbourhoods (IMD Core20)",
    "social_care": "Social care status",
    "social_care_imd": "Social care status by deprivation quintile (IMD)",
    "provider": "Provider",
    "school_link": "School link",
    "thrive": "THRIVE grouping",
    "referral_source": "Source of referral",
    "team_type": "Team type referred to",
    "referral_reason": "Primary reason for referral",
    "by": "The KPI's own column (its by)",
}
"""Each breakdown's name for people (the HTML report)."""


CONTEXT_COLUMNS = ("NOTE", "SETTINGS")
"""The columns cypmh writes after the publication's: ``NOTE``, what qualifies a row's value
(a metric computed with a code set that undercounts, a publication rule), and ``SETTINGS``,
the settings that produced the file (the same on every row, so that any part of the file
still says them)."""

JOIN_KEY = ("BREAKDOWN", "PRIMARY_LEVEL", "MEASURE_ID")
"""The columns a dashboard joins cypmh's file to NHS England's on (with the period)."""


RULE_NOTES = {
    "MHS133": "Publication rule: a rejected or closed referral with no discharge date counts as "
    "still waiting. WAIT01 counts only the referrals still open.",
    "WAIT01": "cypmh's companion to MHS133: referrals still waiting that are neither rejected "
    "nor closed at the period end.",
}
"""The one-line notes the reports show, unhidden, beside the metrics they qualify."""


def _level_description(breakdown: str, level: str) -> str:
    return level_label(breakdown, level)


def _start(month: Month, metric_id: str) -> date:
    return RollingMonths(last=month, months=definitions()[metric_id].reporting_months).start


def _measure_value(row: ResultRow) -> str:
    """The published value; a cell with no members is ``0``, or ``*`` where the policy hides it.

    The publication writes every cell, so a value with nothing to be taken over
    (a median or percentage of no one) is written as the count of its members
    is: ``0`` at England level or without disclosure control, ``*`` otherwise.
    """
    if row.shown == "" and row.denominator == 0:
        return row.shown_denominator or "0"
    return row.shown


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
    basis: str | None = None,
    settings: str = "",
    notes: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """The rows as the long format's records, with the JSON's extra keys.

    ``settings`` (:meth:`cypmh.cli.settings.RunSettings.line`) fills every
    record's ``SETTINGS``; ``notes`` (by metric id) and the publication-rule
    notes (:data:`RULE_NOTES`) fill ``NOTE``.

    ``basis`` (:attr:`cypmh.metrics.need.Basis.label`) is added to the
    ``MEASURE_NAME`` of every metric worked out with a population, so that
    each such row says which scheme and population it used.

    Whole-area rows have ``BREAKDOWN`` and ``PRIMARY_LEVEL`` ``England`` (the
    publication's name for the top level) and ``area_name`` as the level's
    description; the breakdowns are named as :data:`BREAKDOWN_NAMES` says, and
    ``REPORTING_PERIOD_START`` is the first day of each measure's own window.
    Numerators, denominators and intervals are the rows' published fields
    (see :mod:`cypmh.metrics.disclosure`); ``disclosure`` is kept for callers
    that name the policy, which the rows already carry out.
    """
    records = []
    for row in rows:
        whole = row.breakdown == WHOLE_AREA
        records.append(
            {
                "REPORTING_PERIOD_START": _start(month, row.metric_id).isoformat(),
                "REPORTING_PERIOD_END": month.last_day.isoformat(),
                "STATUS": status,
                "BREAKDOWN": "England" if whole else BREAKDOWN_NAMES[row.breakdown],
                "PRIMARY_LEVEL": "England" if whole else row.level,
                "PRIMARY_LEVEL_DESCRIPTION": area_name
                if whole
                else _level_description(row.breakdown, row.level),
                "SECONDARY_LEVEL": "NONE",
                "SECONDARY_LEVEL_DESCRIPTION": "NONE",
                "MEASURE_ID": row.metric_id,
                "MEASURE_NAME": _measure_name(row.metric_id, basis),
                "MEASURE_VALUE": _measure_value(row),
                "NUMERATOR": row.shown_numerator,
                "DENOMINATOR": row.shown_denominator,
                "LOWER_CI": _ci(row.shown_lower_ci),
                "UPPER_CI": _ci(row.shown_upper_ci),
                "NOTE": _row_note(row, notes),
                "SETTINGS": settings,
            }
        )
    return records


def _row_note(row: ResultRow, notes: Mapping[str, str] | None) -> str:
    """A row's ``NOTE``: why it is not available, else its metric's notes."""
    if row.unavailable:
        return f"Not available: {row.unavailable}."
    return note_of(row.metric_id, notes)


def note_of(metric_id: str, notes: Mapping[str, str] | None = None) -> str:
    """What qualifies ``metric_id``'s values: the run's note for it, then its rule note."""
    said = [(notes or {}).get(metric_id, ""), RULE_NOTES.get(metric_id, "")]
    return " ".join(note for note in said if note)


def _measure_name(metric_id: str, basis: str | None) -> str:
    definition = definitions()[metric_id]
    if basis is None or definition.aggregate not in NEEDS_POPULATION:
        return definition.name
    return f"{definition.name} [{basis}]"


def to_csv(records: Sequence[dict[str, Any]]) -> str:
    """The long CSV: the publication's columns, then :data:`CONTEXT_COLUMNS`."""
    columns = (*COLUMNS, *CONTEXT_COLUMNS)
    return csv_text(columns, ([record.get(c, "") for c in columns] for record in records))


def settings_html(settings: Sequence[tuple[str, str]]) -> str:
    """The settings that produced a page, as a small table under its title."""
    if not settings:
        return ""
    return (
        "<details class='settings'><summary>Settings used</summary>"
        + html_table(("Setting", "Value (and where it came from)"), settings)
        + "</details>"
    )


def to_json(records: Sequence[dict[str, Any]]) -> str:
    """A JSON array of the records (the long format's keys plus numerator, denominator, CI)."""
    return json.dumps(list(records), indent=2, ensure_ascii=False)


def can_chart() -> bool:
    """Whether matplotlib (the ``report`` extra) is installed, for the charts."""
    try:
        # Imported here: an optional extra.
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
        if row.shown in ("", "*") or row.unavailable:
            continue
        if row.breakdown == WHOLE_AREA:
            label = "All"
        else:
            label = f"{LABELS[row.breakdown]}: {_level_description(row.breakdown, row.level)}"
        bars.append((label, float(row.shown)))
    return bars


def _chart(metric_id: str, rows: Sequence[ResultRow]) -> str | None:
    """A bar chart of the metric's published values as an inline SVG; ``None`` if there are none."""
    # Imported here: an optional extra.
    import matplotlib

    matplotlib.use("Agg")
    # Imported here: an optional extra.
    import matplotlib.pyplot as plt

    shown = chart_bars(rows)
    if not shown:
        return None
    figure, axes = plt.subplots(figsize=(7, 0.35 * len(shown) + 1.2))
    axes.barh([label for label, _ in shown][::-1], [v for _, v in shown][::-1], color="#2c6e99")
    axes.set_title(f"{metric_id} ({definitions()[metric_id].unit.value})", fontsize=9)
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
    ".rule{background:#fff9c4;padding:.25rem .5rem}"
    "table{border-collapse:collapse;margin:.5rem 0 1.5rem}"
    "td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}"
    "td.n{text-align:right}small{color:#555}"
)


def to_html(
    rows: Sequence[ResultRow],
    month: Month,
    *,
    area_name: str,
    disclosure: str,
    quality: QualityReport | None = None,
    charts: bool = True,
    panel: NeedPanel | None = None,
    gradient: GradientPanel | None = None,
    settings: Sequence[tuple[str, str]] = (),
    notes: Mapping[str, str] | None = None,
) -> str:
    """A self-contained HTML report for people.

    ``settings`` (:meth:`cypmh.cli.settings.RunSettings.described`) are shown
    under the title; ``notes`` (by metric id) beside the values they qualify.

    The need-and-reach panel first, where there is one
    (:mod:`cypmh.report.need_panel`); then headlines, breakdowns, a chart per
    metric, the data-quality summary and the definition behind every number.
    Charts need matplotlib (``pip install cypmh[report]``); without it the
    page says so and has none.
    """
    e = html.escape
    by_metric: dict[str, list[ResultRow]] = {}
    for row in rows:
        by_metric.setdefault(row.metric_id, []).append(row)
    body = [
        f"<h1>{e(area_name)}: children and young people's mental health, {month}</h1>",
        f"<p><small>Disclosure control: {e(disclosure)}. Every metric's window ends on "
        f"{month.last_day}. Made with cypmh.</small></p>",
        settings_html(settings),
    ]
    if panel is not None:
        body.append(panel_html(panel))
    if gradient is not None:
        body.append(gradient_html(gradient))
    headlines = []
    for metric_id, metric_rows in by_metric.items():
        whole = next((r for r in metric_rows if r.breakdown == WHOLE_AREA), None)
        if whole is None:
            continue
        interval = ""
        if whole.shown_lower_ci not in ("", "*") and whole.shown_upper_ci not in ("", "*"):
            interval = f"{whole.shown_lower_ci} to {whole.shown_upper_ci}"
        link = Markup(f"<a href='#{e(metric_id)}'>{e(metric_id)}</a>")
        headlines.append(
            (link, definitions()[metric_id].name, whole.shown, interval, _row_note(whole, notes))
        )
    body += [
        "<h2>Headlines</h2>",
        html_table(("Id", "Measure", "Value", "95% interval", "Note"), headlines, (2,)),
    ]
    body.append("<h2>Metrics</h2>")
    charts = charts and can_chart()
    for metric_id, metric_rows in by_metric.items():
        definition = definitions()[metric_id]
        body.append(f"<h3 id='{e(metric_id)}'>{e(metric_id)}: {e(definition.name)}</h3>")
        whole_row = next((r for r in metric_rows if r.breakdown == WHOLE_AREA), metric_rows[0])
        note = _row_note(whole_row, notes)
        if note:
            body.append(f"<p class='rule'><b>Note:</b> {e(note)}</p>")
        levels = [
            (
                "All" if r.breakdown == WHOLE_AREA else LABELS[r.breakdown],
                area_name
                if r.breakdown == WHOLE_AREA
                else _level_description(r.breakdown, r.level),
                r.shown,
            )
            for r in metric_rows
        ]
        body.append(html_table(("Breakdown", "Level", "Value"), levels, (2,)))
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
    if not can_chart():
        body.insert(2, "<p><small>Charts need matplotlib: pip install 'cypmh[report]'.</small></p>")
    if quality is not None:
        body += quality_html(quality, disclosure, lambda n: disclose_count(n, disclosure))
    title = f"cypmh report: {e(area_name)}, {month}"
    style = _STYLE + PANEL_STYLE
    head = f"<head><meta charset='utf-8'><title>{title}</title><style>{style}</style></head>"
    return f"<!DOCTYPE html><html lang='en'>{head}<body>" + "\n".join(body) + "</body></html>"
