"""The population and prevalence options of ``cypmh report``, ``trend`` and ``need``.

:func:`population_options` gives a command the area's population files, their
choices and the prevalence scheme as one :class:`NeedInputs`;
:func:`read_need_inputs` reads them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import click

if TYPE_CHECKING:
    from cypmh.population import Population
    from cypmh.prevalence import Scheme

__all__ = ["NeedInputs", "population_options", "read_need_inputs"]


@attrs.frozen(kw_only=True)
class NeedInputs:
    """What the population options say: the files, their choices and the scheme."""

    files: tuple[Path, ...] = ()
    codes: tuple[str, ...] = ()
    year: int | None = None
    sex: str | None = None
    scheme: str = "ons_2004"
    fill: str = "nearest"


_NEED_KEYS = ("population_files", "area_codes", "population_year", "sheet_sex", "scheme", "fill")


def population_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options that give a command the area's population and the prevalence scheme.

    The command receives them together, as one :class:`NeedInputs` argument ``need_inputs``.
    """
    import functools

    from cypmh.prevalence import FILLS

    @functools.wraps(command)
    def with_inputs(*args: Any, **kwargs: Any) -> Any:
        files, codes, year, sex, scheme, fill = (kwargs.pop(key) for key in _NEED_KEYS)
        inputs = NeedInputs(
            files=tuple(files), codes=tuple(codes), year=year, sex=sex, scheme=scheme, fill=fill
        )
        return command(*args, need_inputs=inputs, **kwargs)

    wrapped: Callable[..., Any] = with_inputs
    for option in reversed(
        (
            click.option(
                "--population",
                "population_files",
                multiple=True,
                type=click.Path(dir_okay=False, path_type=Path),
                help="The area's population by age and sex: an ONS MYE2 sheet saved as CSV, the "
                "MYEB1 long file, or age,sex,population (repeatable: a Males and a Females "
                "sheet). Default: the extract's population.csv, if it has one.",
            ),
            click.option(
                "--area-code",
                "area_codes",
                multiple=True,
                help="The LA code(s) to take from the population file (repeatable; summed).",
            ),
            click.option(
                "--population-year", type=int, help="The mid-year to take (default: the latest)."
            ),
            click.option(
                "--sex",
                "sheet_sex",
                type=click.Choice(["persons", "males", "females"]),
                help="The sex of an MYE2 sheet whose title does not say.",
            ),
            click.option(
                "--scheme",
                default="ons_2004",
                show_default=True,
                help="The prevalence scheme: ons_2004, mhcyp_2017, mhcyp_2022, mhcyp_2023, or "
                "a CSV file laid out as prevalence.csv.",
            ),
            click.option(
                "--fill",
                type=click.Choice(list(FILLS)),
                default="nearest",
                show_default=True,
                help="For a scheme file: what the ages its survey did not cover get.",
            ),
        )
    ):
        wrapped = option(wrapped)
    return wrapped


def read_need_inputs(
    folder: Path | None, demo: bool, inputs: NeedInputs
) -> tuple[Population | None, Scheme]:
    """The population (``None`` if there is none) and the scheme the options give.

    ``--population`` files win; else the extract's ``population.csv``; else, for
    the demo, the synthetic area's population. Errors are
    :class:`~cypmh.errors.CypmhError` for the caller to turn into a message.
    """
    from cypmh.population import read_population
    from cypmh.prevalence import SCHEMES, load_scheme
    from cypmh.synth import POPULATION_FILE, demo_population

    scheme = inputs.scheme
    if scheme in SCHEMES:
        chosen = SCHEMES[scheme]
    elif scheme.lower().endswith(".csv") or Path(scheme).is_file():
        chosen = load_scheme(Path(scheme), fill=inputs.fill)
    else:
        raise click.BadParameter(
            f"{scheme!r} is not a scheme ({', '.join(SCHEMES)}) or a CSV file",
            param_hint="--scheme",
        )
    paths = list(inputs.files)
    if not paths and folder is not None and (folder / POPULATION_FILE).is_file():
        paths = [folder / POPULATION_FILE]
    if not paths:
        return (demo_population() if demo else None), chosen
    population: Population | None = None
    for path in paths:
        read = read_population(path, areas=inputs.codes or None, year=inputs.year, sex=inputs.sex)
        population = read if population is None else population.plus(read)
    return population, chosen
