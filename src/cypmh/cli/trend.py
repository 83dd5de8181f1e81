"""The ``cypmh trend`` and ``cypmh spc`` commands: monthly series read with SPC.

Registered on :data:`cypmh.cli.main.cli`; the work is :func:`cypmh.metrics.compute_series`,
:func:`cypmh.report.trends.read_trends` and :mod:`cypmh.report.trend`.
"""

from __future__ import annotations

import csv
import io
import json
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from cypmh.cli.deprivation import gradient_for, with_deprivation
from cypmh.cli.need import panel_for
from cypmh.cli.period import chosen_period, month_option
from cypmh.cli.settings import RunSettings, run_options, text_file
from cypmh.cli.support import (
    area_name_option,
    check_metrics,
    check_out,
    database_of,
    db_options,
    open_run,
    out_option,
    progress_bar,
    write_out,
)
from cypmh.errors import CypmhError
from cypmh.metrics.definition import BREAKDOWNS
from cypmh.periods import Month

__all__ = ["spc", "trend"]

DEFAULT_MONTHS = 24
"""How many months a trend shows when ``--from`` is not given (the demo's: 2023-04 to 2025-03)."""


def _pairs(values: Sequence[str], option: str) -> dict[str, str]:
    """``ID=VALUE`` options as a mapping, or a usage error naming the bad one."""
    pairs = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise click.BadParameter(f"{item!r} is not ID=VALUE", param_hint=option)
        pairs[key.strip()] = value.strip()
    return pairs


def _targets(values: Sequence[str]) -> dict[str, float]:
    targets = {}
    for key, value in _pairs(values, "--target").items():
        try:
            targets[key] = float(value)
        except ValueError:
            raise click.BadParameter(
                f"{key}={value}: the target must be a number", param_hint="--target"
            ) from None
    return targets


def _months(values: Sequence[str], option: str) -> list[Month]:
    months = []
    for value in values:
        try:
            months.append(Month.parse(value))
        except CypmhError:
            raise click.BadParameter(
                f"{value!r} is not a month written YYYY-MM", param_hint=option
            ) from None
    return months


@click.command()
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--from",
    "start",
    callback=month_option,
    help="The first month, YYYY-MM (default: 23 months before --to, so 24 months in all).",
)
@click.option(
    "--to",
    "end",
    callback=month_option,
    help="The last month, YYYY-MM (default: the last complete month of the extract; "
    "the demo's is 2025-03).",
)
@click.option("--metric", "metrics", multiple=True, help="A metric id (repeatable; default: all).")
@click.option(
    "--breakdown",
    "breakdowns",
    multiple=True,
    type=click.Choice(list(BREAKDOWNS)),
    help="A breakdown (repeatable; default: the whole area only).",
)
@click.option(
    "--rebase", multiple=True, help="A month that starts new limits, YYYY-MM (repeatable)."
)
@click.option(
    "--target",
    "targets",
    multiple=True,
    help="ID=VALUE: a metric's target, over the catalogue's (repeatable).",
)
@click.option(
    "--improvement",
    "improvements",
    multiple=True,
    help="ID=increase|decrease|neutral: which way is better, over the catalogue's (repeatable).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json", "html", "text"]),
    default="csv",
    show_default=True,
)
@out_option
@click.option("--demo", is_flag=True, help="Trends of the synthetic area that ships with cypmh.")
@click.option("--status", default="Final", show_default=True, help="The STATUS column.")
@click.option(
    "--area-name",
    callback=area_name_option,
    help="Label of the whole-area rows (default: the folder's name): letters, digits, spaces "
    "and _.,'()&/-, a letter or digit first, at most 80 characters.",
)
@run_options
@db_options
def trend(
    folder: Path | None,
    start: Month | None,
    end: Month | None,
    metrics: tuple[str, ...],
    breakdowns: tuple[str, ...],
    rebase: tuple[str, ...],
    targets: tuple[str, ...],
    improvements: tuple[str, ...],
    fmt: str,
    out: Path | None,
    demo: bool,
    status: str,
    area_name: str | None,
    settings: RunSettings,
    db_url: str | None = None,
    schema: str | None = None,
    tables_map: Path | None = None,
) -> None:
    """Every metric as a monthly series read with SPC, for an extract FOLDER, --db or --demo.

    Each month is computed as at its own end, over the metric's own window,
    and published under disclosure control; the Making Data Count XmR chart
    is drawn over the published values. A series with a suppressed month
    gets no SPC. With a population, the metrics that read it are trended too,
    and the HTML page opens with the need-and-reach panel of the last month.
    """
    # Imported on first use, for start-up time.
    import attrs

    from cypmh.io.readers import ExtractError
    from cypmh.metrics import compute_series
    from cypmh.metrics.inputs import mark_unavailable, with_unmeasured
    from cypmh.metrics.need import basis_of
    from cypmh.metrics.request import run_id
    from cypmh.report.trend import trend_csv, trend_html, trend_json, trend_records, trend_text
    from cypmh.report.trends import read_trends

    check_metrics(metrics)
    if out is not None:
        check_out(out, folder)
    rebased = _months(rebase, "--rebase")
    wanted_targets = _targets(targets)
    wanted_improvements = _pairs(improvements, "--improvement")
    suppression = settings.suppression
    try:
        db = database_of(db_url, schema, tables_map, folder, demo)
        run = open_run(folder, demo, settings, metrics, db)
        options, metric_ids, source, notes = run.options, run.metric_ids, run.source, run.notes
        # An override names a metric as --metric does: with waits_from, MRS08b is WAIT08b.
        direct = options.direct_contacts_only
        wanted_targets = {run_id(k, direct): v for k, v in wanted_targets.items()}
        wanted_improvements = {run_id(k, direct): v for k, v in wanted_improvements.items()}
        end = chosen_period(source, end, demo)
        if start is None:
            start = Month.from_uniq_month_id(end.uniq_month_id - (DEFAULT_MONTHS - 1))
            click.echo(
                f"From: {start} (no --from given: {DEFAULT_MONTHS} months to {end})", err=True
            )
        if end.uniq_month_id < start.uniq_month_id:
            raise click.UsageError(f"--to {end} is before --from {start}")
        count = end.uniq_month_id - start.uniq_month_id + 1
        target: Any = source.area if source.area is not None else source.tables
        with progress_bar(count, f"Computing {count} months") as tick:
            series = compute_series(
                target,
                start,
                end,
                metrics=metric_ids,
                breakdowns=with_deprivation(breakdowns, (), options, run.covered, add=False),
                disclosure=suppression,
                options=options,
                progress=tick,
            )
        series = attrs.evolve(
            series,
            rows=tuple(
                with_unmeasured(mark_unavailable(month, run.covered), run.unmeasured, run.covered)
                for month in series.rows
            ),
        )
        panel = panel_for(source, end, options, suppression) if fmt == "html" else None
        gradient = gradient_for(source, end, options, suppression) if fmt == "html" else None
        trends = read_trends(
            series, improvements=wanted_improvements, targets=wanted_targets, rebase=rebased
        )
    except (ExtractError, CypmhError) as exc:
        raise click.ClickException(str(exc)) from None
    name = area_name or source.label
    described = settings.described(source.engine, options, end.last_day)
    if fmt == "text":
        text = trend_text(
            trends, area_name=name, disclosure=suppression, settings=described, notes=notes
        )
        if demo:
            text += "\n\n" + textwrap.fill(
                "The synthetic area has one planted change: from July 2024 referrals wait "
                "half as long for a first contact. MHS131 shows it as special cause "
                "(improvement, since lower is better), and fewer referrals are left waiting "
                "for one (MHS133).",
                width=92,
            )
    elif fmt == "html":
        text = trend_html(
            trends,
            area_name=name,
            disclosure=suppression,
            panel=panel,
            settings=described,
            notes=notes,
            gradient=gradient,
        )
    else:
        basis = basis_of(options)
        records = trend_records(
            trends,
            status=status,
            area_name=name,
            basis=None if basis is None else basis.label,
            settings=settings.line(source.engine, options, end.last_day),
            notes=notes,
        )
        text = trend_csv(records) if fmt == "csv" else trend_json(records)
    if out is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        write_out(out, text)


def _read_series(
    path: Path, date_column: str, value_column: str
) -> tuple[list[str], list[float | None]]:
    """The dates and values of an analyst's CSV; a clear error naming line, column and value."""
    text = text_file(path)
    reader = csv.DictReader(io.StringIO(text))
    columns = reader.fieldnames or []
    for column in (date_column, value_column):
        if column not in columns:
            raise click.ClickException(
                f"{path}: no column {column!r}; the columns are {', '.join(columns) or 'none'}"
            )
    dates: list[str] = []
    values: list[float | None] = []
    for line, row in enumerate(reader, start=2):
        day = (row.get(date_column) or "").strip()
        cell = (row.get(value_column) or "").strip()
        if not day:
            raise click.ClickException(f"{path}, line {line}, column {date_column}: no date")
        if cell in ("", "*"):
            values.append(None)
        else:
            try:
                values.append(float(cell))
            except ValueError:
                raise click.ClickException(
                    f"{path}, line {line}, column {value_column}: {cell!r} is not a number "
                    "(leave it empty for a missing month)"
                ) from None
        dates.append(day)
    if not dates:
        raise click.ClickException(f"{path}: no rows")
    return dates, values


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--date-column", required=True, help="The column of dates (YYYY-MM or YYYY-MM-DD).")
@click.option("--value-column", required=True, help="The column of values (empty: missing).")
@click.option(
    "--improvement",
    type=click.Choice(["increase", "decrease", "neutral"]),
    default="increase",
    show_default=True,
)
@click.option("--target", type=float, help="The target, for the assurance.")
@click.option("--rebase", multiple=True, help="A date that starts new limits (repeatable).")
@click.option("--fix-after", type=click.IntRange(min=1), help="Limits from the first N points.")
@click.option("--no-screen", is_flag=True, help="Keep every moving range (as MDC's Excel tool).")
@click.option("--run-length", type=click.Choice(["6", "7"]), default="7", show_default=True)
@click.option("--trend-length", type=click.Choice(["6", "7"]), default="7", show_default=True)
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True
)
@out_option
def spc(
    file: Path,
    date_column: str,
    value_column: str,
    improvement: str,
    target: float | None,
    rebase: tuple[str, ...],
    fix_after: int | None,
    no_screen: bool,
    run_length: str,
    trend_length: str,
    fmt: str,
    out: Path | None,
) -> None:
    """An XmR chart of your own series: a CSV FILE with a date and a value column."""
    from cypmh.spc import xmr  # when run: keeps --help quick

    if out is not None:
        check_out(out, None)
    dates, values = _read_series(file, date_column, value_column)
    try:
        chart = xmr(
            values,
            dates=dates,
            improvement=improvement,
            target=target,
            rebase=rebase,
            fix_after=fix_after,
            screen_outliers=not no_screen,
            run_length=int(run_length),
            trend_length=int(trend_length),
        )
    except CypmhError as exc:
        raise click.ClickException(f"{file}: {exc}") from None
    rows = chart.to_rows()
    if fmt == "json":
        text = json.dumps(
            {
                "variation": chart.variation,
                "assurance": chart.assurance,
                "warnings": list(chart.warnings),
                "points": rows,
            },
            indent=2,
        )
    else:
        from cypmh.io.published import csv_text  # when run: keeps --help quick

        text = csv_text(list(rows[0]), (["" if v is None else v for v in r.values()] for r in rows))
    for warning in chart.warnings:
        click.echo(f"Note: {warning}", err=True)
    if out is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        write_out(out, text)
