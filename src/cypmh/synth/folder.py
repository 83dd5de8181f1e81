"""A synthetic extract folder written whole: the records, the populations and the IoD file.

Split from :mod:`cypmh.synth.area`, which draws the area; this module writes it.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path

from cypmh.io.extract import write_extract
from cypmh.need.group_population import GROUP_POPULATION_FILE
from cypmh.need.population import Population
from cypmh.synth.area import POPULATION_FILE, synthetic_area, synthetic_population
from cypmh.synth.deprivation import DEPRIVATION_FILE, write_deprivation
from cypmh.synth.population_groups import write_group_population

__all__ = ["write_population", "write_synthetic"]


def write_population(population: Population, path: str | PathLike[str]) -> Path:
    """Write ``population`` as a plain long CSV (``age, sex, population``); return the path."""
    target = Path(path)
    lines = ["age,sex,population"]
    lines += [f"{age},{sex},{n}" for (age, sex), n in sorted(population.counts.items())]
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def write_synthetic(
    folder: str | PathLike[str], *, seed: int = 0, people: int = 500, social_care: str = "ssda903"
) -> Path:
    """Write a synthetic extract folder (:func:`synthetic_area`), its populations and IoD file.

    ``social_care`` is the shape of social care's files
    (:data:`~cypmh.io.extract.SOCIAL_CARE_SHAPES`): ``"ssd"`` writes the Standard
    Safeguarding Dataset's tables, as a council running the SSD has them.
    """
    written = write_extract(
        synthetic_area(seed=seed, people=people), folder, social_care=social_care
    )
    write_population(synthetic_population(seed=seed, people=people), written / POPULATION_FILE)
    write_deprivation(written / DEPRIVATION_FILE)
    write_group_population(
        synthetic_population(seed=seed, people=people), written / GROUP_POPULATION_FILE
    )
    return written
