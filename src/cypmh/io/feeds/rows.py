"""What the feeds are made of: the folders, the SSD tables, the rows they give, and CSV reading."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import attrs

from cypmh.io.lines import BOM, ExtractError, Record, header_of, records

__all__ = [
    "ASSESSMENT_FACTORS",
    "CIN_ASSESSMENTS",
    "CIN_FOLDER",
    "DERIVED",
    "FACTORS",
    "FROM_SSD",
    "SDQ_SCORES",
    "SSD_FOLDER",
    "SSD_TABLES",
    "FeedRow",
    "Feeds",
    "Origin",
    "SsdTable",
    "clean",
    "csv_rows",
    "feed_row",
    "own_children",
]

SSD_FOLDER, CIN_FOLDER = "ssd", "cin"
HEADER, EPISODES, SOCIAL_WORK, LINKAGE, MPI, OC2 = (
    "ssda903/header.csv",
    "ssda903/episodes.csv",
    "ssda903/social_work.csv",
    "linkage.csv",
    "MHS001MPI.csv",
    "ssda903/oc2.csv",
)
FACTORS = "ssda903/assessment_factors.csv"
DERIVED = (LINKAGE, HEADER, EPISODES, SOCIAL_WORK, OC2, FACTORS)
"""The contract's files a feed can give rows of."""


@attrs.frozen
class SsdTable:
    """One SSD table cypmh reads: its name, the fields it needs, and those it reads if there."""

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()

    @property
    def path(self) -> str:
        """The table's file in the extract folder."""
        return f"{SSD_FOLDER}/{self.name}.csv"


PERSON = SsdTable(
    "ssd_person",
    ("pers_person_id",),
    ("pers_dob", "pers_sex", "pers_ethnicity", "pers_common_child_id"),
)
CIN_EPISODES = SsdTable(
    "ssd_cin_episodes",
    ("cine_person_id", "cine_referral_date"),
    ("cine_referral_nfa", "cine_close_date"),
)
CP_PLANS = SsdTable(
    "ssd_cp_plans", ("cppl_person_id", "cppl_cp_plan_start_date"), ("cppl_cp_plan_end_date",)
)
CLA_EPISODES = SsdTable(
    "ssd_cla_episodes",
    ("clae_person_id", "clae_cla_episode_start_date"),
    (
        "clae_cla_episode_ceased_date",
        "clae_cla_episode_start_reason",
        "clae_cla_primary_need_code",
        "clae_cla_episode_ceased_reason",
    ),
)
SDQ_SCORES = SsdTable(
    "ssd_sdq_scores",
    ("csdq_person_id", "csdq_sdq_completed_date"),
    ("csdq_sdq_score", "csdq_sdq_reason"),
)
CIN_ASSESSMENTS = SsdTable(
    "ssd_cin_assessments",
    ("cina_assessment_id", "cina_person_id"),
    ("cina_assessment_auth_date",),
)
ASSESSMENT_FACTORS = SsdTable(
    "ssd_assessment_factors", ("cinf_assessment_id", "cinf_assessment_factors_json")
)
SSD_TABLES = (
    PERSON,
    CIN_EPISODES,
    CP_PLANS,
    CLA_EPISODES,
    SDQ_SCORES,
    CIN_ASSESSMENTS,
    ASSESSMENT_FACTORS,
)
"""The SSD tables read, with the fields of data-to-insight/ssd-data-model's
``data/objects/<table>.yml``."""

FROM_SSD: dict[str, tuple[str, dict[str, str]]] = {
    CIN_EPISODES.name: (
        SOCIAL_WORK,
        {
            "CHILD": "cine_person_id",
            "STATUS": "=CIN",
            "START": "cine_referral_date",
            "END": "cine_close_date",
        },
    ),
    CP_PLANS.name: (
        SOCIAL_WORK,
        {
            "CHILD": "cppl_person_id",
            "STATUS": "=CPP",
            "START": "cppl_cp_plan_start_date",
            "END": "cppl_cp_plan_end_date",
        },
    ),
    CLA_EPISODES.name: (
        EPISODES,
        {
            "CHILD": "clae_person_id",
            "DECOM": "clae_cla_episode_start_date",
            "DEC": "clae_cla_episode_ceased_date",
            "RNE": "clae_cla_episode_start_reason",
            "CIN": "clae_cla_primary_need_code",
            "REC": "clae_cla_episode_ceased_reason",
        },
    ),
    SDQ_SCORES.name: (
        OC2,
        {
            "CHILD": "csdq_person_id",
            "SDQ_DATE": "csdq_sdq_completed_date",
            "SDQ_SCORE": "csdq_sdq_score",
            "SDQ_REASON": "csdq_sdq_reason",
        },
    ),
    PERSON.name: (
        HEADER,
        {
            "CHILD": "pers_person_id",
            "DOB": "pers_dob",
            "SEX": "pers_sex",
            "ETHNIC": "pers_ethnicity",
        },
    ),
}
"""Each SSD table's contract file, and each contract column's SSD field (``=X``: the value X)."""

_MIDNIGHT = re.compile(r"(\d{4}-\d{2}-\d{2})[ T]00:00(?::00(?:\.0+)?)?")
SHOWN = 50
"""At most this many rows or elements left out are listed one by one; the rest are counted."""


@attrs.frozen
class Origin:
    """Where a feed row is, and its fields' names by the contract's column."""

    where: str
    columns: Mapping[str, str]


@attrs.frozen
class FeedRow:
    """A row of a contract file made from a feed: its cells by column, and where it came from."""

    cells: Mapping[str, str]
    origin: Origin


@attrs.frozen
class Feeds:
    """The rows the feeds give each contract file, and what was said reading them."""

    rows: Mapping[str, tuple[FeedRow, ...]]
    warnings: tuple[str, ...]


def csv_rows(
    root: Path, path: str
) -> tuple[list[str], Iterator[tuple[int, list[str] | str]]] | None:
    """The file's header and its rows, each ``(line, cells)`` or ``(line, why it is unread)``.

    ``None`` if the file is absent or has no header. Blank lines are skipped. A file
    that is there and cannot be read is an :class:`ExtractError`.
    """
    try:
        data = (root / path).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ExtractError(f"{path}: cannot be read: {exc.strerror}") from None
    text = data.decode("utf-8", errors="surrogateescape")
    found = records(text[1:] if text.startswith(BOM) else text)
    first = next(found, None)
    if not isinstance(first, Record) or not first.text.strip():
        return None

    def rows() -> Iterator[tuple[int, list[str] | str]]:
        for item in found:
            if not isinstance(item, Record):
                yield item[0], "a quote is opened and not closed"
            elif item.text.strip():
                try:
                    yield item.line, next(csv.reader([item.text.rstrip("\r\n")]), [])
                except csv.Error as exc:
                    yield item.line, f"cannot be split into cells ({exc})"

    return header_of(first.text), rows()


def clean(cell: str) -> str:
    """A cell as the contract reads it: stripped, ``NULL`` empty, a midnight time dropped."""
    value = cell.strip()
    if value == "NULL":
        return ""
    midnight = _MIDNIGHT.fullmatch(value)
    return midnight.group(1) if midnight else value


def feed_row(
    where: str, line: int, cells: Mapping[str, str], columns: Mapping[str, str]
) -> FeedRow:
    """The contract row ``columns`` make of a feed row's ``cells`` (``=X`` is the value X)."""
    out = {
        column: field[1:] if field.startswith("=") else cells.get(field, "")
        for column, field in columns.items()
    }
    named = {column: field for column, field in columns.items() if not field.startswith("=")}
    return FeedRow(out, Origin(f"{where}, line {line}", named))


def own_children(root: Path, path: str) -> set[str]:
    """The ``CHILD`` of each row of the folder's own file ``path`` (empty without one)."""
    found = csv_rows(root, path)
    if found is None or "CHILD" not in found[0]:
        return set()
    at = found[0].index("CHILD")
    return {
        cells[at].strip() for _, cells in found[1] if isinstance(cells, list) and at < len(cells)
    }
