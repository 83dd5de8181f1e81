"""Whose rows were rejected: the people behind each file's rejected rows.

A rejected row is reported by its file and line (:class:`~cypmh.io.quality.Problem`).
To say what the rejections take out of a metric ("1,413 rejected episodes
belong to 1,250 children, 1,243 of them not in SDQ02's population"), the
report needs the person each rejected row belongs to. The readers call
:func:`rejected_people` while the extract's files are still there, and keep
the answer in the data-quality report, which never publishes it: the ids
are used only to count.

The person is a file's ``Person_ID`` or, in ``ssda903/``, its ``CHILD`` code
read through ``linkage.csv`` as the readers read it (a linked child is its
``Person_ID``). The schools' files have no people.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from cypmh.io.contract import spec
from cypmh.io.lines import ExtractError, Record, records
from cypmh.io.opening import open_text

if TYPE_CHECKING:
    from cypmh.io.gias import ExtractSettings
    from cypmh.io.quality import Problem

__all__ = ["person_column", "rejected_people"]

LINKAGE = "linkage.csv"


def person_column(path: str) -> str | None:
    """The column of file ``path`` that names the row's person (``None``: no people).

    >>> person_column("MHS201CareContact.csv"), person_column("ssda903/oc2.csv")
    ('Person_ID', 'CHILD')
    >>> person_column("schools/link_contacts.csv") is None
    True
    """
    if path.startswith("ssda903/"):
        return "CHILD"
    if path.startswith("schools/"):
        return None
    return "Person_ID" if "Person_ID" in spec(path).columns else None


def rejected_people(
    root: Path, problems: Iterable[Problem], settings: ExtractSettings | None = None
) -> dict[str, frozenset[str]]:
    """The people of each file's rejected rows, by file path (files with none are left out).

    A row whose person cell is empty, or that cannot be read again, counts no one.
    """
    wanted: dict[str, set[int]] = {}
    for problem in problems:
        if person_column(problem.file) is not None:
            wanted.setdefault(problem.file, set()).add(problem.line)
    if not wanted:
        return {}
    linkage: dict[str, str] = {}
    for child, person in _cells(root, LINKAGE, None, ("CHILD", "Person_ID"), settings):
        linkage[child] = person
    found = {}
    for path, lines in wanted.items():
        column = person_column(path)
        assert column is not None
        people = {person for (person,) in _cells(root, path, lines, (column,), settings) if person}
        if path.startswith("ssda903/"):
            people = {linkage.get(child, child) for child in people}
        if people:
            found[path] = frozenset(people)
    return found


def _cells(
    root: Path,
    path: str,
    lines: set[int] | None,
    columns: tuple[str, ...],
    settings: ExtractSettings | None,
) -> Iterable[tuple[str, ...]]:
    """The ``columns`` of the rows at ``lines`` (``None``: every row) of a file, stripped."""
    try:
        text = open_text(root, spec(path), [], settings)
    except ExtractError:
        return []
    if text is None:
        return []
    rows = records(text)
    first = next(rows, None)
    if not isinstance(first, Record):
        return []
    header = [h.strip() for h in _split(first.text)]
    if any(c not in header for c in columns):
        return []
    at = [header.index(c) for c in columns]
    found = []
    for row in rows:
        if not isinstance(row, Record) or (lines is not None and row.line not in lines):
            continue
        cells = _split(row.text)
        found.append(tuple(cells[i].strip() if i < len(cells) else "" for i in at))
    return found


def _split(text: str) -> list[str]:
    try:
        return next(csv.reader([text]), [])
    except csv.Error:
        return []
