"""``cypmh validate|report|trend --db URL`` as a user runs them, on SQLite.

The same rows in a folder and in a database give the same report, and no output
carries the URL.
"""

import csv
import json

from cypmh.__main__ import main
from tests.end_to_end.test_cli import run
from tests.io.test_sources import csv_tables, to_sqlite


def _extract(tmp_path, capsys):
    """A synthetic folder and the same tables, its populations and deprivation among them."""
    folder = tmp_path / "area"
    assert main(["synth", str(folder), "--seed", "3", "--people", "120"]) == 0
    capsys.readouterr()
    tables = csv_tables(folder)
    lines = (folder / "population.csv").read_text(encoding="utf-8").splitlines()
    tables["population.csv"] = (lines[0].split(","), [line.split(",") for line in lines[1:]])
    with (folder / "deprivation.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    tables["deprivation.csv"] = (rows[0], rows[1:])
    with (folder / "population_groups.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    tables["population_groups.csv"] = (rows[0], rows[1:])
    url = to_sqlite(tables, tmp_path / "secret-name.db")
    return folder, url


def test_report_from_a_database_is_the_folders(tmp_path, capsys):
    folder, url = _extract(tmp_path, capsys)
    args = ["report", "--period", "2025-03", "--format", "json", "--metric", "MHS133"]
    status, from_folder, _ = run(capsys, *args, str(folder), "--area-name", "X")
    assert status == 0
    status, from_db, err = run(capsys, *args, "--db", url, "--area-name", "X")
    assert status == 0
    assert json.loads(from_db) == json.loads(from_folder)
    assert "secret-name" not in from_db + err


def test_validate_and_trend_from_a_database(tmp_path, capsys):
    _, url = _extract(tmp_path, capsys)
    status, out, err = run(capsys, "validate", "--db", url, "--format", "json")
    assert status == 0
    assert json.loads(out)["problems"] == []
    assert "secret-name" not in out + err
    status, out, err = run(
        capsys,
        "trend",
        "--db",
        url,
        "--from",
        "2025-01",
        "--to",
        "2025-03",
        "--metric",
        "MHS95",
        "--format",
        "csv",
    )
    assert status == 0
    assert "MHS95" in out
    assert "secret-name" not in out + err


def test_db_options_need_db_and_one_source(tmp_path, capsys):
    folder, url = _extract(tmp_path, capsys)
    status, _, err = run(capsys, "validate", str(folder), "--db", url)
    assert status == 2
    assert "give an extract FOLDER or --db URL" in err
    status, _, err = run(capsys, "validate", str(folder), "--schema", "mh")
    assert status == 2
    assert "--schema and --tables go with --db" in err
    status, _, err = run(capsys, "report", "--db", "sqlite:///x.db", "--demo")
    assert status == 2
    assert "give one of an extract FOLDER, --db URL or --demo" in err


def test_a_folder_wins_over_cypmh_db(tmp_path, capsys, monkeypatch):
    folder, url = _extract(tmp_path, capsys)
    monkeypatch.setenv("CYPMH_DB", url)
    status, out, _ = run(capsys, "validate", str(folder), "--format", "json")
    assert status == 0
    assert json.loads(out)["problems"] == []
    status, out, _ = run(capsys, "validate", "--format", "json")
    assert status == 0
    assert json.loads(out)["problems"] == []
    # --demo wins too, on every command that has it: the same output as with no
    # CYPMH_DB at all (the demo area's, not the database's).
    commands = [
        ["report", "--metric", "MHS95", "--format", "json"],
        ["trend", "--metric", "MHS95", "--format", "json"],
        ["members", "--metric", "MHS95", "--format", "json"],
        ["why", "--referral", "no-such-referral"],
    ]
    with_db = [run(capsys, *command, "--demo") for command in commands]
    monkeypatch.delenv("CYPMH_DB")
    without = [run(capsys, *command, "--demo") for command in commands]
    assert with_db == without
    assert all(status != 2 for status, _, _ in with_db)


def test_members_and_why_from_a_database_are_the_folders(tmp_path, capsys):
    folder, url = _extract(tmp_path, capsys)
    args = ["members", "--metric", "MHS133", "--period", "2025-03", "--format", "json"]
    status, from_folder, _ = run(capsys, *args, str(folder))
    assert status == 0
    assert json.loads(from_folder)  # the comparison below is not of two empty lists
    status, from_db, err = run(capsys, *args, "--db", url)
    assert status == 0
    assert json.loads(from_db) == json.loads(from_folder)
    assert "secret-name" not in from_db + err
    referral = json.loads(from_folder)[0]["record"]
    args = ["why", "--referral", referral, "--period", "2025-03", "--format", "json"]
    status, from_folder, _ = run(capsys, *args, str(folder))
    assert status == 0
    status, from_db, err = run(capsys, *args, "--db", url)
    assert status == 0
    assert json.loads(from_db) == json.loads(from_folder)
    assert "secret-name" not in from_db + err
    # Without --period, a database gives the month a folder does: the last complete one.
    status, from_db, err = run(capsys, "members", "--metric", "MHS133", "--db", url)
    assert status == 0
    assert "Period: " in err
    chosen = err.split("Period: ")[1][:7]
    status, from_folder, _ = run(capsys, "members", "--metric", "MHS133", str(folder))
    assert status == 0
    assert from_db == from_folder
    status, same, _ = run(capsys, "members", "--metric", "MHS133", "--period", chosen, str(folder))
    assert same == from_folder


def test_a_password_anywhere_in_the_url_is_refused_unechoed(tmp_path, capsys, monkeypatch):
    """Issue 32, section 5: in the URL's user part, its query string, or through CYPMH_DB."""
    urls = [
        "postgresql://analyst:hunter2@db.example/cyp",
        "postgresql://analyst@db.example/cyp?password=hunter2",
        "postgresql://analyst@db.example/cyp?sslmode=require&PASSWORD=hunter2",
    ]
    for url in urls:
        status, out, err = run(capsys, "report", "--db", url)
        assert (status, out) == (1, "")
        assert "carries a password" in err
        assert "hunter2" not in err
    monkeypatch.setenv("CYPMH_DB", urls[1])
    status, _, err = run(capsys, "report")
    assert status == 1
    assert "carries a password" in err
    assert "hunter2" not in err


def test_a_mistyped_sqlite_path_creates_nothing(tmp_path, capsys):
    missing = tmp_path / "extarct.db"
    status, _, err = run(capsys, "report", "--db", f"sqlite:///{missing}")
    assert status == 1
    assert "the database file extarct.db does not exist" in err
    assert not missing.exists()
