"""An area's population by single year of age and sex, read from the files analysts have.

Three layouts are read, and told apart by their header
(:func:`cypmh.need.population_files.read_population`):

- ONS mid-year estimates, *wide*: a ``MYE2 - Persons``, ``Males`` or
  ``Females`` sheet saved as CSV, one row per geography
  (``Code, Name, Geography, All ages, 0, 1, ..., 90+``). The header may sit a
  few rows down, under the sheet's title; the title says the sex and the
  year (``Mid-2022``) where the ``sex`` and ``year`` arguments do not.
- ONS mid-year estimates, *long* (``MYEB1``): one row per local authority,
  sex and age, with a population column per year
  (``ladcode23, laname23, country, sex, age, population_2011, ...``); sex is
  1 (male) or 2 (female).
- A plain long CSV: ``age, sex, population``, with optional ``area_code`` and
  ``year`` columns to choose from.

Ages run from 0 to 90, where 90 stands for 90 and over. A sex is ``male``,
``female`` or ``all`` (persons, where the file does not split them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from cypmh.codes.labels import area_code_label, input_label
from cypmh.errors import CypmhError

__all__ = [
    "FEMALE",
    "MALE",
    "PERSONS",
    "Population",
    "PopulationError",
]

MALE, FEMALE, PERSONS = "male", "female", "all"
SEXES = (MALE, FEMALE, PERSONS)
OLDEST = 90
"""The oldest age a population holds: 90 stands for 90 and over."""

GENDER_CODES: Mapping[str, str] = {MALE: "1", FEMALE: "2"}
"""The MHSDS gender code of each sex, as NHS England joins its population (M to 1, F to 2)."""


class PopulationError(CypmhError, ValueError):
    """A population file cannot be read as asked: names the file, line, column, value and rule."""

    def __init__(
        self, file: str, rule: str, *, line: int | None = None, column: str = "", value: str = ""
    ) -> None:
        self.file, self.rule, self.line, self.column, self.value = file, rule, line, column, value
        where = file + (f", line {line}" if line is not None else "")
        where += f", column {column}" if column else ""
        shown = f" {value!r}:" if value else ""
        super().__init__(f"{where}:{shown} {rule}")


def _cells(counts: Mapping[tuple[int, str], int]) -> dict[tuple[int, str], int]:
    return dict(counts)


@attrs.frozen(kw_only=True)
class Population:
    """People by (age, sex): ages 0 to 90 (90 and over), sex ``male``, ``female`` or ``all``.

    ``source`` says where the numbers came from, ``areas`` the geography
    codes summed, ``year`` the mid-year of the estimate, and ``synthetic``
    marks a made-up population (the synthetic area's). Either every cell is
    split by sex or none is.

    >>> p = Population(counts={(4, "male"): 10, (4, "female"): 12}, source="by hand")
    >>> p.total(), p.of(4, "female"), p.has_sex
    (22, 12, True)
    """

    counts: Mapping[tuple[int, str], int] = attrs.field(converter=_cells)
    source: str
    areas: tuple[str, ...] = ()
    year: int | None = None
    synthetic: bool = False

    def __attrs_post_init__(self) -> None:
        for (age, sex), n in self.counts.items():
            if not 0 <= age <= OLDEST or sex not in SEXES:
                raise PopulationError(self.source, f"no such cell: age {age}, sex {sex!r}")
            if n < 0:
                raise PopulationError(self.source, f"a population is never negative ({n})")
        sexes = {sex for _, sex in self.counts}
        if PERSONS in sexes and len(sexes) > 1:
            raise PopulationError(self.source, "mixes persons with males and females")

    @property
    def has_sex(self) -> bool:
        """Whether the population is split into males and females."""
        return bool(self.counts) and all(sex != PERSONS for _, sex in self.counts)

    def of(self, age: int, sex: str | None = None) -> int:
        """The people of one age (of one sex, or all)."""
        return sum(n for (a, s), n in self.counts.items() if a == age and sex in (None, s))

    def total(self, ages: Iterable[int] = range(18), sex: str | None = None) -> int:
        """The people of ``ages`` (default 0 to 17), of one sex or all."""
        wanted = set(ages)
        return sum(n for (a, s), n in self.counts.items() if a in wanted and sex in (None, s))

    def plus(self, other: Population) -> Population:
        """This population and ``other`` together (a Males and a Females sheet, say)."""
        counts = dict(self.counts)
        for key, n in other.counts.items():
            counts[key] = counts.get(key, 0) + n
        year = self.year if self.year == other.year else None
        source = self.source if self.source == other.source else f"{self.source} + {other.source}"
        areas = tuple(dict.fromkeys(self.areas + other.areas))
        return Population(
            counts=counts,
            source=source,
            areas=areas,
            year=year,
            synthetic=self.synthetic or other.synthetic,
        )

    def scaled(self, factor: int) -> Population:
        """Every cell times ``factor`` (a whole number)."""
        return attrs.evolve(self, counts={k: n * factor for k, n in self.counts.items()})

    @property
    def label(self) -> str:
        """What a report says of it: source, geography and year, and whether it is synthetic."""
        parts = [input_label(self.source, "the population file")]
        if self.areas:
            parts.append(", ".join(dict.fromkeys(area_code_label(a) for a in self.areas)))
        if self.year is not None:
            parts.append(f"mid-{self.year}")
        text = "; ".join(parts)
        return f"{text} (synthetic)" if self.synthetic and "synthetic" not in text else text
