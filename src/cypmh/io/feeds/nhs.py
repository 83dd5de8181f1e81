"""Linking social care to health by NHS number.

The SSD's ``pers_common_child_id`` meets the MPI's ``NHSNumber`` (:func:`nhs_links`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from cypmh.io.feeds.rows import LINKAGE, MPI, PERSON, FeedRow, Origin, csv_rows, own_children

__all__ = ["mpi_numbers", "nhs_links", "nhs_number"]


def nhs_number(text: str) -> str | None:
    """The NHS number ``text`` holds (spaces and hyphens dropped), or ``None`` if it is not one.

    Ten digits whose last is the check digit of the first nine: each times its
    weight (10 down to 2), the sum's remainder by 11 taken from 11 (11 is 0; 10
    is no number), as the NHS Data Dictionary's NHS NUMBER sets it.

    >>> nhs_number("943 476 5919"), nhs_number("9434765918"), nhs_number("12345")
    ('9434765919', None, None)
    """
    digits = re.sub(r"[\s-]", "", text)
    if not re.fullmatch(r"[0-9]{10}", digits):
        return None
    check = 11 - sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    check = 0 if check == 11 else check
    return digits if check != 10 and check == int(digits[9]) else None


_BY_NUMBER = {"CHILD": "pers_person_id", "Person_ID": "pers_common_child_id"}


def nhs_links(
    root: Path, persons: Sequence[tuple[int, dict[str, str]]], warnings: list[str]
) -> list[FeedRow]:
    """A ``linkage.csv`` row for each SSD child whose NHS number is one MPI person's.

    A child the folder's own ``linkage.csv`` links is left to it. A number that is
    not an NHS number, or that more than one ``Person_ID`` of the MPI carries, links
    nothing, and is counted in the warnings. The numbers themselves are never said.
    """
    numbered = [(line, cells) for line, cells in persons if cells.get("pers_common_child_id")]
    if not numbered:
        return []
    numbers = {line: nhs_number(cells["pers_common_child_id"]) for line, cells in numbered}
    health = mpi_numbers(root, {n for n in numbers.values() if n is not None})
    if health is None:
        warnings.append(
            f"{PERSON.path}: {len(numbered)} row(s) give pers_common_child_id (the NHS number), "
            f"but {MPI} has no NHSNumber column: the records are linked by {LINKAGE} only"
        )
        return []
    own = own_children(root, LINKAGE)
    out: list[FeedRow] = []
    invalid, shared = 0, 0
    for line, cells in numbered:
        child, number = cells.get("pers_person_id", ""), numbers[line]
        if child in own:
            continue
        if number is None:
            invalid += 1
            continue
        people = health.get(number, set())
        if len(people) > 1:
            shared += 1
        elif people:
            own.add(child)
            (person,) = people
            cells = {"Person_ID": person, "CHILD": child}
            out.append(FeedRow(cells, Origin(f"{PERSON.path}, line {line}", _BY_NUMBER)))
    for n, why in (
        (
            invalid,
            "a pers_common_child_id that is not an NHS number (ten digits, the last "
            "its check digit)",
        ),
        (shared, f"an NHS number that more than one {MPI} Person_ID has"),
    ):
        if n:
            warnings.append(f"{PERSON.path}: {n} row(s) have {why}: not linked by it")
    return out


def mpi_numbers(root: Path, wanted: set[str]) -> dict[str, set[str]] | None:
    """The MPI's ``Person_ID`` of each of the ``wanted`` NHS numbers (``None``: no NHSNumber)."""
    found = csv_rows(root, MPI)
    if found is None or not {"NHSNumber", "Person_ID"} <= set(found[0]):
        return None
    at, person_at = found[0].index("NHSNumber"), found[0].index("Person_ID")
    people: dict[str, set[str]] = {}
    for _, cells in found[1] if wanted else ():
        if isinstance(cells, list) and max(at, person_at) < len(cells):
            number, person = nhs_number(cells[at]), cells[person_at].strip()
            if number in wanted and person:
                people.setdefault(number, set()).add(person)
    return people
