"""The reporting month the commands use, and the warnings for a month off the data.

The extract's span of dated events gives the default month, and
:func:`month_option` checks a month the user gives (split from
:mod:`cypmh.cli.support`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

from cypmh.cli.support import Source
from cypmh.errors import CypmhError, InvalidValueError
from cypmh.periods import Month

__all__ = ["chosen_period", "event_span", "month_option", "period_warnings"]

_EVENTS = (
    ("referrals", "received_date"),
    ("contacts", "date"),
    ("indirect_activities", "date"),
    ("assessments", "date"),
    ("care_episodes", "start"),
    ("care_episodes", "end"),
    ("social_work", "start"),
    ("wellbeing_assessments", "date"),
    ("assessment_factors", "date"),
    ("groupings", "from_date"),
)
"""The dates that say what an extract covers: referrals received, contacts, indirect
activity, assessments, care episodes' starts and ends, social work, initial wellbeing
assessments, child-in-need assessment factors and THRIVE groupings."""


def event_span(source: Source) -> tuple[Any, Any]:
    """The first and last dates of :data:`_EVENTS` in the extract; ``(None, None)`` if none.

    Read from the area or, lazily, from the tables.
    """
    days: list[Any] = []
    if source.area is not None:
        for table, column in _EVENTS:
            days += [
                getattr(r, column)
                for r in getattr(source.area, table)
                if getattr(r, column) is not None
            ]
        return (min(days), max(days)) if days else (None, None)
    # Imported here: an optional extra.
    import narwhals as nw

    assert source.tables is not None
    for table, column in _EVENTS:
        if table not in source.tables:
            continue
        frame = nw.from_native(source.tables[table])
        span = frame.select(nw.col(column).min().alias("a"), nw.col(column).max().alias("b"))
        got = span.collect() if isinstance(span, nw.LazyFrame) else span
        first, last = got["a"][0], got["b"][0]
        days += [d for d in (first, last) if d is not None]
    normal = [d.date() if hasattr(d, "date") and callable(d.date) else d for d in days]
    return (min(normal), max(normal)) if normal else (None, None)


def chosen_period(source: Source, period: Month | None, demo: bool) -> Month:
    """The reporting month: ``period`` if given; else the last complete month of the extract.

    A month is complete when the extract's last dated event (:func:`event_span`)
    falls on or after its last day: an extract whose last contact is on 28
    March covers February, not March. The demo's month is 2025-03. When the
    month is chosen here, standard error says which and why.
    """
    from cypmh.synth.area import DEMO_PERIOD  # when run: keeps --help quick

    if period is not None:
        return period
    if demo:
        return Month.parse(DEMO_PERIOD)
    _, last = event_span(source)
    if last is None:
        raise click.UsageError(
            "--period YYYY-MM is needed: the extract has no dated events to choose one from"
        )
    month = Month.parse(f"{last.year:04d}-{last.month:02d}")
    if last < month.last_day:
        month = Month.from_uniq_month_id(month.uniq_month_id - 1)
    click.echo(
        f"Period: {month} (no --period given: the last complete month of the extract, "
        f"whose last dated event is {last})",
        err=True,
    )
    return month


def period_warnings(source: Source, month: Month, metric_ids: Sequence[str]) -> list[str]:
    """Warnings when ``month`` lies after the extract's events, or windows start before them."""
    # Imported when the command runs, so that `cypmh --help` stays quick.
    from cypmh.metrics import definitions
    from cypmh.periods import RollingMonths

    first, last = event_span(source)
    if first is None or last is None:
        return ["the extract has no dated events: every count is 0"]
    said = []
    if month.first_day > last:
        said.append(
            f"--period {month} lies after the extract's last event ({last}): "
            "nothing in the extract happens in it"
        )
    early: dict[int, list[str]] = {}
    for metric_id in metric_ids:
        months = definitions()[metric_id].months
        if RollingMonths(last=month, months=months).start < first:
            early.setdefault(months, []).append(metric_id)
    for months, ids in sorted(early.items()):
        start = RollingMonths(last=month, months=months).start
        shown = ", ".join(ids[:6]) + (f" and {len(ids) - 6} more" if len(ids) > 6 else "")
        said.append(
            f"the {months}-month window of {shown} starts on {start}, before the extract's "
            f"first event ({first}): those counts cover only part of it"
        )
    return said


def month_option(ctx: click.Context, param: click.Parameter, value: str | None) -> Month | None:
    """A click callback: the option's ``YYYY-MM`` as a reporting month, or a usage error."""
    if value is None:
        return None
    try:
        month = Month.parse(value)
    except CypmhError:
        raise click.BadParameter(f"{value!r} is not a month written YYYY-MM") from None
    from cypmh.metrics.request import reporting_month  # when run: keeps --help quick

    try:
        return reporting_month(month)
    except InvalidValueError as exc:
        raise click.BadParameter(f"{value!r}: {exc.rule}") from None
