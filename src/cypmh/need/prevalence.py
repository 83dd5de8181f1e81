"""Prevalence schemes: the rates that turn a population into an expected number in need.

A :class:`Scheme` names one survey and one *measure* (a diagnosed disorder,
rated by clinicians, or a probable disorder, from the SDQ), gives a rate for
bands of age (and, where the survey splits them, of sex), and states how it
fills the ages its survey did not cover. It never mixes measures: the
measures count different things and their rates are not comparable
(``docs/explanation/need.md``).

The shipped schemes (:data:`SCHEMES`) take their rates from the package's copy of
``prevalence.csv`` (``make refdata``); nothing here retypes a rate. A scheme of
your own comes from a file in the same layout (:func:`load_scheme`).
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import attrs

from cypmh.codes._tables import read_table
from cypmh.codes.parse import SettingsFileError, read_text_file
from cypmh.need.population import FEMALE, MALE, PERSONS, Population, PopulationError

__all__ = [
    "FILLS",
    "SCHEMES",
    "Band",
    "Scheme",
    "SchemeError",
    "expected_in_need",
    "load_scheme",
    "scheme_named",
]

FILLS = ("nearest", "none")
"""How a scheme fills an age its survey did not cover: the nearest band's rate, or not at all."""

CYP_AGES = range(18)
"""The ages a need estimate covers: 0 to 17."""


class SchemeError(PopulationError):
    """A prevalence scheme is not usable: names the file, line, column, value and rule."""


@attrs.frozen(kw_only=True)
class Band:
    """One rate of a scheme: ``rate_percent`` of children aged ``age_from`` to ``age_to``."""

    age_from: int
    age_to: int
    sex: str
    rate_percent: float
    measure: str
    status: str = ""
    source: str = ""

    def covers(self, age: int) -> bool:
        """Whether ``age`` falls in the band."""
        return self.age_from <= age <= self.age_to

    @property
    def ages(self) -> str:
        """The band's ages in words."""
        return (
            str(self.age_from)
            if self.age_from == self.age_to
            else f"{self.age_from} to {self.age_to}"
        )


@attrs.frozen(kw_only=True)
class Scheme:
    """One survey's rates for one measure, with the rule for the ages it did not cover.

    ``bands`` for sex ``all`` must cover some of the ages 0 to 17 without
    overlapping; bands for ``male`` and ``female`` are optional and used for a
    population split by sex. ``fill`` is ``nearest`` (an uncovered age takes the
    rate of the nearest band, the younger on a tie) or ``none`` (it is left out
    of the need). Mixing measures is a :class:`SchemeError`.

    >>> s = Scheme(name="two", measure="m", fill="nearest", bands=(
    ...     Band(age_from=5, age_to=10, sex="all", rate_percent=8.0, measure="m"),
    ...     Band(age_from=11, age_to=16, sex="all", rate_percent=12.0, measure="m")))
    >>> s.rate(3), s.rate(12), s.rate(17), s.filled_ages
    (8.0, 12.0, 12.0, (0, 1, 2, 3, 4, 17))
    """

    name: str
    measure: str
    bands: tuple[Band, ...]
    fill: str = "nearest"
    survey: str = ""
    note: str = ""
    source: str = ""

    def __attrs_post_init__(self) -> None:
        where = self.source or f"scheme {self.name}"
        if self.fill not in FILLS:
            raise SchemeError(where, f"fill must be one of {', '.join(FILLS)}", value=self.fill)
        measures = sorted({band.measure for band in self.bands} | {self.measure})
        if len(measures) > 1:
            raise SchemeError(
                where, f"mixes measures ({', '.join(measures)}): a scheme has exactly one"
            )
        for sex in (PERSONS, MALE, FEMALE):
            bands = sorted((b for b in self.bands if b.sex == sex), key=lambda b: b.age_from)
            for band in bands:
                if band.age_from > band.age_to or band.rate_percent < 0 or band.rate_percent > 100:
                    raise SchemeError(
                        where, f"band {band.ages} ({band.rate_percent}%) is not a band and a rate"
                    )
            for before, after in itertools.pairwise(bands):
                if after.age_from <= before.age_to:
                    raise SchemeError(
                        where, f"bands {before.ages} and {after.ages} overlap (sex {sex})"
                    )
        if not any(b.sex == PERSONS and b.age_from <= 17 for b in self.bands):
            raise SchemeError(where, "has no band for all children within ages 0 to 17")

    def _covering(self, age: int, sex: str) -> Band | None:
        return next((b for b in self.bands if b.sex == sex and b.covers(age)), None)

    def band_for(self, age: int, sex: str = PERSONS) -> Band | None:
        """The band whose rate ``age`` (of ``sex``) takes, after the fill; ``None``: left out."""
        band = (self._covering(age, sex) if sex != PERSONS else None) or self._covering(
            age, PERSONS
        )
        if band is not None or self.fill == "none":
            return band
        everyone = [b for b in self.bands if b.sex == PERSONS]
        return min(everyone, key=lambda b: (max(b.age_from - age, age - b.age_to), b.age_from))

    def rate(self, age: int, sex: str = PERSONS) -> float | None:
        """The percentage of children of ``age`` (and ``sex``) expected to be in need."""
        band = self.band_for(age, sex)
        return None if band is None else band.rate_percent

    @property
    def filled_ages(self) -> tuple[int, ...]:
        """The ages 0 to 17 that no band of the survey covers (filled, or left out)."""
        return tuple(a for a in CYP_AGES if self._covering(a, PERSONS) is None)

    @property
    def fill_statement(self) -> str:
        """What the scheme does with the ages its survey did not cover, in a sentence."""
        ages = self.filled_ages
        if not ages:
            return "The survey covers every age from 0 to 17."
        runs = _runs(ages)
        if self.fill == "none":
            return f"The survey does not cover ages {runs}; they are left out of the need."
        parts = []
        for first, last in _spans(ages):
            band = self.band_for(first)
            assert band is not None
            span = str(first) if first == last else f"{first} to {last}"
            word, verb = ("age", "takes") if first == last else ("ages", "take")
            parts.append(f"{word} {span} {verb} the {band.ages} rate ({band.rate_percent:g}%)")
        return f"The survey does not cover ages {runs}: " + "; ".join(parts) + "."

    @property
    def label(self) -> str:
        """The scheme's name and measure, as a report states it."""
        survey = f", {self.survey}" if self.survey else ""
        return f"{self.name} ({self.measure.replace('_', ' ')}{survey})"


def _spans(ages: Sequence[int]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for age in ages:
        if spans and spans[-1][1] == age - 1:
            spans[-1] = (spans[-1][0], age)
        else:
            spans.append((age, age))
    return spans


def _runs(ages: Sequence[int]) -> str:
    spans = [str(a) if a == b else f"{a} to {b}" for a, b in _spans(ages)]
    return spans[0] if len(spans) == 1 else ", ".join(spans[:-1]) + " and " + spans[-1]


# The shipped schemes: which rows of prevalence.csv each takes (scheme, ages), and its fill.
_SHIPPED: Mapping[str, tuple[tuple[tuple[int, int], ...], str, str]] = {
    "ons_2004": (
        ((5, 10), (11, 16)),
        "ONS survey of 2004",
        "The basis of NHS England's access target (35% of children with a diagnosable "
        "condition seen, by 2020/21).",
    ),
    "mhcyp_2017": (
        ((2, 4), (5, 19)),
        "NHS Digital MHCYP 2017",
        "The last survey to rate disorders clinically; the primary rows only (2 to 4, 5 to 19).",
    ),
    "mhcyp_2022": (
        ((7, 10), (11, 16), (17, 24)),
        "NHS Digital MHCYP 2022, wave 3",
        "A probable disorder from the SDQ, higher than a diagnosed one.",
    ),
    "mhcyp_2023": (
        ((8, 10), (11, 16), (17, 19)),
        "NHS England MHCYP 2023, wave 4",
        "A probable disorder from the SDQ, higher than a diagnosed one; no rate for 0 to 7.",
    ),
}

DEFAULT_SCHEME = "ons_2004"
"""The scheme used unless another is chosen: the basis of NHS England's access target."""


@functools.cache
def _shipped() -> dict[str, Scheme]:

    rows = read_table("prevalence")
    schemes = {}
    for name, (ages, survey, note) in _SHIPPED.items():
        bands = []
        for age_from, age_to in ages:
            row = next(
                r
                for r in rows
                if r["scheme"] == name
                and int(r["age_from"]) == age_from
                and int(r["age_to"]) == age_to
                and r["sex"] == PERSONS
            )
            bands.append(_band(row))
        schemes[name] = Scheme(
            name=name,
            measure=bands[0].measure,
            bands=tuple(bands),
            survey=survey,
            note=note,
            source="cypmh prevalence.csv",
        )
    return schemes


def _band(row: Mapping[str, str]) -> Band:
    return Band(
        age_from=int(row["age_from"]),
        age_to=int(row["age_to"]),
        sex=row["sex"],
        rate_percent=float(row["rate_percent"]),
        measure=row["measure"],
        status=row.get("status", ""),
        source=row.get("source", ""),
    )


class _Schemes(Mapping[str, Scheme]):
    """The shipped schemes by name, read on first use."""

    def __getitem__(self, name: str) -> Scheme:
        return _shipped()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(_SHIPPED)

    def __len__(self) -> int:
        return len(_SHIPPED)


SCHEMES: Mapping[str, Scheme] = _Schemes()
"""The shipped schemes by name.

``ons_2004`` and ``mhcyp_2017`` (diagnosed), ``mhcyp_2022`` and ``mhcyp_2023`` (probable).
"""


def scheme_named(scheme: str | Scheme) -> Scheme:
    """A shipped scheme by name (a :class:`Scheme` is returned as it is); errors list them."""
    if isinstance(scheme, Scheme):
        return scheme
    if scheme not in _SHIPPED:
        raise SchemeError(
            "prevalence schemes",
            f"is not a shipped scheme: {', '.join(_SHIPPED)} (or load one with load_scheme)",
            value=scheme,
        )
    return SCHEMES[scheme]


_NEEDED = ("measure", "age_from", "age_to", "sex", "rate_percent")


def load_scheme(path: str | Path, *, fill: str = "nearest", name: str | None = None) -> Scheme:
    """A scheme of your own from a CSV file laid out as ``prevalence.csv``.

    Columns ``measure, age_from, age_to, sex, rate_percent`` are needed;
    ``scheme``, ``survey_year``, ``status`` and ``source`` are read where
    present. Every row must have the same measure (and scheme name, if the
    file names one); ``fill`` says what the uncovered ages get. Problems are
    :class:`SchemeError`, naming the file, line and column.
    """
    file = str(path)
    try:
        text = read_text_file(path, "scheme file")
    except SettingsFileError as exc:
        raise SchemeError(file, str(exc).split(": ", 1)[-1]) from None
    try:
        return _scheme_of(text, file, name, fill)
    except csv.Error as exc:  # a cell over the csv module's limit, a NUL
        raise SchemeError(file, f"is not a CSV file cypmh can read ({exc})") from None


_RATE = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,6})?")
"""A rate in per cent: ASCII digits, at most six decimal places (so never 1e-320 or nan)."""
_AGE = re.compile(r"[0-9]{1,3}")


def _scheme_of(text: str, file: str, name: str | None, fill: str) -> Scheme:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in reader.fieldnames or ()]
    missing = [c for c in _NEEDED if c not in header]
    if missing:
        raise SchemeError(file, f"has no {', '.join(missing)} column", line=1)
    bands: list[Band] = []
    names: set[str] = set()
    for number, raw in enumerate(reader, start=2):
        row = {k.strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        for column in ("age_from", "age_to"):
            if not _AGE.fullmatch(row[column]):
                raise SchemeError(
                    file, "is not an age", line=number, column=column, value=row[column]
                )
        rate = float(row["rate_percent"]) if _RATE.fullmatch(row["rate_percent"]) else -1.0
        if not 0 <= rate <= 100:
            raise SchemeError(
                file,
                "is not a percentage from 0 to 100",
                line=number,
                column="rate_percent",
                value=row["rate_percent"],
            )
        if row["sex"] not in (PERSONS, MALE, FEMALE):
            raise SchemeError(
                file, "is not all, male or female", line=number, column="sex", value=row["sex"]
            )
        if bands and row["measure"] != bands[0].measure:
            raise SchemeError(
                file,
                f"mixes measures: line 2 has {bands[0].measure!r}; a scheme has exactly one",
                line=number,
                column="measure",
                value=row["measure"],
            )
        if row.get("scheme"):
            names.add(row["scheme"])
        bands.append(_band(row))
    if not bands:
        raise SchemeError(file, "has no rates")
    if len(names) > 1:
        raise SchemeError(file, f"holds several schemes ({', '.join(sorted(names))}): one per file")
    chosen = name or (names.pop() if names else Path(file).stem)
    if chosen in SCHEMES:
        raise SchemeError(
            file,
            f"is named {chosen!r}, a scheme cypmh ships: give a local scheme a name of its own",
        )
    return Scheme(
        name=chosen,
        measure=bands[0].measure,
        bands=tuple(bands),
        fill=fill,
        survey="from " + Path(file).name,
        source=file,
    )


def expected_in_need(population: Population, scheme: Scheme) -> dict[tuple[int, str], float]:
    """The expected number in need in each (age, sex) cell aged 0 to 17: people * rate / 100.

    >>> p = Population(counts={(12, "all"): 200, (3, "all"): 100}, source="by hand")
    >>> expected_in_need(p, SCHEMES["ons_2004"])[(12, "all")]
    23.0
    """
    need = {}
    for (age, sex), people in population.counts.items():
        if age in CYP_AGES:
            rate = scheme.rate(age, sex)
            need[(age, sex)] = 0.0 if rate is None else people * rate / 100
    return need
