"""The record-level commands: ``members``, ``why`` and ``validate``.

``cypmh members`` and ``cypmh why`` say who is in a number, and why not;
``cypmh validate`` lists every rejected row of an extract.

All three print identifiers from the extract. They are for the data controller's
own staff reconciling a KPI with their records, never for publication, and
say so on standard error each time they run; ``cypmh report`` never calls them.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cypmh.cli.period import chosen_period, month_option
from cypmh.cli.settings import SETTINGS_BY_NAME, RunSettings, run_options
from cypmh.cli.support import (
    check_out,
    covered_by,
    database_of,
    db_options,
    load_source,
    out_option,
    warn_notes,
    write_out,
)
from cypmh.errors import CypmhError
from cypmh.periods import Month

if TYPE_CHECKING:
    from cypmh.metrics import MetricOptions
    from cypmh.metrics.explain import Finding

__all__ = ["RECORD_LEVEL", "members", "validate", "why"]

RECORD_LEVEL = (
    "Record-level output: it names people and referrals from the extract. "
    "It is for the data controller's own staff; do not publish or share it."
)


def _say_settings(settings: RunSettings, engine: str, options: MetricOptions) -> None:
    """The settings, on standard error: the members are those of a report run with them."""
    click.echo("Settings (as a report with the same ones would use):", err=True)
    for name, value in settings.described(engine, options):
        click.echo(f"  {name}: {value}", err=True)


@click.command()
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--metric", "metric_id", required=True, help="The metric id, for example MHS133.")
@click.option(
    "--period",
    callback=month_option,
    help="The reporting month, YYYY-MM (default: the last complete month of the extract).",
)
@click.option(
    "--breakdown",
    nargs=2,
    metavar="NAME LEVEL",
    help="Only the members at one level: a breakdown and a level code or label (sex Female).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True
)
@out_option
@click.option("--demo", is_flag=True, help="The synthetic area that ships with cypmh.")
@run_options
@db_options
def members(
    folder: Path | None,
    metric_id: str,
    period: Month | None,
    breakdown: tuple[str, str] | None,
    fmt: str,
    out: Path | None,
    demo: bool,
    settings: RunSettings,
    db_url: str | None = None,
    schema: str | None = None,
    tables_map: Path | None = None,
) -> None:
    """Write the members behind one metric's value: one row per referral, spell, contact or child.

    Read from an extract FOLDER, a database (--db) or --demo. It takes every
    setting cypmh report takes (and reads the folder's cypmh.toml as it does):
    given the report's settings, the members are the report's.
    --suppression is accepted but changes nothing: members are listed before
    disclosure control.

    Each row has the record, the person, the dates its age band and status are
    taken on, the value and numerator flag, the referral's own dates and its
    level of each breakdown. The row count is the metric's count (or its
    denominator) before disclosure control. Record-level: never publish it.
    """
    # Imported when the command runs, so that `cypmh --help` stays quick.
    from cypmh.io.published import csv_text
    from cypmh.metrics import definitions
    from cypmh.metrics.drilldown import MEMBER_COLUMNS, members_frames
    from cypmh.metrics.drilldown import members as area_members
    from cypmh.metrics.inputs import (
        available,
        inputs_of,
        lacking,
        level_inputs,
        missing_reason,
    )
    from cypmh.metrics.notes import run_notes
    from cypmh.metrics.request import run_id

    click.echo(RECORD_LEVEL, err=True)
    name, level = breakdown if breakdown else (None, None)
    try:
        db = database_of(db_url, schema, tables_map, folder, demo)
        options = settings.metric_options(folder, demo, db)
        # As the report names it: with waits_from = direct_contacts, MRS08 is WAIT08.
        metric_id = run_id(metric_id, options.direct_contacts_only)
        source = load_source(folder, demo, settings, [metric_id], db)
        covered = covered_by(source)
        if metric_id in definitions() and not available(metric_id, covered):
            missing = lacking(inputs_of(metric_id), covered or ())
            raise click.ClickException(
                f"{metric_id} is not available: {missing_reason(missing, covered or ())}"
            )
        if name is not None and covered is not None:
            key = str(level).lower().replace(" ", "_")
            missing = lacking(level_inputs(name, key), covered)
            if missing:
                raise click.ClickException(
                    f"{metric_id}'s {name} level {level} is not available: "
                    f"{missing_reason(missing, covered)}"
                )
        warn_notes(run_notes(options, [metric_id], covered))
        month = chosen_period(source, period, demo)
        _say_settings(settings, source.engine, options)
        request = {"breakdown": name, "level": level, "options": options}
        if source.area is not None:
            found = area_members(source.area, metric_id, month, **request)  # type: ignore[arg-type]
        else:
            assert source.tables is not None
            found = members_frames(source.tables, metric_id, month, **request)  # type: ignore[arg-type]
    except CypmhError as exc:
        raise click.ClickException(str(exc)) from None
    rows = [m.as_dict() for m in found]
    if fmt == "json":
        text = json.dumps(rows, indent=2)
    else:
        columns = list(dict.fromkeys([*MEMBER_COLUMNS, *(k for row in rows for k in row)]))
        text = csv_text(columns, ([row.get(c) for c in columns] for row in rows)).rstrip("\n")
    if out is None:
        click.echo(text)
    else:
        check_out(out, folder)
        write_out(out, text + "\n")
    click.echo(f"{len(rows)} members of {metric_id} for {month}.", err=True)


@click.command()
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--referral", "referral_id", required=True, help="The referral id (ServiceRequestId)."
)
@click.option(
    "--period",
    callback=month_option,
    help="The reporting month, YYYY-MM (default: the last complete month of the extract).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--demo", is_flag=True, help="The synthetic area that ships with cypmh.")
@run_options
@db_options
def why(
    folder: Path | None,
    referral_id: str,
    period: Month | None,
    fmt: str,
    demo: bool,
    settings: RunSettings,
    db_url: str | None = None,
    schema: str | None = None,
    tables_map: Path | None = None,
) -> None:
    """Explain, family by family, whether a referral counts in each metric and why not.

    Names the cohort filter, or the clause of the definition the referral fails
    with its values, for example "MRS08: not counted: in spell P17/RX4/2024-06-11;
    requires that clock stop is in the 3 months ending at the period's end (...); here
    no clock stop is recorded by 2025-03-31 (first outcome measure missing)". Reads an
    extract FOLDER, a database (--db) or --demo, with every setting cypmh report takes (and the
    folder's cypmh.toml): given the report's settings, a referral counts
    exactly when it is among the report's members. The reasons are worked
    out over records (--engine changes nothing). Record-level: never publish it.
    """
    # Imported on first use, for start-up time.
    import attrs

    from cypmh.metrics.explain import why as explain
    from cypmh.metrics.explain import why_text
    from cypmh.metrics.inputs import available
    from cypmh.metrics.notes import run_notes
    from cypmh.metrics.request import run_id

    click.echo(RECORD_LEVEL, err=True)
    try:
        db = database_of(db_url, schema, tables_map, folder, demo)
        options = settings.metric_options(folder, demo, db)
        source = load_source(folder, demo, settings, [], db, engine="reference")
        covered = covered_by(source)
        four_week = [
            m
            for m in (run_id(n, options.direct_contacts_only) for n in ("MRS08", "MRS09"))
            if available(m, covered)
        ]
        warn_notes(run_notes(options, four_week, covered))
        month = chosen_period(source, period, demo)
        _say_settings(settings, source.engine, options)
        assert source.area is not None
        findings = _marked(explain(source.area, referral_id, month, options=options), covered)
    except CypmhError as exc:
        raise click.ClickException(str(exc)) from None
    if fmt == "json":
        click.echo(json.dumps([attrs.asdict(f) for f in findings], indent=2))
    else:
        click.echo(why_text(findings, referral_id, str(month)))


def _marked(findings: Sequence[Finding], covered: Collection[str] | None) -> list[Finding]:
    """The findings, with the metrics whose inputs the extract lacks *not available*.

    As the report prints ``n/a`` for them and ``members`` refuses them, ``why``
    says they are not available, with the reason, and never that the referral
    counts. A population whose metrics differ in this is split in two.
    """
    # Imported on first use, for start-up time.
    import attrs

    from cypmh.metrics.inputs import inputs_of, lacking, missing_reason

    if covered is None:
        return list(findings)
    marked = []
    for finding in findings:
        reasons: dict[str, list[str]] = {}
        for metric_id in finding.metric_ids:
            missing = lacking(inputs_of(metric_id), covered)
            reasons.setdefault(missing_reason(missing, covered) if missing else "", []).append(
                metric_id
            )
        for reason, ids in reasons.items():
            if not reason:
                marked.append(attrs.evolve(finding, metric_ids=tuple(ids)))
            else:
                marked.append(
                    attrs.evolve(
                        finding,
                        metric_ids=tuple(ids),
                        counts=False,
                        reason=f"not available: {reason}",
                        detail="",
                    )
                )
    return marked


@click.command()
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--la",
    "la",
    multiple=True,
    metavar="NUMBER",
    help=SETTINGS_BY_NAME["la"].help,
)
@click.option(
    "--engine",
    type=click.Choice(["auto", "reference", "polars"]),
    default="auto",
    show_default=True,
    help="The reader: both give the same report. auto takes the reference reader, or Polars "
    "for a folder larger than the reference reader takes.",
)
@db_options
def validate(
    folder: Path | None,
    fmt: str,
    la: tuple[str, ...],
    db_url: str | None,
    schema: str | None,
    tables_map: Path | None,
    engine: str = "auto",
) -> None:
    """Check an extract FOLDER (or --db): the data-quality report alone. Exit 1 on a rejected row.

    The report is record-level: it quotes each rejected row's values, which can
    be identifiers. It is for the data controller's own staff, never for
    publication ('cypmh report' gives counts only).
    """
    # Imported when the command runs, so that `cypmh --help` stays quick.
    from cypmh.io.readers import REFERENCE_LIMIT, extract_size, read_extract

    try:
        db = database_of(db_url, schema, tables_map, folder)
        if (folder is None) == (db is None):
            raise click.UsageError("give an extract FOLDER or --db URL")
        where: Any = folder if db is None else db
        if engine == "auto" and folder is not None and folder.is_dir():
            large = extract_size(folder) > REFERENCE_LIMIT
            engine = "polars" if large and _has_polars() else "reference"
        if engine == "polars":
            from cypmh.io.frames import read_extract_frames  # when run: keeps --help quick

            # Ids as numbers: the report alone is wanted, in the least memory.
            quality = read_extract_frames(where, "polars", la=la or None, coded=True).quality
        else:
            quality = read_extract(where, la=la or None).quality
    except CypmhError as exc:
        raise click.ClickException(str(exc)) from None
    if sys.stderr.isatty():
        click.echo("Record-level output: it may show identifiers; do not publish it.", err=True)
    click.echo(json.dumps(quality.to_data(), indent=2) if fmt == "json" else quality.to_text())
    if quality.rejected:
        noun = "row was" if quality.rejected == 1 else "rows were"
        click.echo(f"{quality.rejected} {noun} rejected (exit status 1).", err=True)
        sys.exit(1)


def _has_polars() -> bool:
    """Whether Polars is installed (the ``frames`` extra)."""
    # Imported on first use, for start-up time.
    import importlib.util

    return importlib.util.find_spec("polars") is not None
