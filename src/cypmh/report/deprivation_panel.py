"""The deprivation gradient: access and rejection by IMD quintile, for a board.

One small table for the last month of a run, read from published rows only (a
value disclosure control hid stays hidden): the children seen over 12 months
(MHS95) and the share of referrals rejected over 12 months (REJ02), by quintile
of the Index of Multiple Deprivation, most deprived first. Above it, one sentence
sets the most deprived fifth of neighbourhoods against the other four fifths (the
IMD Core20 breakdown, as NHS England's MHS95g compares them); under it, the
share rejected by social-care status and quintile at once (REJ03), and which
release of the indices was read.

:func:`gradient_panel` reads the rows; :func:`gradient_html` and
:func:`gradient_text` show it.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import attrs

from cypmh.codes import SocialCareStatus
from cypmh.codes.deprivation import imd_levels
from cypmh.metrics.joint import CROSS_SEPARATOR
from cypmh.metrics.results import WHOLE_AREA, ResultRow

__all__ = [
    "GRADIENT_BREAKDOWN",
    "GRADIENT_BREAKDOWNS",
    "GRADIENT_METRICS",
    "GradientPanel",
    "gradient_html",
    "gradient_panel",
    "gradient_text",
]

GRADIENT_METRICS = ("MHS95", "REJ02", "REJ03")
"""The metrics the panel shows: children seen, the share of referrals rejected, and that
share by social-care status and quintile at once."""

STANDARDISED_METRICS = ("MHS95b", "MHS95g")
"""What the panel adds where the population by group is read: the rate of children seen
per 100,000 of each quintile (as NHS England standardises it), and the Core20 gap."""

GRADIENT_BREAKDOWN = "imd_quintile"
CROSS_BREAKDOWN = "social_care_imd"
GRADIENT_BREAKDOWNS = (GRADIENT_BREAKDOWN, "imd_core20", CROSS_BREAKDOWN)
"""The breakdowns the panel reads: the quintiles, the most deprived fifth against the rest,
and social-care status by quintile."""


@attrs.frozen(kw_only=True)
class GradientPanel:
    """The panel's rows: each quintile with its published values, and the release read."""

    month: str
    release: str
    rows: tuple[tuple[str, str, str, str], ...]
    """(quintile, children seen, their standardised rate per 100,000 (MHS95b) and % rejected,
    as published)."""
    sentence: str
    rate_sentence: str = ""
    by_status: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Each social-care status with its REJ03 share rejected (as published) in each quintile."""


def _shown(
    rows: Sequence[ResultRow], metric_id: str, level: str, breakdown: str = GRADIENT_BREAKDOWN
) -> str:
    for row in rows:
        if (row.metric_id, row.breakdown, row.level) == (metric_id, breakdown, level):
            return row.shown or "—"
    return "—"


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def gradient_panel(rows: Sequence[ResultRow], month: str, release: str) -> GradientPanel:
    """The panel of ``rows`` (computed with the IMD quintile breakdown) for ``month``."""
    levels = imd_levels(GRADIENT_BREAKDOWN)
    table = tuple(
        (
            level,
            _shown(rows, "MHS95", level),
            _shown(rows, "MHS95b", level),
            _shown(rows, "REJ02", level),
        )
        for level in levels
    )
    most, rest = (
        _number(_shown(rows, "REJ02", level, "imd_core20"))
        for level in imd_levels("imd_core20")[:2]
    )
    if most is None or rest is None:
        sentence = (
            "The rejection shares of the most deprived fifth of neighbourhoods and of the other "
            "four fifths are not both published, so they are not compared."
        )
    else:
        sentence = (
            f"In the 12 months to {month}, {most:g}% of referrals of children in the most deprived "
            f"fifth of neighbourhoods were rejected, against {rest:g}% in the other four fifths."
        )
    rate_sentence = ""
    rates = [_number(_shown(rows, "MHS95b", level, "imd_core20")) for level in levels_core20()]
    gap = _number(_shown(rows, "MHS95g", WHOLE_AREA, WHOLE_AREA))
    if rates[0] is not None and rates[1] is not None and gap is not None:
        rate_sentence = (
            f"Per 100,000 children, {rates[0]:g} in the most deprived fifth were seen, against "
            f"{rates[1]:g} in the other four fifths: a gap of {gap:g} (MHS95g; rates as NHS "
            "England's code standardises them, MHS95b)."
        )
    by_status = tuple(
        (
            status.value.replace("_", " ").capitalize(),
            tuple(
                _shown(rows, "REJ03", f"{status.value}{CROSS_SEPARATOR}{level}", CROSS_BREAKDOWN)
                for level in levels
            ),
        )
        for status in SocialCareStatus
    )
    return GradientPanel(
        month=month,
        release=release,
        rows=table,
        sentence=sentence,
        rate_sentence=rate_sentence,
        by_status=by_status,
    )


def levels_core20() -> tuple[str, str]:
    """The most deprived fifth and the rest, as the Core20 breakdown names them."""
    most, rest = imd_levels("imd_core20")[:2]
    return most, rest


_HEAD = (
    "IMD quintile",
    "Children seen (MHS95, 12 months)",
    "Per 100,000 (MHS95b)",
    "Referrals rejected (REJ02, %)",
)


def gradient_html(panel: GradientPanel) -> str:
    """The panel as an HTML section."""
    e = html.escape
    header = "".join(f"<th>{e(h)}</th>" for h in _HEAD)
    body = "".join(
        f"<tr><td>{e(level)}</td><td class='n'>{e(seen)}</td><td class='n'>{e(rate)}</td>"
        f"<td class='n'>{e(rejected)}</td></tr>"
        for level, seen, rate, rejected in panel.rows
    )
    rate = f"<p>{e(panel.rate_sentence)}</p>" if panel.rate_sentence else ""
    return (
        "<section class='gradient'><h2>Deprivation: who is seen and who is turned away</h2>"
        f"<p>{e(panel.sentence)}</p>{rate}"
        f"<table><tr>{header}</tr>{body}</table>{_by_status_html(panel)}"
        f"<p><small>By the Index of Multiple Deprivation of the child's neighbourhood (LSOA): "
        f"{e(panel.release)}. 01 is the most deprived fifth of England's neighbourhoods; "
        "UNKNOWN is a child whose neighbourhood is not recorded or not in the file. "
        "MHS95b is each fifth's rate as NHS England's code works it out: a crude rate over the "
        "age-sex cells with a child seen (ACC03 is a true standardisation). "
        "* is a value hidden by disclosure control; — is a level with no value (no "
        "referrals in it, or no population by group read).</small></p></section>"
    )


def _by_status_html(panel: GradientPanel) -> str:
    """REJ03's table: a row per social-care status, a column per quintile."""
    if not panel.by_status:
        return ""
    e = html.escape
    levels = [level for level, _, _, _ in panel.rows]
    header = "<th>Social-care status</th>" + "".join(f"<th>{e(q)}</th>" for q in levels)
    body = "".join(
        f"<tr><td>{e(status)}</td>" + "".join(f"<td class='n'>{e(v)}</td>" for v in shown) + "</tr>"
        for status, shown in panel.by_status
    )
    return (
        "<p>Referrals rejected (REJ03, %, 12 months), by the child's social-care status on the "
        "day the referral was received and IMD quintile:</p>"
        f"<table><tr>{header}</tr>{body}</table>"
    )


def gradient_text(panel: GradientPanel) -> str:
    """The panel as plain text."""
    width = max(len(level) for level, _, _, _ in panel.rows)
    lines = [
        "Deprivation: who is seen and who is turned away",
        panel.sentence,
        *([panel.rate_sentence] if panel.rate_sentence else []),
        f"  {'IMD quintile':<{width}}  {'seen (MHS95)':>13}  {'per 100,000 (MHS95b)':>20}"
        f"  {'rejected % (REJ02)':>18}",
    ]
    lines += [
        f"  {level:<{width}}  {seen:>13}  {rate:>20}  {rejected:>18}"
        for level, seen, rate, rejected in panel.rows
    ]
    if panel.by_status:
        levels = [level for level, _, _, _ in panel.rows]
        first = max(len(status) for status, _ in panel.by_status)
        lines.append("  Rejected % (REJ03) by social-care status and IMD quintile:")
        lines.append(f"    {'':<{first}}" + "".join(f"  {q:>17}" for q in levels))
        lines += [
            f"    {status:<{first}}" + "".join(f"  {v:>17}" for v in shown)
            for status, shown in panel.by_status
        ]
    lines.append(f"  Release read: {panel.release}")
    return "\n".join(lines)
