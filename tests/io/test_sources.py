"""The three sources of an extract's rows: a folder, data frames, a database.

The property: for the same rows, a folder of CSV files, the same tables as
Polars and pandas frames, and the same tables in SQLite give the same area
and the same data-quality report (the same problems, at the same row, with
the same column, value and reason). Only where a problem is named differs:
a file's line for the folder, a table's row and key for the others. The
rows are a generated area's extract, with some cells made wrong by the fault
injection's cell faults (tests/io/test_fault_injection.py), so the report
has problems to compare.
"""

import csv
import random
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cypmh.io import write_extract
from cypmh.io.contract import FILES
from cypmh.io.frames import read_extract_frames
from cypmh.io.readers import ExtractError, read_extract
from cypmh.io.sources import Database, Frames, read_tables_map, table_name
from cypmh.testing import strategies as cst
from tests.budget import examples
from tests.io.test_fault_injection import cell, typed


def csv_tables(folder: Path) -> dict[str, tuple[list[str], list[list[str]]]]:
    """Each contract file in ``folder`` as (header, rows) of text."""
    tables = {}
    for file in FILES:
        path = folder / file.path
        if path.is_file():
            with path.open(encoding="utf-8", newline="") as handle:
                rows = list(csv.reader(handle))
            header, body = rows[0], [r for r in rows[1:] if r]
            tables[file.path] = (header, [r for r in body if len(r) == len(header)])
    return tables


def to_sqlite(tables, path: Path, names=None) -> str:
    with sqlite3.connect(path) as db:
        for file_path, (header, rows) in tables.items():
            name = (names or {}).get(file_path, table_name(file_path))
            columns = ", ".join(f'"{c}" TEXT' for c in header)
            db.execute(f'CREATE TABLE "{name}" ({columns})')
            marks = ", ".join("?" for _ in header)
            db.executemany(f'INSERT INTO "{name}" VALUES ({marks})', rows)
    return f"sqlite:///{path}"


def to_frames(tables, kind):
    import pandas as pd
    import polars as pl

    out = {}
    for file_path, (header, rows) in tables.items():
        columns = {c: [r[i] for r in rows] for i, c in enumerate(header)}
        if kind == "polars":
            out[table_name(file_path)] = pl.DataFrame(
                columns, schema=dict.fromkeys(header, pl.String)
            )
        else:
            out[file_path] = pd.DataFrame(columns, dtype="string")
    return out


def core(quality):
    """The report without where each problem is named."""
    return (
        dict(quality.files),
        [(p.file, p.line, p.column, p.value) for p in quality.problems],
        quality.warnings,
    )


def _same_reports(folder: Path, tmp: Path) -> None:
    tables = csv_tables(folder)
    # Rebuild the folder from the tables, so that every source holds exactly the same rows.
    for file_path, (header, rows) in tables.items():
        with (folder / file_path).open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows([header, *rows])
    expected = read_extract(folder)
    sources = [
        Frames(to_frames(tables, "polars")),
        Frames(to_frames(tables, "pandas")),
        Database(to_sqlite(tables, tmp / "extract.db")),
    ]
    for source in sources:
        got = read_extract(source)
        assert core(got.quality) == core(expected.quality), source.kind
        assert got.area.referrals == expected.area.referrals
        assert got.area.children == expected.area.children
        assert read_extract_frames(source, "polars").quality == got.quality
        for p in got.quality.problems:
            assert p.table is not None
            assert p.where.startswith(f"table {p.table}, row {p.line - 1}")


@given(area=cst.areas(), seed=st.integers(0, 2**32 - 1))
@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_every_source_gives_the_same_report(tmp_path_factory, area, seed):
    tmp = tmp_path_factory.mktemp("sources")
    folder = write_extract(area, tmp / "folder")
    rng = random.Random(seed)
    for fault in rng.sample([cell, typed], rng.randrange(0, 3)):
        fault(folder, rng)
    _same_reports(folder, tmp)


def test_a_problem_names_its_table_row_and_key(tmp_path):
    from cypmh.synth.examples import example_area

    folder = write_extract(example_area(), tmp_path / "folder")
    tables = csv_tables(folder)
    header, rows = tables["MHS101Referral.csv"]
    rows[1][header.index("ReferralRequestReceivedDate")] = "03/10/2024"
    problem = read_extract(Frames(to_frames(tables, "polars"))).quality.problems[0]
    assert problem.where == "table MHS101Referral, row 2 (UniqServReqID 'R002')"
    assert problem.column == "ReferralRequestReceivedDate"


def test_a_table_mapping_renames_tables(tmp_path):
    from cypmh.synth.examples import example_area

    folder = write_extract(example_area(), tmp_path / "folder")
    tables = csv_tables(folder)
    url = to_sqlite(tables, tmp_path / "x.db", names={"MHS101Referral.csv": "refs"})
    mapping = tmp_path / "tables.toml"
    mapping.write_text('[tables]\nMHS101Referral = "refs"\n', encoding="utf-8")
    got = read_extract(Database(url, tables_map=read_tables_map(mapping)))
    assert len(got.area.referrals) == 5
    with pytest.raises(ExtractError, match=r"required file missing: MHS101Referral\.csv"):
        read_extract(Database(url))


def test_a_password_in_the_url_is_refused_and_never_shown(tmp_path):
    with pytest.raises(ExtractError) as caught:
        read_extract(Database("postgresql+psycopg://me:s3cret@localhost/x"))
    assert "s3cret" not in str(caught.value)
    assert "PGPASSWORD" in str(caught.value)


def test_an_unreachable_database_names_no_url():
    with pytest.raises(ExtractError) as caught:
        read_extract(Database("postgresql+psycopg://me@127.0.0.1:9/nowhere"))
    message = str(caught.value)
    assert "the database could not be read" in message
    assert "nowhere" not in message
    assert "127.0.0.1" not in message


def test_unknown_frame_names_are_an_error():
    import polars as pl

    with pytest.raises(ExtractError, match=r"'referrals' is not a file of the contract"):
        read_extract(Frames({"referrals": pl.DataFrame({"a": ["1"]})}))


@pytest.mark.parametrize("kind", ["polars", "pandas", "sqlite"])
def test_a_huge_cell_is_a_row_problem_on_every_source(tmp_path, kind):
    """Issue 32, section 5: a cell over the csv module's field limit (131,072 characters) is
    the row problem it is in a folder (the contract caps a cell at 32,767), never a traceback,
    whether the table is a data frame or a database's."""
    from cypmh.synth.examples import example_area

    folder = write_extract(example_area(), tmp_path / "folder")
    tables = csv_tables(folder)
    header, rows = tables["MHS101Referral.csv"]
    rows[1][header.index("UniqServReqID")] = "R" * 140_000
    source = (
        Database(to_sqlite(tables, tmp_path / "x.db"))
        if kind == "sqlite"
        else Frames(to_frames(tables, kind))
    )
    for reader in (read_extract, lambda s: read_extract_frames(s, "polars")):
        quality = reader(source).quality
        (problem,) = [p for p in quality.problems if p.file == "MHS101Referral.csv"]
        assert problem.column == "UniqServReqID"
        assert "longer than 32,767 characters" in problem.reason
        assert len(problem.where) < 120  # the key is cut short
