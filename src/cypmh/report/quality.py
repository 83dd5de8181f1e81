"""The data-quality section of a report, its counts under the report's disclosure policy.

The counts of the extract's files are counts of rows and, in the social-care
files, of children (often 1 to 4): the report publishes them as it publishes
the metrics' counts. Each function takes ``count``, the policy's way of
writing a count (:func:`cypmh.metrics.disclosure.disclose_count`), so this
module reads nothing above :mod:`cypmh.io`. The
rows themselves stay in ``cypmh validate``. Split from :mod:`cypmh.report.kpi`,
with the HTML table both pages use.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence

from cypmh.io.quality import QualityReport

__all__ = [
    "Count",
    "Markup",
    "controlled",
    "html_table",
    "quality_html",
    "quality_text",
    "rows_were",
]

_COUNTED = re.compile(
    r"\b(\d[\d,]*) (rows? (?:has|have|was|were)|row\(s\)|rows?\b|children|child"
    r"|(?:referral|period|element)(?:\(s\)|s\b|\b))"
)


Count = Callable[[int], str]
"""How a report writes a count under its disclosure policy."""


def controlled(text: str, count: Count) -> str:
    """``text`` with each count of rows or children in it written by ``count``.

    The data-quality section counts rows of the extract's files, and the
    counts of the social-care files are counts of children (often 1 to 4):
    they go through the same control as the metrics.

    >>> from cypmh.metrics.disclosure import disclose_count
    >>> text = "ssda903/oc2.csv: 3 rows have a bad date; 12 children"
    >>> controlled(text, lambda n: disclose_count(n, "safe"))
    'ssda903/oc2.csv: * rows have a bad date; 10 children'
    >>> controlled("3 rows have a bad date", str)
    '3 rows have a bad date'

    The feeds' warnings count referrals, periods and census elements too:

    >>> controlled("cin/: 2 referral(s) ended in no further action", lambda n: "*")
    'cin/: * referral(s) ended in no further action'
    """

    def one(found: re.Match[str]) -> str:
        return f"{count(int(found.group(1).replace(',', '')))} {found.group(2)}"

    return _COUNTED.sub(one, text)


def quality_text(quality: QualityReport, count: Count) -> str:
    """The report's data-quality section as text, every count written by ``count``."""
    return quality.summary_text(count=count, text=lambda t: controlled(t, count))


def rows_were(n: int) -> str:
    """``1 row was`` or ``n rows were``.

    >>> rows_were(1), rows_were(1200)
    ('1 row was', '1,200 rows were')
    """
    return "1 row was" if n == 1 else f"{n:,} rows were"


def html_table(
    header: Sequence[str], rows: Sequence[Sequence[object]], numeric: Sequence[int] = ()
) -> str:
    """An HTML table; cells are escaped, except those already marked up as links."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = []
    for row in rows:
        cells = []
        for index, cell in enumerate(row):
            text = cell if isinstance(cell, Markup) else html.escape(str(cell))
            cells.append(f"<td class='n'>{text}</td>" if index in numeric else f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>" + "".join(body) + "</table>"


class Markup(str):
    """Text that is already HTML (:func:`html_table` leaves it unescaped)."""


def quality_html(quality: QualityReport, disclosure: str, n: Count) -> list[str]:
    """The report page's data-quality section, every count written by ``n``.

    ``n`` writes a count as the ``disclosure`` policy publishes it.
    """
    e = html.escape

    counts = [(f, n(c.read), n(c.used), n(c.rejected)) for f, c in quality.files.items()]
    body = [
        "<h2>Data quality</h2>",
        f"<p><small>Row counts under disclosure control ({e(disclosure)}), as the "
        "metrics are.</small></p>",
        html_table(("File", "Read", "Used", "Rejected"), counts, (1, 2, 3)),
    ]
    if quality.linkage is not None:
        body.append(f"<p>{e(quality.linkage.line(n))}.</p>")
    if quality.warnings:
        body.append(
            "<ul>" + "".join(f"<li>{e(controlled(w, n))}</li>" for w in quality.warnings) + "</ul>"
        )
    summary = quality.summary()
    if summary:
        body.append(
            f"<p>{e(controlled(rows_were(quality.rejected), n))} rejected. By "
            "file, column and reason (the rows themselves are listed by "
            "<code>cypmh validate</code>, which is record-level and stays with the data "
            "controller):</p>"
        )
        body.append(
            html_table(
                ("File", "Column", "Reason", "Rows"),
                [(f, c, r, n(rows)) for f, c, r, rows in summary],
                (3,),
            )
        )
    found = quality.hints()
    if found:
        body.append(
            "<p>What the rejected rows suggest:</p><ul>"
            + "".join(f"<li>{e(controlled(h, n))}</li>" for h in found)
            + "</ul>"
        )
    return body
