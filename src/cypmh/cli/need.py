"""The ``cypmh need`` command, and the need-and-reach panel the reports open with."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cypmh.cli.period import chosen_period, month_option
from cypmh.cli.settings import RunSettings, run_options
from cypmh.cli.support import (
    Source,
    check_out,
    covered_by,
    database_of,
    db_options,
    load_source,
    out_option,
    write_out,
)
from cypmh.errors import CypmhError
from cypmh.periods import Month

if TYPE_CHECKING:
    from cypmh.metrics import MetricOptions, ResultRow
    from cypmh.report.need_panel import NeedPanel

__all__ = ["need", "panel_for", "panel_rows"]


def panel_for(
    source: Source, month: Month, options: MetricOptions, suppression: str
) -> NeedPanel | None:
    """The need-and-reach panel of ``month`` (``None`` without a population).

    A figure whose inputs the extract lacks is *not available* (``n/a``), with
    the reason under the panel (:func:`cypmh.metrics.inputs.mark_unavailable`).
    """
    # Imported when the command runs, so that `cypmh --help` stays quick.
    from cypmh.metrics.need import basis_of
    from cypmh.report.need_panel import PANEL_BREAKDOWNS, PANEL_METRICS, need_panel

    basis = basis_of(options)
    if basis is None:
        return None
    rows = panel_rows(source, month, options, suppression, PANEL_METRICS, PANEL_BREAKDOWNS)
    return need_panel(rows, month, basis)


def panel_rows(
    source: Source,
    month: Month,
    options: MetricOptions,
    suppression: str,
    metrics: Sequence[str],
    breakdowns: Sequence[str],
) -> Sequence[ResultRow]:
    """The rows a panel shows, on the source's engine, lacking inputs marked not available."""
    # Imported when the command runs, so that `cypmh --help` stays quick.
    from cypmh.metrics import compute
    from cypmh.metrics.inputs import mark_unavailable

    request: dict[str, Any] = {
        "metrics": list(metrics),
        "breakdowns": list(breakdowns),
        "disclosure": suppression,
        "options": options,
    }
    if source.area is not None:
        rows = compute(source.area, month, **request)
    else:
        from cypmh.metrics.frames import compute_frames  # when run: keeps --help quick

        assert source.tables is not None
        rows = compute_frames(source.tables, month, **request)
    return mark_unavailable(rows, covered_by(source))


@click.command()
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--period",
    callback=month_option,
    help="The reporting month, YYYY-MM (default: the last complete month of the extract; "
    "the demo's is 2025-03).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@out_option
@click.option("--demo", is_flag=True, help="The synthetic area that ships with cypmh.")
@run_options
@db_options
def need(
    folder: Path | None,
    period: Month | None,
    fmt: str,
    out: Path | None,
    demo: bool,
    settings: RunSettings,
    db_url: str | None = None,
    schema: str | None = None,
    tables_map: Path | None = None,
) -> None:
    """How many children are likely to need help, and what share the services reached.

    Reads the extract FOLDER, a database (--db) or the synthetic area (--demo)
    and a population (--population, the extract's population.csv, or a
    database's population table), and prints the need-and-reach panel:
    NEED01, MHS95, ACC01, MHS95a, REF01, REF02, ACC02 and ACC02r, with the
    scheme, the population and the settings named.
    """
    # Imported when the command runs, so that `cypmh --help` stays quick.
    from cypmh.io.readers import ExtractError
    from cypmh.report.need_panel import PANEL_METRICS, panel_data, panel_text

    suppression = settings.suppression
    try:
        db = database_of(db_url, schema, tables_map, folder, demo)
        options = settings.metric_options(folder, demo, db)
        if options.population is None:
            raise click.UsageError(
                "no population: give --population FILE, or put population.csv in the extract "
                "(or a population table in the database)"
            )
        source = load_source(folder, demo, settings, list(PANEL_METRICS), db, coded=True)
        month = chosen_period(source, period, demo)
        panel = panel_for(source, month, options, suppression)
    except (ExtractError, CypmhError) as exc:
        raise click.ClickException(str(exc)) from None
    assert panel is not None
    described = settings.described(source.engine, options, month.last_day)
    if fmt == "json":
        data = {**panel_data(panel), "settings": dict(described)}
        text = json.dumps(data, indent=2)
    else:
        lines = ["", "Settings:", *(f"  {name}: {value}" for name, value in described)]
        text = panel_text(panel) + "\n" + "\n".join(lines)
    if out is None:
        click.echo(text)
    else:
        check_out(out, folder)
        write_out(out, text + "\n")
