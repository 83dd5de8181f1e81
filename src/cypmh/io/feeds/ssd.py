"""The SSD's tables read into rows: each field cleaned, each unreadable row reported."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from cypmh.io.feeds.rows import CIN_EPISODES, SHOWN, SsdTable, clean, csv_rows
from cypmh.io.lines import ExtractError

__all__ = ["no_further_action", "ssd_table"]

_NFA = {"y", "yes", "1", "true"}
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
