"""The SSD's tables read into rows: each field cleaned, each unreadable row reported."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from cypmh.io.feeds.rows import (
    ASSESSMENT_FACTORS,
    CIN_ASSESSMENTS,
    CIN_EPISODES,
    SHOWN,
    FeedRow,
    SsdTable,
    clean,
    csv_rows,
    feed_row,
)
from cypmh.io.lines import ExtractError

__all__ = ["factor_codes", "factor_rows", "no_further_action", "ssd_table"]

_NFA = {"y", "yes", "1", "true"}
_YES = _NFA
"""A factor marked yes in the planned JSON object (the flags a referral's NFA is read by)."""
_NOT_NFA = {"n", "no", "0", "false", ""}


def ssd_table(root: Path, table: SsdTable, warnings: list[str]) -> list[tuple[int, dict[str, str]]]:
    """The table's rows (line, field -> cell); a row that cannot be split is reported."""
    found = csv_rows(root, table.path)
    if found is None:
        return []
    header = [name.lower() for name in found[0]]
    missing = [field for field in table.required if field not in header]
    if missing:
        raise ExtractError(
            f"{table.path}: the SSD table {table.name} has no {', '.join(missing)} column "
            f"(data-to-insight/ssd-data-model names them; the header is: {', '.join(header)})"
        )
    wanted = {
        field: header.index(field)
        for field in (*table.required, *table.optional)
        if field in header
    }
    rows, left_out = [], []
    for line, cells in found[1]:
        if isinstance(cells, str):
            left_out.append((line, cells))
        elif len(cells) != len(header):
            left_out.append((line, f"has {len(cells)} cells, the header {len(header)}"))
        else:
            rows.append((line, {field: clean(cells[at]) for field, at in wanted.items()}))
    for line, why in left_out[:SHOWN]:
        warnings.append(f"{table.path}, line {line}: {why}: left out")
    if len(left_out) > SHOWN:
        warnings.append(f"{table.path}: {len(left_out) - SHOWN} more rows left out, as above")
    return rows


def no_further_action(cells: Mapping[str, str], line: int, warnings: list[str]) -> bool:
    """Whether the referral ended in no further action (an unknown flag is said, and is not)."""
    value = cells.get("cine_referral_nfa", "")
    if value.lower() in _NFA:
        return True
    if value.lower() not in _NOT_NFA:
        warnings.append(
            f"{CIN_EPISODES.path}, line {line}, cine_referral_nfa {value!r}: must be Y or N "
            "(or 1, 0, true, false): the referral is read as not ended in no further action"
        )
    return False


def factor_codes(cell: str) -> list[str] | None:
    """The factor codes of a ``cinf_assessment_factors_json`` cell (``None``: unreadable).

    The SSD writes them as a JSON array (``["1A", "4A"]``) and plans a JSON
    object (``{"1A": "Yes", "4A": "No"}``), whose factors are those marked yes.
    A bare list of codes (``4A, 15A``) is read too; an empty cell has none.

    >>> factor_codes('["4a", "15A"]'), factor_codes('{"4A": "Yes", "2B": "No"}')
    (['4A', '15A'], ['4A'])
    >>> factor_codes("4A; 21"), factor_codes(""), factor_codes('{"4A": ')
    (['4A', '21'], [], None)
    """
    text = cell.strip()
    if not text:
        return []
    if text[0] in "[{":
        try:
            found = json.loads(text)
        except ValueError:
            return None
        if isinstance(found, dict):
            found = [k for k, v in found.items() if str(v).strip().lower() in _YES]
        if not isinstance(found, list) or not all(isinstance(x, (str, int)) for x in found):
            return None
        return [str(x).strip().upper() for x in found if str(x).strip()]
    return [x.upper() for x in text.replace(";", ",").replace(" ", ",").split(",") if x]


def factor_rows(
    assessments: Sequence[tuple[int, dict[str, str]]],
    factors: Sequence[tuple[int, dict[str, str]]],
    warnings: list[str],
) -> list[FeedRow]:
    """``assessment_factors.csv`` rows from ``ssd_assessment_factors`` joined to its assessments.

    Each factor of a row is one contract row: the assessment's child
    (``cina_person_id``), its authorisation date (``cina_assessment_auth_date``,
    when the factors are as understood at the assessment's end) and the code.
    An assessment not yet authorised has no factors yet; a factors row whose
    assessment is not in ``ssd_cin_assessments``, or whose cell cannot be read,
    is left out. Each is counted in a warning.
    """
    by_id = {cells["cina_assessment_id"]: cells for _, cells in assessments}
    columns = {
        "CHILD": "cina_person_id",
        "DATE": "cina_assessment_auth_date",
        "FACTOR": "cinf_assessment_factors_json",
    }
    where = ASSESSMENT_FACTORS.path
    rows: list[FeedRow] = []
    orphans, unread, open_ = [], [], []
    for line, cells in factors:
        assessment = by_id.get(cells["cinf_assessment_id"])
        codes = factor_codes(cells["cinf_assessment_factors_json"])
        if assessment is None:
            orphans.append(line)
        elif codes is None:
            unread.append(line)
        elif not assessment.get("cina_assessment_auth_date"):
            open_.append(line)
        else:
            for code in codes:
                joined = {**assessment, "cinf_assessment_factors_json": code}
                rows.append(feed_row(where, line, joined, columns))
    for lines, why in (
        (orphans, f"have a cinf_assessment_id not in {CIN_ASSESSMENTS.path}"),
        (unread, "have a cinf_assessment_factors_json that is not a list of factor codes"),
        (open_, "belong to an assessment with no cina_assessment_auth_date (not yet authorised)"),
    ):
        if lines:
            warnings.append(
                f"{where}: {len(lines)} row(s) {why}, first at line {min(lines)}: left out"
            )
    return rows
