"""The four-week clock's intervention codes from the SNOMED CT UK release's refset files.

NHS England stops the CYP four-week clock at a contact or indirect activity coded
with an active member of three MHSDS simple reference sets (psychological
therapies, psychosocial interventions, medication and physical therapy) or with
one of two named members of the assessment procedures set. The sets' ids and
roles are package data (``cypmh/pathways/data/intervention_refsets.csv``); the
two named codes are the shipped ``intervention_codes.txt``.

A trust holds the sets as the UK release's RF2 *simple refset* files
(``der2_Refset_SimpleSnapshot_GB1000000_YYYYMMDD.txt``, or the ``Full`` file
with every historical row): tab-separated, with the header ``id effectiveTime
active moduleId refsetId referencedComponentId``. :func:`read_rf2` reads
either. A member's state is its row with the latest ``effectiveTime`` (a
snapshot has one row a member; a full file is the history, as NHS England's
``ROW_NUMBER() OVER (PARTITION BY ReferencedComponentID ORDER BY effectiveTime
DESC)`` reads it). A named assessment code counts unless the file's assessment
set marks it inactive.

One difference from NHS England's code, stated: the publication takes a code as
active on each contact's own date (``Der_EffectiveStartTime`` to
``Der_EffectiveEndTime``); cypmh takes the members active in the release it is
given, for every date. Give the release current at the period end.

Source: NHSDigital/mental-health-monthly-statistics, ``menh_bbrb/notebooks/
02_Specific_Prepare/02_4w_waits/4w_waits_prep.py`` (views ``SNOMED_4ww_RefSets``
and ``snomed_4ww_refset``, and the clock-stop joins that keep ``Ref_Group`` in
Medication, Psychological therapies, Psychosocial interventions, or the two
Assessments codes).
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterable, Mapping
from importlib import resources

from cypmh.errors import InvalidValueError

__all__ = ["RF2_HEADER", "intervention_refsets", "is_rf2", "read_rf2"]

RF2_HEADER = ("id", "effectiveTime", "active", "moduleId", "refsetId", "referencedComponentId")
"""The columns of an RF2 simple refset file, in order."""


@functools.cache
def intervention_refsets() -> Mapping[str, str]:
    """Each reference set NHS England reads for the clock stop, with its role.

    ``intervention`` (every active member stops the clock) or ``assessment``
    (only the named codes of ``intervention_codes.txt`` do).
    """
    data = resources.files("cypmh.pathways").joinpath("data", "intervention_refsets.csv")
    text = data.read_text("utf-8")
    return {row["refset_id"]: row["role"] for row in csv.DictReader(io.StringIO(text))}


def is_rf2(first_line: str) -> bool:
    """Whether a file's first line is an RF2 simple refset header.

    >>> is_rf2(chr(9).join(RF2_HEADER))
    True
    >>> is_rf2("1085671000000109  ASD assessment")
    False
    """
    return tuple(first_line.lstrip("\ufeff").rstrip("\r\n").split("\t")) == RF2_HEADER


def read_rf2(lines: Iterable[str], source: str, named: Iterable[str]) -> frozenset[str]:
    """The intervention codes of an RF2 simple refset file.

    ``lines`` are the file's lines, header first; ``named`` are the named
    assessment codes. Rows of other reference sets are skipped. A malformed
    row, or a file with no row of the intervention sets, is an
    :class:`~cypmh.errors.InvalidValueError` naming the file (and line and column).
    """
    roles = intervention_refsets()
    latest: dict[tuple[str, str], tuple[str, bool]] = {}
    for number, line in enumerate(lines, start=1):
        if number == 1 or not line.strip():
            continue
        cells = line.rstrip("\r\n").split("\t")
        if len(cells) != len(RF2_HEADER):
            raise InvalidValueError(
                "InterventionCodes",
                "path",
                source,
                f"line {number} has {len(cells)} tab-separated cells; an RF2 simple refset "
                f"row has {len(RF2_HEADER)}",
            )
        row = dict(zip(RF2_HEADER, cells, strict=True))
        if row["refsetId"] not in roles:
            continue
        for column in ("effectiveTime", "active", "referencedComponentId"):
            value = row[column]
            good = (
                value in ("0", "1") if column == "active" else value.isascii() and value.isdigit()
            )
            if not good:
                raise InvalidValueError(
                    "InterventionCodes",
                    "path",
                    source,
                    f"line {number}, {column}: {value!r} is not "
                    + ("0 or 1" if column == "active" else "a number"),
                )
        key = (row["refsetId"], row["referencedComponentId"])
        seen = latest.get(key)
        if seen is None or row["effectiveTime"] >= seen[0]:
            latest[key] = (row["effectiveTime"], row["active"] == "1")
    if not any(roles[refset] == "intervention" for refset, _ in latest):
        raise InvalidValueError(
            "InterventionCodes",
            "path",
            source,
            "has no row of the MHSDS intervention reference sets "
            + ", ".join(r for r, role in roles.items() if role == "intervention")
            + ": is it the UK clinical extension's simple refset file?",
        )
    codes = {
        code
        for (refset, code), (_, active) in latest.items()
        if active and roles[refset] == "intervention"
    }
    for code in named:
        states = [active for (refset, c), (_, active) in latest.items() if c == code]
        if not states or any(states):
            codes.add(code)
    return frozenset(codes)
