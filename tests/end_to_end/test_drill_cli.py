"""``cypmh members`` and ``cypmh why`` as a user runs them: record-level, and saying so."""

import csv
import io
import json

import pytest

from cypmh.__main__ import main
from cypmh.metrics import compute
from cypmh.synth.area import demo_area
from tests.end_to_end.test_cli import run

WARNING = "Record-level output"


@pytest.fixture(scope="module")
def extract(tmp_path_factory):
    folder = tmp_path_factory.mktemp("drill") / "area"
    assert main(["synth", str(folder), "--seed", "3", "--people", "120"]) == 0
    return folder


def test_members_rows_are_the_metrics_count_and_the_command_warns(capsys):
    status, out, err = run(capsys, "members", "--demo", "--metric", "MHS133")
    assert status == 0
    assert WARNING in err
    rows = list(csv.DictReader(io.StringIO(out)))
    # The unsuppressed count MHS133 computes for the same month is the number of rows.
    (total,) = compute(demo_area(), "2025-03", metrics=["MHS133"], disclosure="none")
    assert len(rows) == total.value
    assert {r["metric_id"] for r in rows} == {"MHS133"}
    assert {r["record_kind"] for r in rows} == {"referral"}
    assert f"{len(rows)} members of MHS133 for 2025-03." in err


def test_members_of_a_level_on_an_extract_with_a_frame_engine(capsys, extract):
    args = ["members", str(extract), "--metric", "REJ02", "--period", "2025-03"]
    status, out, _ = run(capsys, *args, "--format", "json", "--breakdown", "sex", "Female")
    assert status == 0
    females = json.loads(out)
    assert females
    assert {r["level_sex"] for r in females} == {"2"}
    status, out, _ = run(capsys, *args, "--format", "json", "--engine", "polars")
    assert status == 0
    every = json.loads(out)
    assert {r["record"] for r in females} <= {r["record"] for r in every}


def test_why_explains_a_clock_that_never_stopped(capsys):
    status, out, err = run(capsys, "why", "--demo", "--referral", "SYNR000005")
    assert status == 0
    assert WARNING in err
    assert "four_week_waits:" in out
    assert "here no clock stop is recorded by 2025-03-31 (first outcome measure missing)" in out
    assert "MRS09 (four_week_waits, still_waiting): counts" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["why", "--demo", "--referral", "NOPE"], "'NOPE': is not in the extract"),
        (["members", "--demo", "--metric", "XYZ"], "'XYZ': is not in the catalogue"),
        (["members", "--demo", "--metric", "NEED01"], "has no members"),
        (["members", "--demo", "--metric", "MHS133", "--breakdown", "colour", "red"], "colour"),
    ],
)
def test_bad_requests_are_one_line_errors(capsys, args, message):
    status, _, err = run(capsys, *args)
    assert status == 1
    assert message in err
    assert "Traceback" not in err
