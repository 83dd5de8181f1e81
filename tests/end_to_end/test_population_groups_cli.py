"""The population by group a command reads: the folder's file, the option, refusals, words."""

import csv
import io

import pytest

from cypmh.__main__ import main
from cypmh.need.group_population import GROUP_POPULATION_FILE
from tests.end_to_end.test_cli import run
from tests.end_to_end.test_deprivation_cli import _copy


@pytest.fixture(scope="module")
def extract(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synth") / "area"
    assert main(["synth", str(folder), "--seed", "5", "--people", "150"]) == 0
    return folder


def _rows(out):
    return list(csv.DictReader(io.StringIO(out)))


def test_the_folders_file_gives_the_standardised_rates(capsys, extract):
    assert (extract / GROUP_POPULATION_FILE).is_file()  # `cypmh synth` writes one
    status, out, _ = run(
        capsys,
        "report",
        str(extract),
        "--period",
        "2025-03",
        "--metric",
        "MHS95b",
        "--metric",
        "MHS95f",
        "--breakdown",
        "wnw_ethnicity",
    )
    assert status == 0
    rows = _rows(out)
    assert {r["MEASURE_ID"] for r in rows} == {"MHS95b", "MHS95f"}
    levels = {r["PRIMARY_LEVEL"] for r in rows if r["MEASURE_ID"] == "MHS95b"}
    assert levels == {"White British", "Non-white British"}
    assert "population_groups: the extract's own" in rows[0]["SETTINGS"]


def test_without_one_the_rates_are_not_available_and_say_why(capsys, extract, tmp_path):
    bare = _copy(extract, tmp_path / "bare", leave_out={GROUP_POPULATION_FILE})
    status, out, _ = run(capsys, "report", str(bare), "--period", "2025-03")
    assert status == 0
    rows = _rows(out)
    said = rows[0]["SETTINGS"]
    assert "population_groups: none: the standardised rates are not available" in said
    shown = {r["MEASURE_ID"]: r for r in rows if r["BREAKDOWN"] == "England"}
    for metric in ("MHS95b", "MHS95c", "MHS95f", "MHS95g", "ACC03"):
        assert shown[metric]["MEASURE_VALUE"] == "n/a"
        assert "no population_groups.csv" in shown[metric]["NOTE"]
    # Asked for by name, it is the same: not available, and why.
    status, out, _ = run(capsys, "report", str(bare), "--period", "2025-03", "--metric", "ACC03")
    assert status == 0
    (row,) = _rows(out)
    assert (row["MEASURE_ID"], row["MEASURE_VALUE"]) == ("ACC03", "n/a")


def test_a_bad_file_names_its_line_column_and_value(capsys, extract, tmp_path):
    bad = tmp_path / "groups.csv"
    bad.write_text("group,code,age,sex,population\nimd_decile,12,4,male,30\n")
    status, _, err = run(
        capsys,
        "report",
        str(extract),
        "--period",
        "2025-03",
        "--population-groups",
        str(bad),
    )
    assert status != 0
    assert "line 2, column code: '12': must be an IMD decile, 1 to 10" in err
    assert "Traceback" not in err
