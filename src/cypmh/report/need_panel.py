"""The "need and reach" panel: how many children are likely to need help, how many were reached.

It opens the HTML report and the board trend report, and is what
``cypmh need`` prints. Everything in it is a published figure: the rows it is
made from have been through disclosure control, and it shows their
``shown`` text, never a raw count.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from cypmh.codes import age_bands
from cypmh.metrics.families.referrals import prior_window
from cypmh.metrics.need_catalogue import NEED_RATIO, NEED_RATIO_SOURCE
from cypmh.metrics.results import NOT_AVAILABLE, WHOLE_AREA, ResultRow

if TYPE_CHECKING:
    from cypmh.metrics.need import Basis
    from cypmh.periods import Month

__all__ = [
    "PANEL_BREAKDOWNS",
    "PANEL_METRICS",
    "NeedPanel",
    "need_panel",
    "panel_data",
    "panel_html",
    "panel_text",
]

PANEL_METRICS = ("NEED01", "MHS95", "ACC01", "MHS95a", "ACC02", "ACC02r", "REF01", "REF02")
"""The metrics the panel is made from."""

PANEL_BREAKDOWNS = ("age_band",)
"""The breakdown the panel's chart and table use."""


@attrs.frozen(kw_only=True)
class BandLine:
    """One age band of the panel: need, children reached and the share, as published."""

    band: str
    need: str
    reached: str
    share: str


@attrs.frozen(kw_only=True)
class NeedPanel:
    """The panel's figures, as published, with the scheme and population they rest on."""

    month: str
    scheme: str
    measure: str
    fill: str
    population: str
    synthetic: bool
    children: str
    need: str
    reached: str
    share: str
    target: str
    rate: str
    looked_after: str
    looked_after_reached: str
    looked_after_share: str
    ratio: str
    ratio_interval: str
    need_ratio: str
    referrals: str
    referral_change: str
    base_period: str
    bands: tuple[BandLine, ...]
    unavailable: tuple[str, ...] = ()
    """One line for each reason a figure is *not available*: the metrics and the reason."""


def _shown(rows: Mapping[tuple[str, str, str], ResultRow], key: tuple[str, str, str]) -> str:
    row = rows.get(key)
    if row is None:
        whole = rows.get((key[0], WHOLE_AREA, WHOLE_AREA))
        return NOT_AVAILABLE if whole is not None and whole.unavailable else ""
    return row.shown


def _unavailable(rows: Sequence[ResultRow]) -> tuple[str, ...]:
    """``"MHS95, ACC01: not available: <reason>"``, one line a reason, in the rows' order."""
    by_reason: dict[str, list[str]] = {}
    for row in rows:
        if row.unavailable and row.breakdown == WHOLE_AREA:
            by_reason.setdefault(row.unavailable, []).append(row.metric_id)
    return tuple(f"{', '.join(ids)}: not available: {why}" for why, ids in by_reason.items())


def _percent(value: str) -> str:
    """A published share with its ``%`` (none after ``n/a`` or nothing)."""
    return f"{value}%" if value and value != NOT_AVAILABLE else value


def need_panel(rows: Sequence[ResultRow], month: Month, basis: Basis) -> NeedPanel:
    """The panel of ``month`` from disclosed rows of :data:`PANEL_METRICS` by age band."""
    by = {(r.metric_id, r.breakdown, r.level): r for r in rows}

    def whole(metric_id: str) -> str:
        return _shown(by, (metric_id, WHOLE_AREA, WHOLE_AREA))

    ratio = by.get(("ACC02r", WHOLE_AREA, WHOLE_AREA))
    interval = ""
    if ratio is not None and ratio.shown_lower_ci not in ("", "*"):
        interval = f"{ratio.shown_lower_ci} to {ratio.shown_upper_ci}"
    looked = by.get(("ACC02", WHOLE_AREA, WHOLE_AREA))
    base = prior_window(month)
    need = by.get(("NEED01", WHOLE_AREA, WHOLE_AREA))
    scheme = basis.scheme
    return NeedPanel(
        month=str(month),
        scheme=scheme.label,
        measure=scheme.measure.replace("_", " "),
        fill=scheme.fill_statement,
        population=basis.population.label,
        synthetic=basis.population.synthetic,
        children="" if need is None else need.shown_denominator,
        need=whole("NEED01"),
        reached=whole("MHS95"),
        share=whole("ACC01"),
        target="35" if scheme.name == "ons_2004" else "",
        rate=whole("MHS95a"),
        looked_after="" if looked is None else looked.shown_denominator,
        looked_after_reached="" if looked is None else looked.shown_numerator,
        looked_after_share=whole("ACC02"),
        ratio=whole("ACC02r"),
        ratio_interval=interval,
        need_ratio=f"{NEED_RATIO:g}",
        referrals=whole("REF01"),
        referral_change=whole("REF02"),
        base_period=f"{base.first} to {base.last}",
        bands=tuple(
            BandLine(
                band=band.label,
                need=_shown(by, ("NEED01", "age_band", band.label)),
                reached=_shown(by, ("MHS95", "age_band", band.label)),
                share=_shown(by, ("ACC01", "age_band", band.label)),
            )
            for band in age_bands()
        ),
        unavailable=_unavailable(rows),
    )


def _reading(panel: NeedPanel) -> str:
    """What the children-in-care comparison says, in a sentence."""
    if panel.ratio == NOT_AVAILABLE:
        return "Not available: the extract lacks what it rests on (see below)."
    try:
        ratio = float(panel.ratio)
    except ValueError:
        return "Too few children in care to compare (suppressed or none)."
    if ratio < NEED_RATIO:
        return (
            f"Below the need ratio of {panel.need_ratio}: children in care are reached less than "
            "in proportion to their need."
        )
    return f"At or above the need ratio of {panel.need_ratio}: reach keeps pace with need."


def panel_data(panel: NeedPanel) -> dict[str, Any]:
    """The panel as JSON-ready data (every figure as published text)."""
    data = attrs.asdict(panel)
    data["looked_after_reading"] = _reading(panel)
    data["need_ratio_source"] = NEED_RATIO_SOURCE
    return data


def panel_text(panel: NeedPanel) -> str:
    """The panel as plain text, for ``cypmh need`` and the text report."""
    dash = "-"
    target = f" (national target {panel.target}%)" if panel.target else ""
    lines = [
        f"Need and reach, 12 months to {panel.month}",
        f"  Scheme: {panel.scheme}. {panel.fill}",
        f"  Population: {panel.population}: {panel.children or dash} aged 0-17",
        f"  Expected in need (NEED01):          {panel.need or dash:>8}",
        f"  Reached, a counted contact (MHS95): {panel.reached or dash:>8}",
        f"  Share of need reached (ACC01):      {_percent(panel.share) or dash:>9}{target}",
        f"  Per 100,000 aged 0-17 (MHS95a):     {panel.rate or dash:>8}",
        f"  Referrals received (REF01):         {panel.referrals or dash:>8}"
        f"   change {_percent(panel.referral_change) or dash} against {panel.base_period} (REF02)",
        "  Children looked after (ACC02):      "
        f"{panel.looked_after_reached or dash} of {panel.looked_after or dash} reached "
        f"({_percent(panel.looked_after_share) or dash})",
        f"  Their reach against all children (ACC02r): {panel.ratio or dash}"
        + (f" (95% CI {panel.ratio_interval})" if panel.ratio_interval else ""),
        f"    {_reading(panel)}",
        "",
        f"  {'age band':<10} {'need':>7} {'reached':>8} {'share %':>8}",
    ]
    lines += [
        f"  {b.band:<10} {b.need or dash:>7} {b.reached or dash:>8} {b.share or dash:>8}"
        for b in panel.bands
    ]
    if panel.synthetic:
        lines.append("  The population is synthetic: these figures describe no real area.")
    lines += [f"  {line}" for line in panel.unavailable]
    return "\n".join(lines)


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def band_chart(panel: NeedPanel) -> str:
    """An inline SVG chart: expected need and children reached, side by side, by age band."""
    e = html.escape
    width, height, left, bottom, top = 560, 220, 44, 36, 16
    values = [(b, _number(b.need), _number(b.reached)) for b in panel.bands]
    said = {id(b): (b.need or "*", b.reached or "*") for b in panel.bands}
    highest = max([v for _, n, r in values for v in (n, r) if v is not None] or [1.0]) or 1.0
    slot = (width - left - 10) / len(values)
    bar = slot * 0.36
    scale = (height - bottom - top) / highest
    parts = [
        f"<svg class='need-chart' role='img' viewBox='0 0 {width} {height}' width='{width}' "
        f"height='{height}' xmlns='http://www.w3.org/2000/svg'>",
        "<title>Expected need and children reached, by age band</title>",
        f"<line x1='{left}' y1='{height - bottom}' x2='{width - 10}' y2='{height - bottom}' "
        "stroke='#425563'/>",
        f"<text x='{left - 6}' y='{top + 4}' text-anchor='end' font-size='11'>"
        f"{highest:,.0f}</text>",
        f"<text x='{left - 6}' y='{height - bottom}' text-anchor='end' font-size='11'>0</text>",
    ]
    for i, (band, need, reached) in enumerate(values):
        x = left + i * slot + slot * 0.12
        for offset, value, shown, colour, what in (
            (0.0, need, said[id(band)][0], "#AE2573", "expected in need"),
            (bar, reached, said[id(band)][1], "#005EB8", "reached"),
        ):
            if value is None:  # suppressed (*) or not available (n/a)
                parts.append(
                    f"<text x='{x + offset + bar / 2:.1f}' y='{height - bottom - 4}' "
                    f"text-anchor='middle' font-size='11'>{e(shown)}</text>"
                )
                continue
            h = value * scale
            parts.append(
                f"<rect x='{x + offset:.1f}' y='{height - bottom - h:.1f}' width='{bar:.1f}' "
                f"height='{h:.1f}' fill='{colour}'><title>{e(band.band)}: {value:g} {what}"
                "</title></rect>"
            )
        parts.append(
            f"<text x='{x + bar:.1f}' y='{height - bottom + 15}' text-anchor='middle' "
            f"font-size='11'>{e(band.band)}</text>"
        )
    legend_y = height - 6
    parts += [
        f"<rect x='{left}' y='{legend_y - 9}' width='10' height='10' fill='#AE2573'/>",
        f"<text x='{left + 14}' y='{legend_y}' font-size='11'>expected in need (NEED01)</text>",
        f"<rect x='{left + 190}' y='{legend_y - 9}' width='10' height='10' fill='#005EB8'/>",
        f"<text x='{left + 204}' y='{legend_y}' font-size='11'>reached (MHS95)</text>",
        "</svg>",
    ]
    return "".join(parts)


def panel_html(panel: NeedPanel) -> str:
    """The panel as an HTML section, with the chart of reach against need by age band."""
    e = html.escape
    target = f" <small>(national target {e(panel.target)}%)</small>" if panel.target else ""
    interval = f" <small>(95% CI {e(panel.ratio_interval)})</small>" if panel.ratio_interval else ""
    tiles = [
        ("Expected in need", panel.need, "NEED01"),
        ("Reached", panel.reached, "MHS95, a counted contact in 12 months"),
        ("Share of need reached", _percent(panel.share), "ACC01" + target),
        (
            "Children in care reached",
            _percent(panel.looked_after_share),
            f"ACC02: {e(panel.looked_after_reached or '-')} of {e(panel.looked_after or '-')}",
        ),
    ]
    cells = "".join(
        f"<div class='tile'><div class='big'>{e(value or '-')}</div>"
        f"<div>{e(title)}</div><small>{note}</small></div>"
        for title, value, note in tiles
    )
    rows = "".join(
        f"<tr><td>{e(b.band)}</td><td class='n'>{e(b.need or '-')}</td>"
        f"<td class='n'>{e(b.reached or '-')}</td><td class='n'>{e(b.share or '-')}</td></tr>"
        for b in panel.bands
    )
    missing = "".join(f"<p class='unavailable'>{e(line)}</p>" for line in panel.unavailable)
    synthetic = (
        "<p class='synthetic'><b>Synthetic population:</b> these figures describe no real area.</p>"
        if panel.synthetic
        else ""
    )
    return (
        "<section class='need' aria-labelledby='need-title'>"
        f"<h2 id='need-title'>Need and reach, 12 months to {e(panel.month)}</h2>"
        f"<p>Scheme <b>{e(panel.scheme)}</b>. {e(panel.fill)} Population: "
        f"{e(panel.population)}, {e(panel.children or '-')} children aged 0-17.</p>"
        f"{synthetic}<div class='tiles'>{cells}</div>"
        f"<p>Children in care against all children (ACC02r): <b>{e(panel.ratio or '-')}</b>"
        f"{interval}. {e(_reading(panel))} <small>Need ratio: {e(NEED_RATIO_SOURCE)}.</small></p>"
        f"<p>Referrals received (REF01): <b>{e(panel.referrals or '-')}</b>, "
        f"{e(_percent(panel.referral_change) or '-')} against {e(panel.base_period)} (REF02). "
        f"Per 100,000 aged 0-17 in contact (MHS95a): {e(panel.rate or '-')}.</p>"
        f"{band_chart(panel)}"
        "<table><tr><th>Age band</th><th>Expected in need</th><th>Reached</th>"
        f"<th>Share %</th></tr>{rows}</table>{missing}</section>"
    )


PANEL_STYLE = (
    ".need .tiles{display:flex;flex-wrap:wrap;gap:12px;margin:8px 0}"
    ".need .tile{border:1px solid #d8dde0;border-radius:4px;padding:8px 12px;min-width:150px}"
    ".need .big{font-size:1.6em;font-weight:bold;color:#005EB8}"
    ".need .synthetic{background:#fff9c4;padding:4px 8px}"
)
"""The CSS the panel's HTML needs."""
