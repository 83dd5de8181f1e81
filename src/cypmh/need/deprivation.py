"""The English Indices of Deprivation, read from the file an area downloads.

GOV.UK publishes each release's LSOA results as CSV in its own layout: File 7
("All ranks, scores, deciles and population denominators") of IoD2019 on 2011
LSOAs and of IoD2025 (30 October 2025) on 2021 LSOAs. Its first columns are
``LSOA code (2011)`` or ``LSOA code (2021)``, the LSOA's name, the local
authority district's code and name, and among the rest
``Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of
LSOAs)``. File 1 saved as CSV has the same code and decile columns. cypmh reads
those two columns and nothing else, and knows the release from the LSOA vintage
(:func:`cypmh.codes.deprivation.deprivation_releases`).

:func:`read_deprivation` reads a file; every problem is a :class:`DeprivationError`
naming the file, line, column and value. :func:`choose` picks the release a month
reads from those given (:class:`Deprivation` each).

A synthetic file (the demo's) is laid out the same way; its LSOA names say
``Synthetic``, and :attr:`Deprivation.synthetic` says so on every output.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import attrs

from cypmh.codes.deprivation import DeprivationRelease, deprivation_releases, nhs_england_release
from cypmh.errors import CypmhError

__all__ = [
    "NHS_ENGLAND",
    "Deprivation",
    "DeprivationError",
    "choose",
    "deprivation_from_text",
    "read_deprivation",
]

NHS_ENGLAND = "nhs_england"
"""The release choice that reads, for each month, the release NHS England's code reads."""

_LSOA = re.compile(r"^LSOA code \((\d{4})\)$", re.IGNORECASE)
_DISTRICT = re.compile(r"^Local Authority District code \((\d{4})\)$", re.IGNORECASE)
_DECILE = "index of multiple deprivation (imd) decile"
_LAYOUT = (
    "is not the government's layout: File 7 of the English Indices of Deprivation (or File 1 "
    "saved as CSV) has a column 'LSOA code (2011)' or 'LSOA code (2021)' and a column "
    "'Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)'"
)


class DeprivationError(CypmhError, ValueError):
    """A deprivation file cannot be read as asked: names the file, line, column, value and rule."""

    def __init__(
        self, file: str, rule: str, *, line: int | None = None, column: str = "", value: str = ""
    ) -> None:
        self.file, self.rule, self.line, self.column, self.value = file, rule, line, column, value
        where = file + (f", line {line}" if line is not None else "")
        where += f", column {column!r}" if column else ""
        shown = f" {value!r}:" if value else ""
        super().__init__(f"{where}:{shown} {rule}")


@attrs.frozen(kw_only=True)
class Deprivation:
    """One release's IMD decile of each LSOA (1: the most deprived tenth of England's LSOAs)."""

    release: str
    deciles: Mapping[str, int] = attrs.field(repr=lambda d: f"<{len(d)} LSOAs>")
    synthetic: bool = False
    """Whether the file is made up (the demo's): every output that reads it says so."""

    @property
    def about(self) -> DeprivationRelease:
        """The release's facts: its LSOA vintage and MPI column."""
        return deprivation_releases()[self.release]

    def decile(self, lsoa: str | None) -> int | None:
        """The decile of ``lsoa``; ``None`` if it is missing or not in the file."""
        return None if lsoa is None else self.deciles.get(lsoa)

    def describe(self) -> str:
        """The release in words for an output, never the file's name."""
        made_up = ", a synthetic file" if self.synthetic else ""
        return f"{self.release} ({len(self.deciles)} LSOAs of {self.about.lsoa_vintage}{made_up})"


def read_deprivation(path: str | Path, *, release: str | None = None) -> Deprivation:
    r"""Read a deprivation file in the government's layout (see the module).

    ``release``, where given, must be the file's: IoD2025 read from a file of
    2011 LSOAs is refused, naming the column that says so.

    >>> import tempfile, os
    >>> name = os.path.join(tempfile.mkdtemp(), "deprivation.csv")
    >>> _ = open(name, "w").write(
    ...     "LSOA code (2011),LSOA name (2011),"
    ...     "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)\n"
    ...     "E01000001,City of London 001A,9\n")
    >>> read_deprivation(name).decile("E01000001")
    9
    """
    from cypmh.codes.parse import SettingsFileError, read_text_file  # on use: start-up time

    file = Path(path)
    try:
        text = read_text_file(file, "deprivation file", max_bytes=2**28)
    except SettingsFileError as exc:
        raise DeprivationError(str(file), str(exc).split(": ", 1)[-1]) from None
    return deprivation_from_text(text, str(file), release=release)


def deprivation_from_text(text: str, file: str, *, release: str | None = None) -> Deprivation:
    """:func:`read_deprivation` on text already read (``file`` names it in errors)."""
    rows = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = [cell.strip() for cell in next(rows, [])]
    lsoa_at = next((i for i, name in enumerate(header) if _LSOA.match(name)), None)
    decile_at = next((i for i, name in enumerate(header) if name.lower().startswith(_DECILE)), None)
    if lsoa_at is None or decile_at is None:
        wanted = "LSOA code column" if lsoa_at is None else "IMD decile column"
        raise DeprivationError(file, f"has no {wanted}, so it {_LAYOUT}", line=1)
    lsoa_name = header[lsoa_at]
    found = _release_of(file, header, lsoa_at)
    if release is not None and release != found.name:
        wanted_release = deprivation_releases().get(release)
        on = f"on {wanted_release.lsoa_vintage} LSOAs" if wanted_release else "not a release"
        raise DeprivationError(
            file,
            f"{release} is {on}, and this file is {found.name}'s, on "
            f"{found.lsoa_vintage} LSOAs: give {release}'s own file",
            line=1,
            column=lsoa_name,
        )
    deciles: dict[str, int] = {}
    names: list[str] = []
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= max(lsoa_at, decile_at):
            raise DeprivationError(
                file, f"has {len(row)} cells, fewer than the header's {len(header)}", line=line
            )
        code, decile = row[lsoa_at].strip(), row[decile_at].strip()
        if not code:
            raise DeprivationError(file, "an LSOA code is required", line=line, column=lsoa_name)
        if code in deciles:
            raise DeprivationError(
                file, "this LSOA is in the file twice", line=line, column=lsoa_name, value=code
            )
        if decile not in {str(n) for n in range(1, 11)}:
            raise DeprivationError(
                file,
                "an IMD decile is a whole number from 1 to 10",
                line=line,
                column=header[decile_at],
                value=decile,
            )
        deciles[code] = int(decile)
        if lsoa_at + 1 < len(row):
            names.append(row[lsoa_at + 1])
    if not deciles:
        raise DeprivationError(file, "has a header but no LSOAs")
    synthetic = bool(names) and all(n.strip().lower().startswith("synthetic") for n in names)
    return Deprivation(release=found.name, deciles=deciles, synthetic=synthetic)


def _release_of(file: str, header: Sequence[str], lsoa_at: int) -> DeprivationRelease:
    """The release a file is of, from its LSOA vintage (and district codes' year)."""
    vintage = int(_LSOA.match(header[lsoa_at]).group(1))  # type: ignore[union-attr]
    of_vintage = [r for r in deprivation_releases().values() if r.lsoa_vintage == vintage]
    if not of_vintage:
        known = ", ".join(
            f"{r.name} on {r.lsoa_vintage} LSOAs" for r in deprivation_releases().values()
        )
        raise DeprivationError(
            file,
            f"no release cypmh reads is on {vintage} LSOAs ({known})",
            line=1,
            column=header[lsoa_at],
        )
    districts = [int(m.group(1)) for name in header if (m := _DISTRICT.match(name))]
    if vintage == 2011 and districts and districts[0] < 2019:
        # IoD2015 is on 2011 LSOAs too, with districts of 2013: its deciles are not IoD2019's.
        raise DeprivationError(
            file,
            "is an older release than IoD2019 (its districts are of "
            f"{districts[0]}); cypmh reads IoD2019 and IoD2025",
            line=1,
            column=next(n for n in header if _DISTRICT.match(n)),
        )
    return of_vintage[0]


def choose(
    given: Iterable[Deprivation], choice: str | None, month_id: int
) -> tuple[Deprivation | None, str]:
    """The release a month reads from those ``given``, and why, in words for the outputs.

    ``choice`` is a release's name, or ``None`` / :data:`NHS_ENGLAND` for the one
    NHS England's code reads in the month. Where that one was not given but another
    was, the other is read, and the words say so. ``None`` where nothing was given;
    a named release that was not given is an error.
    """
    files = {d.release: d for d in given}
    if not files:
        return None, "none given: the IMD breakdowns are not available"
    if choice not in (None, NHS_ENGLAND):
        if choice not in files:
            raise DeprivationError(
                "deprivation_release",
                f"{choice} was chosen, and the deprivation files given are "
                f"{', '.join(sorted(files))}'s",
            )
        return files[choice], f"{files[choice].describe()}, as chosen"
    national = nhs_england_release(month_id)
    if national in files:
        return files[national], f"{files[national].describe()}, as NHS England's code reads"
    only = sorted(files)[-1]
    said = f"NHS England's code reads {national}" if national else "NHS England reads none"
    return files[only], f"{files[only].describe()}, the file given ({said})"
