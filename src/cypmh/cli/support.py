"""What the ``cypmh`` commands share: month options, engines, reading a source, writing out.

Kept apart from :mod:`cypmh.cli.main` so that each command's module can use it;
only click and the catalogue's names are imported at the top, so that
``cypmh --help`` starts quickly.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import click

from cypmh.cli.settings import ENGINES, text_file
from cypmh.codes.labels import printable

if TYPE_CHECKING:
    from cypmh.cli.settings import RunSettings
    from cypmh.io.readers import QualityReport
    from cypmh.metrics import MetricOptions
    from cypmh.metrics.inputs import Coverage
    from cypmh.model import Area

__all__ = [
    "ENGINES",
    "Run",
    "Source",
    "check_metrics",
    "check_out",
    "choose_engine",
    "covered_by",
    "database_of",
    "db_options",
    "load_source",
    "open_run",
    "out_option",
    "progress_bar",
    "quality_summary",
    "text_file",
    "warn_notes",
    "write_out",
]


@attrs.frozen(kw_only=True)
class Run:
    """What ``report`` and ``trend`` work on: the options, the metrics, the source, its notes."""

    options: MetricOptions
    metric_ids: list[str]
    source: Source
    covered: Coverage | None
    notes: dict[str, str]
    unmeasured: list[str] = attrs.field(factory=list)
    """The metrics asked for (or the catalogue's) that read a population the run lacks."""


def open_run(
    folder: Path | None, demo: bool, settings: RunSettings, metrics: Sequence[str], db: Any
) -> Run:
    """Read the settings' options and the source, and warn of the run's notes.

    The metrics are ``metrics``, or the whole catalogue, each as the run reports it
    (:func:`cypmh.metrics.request.run_id`); without a population, the ones that read it are
    the run's ``unmeasured``, reported not available, as are the standardised rates without
    a population by group (and MHS95g without a deprivation file). A note is said only for a
    metric the extract has the inputs of (:func:`cypmh.metrics.inputs.available`).
    """
    # Imported when the command runs, so that `cypmh --help` stays quick.
    from cypmh.metrics import definitions
    from cypmh.metrics.inputs import available
    from cypmh.metrics.notes import run_notes
    from cypmh.metrics.request import in_run, lacks_input, run_id

    options = settings.metric_options(folder, demo, db)
    direct = options.direct_contacts_only
    asked = list(dict.fromkeys(run_id(m, direct) for m in metrics)) or [
        d.id for d in definitions().values() if in_run(d, direct)
    ]
    unmeasured = [m for m in asked if lacks_input(definitions()[m], options)]
    metric_ids = [m for m in asked if m not in unmeasured]
    source = load_source(folder, demo, settings, metric_ids, db, coded=True)
    covered = covered_by(source)
    notes = run_notes(options, [m for m in metric_ids if available(m, covered)], covered)
    warn_notes(notes)
    return Run(
        options=options,
        metric_ids=metric_ids,
        source=source,
        covered=covered,
        notes=notes,
        unmeasured=unmeasured,
    )


def covered_by(source: Source) -> Coverage | None:
    """What the extract held: its data-quality report's files and headers (``None``: the demo).

    A header's likely misspelling of a contract column is kept as a suggestion, by its
    position (a column's name is input text, and never reaches a report).
    """
    if source.quality is None:
        return None
    # Imported when the command runs, so that `cypmh --help` stays quick.
    from cypmh.io.contract import spec
    from cypmh.io.lines import misspellings
    from cypmh.metrics.inputs import Coverage, column

    headers = {path: source.quality.headers.get(path, ()) for path in source.quality.files}
    suggestions = {
        column(path, meant): f"column {list(header).index(name) + 1}"
        for path, header in headers.items()
        for name, meant in misspellings(spec(path), header).items()
    }
    return Coverage.of_headers(headers, suggestions)


def warn_notes(notes: Mapping[str, str]) -> None:
    """Each run note (:func:`cypmh.metrics.notes.run_notes`) once on standard error, with ids."""
    from cypmh.metrics.notes import NOTES  # when run: keeps --help quick

    by_note: dict[str, list[str]] = {}
    for metric_id, said in notes.items():
        for note in [n for n in NOTES if n in said] or [said]:
            by_note.setdefault(note, []).append(metric_id)
    for note, ids in by_note.items():
        click.echo(f"Warning: {', '.join(ids)}: {note}", err=True)


def check_metrics(metrics: Sequence[str]) -> None:
    """A usage error for a ``--metric`` that is not in the catalogue."""
    from cypmh.metrics import definitions  # when run: keeps --help quick

    for metric_id in metrics:
        if metric_id not in definitions():
            raise click.BadParameter(
                f"{metric_id!r} is not a metric (see 'cypmh metrics')", param_hint="--metric"
            )


def area_name_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A click callback: ``--area-name`` as given if it is a plain label, else a usage error.

    The name starts every whole-area row, so a formula, markup or escape code
    in it would reach every output (:mod:`cypmh.codes.labels`).
    """
    from cypmh.codes.labels import LABEL_RULE, is_label, printable  # when run: keeps --help quick

    if value is None or is_label(value):
        return value
    shown = printable(value)[:40]
    raise click.BadParameter(f"{shown!r} is not a plain label: use {LABEL_RULE}")


def choose_engine(choice: str, metric_ids: Sequence[str]) -> str:
    """The engine to run: the choice; for ``auto``, the fastest installed that computes them all."""
    if choice != "auto":
        return choice
    from cypmh.tables.backends import fastest_available  # when run: keeps --help quick

    fastest = fastest_available()
    if fastest is None or fastest not in ENGINES:
        return "reference"
    from cypmh.metrics.frames import unsupported  # when run: keeps --help quick

    return "reference" if unsupported(metric_ids) else fastest


def check_out(out: Path, folder: Path | None) -> None:
    """Refuse an output path that would overwrite an input, or that is not a regular file.

    Refused: a path inside the extract folder; a path that is the same file
    (:func:`os.path.samefile`: a hard or symbolic link too) as anything the
    command reads (an extract file, a database file, the population, a
    scheme, policy, cohort, code list, table map, ``cypmh.toml``, ``spc``'s
    series); an existing path that is not a regular file (a FIFO, a device,
    a folder); a path whose folder does not exist.
    """
    if folder is not None:
        target, root = out.resolve(), folder.resolve()
        if target == root or root in target.parents:
            raise click.ClickException(
                f"--out {out}: refusing to write inside the extract folder {folder}"
            )
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise click.ClickException(f"--out {out}: no such folder: {parent}")
    if out.is_dir():
        raise click.ClickException(f"--out {out}: is a folder")
    if not out.exists():
        return
    if not out.is_file():
        raise click.ClickException(f"--out {out}: is not a regular file (a FIFO or a device?)")
    for path in _inputs(folder):
        try:
            same = os.path.samefile(out, path)
        except OSError:
            continue
        if same:
            raise click.ClickException(
                f"--out {out}: is {path}, which this command reads: refusing to overwrite it"
            )


def _inputs(folder: Path | None) -> list[Path]:
    """Every file the current command reads: the extract's and those its options name."""
    found: list[Path] = []
    if folder is not None and folder.is_dir():
        found += [p for p in folder.rglob("*") if p.is_file()]
    ctx = click.get_current_context(silent=True)
    values: list[Any] = []
    if ctx is not None:
        values = [v for name, v in ctx.params.items() if name != "out"]
    values.append(os.environ.get("CYPMH_DB"))
    for value in list(values):
        settings_values = getattr(value, "values", None)
        if isinstance(settings_values, Mapping):  # RunSettings
            values += list(settings_values.values())
            values.append(getattr(value, "config", None))
    for value in values:
        if isinstance(value, str) and value.startswith("sqlite"):
            found.append(Path(value.split("///", 1)[-1].split("?", 1)[0]))
        elif isinstance(value, (str, Path)) and Path(value).is_file():
            found.append(Path(value))
        elif isinstance(value, (list, tuple)):
            found += [Path(v) for v in value if isinstance(v, (str, Path)) and Path(v).is_file()]
        else:
            path = getattr(value, "path", None)  # a file option read into an object
            if isinstance(path, (str, Path)) and Path(path).is_file():
                found.append(Path(path))
    return found


def write_out(out: Path, text: str) -> None:
    """Write the report through a temporary file beside ``out``, renamed into place.

    A failure leaves ``out`` as it was and fails with one line naming the path and the
    reason.
    """
    parent = out.parent if str(out.parent) else Path(".")
    try:
        with tempfile.NamedTemporaryFile(
            "wb", dir=parent, prefix=f".{out.name}.", suffix=".tmp", delete=False
        ) as handle:
            temporary = Path(handle.name)
            handle.write(printable(text).encode("utf-8"))  # no escape code reaches a file
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)  # as a new file would be, not the 0600 of a temp
        os.replace(temporary, out)
    except OSError as exc:
        with contextlib.suppress(OSError, UnboundLocalError):
            temporary.unlink()
        raise click.ClickException(f"--out {out}: cannot be written: {exc.strerror}") from None
    click.echo(f"Wrote {out}", err=True)


@attrs.frozen(kw_only=True)
class Source:
    """What a command computes on: an area (reference engine) or tables, and how it read."""

    engine: str
    area: Area | None = None
    tables: Mapping[str, Any] | None = None
    quality: QualityReport | None = None
    label: str = ""


def load_source(
    folder: Path | None,
    demo: bool,
    settings: RunSettings,
    metric_ids: Sequence[str],
    db: Any = None,
    *,
    engine: str | None = None,
    coded: bool = False,
) -> Source:
    """Read an extract ``folder`` (or the synthetic area for ``demo``) as ``settings`` say.

    The engine is ``engine`` if given, else the settings'. With a THRIVE
    policy, the area is read as records, the policy's suggestions are added
    (:func:`cypmh.thrive.with_suggestions`), and a dataframe engine is given
    the area's tables. The settings' ``la`` chooses the schools of a GIAS
    schools file (:mod:`cypmh.io.gias`); ``db`` (a
    :class:`~cypmh.io.sources.Database`) is read in place of a folder.
    Reports rejected rows and reader warnings on standard error. With
    ``coded``, an extract read into Polars has its ids as whole numbers
    (:func:`cypmh.tables.coded.code_ids`): for the commands that publish
    metrics alone, not for drill-down, which lists ids. Raises
    :class:`click.UsageError` for a missing extra; the caller turns
    :class:`~cypmh.errors.CypmhError` into a message.
    """
    # Imported when the command runs, so that `cypmh --help` stays quick.
    from cypmh.io.readers import read_extract
    from cypmh.synth.area import demo_area

    engine = engine or settings.engine
    policy, la = settings.thrive_policy, settings.la
    if sum((demo, folder is not None, db is not None)) != 1:
        raise click.UsageError("give one of an extract FOLDER, --db URL or --demo")
    where: Any = folder if folder is not None else db
    chosen = choose_engine(engine, metric_ids)
    if engine == "auto" and sys.stderr.isatty():
        click.echo(f"Engine: {chosen}", err=True)
    if chosen != "reference":
        from cypmh.metrics.frames import available  # when run: keeps --help quick

        if not available(chosen):
            raise click.UsageError(f"--engine {chosen} needs: pip install 'cypmh[{chosen}]'")
    if demo or policy is not None:
        quality = None
        if demo:
            area = demo_area()
        else:
            result = read_extract(where, la=la or None)
            area, quality = result.area, result.quality
            _report_quality(_named(folder), quality)
        if policy is not None:
            from cypmh.thrive import Policy, with_suggestions  # when run: keeps --help quick

            area = with_suggestions(area, Policy.load(policy))
        if chosen == "reference":
            return Source(engine=chosen, area=area, label=area.name, quality=quality)
        from cypmh.metrics.frames import tables_from_area  # when run: keeps --help quick

        return Source(
            engine=chosen, tables=tables_from_area(area, chosen), label=area.name, quality=quality
        )
    if sys.stderr.isatty():
        click.echo(f"Reading {'the database' if folder is None else folder} ...", err=True)
    if chosen == "reference":
        result = read_extract(where, la=la or None)
        source = Source(
            engine=chosen, area=result.area, quality=result.quality, label=result.area.name
        )
    else:
        from cypmh.io.frames import read_extract_frames  # when run: keeps --help quick

        # Straight to the engine's frames: no record objects for the area.
        read = read_extract_frames(where, chosen, la=la or None, coded=coded and chosen == "polars")
        source = Source(engine=chosen, tables=read.tables, quality=read.quality, label=read.name)
    assert source.quality is not None
    _report_quality(_named(folder), source.quality)
    return source


def _named(folder: Path | None) -> str:
    """How ``cypmh validate`` is told to read the same extract again (never a URL)."""
    return str(folder) if folder is not None else "--db URL"


def _report_quality(folder: str, quality: QualityReport) -> None:
    """The reader's summary, rejected rows and warnings, on standard error."""
    for line in quality_summary(quality):
        click.echo(line, err=True)
    if quality.rejected:
        click.echo(f"{quality.rejected} rows rejected; see 'cypmh validate {folder}'.", err=True)
    for warning in quality.warnings:
        click.echo(f"Warning: {warning}", err=True)


def db_options(command: Any) -> Any:
    """``--db URL``, ``--schema`` and ``--tables``: read the extract from a database instead."""
    command = click.option(
        "--tables",
        "tables_map",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help='With --db: a TOML file naming each file\'s table (MHS101Referral = "refs"); '
        "by default a table is named like its file: MHS101Referral, ssda903_episodes.",
    )(command)
    command = click.option("--schema", help="With --db: the schema the tables are in.")(command)
    return click.option(
        "--db",
        "db_url",
        envvar="CYPMH_DB",
        metavar="URL",
        help="Read the extract from a database: a SQLAlchemy URL with no password in it "
        "(the driver takes that from the environment, e.g. PGPASSWORD, or ~/.pgpass). "
        "Also read from CYPMH_DB. Needs the db extra.",
    )(command)


def database_of(
    db_url: str | None,
    schema: str | None,
    tables_map: Path | None,
    folder: Path | None = None,
    demo: bool = False,
) -> Any:
    """The :class:`~cypmh.io.sources.Database` the options name, or ``None`` without ``--db``.

    A ``folder`` or ``demo`` given on the command line wins over a URL from ``CYPMH_DB``.
    """
    from cypmh.io.sources import Database, read_tables_map  # when run: keeps --help quick

    context = click.get_current_context(silent=True)
    from_environment = (
        context is not None
        and context.get_parameter_source("db_url") is click.core.ParameterSource.ENVIRONMENT
    )
    if (folder is not None or demo) and from_environment:
        db_url = None
    if db_url is None:
        if schema is not None or tables_map is not None:
            raise click.UsageError("--schema and --tables go with --db")
        return None
    mapping = read_tables_map(tables_map) if tables_map is not None else None
    return Database(db_url, schema=schema, tables_map=mapping)


out_option = click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here instead of to standard output.",
)
"""The ``--out`` option (check it with :func:`check_out`, write with :func:`write_out`)."""


@contextlib.contextmanager
def progress_bar(length: int, label: str) -> Iterator[Callable[[object], None] | None]:
    """A callback that moves a progress bar on, when standard error is a terminal; else ``None``."""
    if not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
        yield lambda _: bar.update(1)


def quality_summary(quality: QualityReport) -> list[str]:
    """The data-quality lines ``report`` prints on standard error when rows were rejected."""
    if not quality.rejected:
        return []
    noun = "row" if quality.rejected == 1 else "rows"
    lines = [f"Data quality: {quality.rejected} {noun} rejected, by file, column and reason:"]
    lines += [f"  {n:>6}  {f}, {c}: {r}" for f, c, r, n in quality.summary()]
    lines += [f"Hint: {h}" for h in quality.hints()]
    return lines
