"""DfE's *Get Information about Schools* (GIAS) establishment file as ``schools/schools.csv``.

A council's list of schools is usually GIAS's "all establishment data"
download (``edubasealldataYYYYMMDD.csv``): one row per establishment in
England, open or closed, with about 130 columns. Saved as
``schools/schools.csv``, or left in ``schools/`` under its own name in place
of one, it is recognised by its header (``URN`` and ``EstablishmentName``,
no ``NAME``). Both readers then read it through
:func:`contract_text`, which gives them the contract's own layout, so every
rule and the data-quality report are the same as for a ``schools.csv``
written by hand:

- ``URN`` as ``URN``;
- ``EstablishmentName`` as ``NAME``;
- ``PhaseOfEducation (name)`` as ``PHASE``;
- ``LA (code)`` (the DfE's three-digit LA number) as ``LA``;
- ``OpenDate`` and ``CloseDate`` as ``OPEN_DATE`` and ``CLOSE_DATE``, GIAS's
  ``DD-MM-YYYY`` (or ``DD/MM/YYYY``) written as ISO dates.

The other columns are not read. The file may be UTF-8 or Windows-1252
(cp1252), as the download often is. Only the area's own schools are kept:
the rows whose ``LA (code)`` is one of the LA numbers chosen
(``read_extract(folder, la=...)``, ``--la`` on the command line, or
``la = "..."`` under ``[schools]`` in the folder's ``cypmh.toml``). A file
of one LA needs no choice; a file of several without one is an
:class:`~cypmh.io.lines.ExtractError` that lists them. The rows of other LAs
are counted in a warning, not reported one by one. Every row keeps its line
number, so a problem names the line of the downloaded file.

The column names are the download's own header, as DfE publishes them: the
appendix of GIAS's *Establishment bulk update guidance*
(https://get-information-schools.service.gov.uk/Guidance/EstablishmentBulkUpdate)
lists each establishment field by its database name (``URN``,
``EstablishmentName``, ``TypeOfEstablishment``, ``PhaseOfEducation``, ``LA``,
``EstablishmentStatus``, ``OpenDate``, ``CloseDate``, ...) and marks the lookup
fields, which the download writes twice, as ``<field> (code)`` and
``<field> (name)``. The page's source is in DFE-Digital/get-information-about-schools
(``Web/Edubase.Web.UI/Views/Guidance/EstablishmentBulkUpdate.cshtml``, commit
ec3edf5 of 3 July 2026), and the same repository's download service names its
fields that way (``Areas/Establishments/Controllers/EstablishmentsSearchController.cs``).
DfE's code that loads the download (DFE-Digital/find-information-about-academies-and-trusts,
the ``gias.Establishment`` table in
``DfE.FindInformationAcademiesTrusts.Data.AcademiesDb/AcademiesDbContext.cs``)
holds it under the same names, and its ``StringToDateExtensions.cs`` reads GIAS
dates as ``dd-MM-yyyy`` or ``dd/MM/yyyy``.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

import attrs

from cypmh.codes.parse import SettingsFileError, parse_toml, read_text_file
from cypmh.io.contract import FileSpec, spec
from cypmh.io.lines import ExtractError, Record, probe, records
from cypmh.io.quality import Problem

__all__ = [
    "GIAS_COLUMNS",
    "SCHOOLS",
    "ExtractSettings",
    "as_in_the_file",
    "contract_text",
    "gias_download",
    "is_gias",
    "iso_date",
    "schools_path",
]

SCHOOLS = "schools/schools.csv"

GIAS_COLUMNS = {
    "URN": "URN",
    "EstablishmentName": "NAME",
    "PhaseOfEducation (name)": "PHASE",
    "LA (code)": "LA",
    "OpenDate": "OPEN_DATE",
    "CloseDate": "CLOSE_DATE",
    "NumberOfPupils": "PUPILS",
}
"""Each GIAS column read, with the contract column it becomes."""

SETTINGS_FILE = "cypmh.toml"
"""The optional settings file at the top of an extract folder."""

_DMY = re.compile(r"^(\d{2})[-/](\d{2})[-/](\d{4})$")


@attrs.frozen(kw_only=True)
class ExtractSettings:
    """What a reader is told beyond the files: the LA numbers whose schools are kept.

    ``la`` empty means no choice: a GIAS file of one LA is kept whole, one of
    several is an error.
    """

    la: tuple[str, ...] = ()

    @classmethod
    def of_folder(cls, root: Path, la: Sequence[str] | str | None = None) -> ExtractSettings:
        """The settings for the folder ``root``: ``la`` if given, else its ``cypmh.toml``'s.

        ``cypmh.toml`` may say ``la = "330"`` (or a list) under ``[schools]``.
        A file that is not TOML, or an ``la`` that is not text, is an
        :class:`~cypmh.io.lines.ExtractError` naming it.
        """
        if la is not None:
            chosen = (la,) if isinstance(la, str) else tuple(la)
            return cls(la=tuple(code.strip() for code in chosen if code.strip()))
        path = root / SETTINGS_FILE
        if not path.exists():
            return cls()
        try:
            settings = parse_toml(read_text_file(path, "settings file"), SETTINGS_FILE)
        except SettingsFileError as exc:
            raise ExtractError(str(exc)) from None
        schools = settings.get("schools", {})
        if not isinstance(schools, dict):
            raise ExtractError(f'{SETTINGS_FILE}, [schools]: must be a table (la = "330")')
        value = schools.get("la", ())
        if isinstance(value, bool):
            raise ExtractError(
                f"{SETTINGS_FILE}, [schools] la: {value!r} must be an LA number or a list of them"
            )
        values = [value] if isinstance(value, str | int) else value
        if not isinstance(values, list | tuple) or not all(
            isinstance(v, str | int) and not isinstance(v, bool) for v in values
        ):
            raise ExtractError(
                f"{SETTINGS_FILE}, [schools] la: {value!r} must be an LA number or a list of them"
            )
        return cls(la=tuple(str(v).strip() for v in values if str(v).strip()))


def is_gias(header: Sequence[str]) -> bool:
    """Whether a ``schools.csv`` header is GIAS's own layout.

    >>> is_gias(["URN", "LA (code)", "EstablishmentName"]), is_gias(["URN", "NAME"])
    (True, False)
    """
    return "URN" in header and "EstablishmentName" in header and "NAME" not in header


def _decode(data: bytes) -> tuple[str, str]:
    try:
        text, encoding = data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        text, encoding = data.decode("cp1252", errors="surrogateescape"), "Windows-1252"
    return text.removeprefix("\ufeff"), encoding


def iso_date(value: str) -> str:
    """A GIAS date as ISO text; anything else as it is, for the date rule to report.

    >>> [iso_date(v) for v in ("01-09-2011", "31/08/2024", "", "2011-09-01", "31-13-2024")]
    ['2011-09-01', '2024-08-31', '', '2011-09-01', '31-13-2024']
    """
    found = _DMY.match(value.strip())
    if found is None:
        return value
    day, month, year = (int(part) for part in found.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:  # not a day of the calendar: the rule reports the cell as written
        return value


def _cells(record: Record) -> list[str] | None:
    try:
        return next(csv.reader([record.text]), [])
    except csv.Error:
        return None


def contract_text(data: bytes, settings: ExtractSettings, warnings: list[str]) -> str | None:
    """The GIAS file's bytes as a ``schools.csv`` in the contract's layout; ``None`` if not GIAS.

    Each kept row is written on the line it had (the lines of rows left out
    are blank, which the readers skip), so problems name the downloaded
    file's lines. A row the ``csv`` module cannot split is passed on as it is,
    for the readers to report.
    """
    text, encoding = _decode(data)
    found = list(records(text))
    if not found or not isinstance(found[0], Record):
        return None
    header = [h.strip() for h in (_cells(found[0]) or [])]
    if not is_gias(header):
        return None
    missing = [c for c in ("URN", "EstablishmentName", "LA (code)") if c not in header]
    if missing:
        raise ExtractError(
            f"{SCHOOLS}: DfE's GIAS layout, but the column(s) {', '.join(missing)} are missing"
        )
    where = {name: header.index(name) for name in GIAS_COLUMNS if name in header}
    # Each row: its line, its cells if it splits into the header's number of them
    # (else None: passed on as written, for the readers to report), and its text.
    rows: list[tuple[int, list[str] | None, str]] = []
    for item in found[1:]:
        if not isinstance(item, Record):
            rows.append((item[0], None, item[1]))
        elif item.text.strip():
            cells = _cells(item)
            rows.append(
                (item.line, cells if cells and len(cells) == len(header) else None, item.text)
            )
    la_of = where["LA (code)"]
    names = header.index("LA (name)") if "LA (name)" in header else None
    counts = Counter(cells[la_of].strip() for _, cells, _ in rows if cells is not None)
    kept = _chosen(settings, counts, rows, names, la_of)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(GIAS_COLUMNS.values())
    line, left_out = 1, 0
    for number, cells, raw in rows:
        if cells is not None and cells[la_of].strip() not in kept:
            left_out += 1
            continue
        out.write("\n" * (number - 1 - line))
        line = number
        if cells is None:
            out.write(raw.rstrip("\r\n").replace("\r", " ").replace("\n", " ") + "\n")
            continue
        values = [cells[where[name]] if name in where else "" for name in GIAS_COLUMNS]
        values = [
            iso_date(v) if name in ("OpenDate", "CloseDate") else v
            for name, v in zip(GIAS_COLUMNS, values, strict=True)
        ]
        writer.writerow([v.replace("\r", " ").replace("\n", " ") for v in values])
    used = len(rows) - left_out
    warnings.append(
        f"{SCHOOLS}: read as DfE's GIAS establishment file ({encoding}); "
        f"{used:,} row{'' if used == 1 else 's'} of LA {', '.join(sorted(kept))} kept, "
        f"{left_out:,} of other local authorities left out"
    )
    return out.getvalue()


def as_in_the_file(root: Path, problems: Iterable[Problem]) -> tuple[Problem, ...]:
    """``problems`` with a GIAS ``schools.csv``'s columns named as the file names them.

    The rules read the contract's columns (``CLOSE_DATE``); the analyst's file
    says ``CloseDate``. Only the header line is read again.
    """
    found = list(problems)
    if not any(p.file == SCHOOLS for p in found):
        return tuple(found)
    try:
        with schools_path(root).open("rb") as handle:
            first = handle.readline()
    except OSError:
        return tuple(found)
    header = _cells(Record(1, _decode(first)[0])) or []
    if not is_gias([h.strip() for h in header]):
        return tuple(found)
    named = {contract: gias for gias, contract in GIAS_COLUMNS.items()}

    def renamed(problem: Problem) -> Problem:
        column = named.get(problem.column, problem.column)
        reason = problem.reason
        if column in ("OpenDate", "CloseDate") and reason.startswith("not a date"):
            reason = "not a date (GIAS writes DD-MM-YYYY)"
        return attrs.evolve(problem, column=column, reason=reason)

    return tuple(renamed(p) if p.file == SCHOOLS else p for p in found)


def _chosen(
    settings: ExtractSettings,
    counts: Counter[str],
    rows: list[tuple[int, list[str] | None, str]],
    names: int | None,
    la_of: int,
) -> set[str]:
    """The LA numbers to keep: the settings', or the file's only one."""
    label: dict[str, str] = {}
    if names is not None:
        for _, cells, _ in rows:
            if cells is not None:
                label.setdefault(cells[la_of].strip(), cells[names].strip())

    def listed() -> str:
        shown = [
            f"{code}{' ' + label[code] if label.get(code) else ''} "
            f"({n:,} row{'' if n == 1 else 's'})"
            for code, n in counts.most_common(8)
        ]
        more = f" and {len(counts) - 8} more" if len(counts) > 8 else ""
        return ", ".join(shown) + more

    if settings.la:
        absent = [code for code in settings.la if code not in counts]
        if absent:
            raise ExtractError(
                f"{SCHOOLS}, LA (code): no school of LA {', '.join(absent)} in the GIAS file; "
                f"it has {listed()}"
            )
        return set(settings.la)
    if len(counts) <= 1:
        return set(counts)
    raise ExtractError(
        f"{SCHOOLS}: DfE's GIAS file holds the schools of {len(counts)} local authorities "
        f"({listed()}); choose yours with --la NUMBER, read_extract(folder, la=...), or "
        f'la = "NUMBER" under [schools] in the folder\'s {SETTINGS_FILE}'
    )


def gias_download(root: Path, file: FileSpec, present: bool) -> Path | None:
    """The GIAS download (``edubase*.csv``) standing in ``schools/`` in place of ``schools.csv``.

    Two such files are an :class:`ExtractError`: which one is meant is not clear.
    """
    if file.path != "schools/schools.csv" or not present:
        return None
    found = sorted((root / "schools").glob("edubase*.csv"))
    if len(found) > 1:
        names = ", ".join(f"schools/{p.name}" for p in found)
        raise ExtractError(
            f"schools/schools.csv is absent and there are {len(found)} GIAS downloads ({names}): "
            "keep one, or save it as schools/schools.csv"
        )
    if found and probe(found[0], f"schools/{found[0].name}"):
        return found[0]
    return None


def schools_path(root: Path) -> Path:
    """Where ``schools/schools.csv`` is read from: itself, or GIAS's download in its place."""
    file = spec("schools/schools.csv")
    path = root / file.path
    if path.is_file():
        return path
    try:
        return gias_download(root, file, (root / "schools").is_dir()) or path
    except ExtractError:
        return path
