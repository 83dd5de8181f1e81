"""Reading an area's population from ONS's MYE2 and MYEB1 layouts or a plain CSV.

The layouts are described in :mod:`cypmh.need.population`; this module reads them
(:func:`read_population`, :func:`population_from_text`).
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from cypmh.codes.parse import SettingsFileError, read_text_file
from cypmh.need.population import FEMALE, MALE, OLDEST, PERSONS, Population, PopulationError

__all__ = ["population_from_text", "read_population"]

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
        # ONS's estimates for every area run to tens of megabytes: no 8 MiB cap here.
        text = read_text_file(file, "population file", max_bytes=2**30)
    except SettingsFileError as exc:
        raise PopulationError(str(file), str(exc).split(": ", 1)[-1]) from None
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
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:  # a cell over the csv module's limit, a NUL
        raise PopulationError(file, f"is not a CSV file cypmh can read ({exc})") from None
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


_WHOLE = re.compile(r"[0-9]{1,9}(?:\.0+)?")
"""A population count: ASCII digits (thousands commas allowed), at most 999,999,999."""
_AGE = re.compile(r"[0-9]{1,3}")


def _count_of(value: str, file: str, line: int, column: str) -> int:
    cleaned = value.strip().replace(",", "")
    if not _WHOLE.fullmatch(cleaned):
        raise PopulationError(
            file,
            "is not a population (a whole number from 0 to 999,999,999, in ASCII digits)",
            line=line,
            column=column,
            value=value,
        )
    return int(cleaned.split(".")[0])


def _add(
    counts: defaultdict[tuple[int, str], int],
    seen: dict[tuple[str, int, str], int],
    key: tuple[str, int, str],
    count: int,
    file: str,
    line: int,
) -> None:
    """Add one row's count for (area, age, sex); a second row of the same cell is an error."""
    if key in seen:
        area, age, sex = key
        where = f" of area {area}" if area else ""
        raise PopulationError(
            file,
            f"repeats age {age}, {sex}{where} (first at line {seen[key]}): each cell once",
            line=line,
        )
    seen[key] = line
    counts[(key[1], key[2])] += count


def _age_of(value: str, file: str, line: int, column: str) -> int:
    cleaned = value.strip().rstrip("+")
    if not _AGE.fullmatch(cleaned) or int(cleaned) > OLDEST:
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
    seen: dict[tuple[str, int, str], int] = {}
    for number, row in data:
        age = _age_of(row[at["age"]], file, number, "age")
        sex = _sex_of(row[at["sex"]], file, number, "sex")
        area = row[at["area_code"]].strip() if "area_code" in at else ""
        count = _count_of(row[at["population"]], file, number, "population")
        _add(counts, seen, (area, age, sex), count, file, number)
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
    seen: dict[tuple[str, int, str], int] = {}
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
        count = _count_of(row[column], file, number, name)
        _add(counts, seen, (row[code_at].strip(), age, sex), count, file, number)
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
