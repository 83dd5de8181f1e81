"""Draw simple timeline pictures (SVG) for the clock explanation pages.

Each timeline is a list of (day offset, label, kind) marks and optional shaded
spans; the pictures are written into docs/_static/ when the docs are built.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

WIDTH, LEFT, RIGHT, AXIS_Y = 760, 80, 80, 90
COLOURS = {"start": "#1b6ca8", "stop": "#b03a2e", "event": "#555555", "span": "#f3d9a4"}


def _line(x1: float, y1: float, x2: float, y2: float, colour: str, width: int) -> str:
    return (
        f'<line x1="{x1:.1f}" y1="{y1}" x2="{x2:.1f}" y2="{y2}" '
        f'stroke="{colour}" stroke-width="{width}"/>'
    )


def _text(x: float, y: float, label: str, fill: str = "#222") -> str:
    return f'<text x="{x:.1f}" y="{y}" text-anchor="middle" fill="{fill}">{escape(label)}</text>'


def svg(
    title: str, days: int, marks: list[tuple[int, str, str]], spans: list[tuple[int, int, str]]
) -> str:
    """Return an SVG drawing of ``marks`` along ``days`` days."""
    scale = (WIDTH - LEFT - RIGHT) / days

    def x(day: int) -> float:
        return LEFT + day * scale

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="165" '
        f'font-family="sans-serif" font-size="12" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for start, end, label in spans:
        parts.append(
            f'<rect x="{x(start):.1f}" y="{AXIS_Y - 14}" width="{x(end) - x(start):.1f}" '
            f'height="28" fill="{COLOURS["span"]}"/>'
        )
        parts.append(_text((x(start) + x(end)) / 2, AXIS_Y + 30, label))
    parts.append(_line(LEFT, AXIS_Y, WIDTH - RIGHT, AXIS_Y, "#222", 2))
    for i, (day, label, kind) in enumerate(marks):
        colour = COLOURS[kind]
        parts.append(_line(x(day), AXIS_Y - 12, x(day), AXIS_Y + 12, colour, 3))
        parts.append(_text(x(day), AXIS_Y - 22 - 17 * (i % 3), label, colour))
        parts.append(_text(x(day), AXIS_Y + 52, f"day {day}", "#777"))
    parts.append("</svg>")
    return "\n".join(parts)


TIMELINES = {
    "clock-first-contact": (
        "First-contact wait: from receipt to the first counted direct contact",
        40,
        [
            (0, "referral received", "start"),
            (10, "missed appointment", "event"),
            (15, "indirect activity", "event"),
            (26, "first counted direct contact", "stop"),
        ],
        [(0, 26, "wait = 26 days")],
    ),
    "clock-four-week": (
        "Four-week clock: from spell start to the latest of three first events",
        60,
        [
            (0, "spell starts", "start"),
            (7, "first counted contact", "event"),
            (14, "agreed care plan", "event"),
            (19, "baseline outcome = clock stop", "stop"),
            (40, "second referral joins", "event"),
        ],
        [(0, 19, "19 days: within 28")],
    ),
    "clock-eating-disorders": (
        "Eating-disorder clock: from receipt to the first attended treatment contact",
        12,
        [
            (0, "urgent referral received", "start"),
            (2, "assessment, no treatment code", "event"),
            (5, "family therapy: treatment starts", "stop"),
        ],
        [(0, 7, "target: 7 days")],
    ),
    "clock-looked-after": (
        "Initial mental health and wellbeing assessment: 4 to 6 months after entering care",
        200,
        [
            (0, "enters care", "start"),
            (50, "placement change", "event"),
            (120, "window opens (4 months)", "event"),
            (140, "assessment done", "stop"),
            (181, "window closes (6 months)", "event"),
        ],
        [(120, 181, "due")],
    ),
}


def write_all(folder: Path) -> None:
    """Write every timeline picture into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, (title, days, marks, spans) in TIMELINES.items():
        (folder / f"{name}.svg").write_text(svg(title, days, marks, spans), encoding="utf-8")
