"""Need: an area's population and the prevalence schemes that turn it into children in need.

- :mod:`cypmh.need.population`: a population by single year of age and sex;
- :mod:`cypmh.need.population_files`: reading it from ONS's layouts or a plain CSV;
- :mod:`cypmh.need.prevalence`: the schemes, and the expected number in need;
- :mod:`cypmh.need.deprivation`: the English Indices of Deprivation, read from the
  government's file, for the IMD breakdowns.

The metrics that read them (NEED01, ACC01 and the rates) are in
:mod:`cypmh.metrics.need`; the panel that shows them is :mod:`cypmh.report.need_panel`.
The names below are imported from their modules on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cypmh._lazy import lazy_names

__all__ = [
    "FEMALE",
    "MALE",
    "PERSONS",
    "SCHEMES",
    "Deprivation",
    "DeprivationError",
    "GroupPopulation",
    "Population",
    "PopulationError",
    "Scheme",
    "SchemeError",
    "expected_in_need",
    "load_scheme",
    "population_from_text",
    "read_deprivation",
    "read_group_population",
    "read_population",
    "scheme_named",
]

_HOMES = {
    "cypmh.need.deprivation": ("Deprivation", "DeprivationError", "read_deprivation"),
    "cypmh.need.group_population": ("GroupPopulation", "read_group_population"),
    "cypmh.need.population": ("FEMALE", "MALE", "PERSONS", "Population", "PopulationError"),
    "cypmh.need.population_files": ("population_from_text", "read_population"),
    "cypmh.need.prevalence": (
        "SCHEMES",
        "Scheme",
        "SchemeError",
        "expected_in_need",
        "load_scheme",
        "scheme_named",
    ),
}

__getattr__, __dir__ = lazy_names("cypmh.need", _HOMES, globals())

if TYPE_CHECKING:
    from cypmh.need.deprivation import Deprivation, DeprivationError, read_deprivation
    from cypmh.need.group_population import GroupPopulation, read_group_population
    from cypmh.need.population import FEMALE, MALE, PERSONS, Population, PopulationError
    from cypmh.need.population_files import population_from_text, read_population
    from cypmh.need.prevalence import (
        SCHEMES,
        Scheme,
        SchemeError,
        expected_in_need,
        load_scheme,
        scheme_named,
    )
