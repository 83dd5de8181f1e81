"""The population and prevalence a command reads (:mod:`cypmh.cli.settings` declares the options).

:class:`NeedInputs` holds the area's population files, their choices and the
prevalence scheme; :func:`read_need_inputs` reads them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import click

if TYPE_CHECKING:
    from cypmh.need.population import Population
    from cypmh.need.prevalence import Scheme

__all__ = ["NeedInputs", "read_need_inputs"]


@attrs.frozen(kw_only=True)
class NeedInputs:
    """What the population options say: the files, their choices and the scheme."""

    files: tuple[Path, ...] = ()
    codes: tuple[str, ...] = ()
    year: int | None = None
    sex: str | None = None
    scheme: str = "ons_2004"
    fill: str = "nearest"


def read_need_inputs(
    folder: Path | None, demo: bool, inputs: NeedInputs, source: Any = None
) -> tuple[Population | None, Scheme]:
    """The population (``None`` if there is none) and the scheme the options give.

    ``--population`` files win; else the extract's ``population.csv``; else the
    ``population`` table of a database or data-frame ``source``
    (:class:`~cypmh.io.sources.Source`); else, for the demo, the synthetic
    area's population. Errors are :class:`~cypmh.errors.CypmhError` for the
    caller to turn into a message.
    """
    # Imported when the command runs, so that `cypmh --help` stays quick.
    from cypmh.need.population_files import population_from_text, read_population
    from cypmh.need.prevalence import SCHEMES, load_scheme
    from cypmh.synth.area import POPULATION_FILE, demo_population

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
        text = source.population_text() if source is not None else None
        if text is not None:
            found = population_from_text(
                text,
                "the population table",
                areas=inputs.codes or None,
                year=inputs.year,
                sex=inputs.sex,
            )
            return found, chosen
        return (demo_population() if demo else None), chosen
    population: Population | None = None
    for path in paths:
        read = read_population(path, areas=inputs.codes or None, year=inputs.year, sex=inputs.sex)
        population = read if population is None else population.plus(read)
    return population, chosen
