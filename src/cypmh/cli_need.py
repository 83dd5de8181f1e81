"""The ``cypmh need`` command, and the need-and-reach panel the reports open with."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cypmh.cli_population import NeedInputs, population_options, read_need_inputs
from cypmh.cli_support import (
    ENGINES,
    Source,
    check_out,
    load_source,
    month_option,
    out_option,
    suppression_option,
    write_out,
)
from cypmh.errors import CypmhError
from cypmh.periods import Month

if TYPE_CHECKING:
    from cypmh.io.need_panel import NeedPanel
    from cypmh.metrics import MetricOptions

__all__ = ["need", "panel_for"]


def panel_for(
    source: Source, month: Month, options: MetricOptions, suppression: str
) -> NeedPanel | None:
    """The need-and-reach panel of ``month`` (``None`` without a population)."""
    from cypmh.io.need_panel import PANEL_BREAKDOWNS, PANEL_METRICS, need_panel
    from cypmh.metrics import compute
    from cypmh.metrics.need import basis_of

    basis = basis_of(options)
    if basis is None:
        return None
    request = {
        "metrics": list(PANEL_METRICS),
        "breakdowns": PANEL_BREAKDOWNS,
        "disclosure": suppression,
        "options": options,
    }
    if source.area is not None:
        rows = compute(source.area, month, **request)  # type: ignore[arg-type]
    else:
        from cypmh.metrics.frames import compute_frames

        assert source.tables is not None
        rows = compute_frames(source.tables, month, **request)  # type: ignore[arg-type]
    return need_panel(rows, month, basis)


@click.command()
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--period", callback=month_option, help="The reporting month, YYYY-MM (the demo's is 2025-03)."
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@population_options
@suppression_option
@out_option
@click.option("--demo", is_flag=True, help="The synthetic area that ships with cypmh.")
@click.option("--engine", type=click.Choice(ENGINES), default="auto", show_default=True)
def need(
    folder: Path | None,
    period: Month | None,
    fmt: str,
    need_inputs: NeedInputs,
    suppression: str,
    out: Path | None,
    demo: bool,
    engine: str,
) -> None:
    """How many children are likely to need help, and what share the services reached.

    Reads the extract FOLDER (or the synthetic area with --demo) and a
    population (--population, or the extract's population.csv), and prints the
    need-and-reach panel: NEED01, MHS95, ACC01, MHS95a, REF01, REF02, ACC02 and
    ACC02r, with the scheme and the population named.
    """
    import attrs

    from cypmh.io.need_panel import PANEL_METRICS, panel_data, panel_text
    from cypmh.io.readers import ExtractError
    from cypmh.metrics import MetricOptions
    from cypmh.synth import DEMO_PERIOD

    if folder is not None and not demo and period is None:
        raise click.UsageError("--period YYYY-MM is required with a FOLDER")
    try:
        population, chosen = read_need_inputs(folder, demo, need_inputs)
        if population is None:
            raise click.UsageError(
                "no population: give --population FILE, or put population.csv in the extract"
            )
        source = load_source(folder, demo, engine, list(PANEL_METRICS))
        month = period or Month.parse(DEMO_PERIOD)
        options = attrs.evolve(MetricOptions(), population=population, scheme=chosen)
        panel = panel_for(source, month, options, suppression)
    except (ExtractError, CypmhError) as exc:
        raise click.ClickException(str(exc)) from None
    assert panel is not None
    text = json.dumps(panel_data(panel), indent=2) if fmt == "json" else panel_text(panel)
    if out is None:
        click.echo(text)
    else:
        check_out(out, folder)
        write_out(out, text + "\n")
