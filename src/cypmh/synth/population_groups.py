"""The synthetic area's population by ethnic group and by IMD decile (made up, labelled synthetic).

Each age and sex of the synthetic population (:func:`cypmh.synth.area.synthetic_population`)
is shared out over ethnic categories as the synthetic children are drawn, and evenly over
the ten deciles (the synthetic neighbourhoods are four to each decile). The
proportions are not any real area's.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from cypmh.need.group_population import (
    ETHNIC,
    IMD,
    GroupPopulation,
    group_population_from_text,
)
from cypmh.need.population import Population

__all__ = [
    "ETHNIC_DRAW",
    "group_population_text",
    "synthetic_group_population",
    "write_group_population",
]

ETHNIC_DRAW = "AAAABCDEFHJKLMNPRS"
"""The ethnic categories the synthetic area draws its children from, each letter equally
likely (:func:`cypmh.synth.area.synthetic_area`): its population by group is shared out the
same way, so that its rates differ by the records, not by a mismatch of the two."""

_ETHNIC_SHARES: Mapping[str, int] = {code: ETHNIC_DRAW.count(code) for code in ETHNIC_DRAW}
"""Each category's share of each age and sex, in eighteenths (made up, not any area's)."""

_SOURCE = "the synthetic population by group"


def _shared(n: int, shares: Mapping[str, int]) -> dict[str, int]:
    """``n`` people shared out in proportion to ``shares``, the remainder to the largest parts."""
    whole = sum(shares.values())
    parts = {key: n * share // whole for key, share in shares.items()}
    left = n - sum(parts.values())
    for key in sorted(shares, key=lambda k: (-(n * shares[k] % whole), k))[:left]:
        parts[key] += 1
    return parts


def group_population_text(population: Population) -> str:
    """The population by group of ``population`` (split by sex), as ``population_groups.csv``.

    >>> from cypmh.need.population import Population
    >>> text = group_population_text(Population(counts={(3, "male"): 20}, source="by hand"))
    >>> text.splitlines()[:3]
    ['group,code,age,sex,population', 'ethnic_category,A,3,male,5', 'ethnic_category,B,3,male,2']
    """
    lines = ["group,code,age,sex,population"]
    for (age, sex), n in sorted(population.counts.items()):
        for code, part in _shared(n, _ETHNIC_SHARES).items():
            lines.append(f"{ETHNIC},{code},{age},{sex},{part}")
    for (age, sex), n in sorted(population.counts.items()):
        for decile, part in _shared(n, {str(d): 1 for d in range(1, 11)}).items():
            lines.append(f"{IMD},{decile},{age},{sex},{part}")
    return "\n".join(lines) + "\n"


def synthetic_group_population(population: Population) -> GroupPopulation:
    """:func:`group_population_text` of ``population``, read and labelled synthetic."""
    return group_population_from_text(group_population_text(population), _SOURCE, synthetic=True)


def write_group_population(population: Population, path: str | Path) -> Path:
    """Write the population by group of ``population`` to ``path``; return the path."""
    target = Path(path)
    target.write_text(group_population_text(population), encoding="utf-8")
    return target
