"""Independent readings of the reference tables, for checking the package against them."""

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "src" / "cypmh" / "codes" / "data"


def rows(table: str) -> list[dict[str, str]]:
    with (DATA / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def column(table: str, name: str) -> set[str]:
    return {row[name] for row in rows(table)}
