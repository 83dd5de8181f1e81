"""The ``cypmh`` command line (click).

Exit status: 0 success; 1 data errors (an unreadable extract, or rejected rows
for ``validate``); 2 usage errors. User mistakes get a message, never a
traceback.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cypmh.cli.cin import cin_census
from cypmh.cli.deprivation import gradient_for, warn_unmatched, with_deprivation
from cypmh.cli.drill import members, validate, why
from cypmh.cli.need import need, panel_for
from cypmh.cli.period import chosen_period, month_option, period_warnings
from cypmh.cli.settings import RunSettings, run_options
from cypmh.cli.support import (
    Run,
    area_name_option,
    check_metrics,
    check_out,
    database_of,
    db_options,
    open_run,
    out_option,
    write_out,
)
from cypmh.cli.synth import synth
from cypmh.cli.trend import spc, trend
from cypmh.errors import CypmhError
from cypmh.metrics.definition import BREAKDOWNS
from cypmh.periods import Month

# Only what the options' choices need is imported here, so that `cypmh --help`
# starts quickly; each command imports the rest of what it uses.
if TYPE_CHECKING:
    from cypmh.io.readers import QualityReport
    from cypmh.metrics import MetricOptions, ResultRow
    from cypmh.model import Area
    from cypmh.report.need_panel import NeedPanel

__all__ = ["cli"]

DEFAULT_BREAKDOWNS = ("age_band", "social_care", "provider", "school_link")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cypmh")
def cli() -> None:
    """Shared definitions of children and young people's mental health data and KPIs."""


def _refuse_if_qualified(run: Run, breakdowns: list[str]) -> None:
    """``--strict``: a usage error naming the notes, the rejected rows or the lacking columns."""
    from cypmh.metrics.inputs import lacking_columns  # when run: keeps --help quick

    quality = run.source.quality
    if run.notes:
        raise click.ClickException(
            f"{', '.join(run.notes)} carry a note (see the warnings above), and --strict was "
            "given: no report"
        )
    if quality is not None and quality.rejected:
        raise click.ClickException(
            f"{quality.rejected} rows rejected, and --strict was given: no report"
        )
    columns = lacking_columns(run.metric_ids, breakdowns, run.covered)
    if columns:
        named = ", ".join(c.replace(":", " column ") for c in columns)
        raise click.ClickException(
            f"the extract lacks {named}, read by metrics or breakdowns asked for, and --strict "
            "was given: no report"
        )


def _rejection_notes(run: Run, month: Month, policy: str) -> dict[str, str]:
    """What the extract's rejected rows may take out of each metric's population.

    Its counts are of children, often small: they are published under ``policy``.
    """
    quality = run.source.quality
    if quality is None or not quality.rejected:
        return {}
    # Imported when the command runs, so that `cypmh --help` stays quick.
    from cypmh.metrics.disclosure import disclose_count
    from cypmh.metrics.inputs import available, inputs_of
    from cypmh.metrics.notes import rejection_notes
    from cypmh.metrics.people import population_people

    # Only the metrics that read a file with rejected rows get a note: list only their
    # members (listing every population's took minutes on a large extract).
    files = {path for path, counts in quality.files.items() if counts.rejected}
    ids = [m for m in run.metric_ids if available(m, run.covered) and files & set(inputs_of(m))]
    if not ids:
        return {}
    target: Any = run.source.area if run.source.area is not None else run.source.tables
    people = population_people(target, month, ids, options=run.options)
    rows = {path: counts.rejected for path, counts in quality.files.items()}

    def count(n: int) -> str:
        return disclose_count(n, policy)

    return rejection_notes(rows, quality.rejected_people, people, count=count)


def _compute(
    area: Area,
    month: Month,
    metrics: Sequence[str],
    breakdowns: Sequence[str],
    policy: str,
    options: MetricOptions,
) -> tuple[ResultRow, ...]:
    from cypmh.metrics import compute, definitions  # when run: keeps --help quick

    families: dict[str, list[str]] = {}
    for metric_id in metrics:
        families.setdefault(definitions()[metric_id].family, []).append(metric_id)
    if not sys.stderr.isatty():
        return compute(
            area, month, metrics=metrics, breakdowns=breakdowns, disclosure=policy, options=options
        )
    rows: list[ResultRow] = []
    with click.progressbar(
        list(families.values()), label="Computing metrics", file=sys.stderr
    ) as bar:
        for ids in bar:
            rows += compute(
                area, month, metrics=ids, breakdowns=breakdowns, disclosure=policy, options=options
            )
    order = {m: i for i, m in enumerate(metrics)}
    return tuple(sorted(rows, key=lambda r: order[r.metric_id]))


def _text(
    rows: Sequence[ResultRow],
    month: Month,
    area_name: str,
    policy: str,
    quality: QualityReport | None,
    panel: NeedPanel | None = None,
    settings: Sequence[tuple[str, str]] = (),
    notes: Mapping[str, str] | None = None,
) -> str:
    # Imported when the command runs, so that `cypmh --help` stays quick.
    from cypmh.metrics import WHOLE_AREA, definitions
    from cypmh.metrics.disclosure import disclose_count
    from cypmh.report.kpi import note_of
    from cypmh.report.need_panel import panel_text
    from cypmh.report.quality import quality_text

    lines = [f"{area_name}: KPIs for {month} (disclosure control: {policy})", ""]
    if settings:
        lines += ["Settings:", *(f"  {name}: {value}" for name, value in settings), ""]
    if panel is not None:
        lines += [panel_text(panel), ""]
    lines.append(f"  {'id':<8} {'value':>8}  measure")
    for row in rows:
        if row.breakdown == WHOLE_AREA:
            lines.append(
                f"  {row.metric_id:<8} {row.shown or '-':>8}  {definitions()[row.metric_id].name}"
            )
            note = f"not available: {row.unavailable}" if row.unavailable else ""
            note = note or note_of(row.metric_id, notes)
            if note:
                lines.append(f"  {'':<8} {'':>8}  ({note})")
    if quality is not None:
        count = functools.partial(disclose_count, policy=policy)
        lines += ["", "Data quality:", quality_text(quality, count)]
    return "\n".join(lines)


@cli.command()
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--period",
    callback=month_option,
    help="The reporting month, YYYY-MM (default: the last complete month of the extract; "
    "the demo's is 2025-03).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json", "html", "text"]),
    default="csv",
    show_default=True,
)
@out_option
@click.option("--demo", is_flag=True, help="Report on the synthetic area that ships with cypmh.")
@click.option(
    "--strict",
    is_flag=True,
    help="Exit 1, with no report, when any row of the extract was rejected, a metric asked "
    "for carries a note (MRS08 and MRS09 without --intervention-codes, say), or a column a "
    "metric or breakdown reads is missing or misspelt.",
)
@click.option("--status", default="Final", show_default=True, help="The STATUS column of the CSV.")
@click.option(
    "--area-name",
    callback=area_name_option,
    help="Label of the whole-area rows (default: the folder's name): letters, digits, spaces "
    "and _.,'()&/-, a letter or digit first, at most 80 characters.",
)
@click.option("--metric", "metrics", multiple=True, help="A metric id (repeatable; default: all).")
@click.option(
    "--breakdown",
    "breakdowns",
    multiple=True,
    type=click.Choice(list(BREAKDOWNS)),
    help="A breakdown (repeatable).",
)
@run_options
@db_options
def report(
    folder: Path | None,
    period: Month | None,
    fmt: str,
    out: Path | None,
    demo: bool,
    status: str,
    area_name: str | None,
    metrics: tuple[str, ...],
    breakdowns: tuple[str, ...],
    settings: RunSettings,
    strict: bool = False,
    db_url: str | None = None,
    schema: str | None = None,
    tables_map: Path | None = None,
) -> None:
    """Compute the KPI report for an extract FOLDER, a database (--db), or --demo.

    Every setting that changes a number may also be given in the folder's
    cypmh.toml, under [run] (the command line wins). With a population
    (--population, the extract's population.csv, a database's population
    table, or the demo's synthetic one) the report also has the metrics that
    read it (NEED01, ACC01, MHS95a, REF01a, ACC02r), and the text and HTML
    reports open with the need-and-reach panel.
    """
    # Imported when the command runs, so that `cypmh --help` stays quick.
    from cypmh.io.readers import ExtractError
    from cypmh.metrics.inputs import mark_unavailable, with_unmeasured
    from cypmh.metrics.need import basis_of
    from cypmh.metrics.notes import with_notes
    from cypmh.report.kpi import to_csv, to_html, to_json, to_records

    check_metrics(metrics)
    suppression = settings.suppression
    try:
        db = database_of(db_url, schema, tables_map, folder, demo)
        run = open_run(folder, demo, settings, metrics, db)
        options, metric_ids, source, notes = run.options, run.metric_ids, run.source, run.notes
        chosen = with_deprivation(breakdowns, DEFAULT_BREAKDOWNS, options, run.covered)
        if strict:
            _refuse_if_qualified(run, chosen)
        month = chosen_period(source, period, demo)
        if not demo:
            for warning in period_warnings(source, month, metric_ids):
                click.echo(f"Warning: {warning}", err=True)
        warn_unmatched(source, options, month, chosen)
        if source.area is not None:
            rows = _compute(source.area, month, metric_ids, chosen, suppression, options)
        else:
            from cypmh.metrics.frames import compute_frames  # when run: keeps --help quick

            assert source.tables is not None
            rows = compute_frames(
                source.tables,
                month,
                metrics=metric_ids,
                breakdowns=chosen,
                disclosure=suppression,
                options=options,
            )
        rows = with_unmeasured(mark_unavailable(rows, run.covered), run.unmeasured, run.covered)
        notes = with_notes(notes, _rejection_notes(run, month, suppression))
        panel = panel_for(source, month, options, suppression) if fmt in ("text", "html") else None
        gradient = gradient_for(source, month, options, suppression) if fmt == "html" else None
    except (ExtractError, CypmhError) as exc:
        raise click.ClickException(str(exc)) from None
    quality, label = source.quality, source.label
    name = area_name or label
    described = settings.described(source.engine, options, month.last_day)
    if out is not None:
        check_out(out, folder)
    if fmt == "text":
        text = _text(rows, month, name, suppression, quality, panel, described, notes)
    elif fmt == "html":
        text = to_html(
            rows,
            month,
            area_name=name,
            disclosure=suppression,
            quality=quality,
            panel=panel,
            gradient=gradient,
            settings=described,
            notes=notes,
        )
    else:
        basis = basis_of(options)
        records = to_records(
            rows,
            month,
            status=status,
            area_name=name,
            disclosure=suppression,
            basis=None if basis is None else basis.label,
            settings=settings.line(source.engine, options, month.last_day),
            notes=notes,
        )
        text = to_csv(records) if fmt == "csv" else to_json(records)
    if out is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        write_out(out, text)


@cli.command()
@click.argument("ids", nargs=-1)
@click.option("--full", is_flag=True, help="Show every metric's definition.")
@click.option(
    "--kpis",
    "kpi_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="FILE",
    help="An area's own KPI file: its KPIs are listed after the catalogue's metrics.",
)
def metrics(ids: tuple[str, ...], full: bool, kpi_file: Path | None) -> None:
    """List the catalogue, one line per metric; give IDS (or --full) for definitions."""
    from cypmh.cli.settings import read_declared  # when run: keeps --help quick
    from cypmh.metrics import declaring

    with declaring(read_declared(kpi_file) if kpi_file else ()):
        _list_metrics(ids, full)


def _list_metrics(ids: tuple[str, ...], full: bool) -> None:
    from cypmh.metrics import definitions  # when run: keeps --help quick

    unknown = [i for i in ids if i not in definitions()]
    if unknown:
        raise click.BadParameter(f"not metrics: {', '.join(unknown)}", param_hint="IDS")
    for definition in (definitions()[i] for i in ids) if ids else definitions().values():
        click.echo(f"{definition.id:<8} {definition.name}")
        if ids or full:
            facts: dict[str, Any] = {
                "window": definition.window,
                "numerator": definition.numerator,
                "denominator": definition.denominator,
                "definition": definition.definition,
                "source": definition.source,
                "deviation": definition.deviation,
                "better": {
                    "increase": "higher",
                    "decrease": "lower",
                    "neutral": "neither (a count of demand or a measure of need)",
                }[definition.improvement],
                "target": f"{definition.target:g}: {definition.target_source}"
                if definition.target is not None
                else definition.target_source,
            }
            for key, value in facts.items():
                if value:
                    click.echo(f"         {key}: {value}")
            for name, about in definition.derived:
                click.echo(f"         derived, {name}: {about}")


@cli.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--example", "show_example", is_flag=True, help="Print the shipped example file.")
@click.option("--bases", "show_bases", is_flag=True, help="List the bases and their columns.")
def kpis(file: Path | None, show_example: bool, show_bases: bool) -> None:
    """Check an area's own KPI FILE (TOML) and say, in words, what each KPI counts.

    Each fault is one line naming the file, the line, the KPI and the condition.
    Start from the example (cypmh kpis --example > kpis.toml). Give the file to report,
    trend, need, members and why with --kpis FILE (or kpis = "FILE" under [run] in the
    extract's cypmh.toml), and to metrics to read each KPI's definition.
    """
    from cypmh.metrics import kpis as area_kpis  # when run: keeps --help quick

    if show_example:
        click.echo(area_kpis.EXAMPLE.read_text(encoding="utf-8"), nl=False)
        return
    if show_bases:
        click.echo(area_kpis.bases_text())
        return
    if file is None:
        raise click.UsageError("give a KPI FILE to check, or --example or --bases")
    try:
        declared = area_kpis.read_kpis(file)
    except area_kpis.KpiFileError as exc:
        raise click.ClickException(str(exc)) from None
    for kpi in declared:
        click.echo(area_kpis.describe(kpi))
    click.echo(f"{len(declared)} KPIs checked.")


@cli.command()
def example() -> None:
    """Describe the small hand-written example area (children, journeys, KPIs)."""
    # Imported when the command runs, so that `cypmh --help` stays quick.
    from cypmh.synth.describe import describe
    from cypmh.synth.examples import example_area

    click.echo(describe(example_area()))


cli.add_command(need)
cli.add_command(cin_census)
cli.add_command(synth)
cli.add_command(members)
cli.add_command(validate)
cli.add_command(why)
cli.add_command(trend)
cli.add_command(spc)
