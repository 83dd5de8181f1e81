"""One run configuration for every command that computes or explains numbers.

Each setting that changes a number is declared once, in :data:`SETTINGS`
(:mod:`cypmh.cli.setting_list`): its option, its key in ``cypmh.toml``, its default
and its help. The
decorator :func:`run_options` gives a command all of them (``report``,
``trend``, ``need``, ``members`` and ``why`` take the same ones), and the
command receives them resolved as one :class:`RunSettings`:

- the command line wins;
- then the ``[run]`` table of the extract folder's ``cypmh.toml`` (or of the
  file ``--config`` names), whose paths are read relative to that file;
- then the default.

:meth:`RunSettings.described` says, in cypmh's own words, which settings
produced an output: every report carries it. A file setting is described by
its size and a digest of its bytes, never by its name, so that no text from
the input reaches a report.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import click

from cypmh.cli.setting_list import (
    CONFIG_FILE,
    DIRECT_CONTACTS,
    ENGINES,
    SETTINGS,
    SETTINGS_BY_NAME,
    Setting,
)
from cypmh.need.deprivation import NHS_ENGLAND

if TYPE_CHECKING:
    from datetime import date

    from cypmh.metrics import MetricOptions
    from cypmh.need.population import Population
    from cypmh.need.prevalence import Scheme

__all__ = [
    "CONFIG_FILE",
    "ENGINES",
    "SETTINGS",
    "SETTINGS_BY_NAME",
    "RunSettings",
    "Setting",
    "digest",
    "read_declared",
    "run_options",
    "text_file",
]

COMMAND_LINE, CONFIG, DEFAULT = "command line", CONFIG_FILE, "default"


def digest(path: Path) -> str:
    """The first 12 hex digits of the SHA-256 of a file's bytes: names its content, not its path."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    except OSError:
        return "unreadable"


@attrs.frozen(kw_only=True)
class RunSettings:
    """Every setting of one run, resolved, with where each came from (:data:`SETTINGS`)."""

    values: Mapping[str, Any]
    origins: Mapping[str, str]
    config: Path | None = None
    """The ``cypmh.toml`` read, if any."""
    kpis: tuple[Any, ...] = ()
    """The KPIs the ``kpis`` file declares, read and checked (:func:`read_declared`)."""

    def __getattr__(self, name: str) -> Any:
        """A setting's value by its name: ``settings.engine``."""
        if name in SETTINGS_BY_NAME:
            return self.values[name]
        raise AttributeError(name)

    def metric_options(self, folder: Path | None, demo: bool, source: Any = None) -> MetricOptions:
        """The :class:`~cypmh.metrics.MetricOptions` these settings give, population included.

        ``source`` (a :class:`~cypmh.io.sources.Source`) may hold the population
        when neither ``--population`` nor the folder does.
        """
        # Imported when the command runs, so that `cypmh --help` stays quick.
        from cypmh.metrics import MetricOptions
        from cypmh.pathways import (
            DFE_COLLECTION_AGES,
            PUBLISHED_STATISTICS_AGES,
            FourWeekCohort,
            InterventionCodes,
        )

        population, scheme = self.population_and_scheme(folder, demo, source)
        codes, cohort = self.values["intervention_codes"], self.values["cohort"]
        release = self.values["deprivation_release"]
        return MetricOptions(
            interventions=InterventionCodes.from_file(codes) if codes else None,
            cohort=FourWeekCohort.from_toml(text_file(cohort, "cohort"), source=str(cohort))
            if cohort
            else None,
            sdq_age_rule=PUBLISHED_STATISTICS_AGES
            if self.values["sdq_ages"] == "published_statistics"
            else DFE_COLLECTION_AGES,
            population=population,
            scheme=scheme,
            kpis=self.kpis,
            deprivation=self.deprivation(folder, demo, source),
            deprivation_release=None if release == NHS_ENGLAND else release,
            direct_contacts_only=self.values["waits_from"] == DIRECT_CONTACTS,
            population_groups=self.population_groups(folder, demo, source),
        )

    def population_groups(self, folder: Path | None, demo: bool, source: Any = None) -> Any:
        """The population by group: the option's file, the folder's, a database's, or the demo's.

        ``None`` without one. Every problem is a :class:`~cypmh.need.PopulationError`
        naming the file, line, column and value.
        """
        # Imported when the command runs, so that `cypmh --help` stays quick.
        from cypmh.need.group_population import (
            GROUP_POPULATION_FILE,
            group_population_from_text,
            read_group_population,
        )
        from cypmh.synth.area import demo_group_population

        path = self.values["population_groups"]
        if not path and folder is not None and (folder / GROUP_POPULATION_FILE).is_file():
            path = folder / GROUP_POPULATION_FILE
        if path:
            return read_group_population(path)
        text = source.population_groups_text() if source is not None else None
        if text is not None:
            return group_population_from_text(text, "the population_groups table")
        return demo_group_population() if demo else None

    def deprivation(self, folder: Path | None, demo: bool, source: Any = None) -> tuple[Any, ...]:
        """The deprivation files read: the option's, the folder's, a database's, or the demo's.

        ``--deprivation``, else the extract's ``deprivation.csv`` or a database's
        ``deprivation`` table, else (the demo) the synthetic file. Every problem is a
        :class:`~cypmh.need.DeprivationError` naming the file.
        """
        # Imported when the command runs, so that `cypmh --help` stays quick.
        from cypmh.need.deprivation import deprivation_from_text, read_deprivation
        from cypmh.synth.deprivation import DEPRIVATION_FILE, synthetic_deprivation

        paths = list(self.values["deprivation"])
        if not paths and folder is not None and (folder / DEPRIVATION_FILE).is_file():
            paths = [folder / DEPRIVATION_FILE]
        if not paths:
            text = source.deprivation_text() if source is not None else None
            if text is not None:
                return (deprivation_from_text(text, "the deprivation table"),)
            return (synthetic_deprivation(),) if demo else ()
        found = [read_deprivation(path) for path in paths]
        releases = [d.release for d in found]
        for release in set(releases):
            if releases.count(release) > 1:
                raise click.UsageError(
                    f"--deprivation: {releases.count(release)} files of {release} were given; "
                    "give one file of each release"
                )
        return tuple(found)

    def population_and_scheme(
        self, folder: Path | None, demo: bool, source: Any = None
    ) -> tuple[Population | None, Scheme]:
        """The population (``None`` without one) and the prevalence scheme."""
        # Imported when the command runs, so that `cypmh --help` stays quick.
        from cypmh.cli.population import NeedInputs, read_need_inputs

        inputs = NeedInputs(
            files=tuple(self.values["population"]),
            codes=tuple(self.values["area_code"]),
            year=self.values["population_year"],
            sex=self.values["sex"],
            scheme=str(self.values["scheme"]),
            fill=self.values["fill"],
        )
        return read_need_inputs(folder, demo, inputs, source)

    def described(
        self,
        engine: str | None = None,
        options: MetricOptions | None = None,
        day: date | None = None,
    ) -> list[tuple[str, str]]:
        """Each setting as (name, what it was), in cypmh's words, for the outputs.

        Files are named by their digest (:func:`digest`), never by their path.
        ``engine`` is the engine that ran, where ``auto`` chose one;
        ``options`` the options the run read, whose population and deprivation files
        say where they came from when no file was given; ``day`` the period's end, for
        which the deprivation release read is stated.
        """
        population = options.population if options is not None else None
        said = []
        for setting in SETTINGS:
            value = self.values[setting.name]
            if setting.name == "deprivation" and not value:
                value = _deprivation_source(options)
            elif setting.name == "deprivation_release" and options is not None:
                if day is not None and options.deprivation:
                    value = f"{value}: {options.deprivation_choice(day)[1]}"
            elif setting.name == "population" and not value:
                value = (
                    "none: the need metrics are not available"
                    if population is None
                    else "the demo's synthetic population"
                    if population.synthetic
                    else "the extract's own (population.csv or a population table)"
                )
            elif setting.name == "population_groups" and not value:
                groups = options.population_groups if options is not None else None
                value = (
                    "none: the standardised rates are not available"
                    if groups is None
                    else "the demo's synthetic population by group"
                    if groups.synthetic
                    else "the extract's own (population_groups.csv or a table)"
                )
            elif setting.name == "engine" and engine is not None and engine != value:
                value = f"{engine} (chosen by {value})"
            elif setting.kind == "file":
                value = f"file sha256:{digest(Path(value))}" if value else _NONE[setting.name]
            elif setting.kind == "files":
                value = (
                    ", ".join(f"file sha256:{digest(Path(v))}" for v in value)
                    if value
                    else "none given"
                )
            elif setting.name == "scheme" and Path(str(value)).suffix.lower() == ".csv":
                value = f"file sha256:{digest(Path(value))}"
            elif setting.many:
                value = ", ".join(_plain(v) for v in value) if value else "none given"
            elif value is None:
                value = "not set"
            said.append((setting.name, f"{_plain(str(value))} ({self.origins[setting.name]})"))
        return said

    def line(
        self,
        engine: str | None = None,
        options: MetricOptions | None = None,
        day: date | None = None,
    ) -> str:
        """:meth:`described` as one line, ``name: value; ...`` (the CSV's ``SETTINGS`` column)."""
        described = self.described(engine, options, day)
        return "; ".join(f"{name}: {value}" for name, value in described)


def _deprivation_source(options: MetricOptions | None) -> str:
    """Where the deprivation files came from when none was given."""
    if options is None or not options.deprivation:
        return "none: the IMD breakdowns are not available"
    if all(d.synthetic for d in options.deprivation):
        return "the demo's synthetic file"
    return "the extract's own (deprivation.csv)"


_NONE = {
    "kpis": "none: the catalogue's metrics only",
    "intervention_codes": "cypmh's two default codes: the four-week measures undercount",
    "cohort": "NHS England's filters",
    "thrive_policy": "none",
}


def _plain(text: str) -> str:
    """Text for a report: printable ASCII only, anything else replaced by ``?``."""
    return "".join(c if " " <= c <= "~" else "?" for c in text)


def text_file(path: Path, what: str = "file") -> str:
    """A UTF-8 text file given on the command line; a clear error for anything else.

    Read through :func:`cypmh.codes.parse.read_text_file`: a regular file (a
    FIFO is refused, never waited on), at most 8 MiB, UTF-8.
    """
    from cypmh.codes.parse import SettingsFileError, read_text_file  # when run: keeps --help quick

    try:
        return read_text_file(path, what)
    except SettingsFileError as exc:
        raise click.ClickException(str(exc)) from None


def read_config(path: Path) -> dict[str, Any]:
    """The ``[run]`` table of a ``cypmh.toml``, checked; a clear error naming the file and key.

    File settings are read relative to the file's folder.
    """
    # Imported when the command runs, so that `cypmh --help` stays quick.
    from cypmh.codes.parse import SettingsFileError, parse_toml, read_text_file

    try:
        data = parse_toml(read_text_file(path, "settings file"), str(path))
    except SettingsFileError as exc:
        raise click.ClickException(str(exc)) from None
    table = data.get("run", {})
    if not isinstance(table, dict):
        raise click.ClickException(f"{path}, [run]: must be a table of settings")
    found: dict[str, Any] = {}
    for key, value in table.items():
        setting = SETTINGS_BY_NAME.get(key)
        if setting is None:
            close = difflib.get_close_matches(key, list(SETTINGS_BY_NAME), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise click.ClickException(
                f"{path}, [run] {key}: not a setting{hint}; the settings are: "
                + ", ".join(SETTINGS_BY_NAME)
            )
        found[key] = _checked(setting, value, path)
    return found


def _checked(setting: Setting, value: Any, path: Path) -> Any:
    where = f"{path}, [run] {setting.name}"
    values = value if isinstance(value, list) else [value]
    if not setting.many and isinstance(value, list):
        raise click.ClickException(f"{where}: one value, not a list")
    if setting.kind == "year":
        if not isinstance(value, int) or isinstance(value, bool) or not 1900 <= value <= 2200:
            raise click.ClickException(f"{where}: {value!r} is not a year")
        return value
    if not all(isinstance(v, str) and v.strip() for v in values):
        raise click.ClickException(f"{where}: {value!r} must be text")
    if setting.kind == "choice" and value not in setting.choices:
        raise click.ClickException(f"{where}: {value!r} is not one of {', '.join(setting.choices)}")
    if setting.kind in ("file", "files") or (
        setting.name == "scheme" and value.lower().endswith(".csv")
    ):
        resolved = [path.parent / v for v in values]
        for file in resolved:
            if not file.is_file():
                raise click.ClickException(f"{where}: no such file: {file}")
        return tuple(resolved) if setting.many else resolved[0]
    return tuple(v.strip() for v in values) if setting.many else value


def resolve(given: Mapping[str, Any], folder: Path | None, config: Path | None) -> RunSettings:
    """The settings: ``given`` (command line) over ``config`` (or the folder's) over defaults."""
    if config is None and folder is not None and (folder / CONFIG_FILE).exists():
        config = folder / CONFIG_FILE  # read_config refuses one that is not a regular file
    from_file = read_config(config) if config is not None else {}
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for setting in SETTINGS:
        value = given.get(setting.name)
        if value not in (None, ()):
            values[setting.name] = tuple(value) if setting.many else value
            origins[setting.name] = COMMAND_LINE
        elif setting.name in from_file:
            values[setting.name] = from_file[setting.name]
            origins[setting.name] = CONFIG
        else:
            values[setting.name] = setting.default
            origins[setting.name] = DEFAULT
    kpi_file: Path | None = values["kpis"]
    kpis = read_declared(kpi_file) if kpi_file else ()
    return RunSettings(values=values, origins=origins, config=config, kpis=kpis)


def read_declared(path: Path) -> tuple[Any, ...]:
    """The KPIs declared in the file at ``path`` (:func:`cypmh.metrics.kpis.read_kpis`).

    A fault in the file is a clear error naming its file, line, KPI and part.
    """
    from cypmh.metrics.kpis import KpiFileError, read_kpis  # when run: keeps --help quick

    try:
        return read_kpis(path)
    except KpiFileError as exc:
        raise click.ClickException(str(exc)) from None


def _click_option(setting: Setting) -> Callable[[Any], Any]:
    kinds: dict[str, Any] = {
        "file": click.Path(exists=True, dir_okay=False, path_type=Path),
        "files": click.Path(dir_okay=False, path_type=Path),
        "choice": click.Choice(setting.choices),
        "year": click.IntRange(1900, 2200),
    }
    return click.option(
        setting.option,
        setting.name,
        type=kinds.get(setting.kind),
        multiple=setting.many,
        default=None,
        help=setting.help,
        metavar="FILE" if setting.kind in ("file", "files") else None,
    )


def run_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Give ``command`` every setting of :data:`SETTINGS` and ``--config``, as ``settings``.

    The command must take ``folder`` (the extract folder, or ``None``) and
    ``settings`` (a :class:`RunSettings`).
    """

    @functools.wraps(command)
    def with_settings(*args: Any, **kwargs: Any) -> Any:
        given = {s.name: kwargs.pop(s.name) for s in SETTINGS}
        config = kwargs.pop("config")
        settings = resolve(given, kwargs.get("folder"), config)
        if not settings.kpis:
            return command(*args, settings=settings, **kwargs)
        # The KPIs join the catalogue for the whole command: its checks, its engine and
        # its outputs all find them by id.
        from cypmh.metrics.catalogue import declaring  # when run: keeps --help quick

        with declaring(settings.kpis):
            return command(*args, settings=settings, **kwargs)

    wrapped: Callable[..., Any] = with_settings
    options = [_click_option(s) for s in SETTINGS]
    options.append(
        click.option(
            "--config",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help=f"A {CONFIG_FILE} whose [run] table gives these settings (default: the "
            "extract folder's). The command line wins over it.",
        )
    )
    for option in reversed(options):
        wrapped = option(wrapped)
    return wrapped
