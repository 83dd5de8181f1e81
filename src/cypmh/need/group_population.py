"""An area's population by ethnic group and by deprivation decile, each by age and sex.

NHS England's directly standardised rates of access (MHS95b, MHS95c, MHS95f and
MHS95g) divide each level's children by that level's own population, age by
age and sex by sex. NHS England builds those populations from the 2021 Census
(ethnic group by age by sex) and from ONS's LSOA estimates joined to the
English Indices of Deprivation (``03_generic_population.py``). An area gives
cypmh the same two tables for its own geography in one plain CSV,
``population_groups.csv``:

.. code-block:: text

    group,code,age,sex,population
    ethnic_category,A,0,male,310
    ethnic_category,A,0,female,296
    imd_decile,1,0,male,102

- ``group`` is ``ethnic_category`` or ``imd_decile``; a file may hold either or both.
- ``code`` is, for ``ethnic_category``, an MHSDS ``EthnicCategory`` code (``A`` to
  ``S``: the Census 2021 groups mapped to them as NHS England's ``ethnicity_desc``
  maps them); a "not stated" code has no population. For ``imd_decile`` it is the
  IMD decile, 1 (most deprived) to 10, of the neighbourhoods the people live in.
- ``age`` is a single year, 0 to 90 (90 and over); ``sex`` is ``male`` or
  ``female`` (or ``1``, ``2``, ``m``, ``f``): the standardisation is by sex, so
  persons are refused.

The upper ethnicity and White British levels come from the ethnic category, and
the IMD quintile and Core20 levels from the decile, through the package's
tables, as they do for the children.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path

import attrs

from cypmh.codes import age_band, ethnic_categories, upper_ethnicity, wnw_ethnicity
from cypmh.codes.deprivation import imd_level
from cypmh.codes.labels import input_label
from cypmh.codes.parse import SettingsFileError, read_text_file
from cypmh.need.population import FEMALE, GENDER_CODES, MALE, OLDEST, PopulationError

__all__ = [
    "GROUPS",
    "GROUP_POPULATION_FILE",
    "GroupPopulation",
    "group_population_from_text",
    "read_group_population",
]

GROUP_POPULATION_FILE = "population_groups.csv"
"""The file of an extract folder that holds its population by group."""

ETHNIC, IMD = "ethnic_category", "imd_decile"
GROUPS: Mapping[str, tuple[str, ...]] = {
    ETHNIC: ("ethnicity", "wnw_ethnicity"),
    IMD: ("imd_decile", "imd_quintile", "imd_core20"),
}
"""The breakdowns each group of the file gives a population for."""

COLUMNS = ("group", "code", "age", "sex", "population")
ADULT_BAND = "18 or over"
"""The age level of a person aged 18 or over, as the breakdowns name it."""

NOT_STATED = "Missing/invalid"
"""The White British level of a code that states no ethnic group (Z, 99)."""

_SEXES = {"male": MALE, "m": MALE, "1": MALE, "female": FEMALE, "f": FEMALE, "2": FEMALE}
_MOST = 10**9
"""No area's population of one cell comes near this; a bigger number is a mistake."""

Cell = tuple[str, str]
"""An age band's label and a gender code (``"1"`` male, ``"2"`` female)."""


def _cells(counts: Mapping[tuple[str, str, int, str], int]) -> dict[tuple[str, str, int, str], int]:
    return dict(counts)


@attrs.frozen(kw_only=True)
class GroupPopulation:
    """People by (group, code, age, sex), read from ``population_groups.csv``.

    >>> p = GroupPopulation(counts={("imd_decile", "1", 4, "male"): 20}, source="by hand")
    >>> p.cells("imd_quintile", 1500)
    {'01 Most deprived': {('0 to 5', '1'): 20}}
    """

    counts: Mapping[tuple[str, str, int, str], int] = attrs.field(converter=_cells)
    source: str
    synthetic: bool = False

    @property
    def breakdowns(self) -> tuple[str, ...]:
        """The breakdowns this population can standardise (its groups')."""
        have = {group for group, _, _, _ in self.counts}
        return tuple(b for group, names in GROUPS.items() if group in have for b in names)

    def cells(self, breakdown: str, month_id: int) -> dict[str, dict[Cell, int]]:
        """The population of each level of ``breakdown`` by age band and gender code.

        Ages 18 and over are the band ``18 or over``, as a person's age level is.
        """
        group = next((g for g, names in GROUPS.items() if breakdown in names), None)
        if group is None:
            raise ValueError(f"{breakdown!r} is not a breakdown a group population gives")
        found: defaultdict[str, defaultdict[Cell, int]] = defaultdict(lambda: defaultdict(int))
        for (g, code, age, sex), n in self.counts.items():
            if g != group:
                continue
            if group == ETHNIC:
                read = upper_ethnicity if breakdown == "ethnicity" else wnw_ethnicity
                level = read(code, month_id)
            else:
                level = imd_level(breakdown, int(code))
            band = age_band(age)
            found[level][(band.label if band is not None else ADULT_BAND, GENDER_CODES[sex])] += n
        return {level: dict(by_cell) for level, by_cell in found.items()}

    @property
    def label(self) -> str:
        """What an output says of it: the file, and whether it is synthetic."""
        text = input_label(self.source, "the population by group")
        return f"{text} (synthetic)" if self.synthetic and "synthetic" not in text else text


def read_group_population(path: str | Path) -> GroupPopulation:
    r"""Read ``population_groups.csv`` (the layout is the module's).

    Every problem is a :class:`~cypmh.need.population.PopulationError` naming
    the file, line, column, value and rule.

    >>> import tempfile, os
    >>> name = os.path.join(tempfile.mkdtemp(), "population_groups.csv")
    >>> _ = open(name, "w").write("group,code,age,sex,population\nimd_decile,3,7,female,40\n")
    >>> read_group_population(name).counts
    {('imd_decile', '3', 7, 'female'): 40}
    """
    file = Path(path)
    try:
        text = read_text_file(file, "population by group", max_bytes=2**30)
    except SettingsFileError as exc:
        raise PopulationError(str(file), str(exc).split(": ", 1)[-1]) from None
    return group_population_from_text(text, str(file))


def group_population_from_text(text: str, file: str, *, synthetic: bool = False) -> GroupPopulation:
    """:func:`read_group_population` on text already read (``file`` names it in errors)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    names = [h.strip().lower() for h in header or []]
    if sorted(names) != sorted(COLUMNS):
        raise PopulationError(
            file,
            f"the header must be {','.join(COLUMNS)} (in any order)",
            line=1,
            value=",".join(header or []),
        )
    at = {name: names.index(name) for name in COLUMNS}
    counts: dict[tuple[str, str, int, str], int] = {}
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(names):
            raise PopulationError(
                file, f"has {len(row)} fields; the header has {len(names)}", line=line
            )
        cell = {name: row[i].strip() for name, i in at.items()}
        key = _key(cell, file, line)
        if key in counts:
            raise PopulationError(
                file,
                "repeats a group, code, age and sex given above",
                line=line,
                column="code",
                value=cell["code"],
            )
        counts[key] = _people(cell["population"], file, line)
    if not counts:
        raise PopulationError(file, "holds no population")
    return GroupPopulation(counts=counts, source=file, synthetic=synthetic)


def _key(cell: Mapping[str, str], file: str, line: int) -> tuple[str, str, int, str]:
    group, code = cell["group"].lower(), cell["code"]
    if group not in GROUPS:
        raise PopulationError(
            file, f"must be one of {', '.join(GROUPS)}", line=line, column="group", value=group
        )
    if group == ETHNIC:
        table = ethnic_categories()
        if code not in table or table.entry(code).attributes.get("wnw_ethnicity") == NOT_STATED:
            raise PopulationError(
                file,
                "must be an MHSDS EthnicCategory code, A to S (a population has no "
                "'not stated' group)",
                line=line,
                column="code",
                value=code,
            )
    elif code not in {str(d) for d in range(1, 11)}:
        raise PopulationError(
            file, "must be an IMD decile, 1 to 10", line=line, column="code", value=code
        )
    age_text = cell["age"].rstrip("+")
    if not age_text.isdigit() or int(age_text) > OLDEST:
        raise PopulationError(
            file,
            f"must be an age in whole years, 0 to {OLDEST} ({OLDEST} and over)",
            line=line,
            column="age",
            value=cell["age"],
        )
    sex = _SEXES.get(cell["sex"].lower())
    if sex is None:
        raise PopulationError(
            file,
            "must be male or female (1 or 2): the rates are standardised by sex",
            line=line,
            column="sex",
            value=cell["sex"],
        )
    return group, code, int(age_text), sex


def _people(text: str, file: str, line: int) -> int:
    cleaned = text.replace(",", "")
    if not cleaned.isdigit() or int(cleaned) > _MOST:
        raise PopulationError(
            file,
            "must be a whole number of people, 0 or more",
            line=line,
            column="population",
            value=text,
        )
    return int(cleaned)
