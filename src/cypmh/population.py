"""An area's population by single year of age and sex, read from the files analysts have.

Three layouts are read, and told apart by their header (:func:`read_population`):

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

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import attrs

from cypmh.errors import CypmhError

__all__ = [
    "FEMALE",
    "MALE",
    "PERSONS",
    "Population",
    "PopulationError",
    "population_from_text",
    "read_population",
]

MALE, FEMALE, PERSONS = "male", "female", "all"
SEXES = (MALE, FEMALE, PERSONS)
OLDEST = 90
"""The oldest age a population holds: 90 stands for 90 and over."""

GENDER_CODES: Mapping[str, str] = {MALE: "1", FEMALE: "2"}
"""The MHSDS gender code of each sex, as NHS England joins its population (M to 1, F to 2)."""

_SEX_WORDS = {
    "male": MALE,
    "males": MALE,
    "m": MALE,
    "1": MALE,
    "female": FEMALE,
    "females": FEMALE,
    "f": FEMALE,
    "2": FEMALE,
    "all": PERSONS,
    "persons": PERSONS,
    "person": PERSONS,
    "p": PERSONS,
}
_MID_YEAR = re.compile(r"mid[- ]?(\d{4})", re.IGNORECASE)
_SHOWN_CHOICES = 12


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
        parts = [self.source]
        if self.areas:
            parts.append(", ".join(self.areas))
        if self.year is not None:
            parts.append(f"mid-{self.year}")
        text = "; ".join(parts)
        return f"{text} (synthetic)" if self.synthetic and "synthetic" not in text else text


def read_population(
    path: str | Path,
    *,
    areas: str | Sequence[str] | None = None,
    year: int | None = None,
    sex: str | None = None,
) -> Population:
    r"""Read a population file in any of the three layouts (see the module).

    ``areas`` chooses one or several geography codes (their people are
    summed): needed when the file holds more than one. ``year`` chooses the
    year of a file with several (default: the latest, which the result's
    ``year`` states). ``sex`` says which sex a wide MYE2 sheet holds when its
    title does not. Every problem is a :class:`PopulationError` naming the
    file, line and column, and, for a choice the file cannot meet, what it does have.

    >>> import tempfile, os
    >>> folder = tempfile.mkdtemp()
    >>> name = os.path.join(folder, "population.csv")
    >>> _ = open(name, "w").write("age,sex,population\n0,male,10\n0,female,11\n")
    >>> read_population(name).total()
    21
    """
    file = Path(path)
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise PopulationError(str(file), f"cannot be read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise PopulationError(str(file), "is not UTF-8 text") from None
    return population_from_text(text, str(file), areas=areas, year=year, sex=sex)


def population_from_text(
    text: str,
    file: str,
    *,
    areas: str | Sequence[str] | None = None,
    year: int | None = None,
    sex: str | None = None,
) -> Population:
    """:func:`read_population` on text already read (``file`` names it in errors)."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    chosen = (areas,) if isinstance(areas, str) else tuple(areas or ())
    for number, row in enumerate(rows, start=1):
        names = [cell.strip().lower() for cell in row]
        if not any(names):
            continue
        if "code" in names and "all ages" in names:
            return _wide(rows, number, file, chosen, year, sex)
        if any(n.startswith("ladcode") for n in names) and "age" in names:
            return _myeb1(rows, number, file, chosen, year)
        if {"age", "sex", "population"} <= set(names):
            return _plain(rows, number, file, chosen, year)
        if number >= 20:
            break
    raise PopulationError(
        file,
        "no header found: expected an ONS MYE2 sheet (Code, Name, ..., All ages, 0, 1, ...), "
        "the MYEB1 layout (ladcode, laname, country, sex, age, population_YYYY) or "
        "age, sex, population",
    )


def _sex_of(value: str, file: str, line: int, column: str) -> str:
    found = _SEX_WORDS.get(value.strip().lower())
    if found is None:
        raise PopulationError(
            file,
            "is not a sex: male, female or all (M, F, 1, 2 and persons are read too)",
            line=line,
            column=column,
            value=value,
        )
    return found


def _count_of(value: str, file: str, line: int, column: str) -> int:
    cleaned = value.strip().replace(",", "")
    try:
        number = float(cleaned)
    except ValueError:
        number = -1.0
    if number < 0 or number != int(number):
        raise PopulationError(
            file,
            "is not a population (a whole number, 0 or more)",
            line=line,
            column=column,
            value=value,
        )
    return int(number)


def _age_of(value: str, file: str, line: int, column: str) -> int:
    cleaned = value.strip().rstrip("+")
    if not cleaned.isdigit() or int(cleaned) > OLDEST:
        raise PopulationError(
            file,
            f"is not an age from 0 to {OLDEST} (90 or 90+ for 90 and over)",
            line=line,
            column=column,
            value=value,
        )
    return int(cleaned)


def _choices(values: Iterable[str]) -> str:
    found = sorted(set(values))
    shown = ", ".join(found[:_SHOWN_CHOICES])
    more = len(found) - _SHOWN_CHOICES
    return shown + (f" and {more} more" if more > 0 else "")


def _check_areas(file: str, chosen: tuple[str, ...], present: set[str], what: str) -> set[str]:
    """The codes to keep: the chosen ones (each must be present), or the only one there is."""
    if chosen:
        missing = [code for code in chosen if code not in present]
        if missing:
            raise PopulationError(
                file,
                f"{what} {', '.join(missing)} not in the file; it has {_choices(present)}",
            )
        return set(chosen)
    if len(present) > 1:
        raise PopulationError(
            file,
            f"holds {len(present)} areas: choose with areas= (or --area-code): {_choices(present)}",
        )
    return present


def _plain(
    rows: list[list[str]], header_at: int, file: str, chosen: tuple[str, ...], year: int | None
) -> Population:
    header = [cell.strip().lower() for cell in rows[header_at - 1]]
    at = {name: header.index(name) for name in header if name}
    data = [
        (number, row)
        for number, row in enumerate(rows[header_at:], start=header_at + 1)
        if any(cell.strip() for cell in row)
    ]
    for number, row in data:
        if len(row) < len(header):
            raise PopulationError(
                file, f"has {len(row)} cells, the header {len(header)}", line=number
            )
    codes: set[str] = set()
    if "area_code" in at:
        codes = {row[at["area_code"]].strip() for _, row in data}
        keep = _check_areas(file, chosen, codes, "area_code")
        data = [(n, r) for n, r in data if r[at["area_code"]].strip() in keep]
    elif chosen:
        raise PopulationError(file, "has no area_code column to choose areas from")
    found_year = year
    if "year" in at:
        years = {row[at["year"]].strip() for _, row in data}
        found_year = _pick_year(file, years, year)
        data = [(n, r) for n, r in data if r[at["year"]].strip() == str(found_year)]
    counts: defaultdict[tuple[int, str], int] = defaultdict(int)
    for number, row in data:
        age = _age_of(row[at["age"]], file, number, "age")
        sex = _sex_of(row[at["sex"]], file, number, "sex")
        counts[(age, sex)] += _count_of(row[at["population"]], file, number, "population")
    return _made(counts, file, tuple(sorted(set(chosen) or codes)), found_year)


def _pick_year(file: str, years: set[str], year: int | None) -> int:
    if year is None:
        numeric = [int(y) for y in years if y.isdigit()]
        if not numeric:
            raise PopulationError(file, f"has no year to choose from: {_choices(years)}")
        return max(numeric)
    if str(year) not in years:
        raise PopulationError(file, f"has no year {year}; it has {_choices(years)}")
    return year


def _myeb1(
    rows: list[list[str]], header_at: int, file: str, chosen: tuple[str, ...], year: int | None
) -> Population:
    header = [cell.strip().lower() for cell in rows[header_at - 1]]
    code_at = next(i for i, name in enumerate(header) if name.startswith("ladcode"))
    for needed in ("sex", "age"):
        if needed not in header:
            raise PopulationError(file, f"has no {needed} column", line=header_at)
    sex_at, age_at = header.index("sex"), header.index("age")
    years = {
        name.removeprefix("population_"): i
        for i, name in enumerate(header)
        if name.startswith("population_")
    }
    if not years:
        raise PopulationError(file, "has no population_YYYY column", line=header_at)
    picked = _pick_year(file, set(years), year)
    column = years[str(picked)]
    data = [
        (number, row)
        for number, row in enumerate(rows[header_at:], start=header_at + 1)
        if any(cell.strip() for cell in row)
    ]
    codes = {row[code_at].strip() for _, row in data if len(row) > code_at}
    keep = _check_areas(file, chosen, codes, "LA code")
    counts: defaultdict[tuple[int, str], int] = defaultdict(int)
    name = f"population_{picked}"
    for number, row in data:
        if len(row) < len(header):
            raise PopulationError(
                file, f"has {len(row)} cells, the header {len(header)}", line=number
            )
        if row[code_at].strip() not in keep:
            continue
        age = _age_of(row[age_at], file, number, "age")
        sex = _sex_of(row[sex_at], file, number, "sex")
        counts[(age, sex)] += _count_of(row[column], file, number, name)
    return _made(counts, file, tuple(sorted(keep)), picked)


def _wide(
    rows: list[list[str]],
    header_at: int,
    file: str,
    chosen: tuple[str, ...],
    year: int | None,
    sex: str | None,
) -> Population:
    header = [cell.strip() for cell in rows[header_at - 1]]
    lower = [cell.lower() for cell in header]
    code_at = lower.index("code")
    ages = {
        i: _age_of(cell, file, header_at, cell)
        for i, cell in enumerate(header)
        if cell.rstrip("+").isdigit()
    }
    if sorted(ages.values())[:18] != list(range(18)):
        raise PopulationError(
            file, "the header does not have every age from 0 to 17", line=header_at
        )
    title = " ".join(" ".join(r) for r in rows[: header_at - 1]).lower()
    sex = sex or _title_sex(title)
    if sex is None:
        raise PopulationError(
            file,
            "the sheet's title does not say Persons, Males or Females: pass sex= (or --sex)",
            line=header_at,
        )
    sex = _sex_of(sex, file, header_at, "sex")
    stated = _MID_YEAR.search(title)
    found_year = int(stated.group(1)) if stated else None
    if year is not None and found_year is not None and year != found_year:
        raise PopulationError(file, f"is the mid-{found_year} estimate, not {year}")
    data = [
        (number, row)
        for number, row in enumerate(rows[header_at:], start=header_at + 1)
        if len(row) > code_at and row[code_at].strip()
    ]
    codes = {row[code_at].strip() for _, row in data}
    keep = _check_areas(file, chosen, codes, "code")
    counts: defaultdict[tuple[int, str], int] = defaultdict(int)
    for number, row in data:
        if row[code_at].strip() not in keep:
            continue
        if len(row) < len(header):
            raise PopulationError(
                file, f"has {len(row)} cells, the header {len(header)}", line=number
            )
        for i, age in ages.items():
            counts[(age, sex)] += _count_of(row[i], file, number, header[i])
    return _made(counts, file, tuple(sorted(keep)), found_year if year is None else year)


def _title_sex(title: str) -> str | None:
    """The sex a sheet's title names (``None`` if it names none, or more than one)."""
    there = (
        (FEMALE, "female" in title),
        (MALE, "male" in title.replace("female", "")),
        (PERSONS, "persons" in title),
    )
    found = [sex for sex, named in there if named]
    return found[0] if len(found) == 1 else None


def _made(
    counts: Mapping[tuple[int, str], int], file: str, areas: tuple[str, ...], year: int | None
) -> Population:
    if not counts:
        raise PopulationError(file, "holds no population rows for the choice made")
    name = Path(file).name
    try:
        return Population(counts=counts, source=name, areas=areas, year=year)
    except PopulationError as exc:
        raise PopulationError(file, exc.rule) from None
