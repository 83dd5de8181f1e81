"""Write trends: the publication's long layout a month a row with SPC columns, and a board page.

:func:`trend_records` gives every month of every series in NHS England's long
layout (:data:`cypmh.report.kpi.COLUMNS`) followed by the SPC columns
(:data:`SPC_COLUMNS`); :func:`trend_html` gives one self-contained page for a
board: a summary table, then one XmR chart per metric, drawn with matplotlib
(the ``report`` extra) as inline SVG. Every number on either comes from the
published values (see :mod:`cypmh.report.trends`).
"""

from __future__ import annotations

import html
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

from cypmh.io.published import csv_text
from cypmh.metrics import WHOLE_AREA, definitions
from cypmh.report.deprivation_panel import GradientPanel, gradient_html
from cypmh.report.kpi import COLUMNS, CONTEXT_COLUMNS, can_chart, note_of, settings_html, to_records
from cypmh.report.need_panel import PANEL_STYLE, NeedPanel, panel_html
from cypmh.report.trends import Trend, published_value
from cypmh.spc import COLOURS, SpcResult

__all__ = [
    "SPC_COLUMNS",
    "trend_csv",
    "trend_html",
    "trend_json",
    "trend_records",
    "trend_text",
]

SPC_COLUMNS = (
    "IMPROVEMENT_DIRECTION",
    "TARGET",
    "SPC_MEAN",
    "SPC_LOWER_PROCESS_LIMIT",
    "SPC_UPPER_PROCESS_LIMIT",
    "SPC_RULE",
    "SPC_POINT_TYPE",
    "SPC_VARIATION",
    "SPC_ASSURANCE",
    "SPC_NOTE",
)
"""The columns after the long layout's: the SPC reading of each month.

``SPC_VARIATION`` and ``SPC_ASSURANCE`` are on the series' last month only.
``SPC_NOTE`` says why a series has no SPC, or that a month's limits are
trial limits (a group of fewer than 13 months)."""

VARIATION_WORDS = {
    "common_cause": "Common cause variation",
    "improvement_high": "Special cause: improvement (high)",
    "improvement_low": "Special cause: improvement (low)",
    "concern_high": "Special cause: concern (high)",
    "concern_low": "Special cause: concern (low)",
    "neutral_high": "Special cause: neither (high)",
    "neutral_low": "Special cause: neither (low)",
}
"""Each variation icon in words."""

ASSURANCE_WORDS = {
    "consistent_pass": "Will consistently meet the target",
    "consistent_fail": "Will consistently miss the target",
    "inconsistent": "May meet or miss the target",
}
"""Each assurance in words."""


def _number(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def trend_records(
    trends: Sequence[Trend],
    *,
    status: str = "Final",
    area_name: str = "England",
    basis: str | None = None,
    settings: str = "",
    notes: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """One record per month of every trend: the long layout's keys and :data:`SPC_COLUMNS`.

    :data:`~cypmh.report.kpi.CONTEXT_COLUMNS` come last. ``basis``,
    ``settings`` and ``notes`` are as :func:`cypmh.report.kpi.to_records` takes them.
    """
    records = []
    for trend in trends:
        chart = trend.chart
        for i, (month, row) in enumerate(zip(trend.months, trend.rows, strict=True)):
            record = to_records(
                [row],
                month,
                status=status,
                area_name=area_name,
                basis=basis,
                settings=settings,
                notes=notes,
            )[0]
            point = chart.points[i] if chart is not None else None
            last = i == len(trend.months) - 1
            note = trend.no_chart or (
                "trial limits (a group of fewer than 13 months)"
                if point is not None and point.trial_limits
                else ""
            )
            record.update(
                {
                    "IMPROVEMENT_DIRECTION": trend.improvement,
                    "TARGET": trend.target,
                    "SPC_MEAN": _number(point.mean) if point else None,
                    "SPC_LOWER_PROCESS_LIMIT": _number(point.lower) if point else None,
                    "SPC_UPPER_PROCESS_LIMIT": _number(point.upper) if point else None,
                    "SPC_RULE": point.rule if point else None,
                    "SPC_POINT_TYPE": point.point_type if point else None,
                    "SPC_VARIATION": chart.variation if chart is not None and last else None,
                    "SPC_ASSURANCE": chart.assurance if chart is not None and last else None,
                    "SPC_NOTE": note,
                }
            )
            # The context columns stay last, after the SPC ones.
            records.append(
                {k: v for k, v in record.items() if k not in CONTEXT_COLUMNS}
                | {c: record[c] for c in CONTEXT_COLUMNS}
            )
    return records


def trend_csv(records: Sequence[dict[str, Any]]) -> str:
    """The long CSV with the SPC columns (an empty cell for none)."""
    columns = (*COLUMNS, *SPC_COLUMNS, *CONTEXT_COLUMNS)
    return csv_text(
        columns,
        (["" if record.get(c) is None else record[c] for c in columns] for record in records),
    )


def trend_json(records: Sequence[dict[str, Any]]) -> str:
    """A JSON array of the records."""
    return json.dumps(list(records), indent=2, ensure_ascii=False)


def _change(trend: Trend) -> str:
    """The change from the first published value to the latest, in the metric's unit."""
    values = [v for v in trend.values if v is not None]
    if len(values) < 2:
        return "—"
    first, latest = values[0], values[-1]
    return f"{latest - first:+g} (from {first:g})"


def _latest(trend: Trend) -> str:
    if trend.rows[-1].unavailable:
        return trend.rows[-1].shown
    shown = published_value(trend.rows[-1])
    return "—" if shown is None else str(shown) if shown == "*" else f"{shown:g}"


def trend_text(
    trends: Sequence[Trend],
    *,
    area_name: str,
    disclosure: str,
    settings: Sequence[tuple[str, str]] = (),
    notes: Mapping[str, str] | None = None,
) -> str:
    """A summary for a terminal: one line per whole-area trend, then the notes and settings."""
    months = trends[0].months if trends else ()
    span = f"{months[0]} to {months[-1]}" if months else "no months"
    lines = [
        f"{area_name}: trends {span} (disclosure control: {disclosure})",
        "",
        f"  {'id':<8} {'latest':>8} {'change':>16}  {'variation':<34} assurance",
    ]
    for trend in trends:
        if trend.breakdown != WHOLE_AREA:
            continue
        if trend.chart is None:
            hidden = "suppressed" in (trend.no_chart or "")
            variation = "no SPC: months suppressed" if hidden else "no SPC: no values"
            if trend.rows[-1].unavailable:
                variation = "not available"
            assurance = ""
        else:
            variation = VARIATION_WORDS[trend.chart.variation]
            assurance = ASSURANCE_WORDS.get(trend.chart.assurance or "", "no target")
        lines.append(
            f"  {trend.metric_id:<8} {_latest(trend):>8} {_change(trend):>16}  "
            f"{variation:<34} {assurance}"
        )
        note = note_of(trend.metric_id, notes)
        if note:
            lines.append(f"  {'':<8} ({note})")
    if settings:
        lines += ["", "Settings:", *(f"  {name}: {value}" for name, value in settings)]
    return "\n".join(lines)


# The board page.

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;"
    "color:#222}table{border-collapse:collapse;margin:.5rem 0 1.5rem}"
    "td,th{border:1px solid #ccc;padding:.3rem .55rem;text-align:left;vertical-align:middle}"
    "td.n{text-align:right}small,.note{color:#555}figure{margin:0 0 2rem}"
    ".icon{display:inline-flex;align-items:center;gap:.35rem}.chart svg{max-width:100%;height:auto}"
)


def _icon(letter: str, colour: str, words: str) -> str:
    """A round icon with a letter, and its meaning in words beside it."""
    e = html.escape
    return (
        f"<span class='icon' title='{e(words)}'><svg width='26' height='26' viewBox='0 0 26 26' "
        f"role='img' aria-label='{e(words)}'><circle cx='13' cy='13' r='11' fill='white' "
        f"stroke='{colour}' stroke-width='3'/><text x='13' y='17.5' font-size='12' "
        f"font-family='sans-serif' font-weight='bold' text-anchor='middle' fill='{colour}'>"
        f"{e(letter)}</text></svg>{e(words)}</span>"
    )


def variation_icon(name: str) -> str:
    """The variation icon: coloured as the point type, H or L for high or low, ~ for common."""
    kind, _, side = name.partition("_")
    colour = {
        "common": COLOURS["common_cause"],
        "improvement": COLOURS["special_cause_improvement"],
        "concern": COLOURS["special_cause_concern"],
        "neutral": COLOURS["special_cause_neutral_high"],
    }[kind]
    letter = "~" if kind == "common" else side[0].upper()
    return _icon(letter, colour, VARIATION_WORDS[name])


def assurance_icon(name: str | None) -> str:
    """The assurance icon: P (pass), F (fail) or ? (either); a dash with no target."""
    if name is None:
        return "no target"
    letter, colour = {
        "consistent_pass": ("P", COLOURS["special_cause_improvement"]),
        "consistent_fail": ("F", COLOURS["special_cause_concern"]),
        "inconsistent": ("?", COLOURS["common_cause"]),
    }[name]
    return _icon(letter, colour, ASSURANCE_WORDS[name])


def _title(trend: Trend) -> str:
    definition = definitions()[trend.metric_id]
    return f"{trend.metric_id}: {definition.name} ({trend.better})"


def _chart_svg(trend: Trend, chart: SpcResult) -> str:
    """The XmR chart as inline SVG: line, points by type, mean, limits, target, rebases."""
    # Imported here: an optional extra.
    import matplotlib

    matplotlib.use("Agg")
    # Imported here: an optional extra.
    import matplotlib.pyplot as plt

    labels = [m.first_day.strftime("%b %Y") for m in trend.months]
    x = list(range(len(chart.points)))
    values = [p.value for p in chart.points]
    figure, axes = plt.subplots(figsize=(9, 3.4))
    present = [(i, v) for i, v in zip(x, values, strict=True) if v is not None]
    axes.plot([i for i, _ in present], [v for _, v in present], color="#a6a6a6", lw=1.4, zorder=1)
    for group in chart.groups:
        span = range(group.start, group.start + group.size)
        ends = [span[0] - 0.4, span[-1] + 0.4]
        if group.mean is not None:
            axes.plot(ends, [group.mean] * 2, color="#222", lw=1.2, label="_mean")
        if group.lower is not None and group.upper is not None:
            for limit in (group.lower, group.upper):
                axes.plot(ends, [limit] * 2, color="#555", lw=1, ls="--")
        if group.start > 0:
            axes.axvline(group.start - 0.5, color="#777", lw=1, ls=":")
            axes.annotate(
                "rebase",
                (group.start - 0.45, 1.0),
                xycoords=("data", "axes fraction"),
                fontsize=7,
                color="#555",
                va="top",
            )
    for i, point in enumerate(chart.points):
        if point.value is not None:
            axes.scatter(
                [i],
                [point.value],
                color=point.colour,
                s=30,
                zorder=3,
                edgecolors="white",
                linewidths=0.5,
            )
    if trend.target is not None:
        axes.axhline(trend.target, color="#c00000", lw=1.2, ls="-.")
        axes.annotate(
            f"target {trend.target:g}",
            (1.0, trend.target),
            xycoords=("axes fraction", "data"),
            fontsize=7,
            color="#c00000",
            ha="right",
            va="bottom",
        )
    step = max(1, len(x) // 12)
    axes.set_xticks(x[::step], labels[::step], rotation=45, ha="right", fontsize=7)
    axes.tick_params(axis="y", labelsize=7)
    axes.set_ylabel(definitions()[trend.metric_id].unit.value, fontsize=8)
    axes.set_title(_title(trend), fontsize=9, loc="left")
    axes.grid(axis="y", color="#eee")
    figure.tight_layout()
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": trend.metric_id, "svg.fonttype": "none"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def _legend() -> str:
    items = [
        ("special_cause_improvement", "improvement"),
        ("special_cause_concern", "concern"),
        ("special_cause_neutral_high", "special cause, neither better nor worse"),
        ("common_cause", "common cause"),
    ]
    dots = "".join(
        f"<span class='icon'><svg width='12' height='12'><circle cx='6' cy='6' r='5' "
        f"fill='{COLOURS[kind]}'/></svg>{html.escape(words)}</span> &nbsp; "
        for kind, words in items
    )
    return (
        f"<p class='note'>Points: {dots} Solid line: the mean; dashed: the process limits; "
        "dash-dot red: the target; dotted: a rebase.</p>"
    )


def trend_html(
    trends: Sequence[Trend],
    *,
    area_name: str,
    disclosure: str,
    charts: bool = True,
    panel: NeedPanel | None = None,
    settings: Sequence[tuple[str, str]] = (),
    notes: Mapping[str, str] | None = None,
    gradient: GradientPanel | None = None,
) -> str:
    """The board page: the panels (need and reach, deprivation), a summary table, the charts.

    The panels are shown where given. ``settings`` are shown under the title, ``notes``
    (by metric id) beside their rows.
    """
    e = html.escape
    whole = [t for t in trends if t.breakdown == WHOLE_AREA]
    months = whole[0].months if whole else ()
    span = f"{months[0]} to {months[-1]}" if months else "no months"
    body = [
        f"<h1>{e(area_name)}: trends, {e(span)}</h1>",
        "<p><small>Each month's value is computed as at that month's end, over the metric's own "
        f"window, and published under disclosure control ({e(disclosure)}). Charts are "
        "Making Data Count XmR charts as NHSRplotthedots draws them: every number on them is "
        "a published value. Made with cypmh.</small></p>",
        settings_html(settings),
    ]
    if panel is not None:
        body.append(panel_html(panel))
    if gradient is not None:
        body.append(gradient_html(gradient))
    rows = []
    for trend in whole:
        link = f"<a href='#{e(trend.metric_id)}'>{e(trend.metric_id)}</a>"
        chart = trend.chart
        rows.append(
            "<tr>"
            f"<td>{link}</td><td>{e(definitions()[trend.metric_id].name)}</td>"
            f"<td class='n'>{e(_latest(trend))}</td>"
            f"<td class='n'>{'—' if trend.target is None else f'{trend.target:g}'}</td>"
            f"<td>{variation_icon(chart.variation) if chart else 'no SPC'}</td>"
            f"<td>{assurance_icon(chart.assurance) if chart else '—'}</td>"
            f"<td class='n'>{e(_change(trend))}</td>"
            f"<td>{e(note_of(trend.metric_id, notes))}</td>"
            "</tr>"
        )
    header = "".join(
        f"<th>{h}</th>"
        for h in ("Id", "Measure", "Latest", "Target", "Variation", "Assurance", "Change", "Note")
    )
    body += ["<h2>Summary</h2>", f"<table><tr>{header}</tr>{''.join(rows)}</table>"]
    can = charts and can_chart()
    body.append("<h2>Charts</h2>")
    body.append(
        _legend()
        if can
        else "<p><small>Charts need matplotlib: pip install 'cypmh[report]'.</small></p>"
    )
    for trend in whole:
        definition = definitions()[trend.metric_id]
        body.append(f"<figure id='{e(trend.metric_id)}'>")
        body.append(f"<h3>{e(_title(trend))}</h3>")
        if trend.chart is None:
            body.append(f"<p class='note'>No SPC chart: {e(trend.no_chart or '')}.</p>")
        elif can:
            body.append(f"<div class='chart'>{_chart_svg(trend, trend.chart)}</div>")
        said = [note_of(trend.metric_id, notes)] if note_of(trend.metric_id, notes) else []
        if trend.chart is not None and any(g.trial_limits for g in trend.chart.groups):
            said.append(
                "Trial limits: a group has fewer than 13 months, so its limits may still move."
            )
        if trend.chart is not None:
            said += [f"No limits: {g.no_limits}." for g in trend.chart.groups if g.no_limits]
        target = (
            f"Target {trend.target:g}: {trend.target_source}."
            if trend.target is not None
            else f"Target: {definition.target_source}"
        )
        said.append(target)
        body.append("<figcaption class='note'>" + " ".join(e(n) for n in said) + "</figcaption>")
        body.append("</figure>")
    title = f"cypmh trends: {e(area_name)}, {e(span)}"
    style = _STYLE + PANEL_STYLE
    head = f"<head><meta charset='utf-8'><title>{title}</title><style>{style}</style></head>"
    return f"<!DOCTYPE html><html lang='en'>{head}<body>" + "\n".join(body) + "</body></html>"
