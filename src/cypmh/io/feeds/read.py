"""Finding the feeds in a folder and reading them once per change (:func:`read_feeds`)."""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path

from cypmh.io.feeds.census import census_factors, census_periods, people_rows, read_census
from cypmh.io.feeds.dfe_api import API_FILE, API_FOLDER, api_files, api_rows, read_api
from cypmh.io.feeds.nhs import nhs_links
from cypmh.io.feeds.rows import (
    ASSESSMENT_FACTORS,
    CIN_ASSESSMENTS,
    CIN_EPISODES,
    CIN_FOLDER,
    CLA_EPISODES,
    DERIVED,
    EPISODES,
    FACTORS,
    FROM_SSD,
    HEADER,
    LINKAGE,
    MPI,
    OC2,
    PERSON,
    SDQ_SCORES,
    SOCIAL_WORK,
    SSD_FOLDER,
    SSD_TABLES,
    FeedRow,
    Feeds,
    feed_row,
)
from cypmh.io.feeds.ssd import factor_rows, no_further_action, ssd_table
from cypmh.io.lines import ExtractError

__all__ = ["has_feeds", "read_feeds"]


def has_feeds(root: Path) -> bool:
    """Whether the folder has an ``ssd/``, ``cin/`` or ``dfe_api/`` folder, or ``dfe_api.json``.

    A folder's name given to something that is not a folder is an :class:`ExtractError`:
    a feed put there by mistake is never passed over in silence.
    """
    folders = [_is_dir(root, name) for name in (SSD_FOLDER, CIN_FOLDER, API_FOLDER)]
    return any(folders) or (root / API_FILE).exists()


def _is_dir(root: Path, name: str) -> bool:
    try:
        mode = os.stat(root / name).st_mode
    except OSError:
        return False
    if not stat.S_ISDIR(mode):
        raise ExtractError(f"{name}: is not a folder (the {_FEED[name]} goes in a folder {name}/)")
    return True


_FEED = {
    SSD_FOLDER: "Standard Safeguarding Dataset's tables",
    CIN_FOLDER: "Children in Need census",
    API_FOLDER: "DfE API payloads",
}
_OWN = (
    MPI,
    LINKAGE,
    HEADER,
    EPISODES,
    "ssda903/oc2.csv",
    SOCIAL_WORK,
    "ssda903/mh_assessments.csv",
    FACTORS,
)
"""The folder's own files the feeds' rows depend on (who is known, linked or listed)."""
_MAX_BYTES = 2**30
"""The largest feed file read (1 GiB): a council's census or SSD table is far smaller."""


_CACHE: dict[tuple[object, ...], Feeds] = {}


def read_feeds(root: Path) -> Feeds | None:
    """The feeds in ``root`` (``None`` without an ``ssd/`` or ``cin/`` folder).

    A feed file that is not a file, an SSD table without a field it needs, and
    a file in ``cin/`` that is not a CIN census are :class:`ExtractError`. The
    result is kept while the feed files are unchanged, as each reader opens the
    files more than once.
    """
    if not has_feeds(root):
        return None
    files = _feed_files(root)
    own = [(path, _signature(root / path)) for path in _OWN]
    key = (str(root.resolve()), *((p, s.st_mtime_ns, s.st_size) for p, s in files), *own)
    if key not in _CACHE:
        if len(_CACHE) > 8:
            _CACHE.clear()
        _CACHE[key] = _read(root, [path for path, _ in files])
    return _CACHE[key]


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size


def _feed_files(root: Path) -> list[tuple[str, os.stat_result]]:
    found = []
    for table in SSD_TABLES:
        found += _stat(root, table.path)
    if _is_dir(root, CIN_FOLDER):
        for name in sorted(os.listdir(root / CIN_FOLDER)):
            if name.lower().endswith(".xml"):
                found += _stat(root, f"{CIN_FOLDER}/{name}", listed=True)
    for path in api_files(root):
        found += _stat(root, path, listed=True)
    return found


def _unread(root: Path) -> list[str]:
    """A warning for each file in ``ssd/`` or ``cin/`` that is not read, naming it."""
    said = []
    read = {t.path for t in SSD_TABLES}
    for folder, wanted, ending in (
        (SSD_FOLDER, "an SSD table cypmh reads", None),
        (CIN_FOLDER, "an .xml file", ".xml"),
        (API_FOLDER, "a .json file", ".json"),
    ):
        if not _is_dir(root, folder):
            continue
        for name in sorted(os.listdir(root / folder)):
            path = f"{folder}/{name}"
            if path not in read and not (ending and name.lower().endswith(ending)):
                said.append(f"{path}: not read: not {wanted}")
    if said and any(p.startswith(f"{SSD_FOLDER}/") for p in said):
        said.append(
            f"{SSD_FOLDER}/: the tables read are {', '.join(t.name for t in SSD_TABLES)} "
            "(each as <table>.csv)"
        )
    return said


def _stat(root: Path, path: str, *, listed: bool = False) -> list[tuple[str, os.stat_result]]:
    """The file at ``path`` and its status; ``[]`` where an SSD table is simply absent.

    A name found by listing a feed folder (``listed``) that cannot be opened, such
    as a link to nothing, is an :class:`ExtractError`: it is never passed over.
    """
    try:
        status = os.stat(root / path)
    except OSError as exc:
        if not listed and not os.path.lexists(root / path):
            return []
        raise ExtractError(f"{path}: cannot be read: {exc.strerror}") from None
    if not stat.S_ISREG(status.st_mode):
        raise ExtractError(f"{path}: is not a file")
    if status.st_size > _MAX_BYTES:
        raise ExtractError(
            f"{path}: {status.st_size} bytes is more than a feed file holds (at most "
            f"{_MAX_BYTES} bytes are read)"
        )
    return [(path, status)]


def _read(root: Path, paths: Sequence[str]) -> Feeds:
    warnings: list[str] = _unread(root)
    tables = {t.name: ssd_table(root, t, warnings) for t in SSD_TABLES if t.path in paths}
    rows: dict[str, list[FeedRow]] = {path: [] for path in DERIVED}
    for name, found in tables.items():
        if name in (PERSON.name, CIN_ASSESSMENTS.name, ASSESSMENT_FACTORS.name):
            continue
        path, columns = FROM_SSD[name]
        if path == EPISODES and (root / EPISODES).exists():
            warnings.append(
                f"{CLA_EPISODES.path}: not read: the folder's {EPISODES} gives the looked-after "
                "episodes (the statutory SSDA903 return, with legal status and placement)"
            )
            continue
        nfa, undated = 0, []
        for line, cells in found:
            if name == CIN_EPISODES.name and no_further_action(cells, line, warnings):
                nfa += 1
                continue
            if name == SDQ_SCORES.name and not cells.get("csdq_sdq_completed_date"):
                undated.append(line)
                continue
            rows[path].append(feed_row(f"{SSD_FOLDER}/{name}.csv", line, cells, columns))
        if nfa:
            warnings.append(
                f"{CIN_EPISODES.path}: {nfa} referral(s) ended in no further action "
                "(cine_referral_nfa), so give no child-in-need period"
            )
        if undated:
            # Undated, a row would read as the year's OC2 return: the SSD dates every SDQ.
            warnings.append(
                f"{SDQ_SCORES.path}: {len(undated)} row(s) have no csdq_sdq_completed_date, "
                f"first at line {min(undated)}: left out, as an SSD SDQ is read by its date"
            )
    if ASSESSMENT_FACTORS.name in tables:
        rows[FACTORS] += factor_rows(
            tables.get(CIN_ASSESSMENTS.name, []), tables[ASSESSMENT_FACTORS.name], warnings
        )
    api = [p for p in paths if p == API_FILE or p.startswith(f"{API_FOLDER}/")]
    given = api_rows(read_api(root, api, warnings), warnings)
    _add_api(root, rows, given, warnings)
    census = read_census(root, [p for p in paths if p.startswith(f"{CIN_FOLDER}/")], warnings)
    rows[SOCIAL_WORK] += census_periods(census, rows[SOCIAL_WORK], warnings)
    rows[FACTORS] += census_factors(census, rows[FACTORS], warnings)
    rows[HEADER] = people_rows(root, rows, tables.get(PERSON.name, []), census, given[HEADER])
    rows[LINKAGE] = nhs_links(root, tables.get(PERSON.name, []), warnings)
    for path, kept in rows.items():
        counts: dict[str, int] = {}
        for row in kept:
            source = row.origin.where.rsplit(", line ", 1)[0]
            counts[source] = counts.get(source, 0) + 1
        if counts:
            warnings.append(
                f"{path}: " + ", ".join(f"{n} row(s) from {source}" for source, n in counts.items())
            )
    return Feeds(rows={p: tuple(r) for p, r in rows.items() if r}, warnings=tuple(warnings))


_SAME = {
    SOCIAL_WORK: ("CHILD", "STATUS", "START"),
    OC2: ("CHILD", "SDQ_DATE"),
    FACTORS: ("CHILD", "DATE", "FACTOR"),
}
"""What makes an API row the same as an SSD one: the same child, kind and start; child and day;
child, day and factor."""


def _add_api(
    root: Path,
    rows: dict[str, list[FeedRow]],
    given: dict[str, list[FeedRow]],
    warnings: list[str],
) -> None:
    """The API's rows after the SSD's: a period or SDQ the SSD gives too is read from the SSD.

    Its placements are the looked-after episodes only where neither the folder's
    SSDA903 ``episodes.csv`` nor ``ssd_cla_episodes`` gives them.
    """
    for path, key in _SAME.items():
        seen = {tuple(r.cells.get(c, "") for c in key) for r in rows[path]}
        new = [r for r in given[path] if tuple(r.cells.get(c, "") for c in key) not in seen]
        if len(new) < len(given[path]):
            warnings.append(
                f"{path}: {len(given[path]) - len(new)} row(s) that the SSD and the DfE API "
                "both give are read once, from the SSD"
            )
        rows[path] += new
    if given[EPISODES]:
        if (root / EPISODES).exists() or rows[EPISODES]:
            source = EPISODES if (root / EPISODES).exists() else CLA_EPISODES.path
            warnings.append(
                f"{API_FOLDER}: child_looked_after_placements not read: {source} gives the "
                "looked-after episodes"
            )
        else:
            rows[EPISODES] += given[EPISODES]
