"""cypmh never overwrites what it reads (issue 32, section 3).

Every command that takes ``--out`` refuses a path that is the same file as one of its inputs
(named directly, or through a hard or symbolic link), and anything that is not a regular file
or a new path; the input is left byte for byte as it was. A report is written through a
temporary file renamed into place, so a refused or failed write leaves no partial file and no
temporary file behind. ``synth`` refuses a folder that is not empty unless given ``--force``.
"""

import os

import pytest

from cypmh.__main__ import main
from tests.end_to_end.test_cli import run
from tests.end_to_end.test_thrive_policy_cli import POLICY
from tests.io.test_sources import csv_tables, to_sqlite


@pytest.fixture(scope="module")
def area(tmp_path_factory):
    base = tmp_path_factory.mktemp("guard")
    folder = base / "area"
    assert main(["synth", str(folder), "--seed", "2", "--people", "60"]) == 0
    (base / "policy.toml").write_text(POLICY, encoding="utf-8")
    (base / "population.csv").write_bytes((folder / "population.csv").read_bytes())
    (base / "codes.txt").write_text("1085671000000109\n", encoding="utf-8")
    (base / "series.csv").write_text(
        "date,value\n" + "".join(f"2024-{m:02d}-01,{m}\n" for m in range(1, 13)),
        encoding="utf-8",
    )
    return base


def _refused(capsys, target, *args):
    before = target.read_bytes()
    status, _, err = run(capsys, *args, "--out", str(target))
    assert status == 1, err
    assert "refusing to" in err, err
    assert target.read_bytes() == before
    assert not [p for p in target.parent.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize(
    ("option", "name"),
    [
        ("--population", "population.csv"),
        ("--thrive-policy", "policy.toml"),
        ("--intervention-codes", "codes.txt"),
    ],
)
def test_report_refuses_to_overwrite_a_file_it_reads(capsys, area, option, name):
    target = area / name
    _refused(capsys, target, "report", str(area / "area"), option, str(target))


def test_a_hard_link_to_an_extract_file_is_the_extract_file(capsys, area, tmp_path):
    link = tmp_path / "innocent.csv"
    os.link(area / "area" / "MHS001MPI.csv", link)
    _refused(capsys, link, "report", str(area / "area"))
    symlink = tmp_path / "pointer.csv"
    symlink.symlink_to(area / "area" / "MHS101Referral.csv")
    _refused(capsys, symlink, "trend", str(area / "area"), "--metric", "MHS95")


def test_every_command_with_out_refuses(capsys, area):
    population = area / "population.csv"
    folder = str(area / "area")
    _refused(capsys, population, "need", folder, "--population", str(population))
    _refused(
        capsys, population, "members", folder, "--metric", "MHS95", "--population", str(population)
    )
    series = area / "series.csv"
    _refused(capsys, series, "spc", str(series), "--date-column", "date", "--value-column", "value")


def test_the_database_file_is_not_overwritten(capsys, area, tmp_path):
    url = to_sqlite(csv_tables(area / "area"), tmp_path / "extract.db")
    _refused(capsys, tmp_path / "extract.db", "report", "--db", url, "--metric", "MHS95")


def test_a_fifo_is_refused_without_hanging(capsys, area, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    status, _, err = run(capsys, "report", str(area / "area"), "--out", str(fifo))
    assert status == 1
    assert "is not a regular file" in err


def test_a_new_path_is_written_whole_and_a_report_replaced(capsys, area, tmp_path):
    target = tmp_path / "report.csv"
    args = ["report", str(area / "area"), "--metric", "MHS95", "--out", str(target)]
    status, _, _ = run(capsys, *args)
    assert status == 0
    first = target.read_text(encoding="utf-8")
    assert first.startswith("REPORTING_PERIOD_START,")
    status, _, _ = run(capsys, *args)  # an earlier report of its own is replaced
    assert status == 0
    assert target.read_text(encoding="utf-8") == first
    assert [p.name for p in tmp_path.iterdir()] == ["report.csv"]


def test_synth_refuses_a_folder_that_is_not_empty(capsys, tmp_path):
    folder = tmp_path / "x"
    folder.mkdir()
    (folder / "MHS001MPI.csv").write_text("mine\n", encoding="utf-8")
    status, _, err = run(capsys, "synth", str(folder))
    assert status == 1
    assert "is not empty" in err
    assert "--force" in err
    assert (folder / "MHS001MPI.csv").read_text(encoding="utf-8") == "mine\n"
    status, _, _ = run(capsys, "synth", str(folder), "--force", "--people", "20")
    assert status == 0
    assert (folder / "MHS001MPI.csv").read_text(encoding="utf-8") != "mine\n"
