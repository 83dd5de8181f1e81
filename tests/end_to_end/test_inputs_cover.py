"""Inputs that say what they cover, end to end (issue 31, section 3).

- A folder with only ``ssda903/`` is a social-care extract: the SDQ and LAC figures are
  computed, and every health metric is *not available*, in every format, never 0 or ``*``.
- Without ``ssda903/mh_assessments.csv``, LAC01a-d are not available, and LAC01 (who was due,
  from the episodes alone) is unchanged.
"""

import csv
import io
import json
import shutil
from pathlib import Path

from cypmh.__main__ import main
from cypmh.metrics import CATALOGUE
from cypmh.metrics.inputs import inputs_of
from tests.end_to_end.test_cli import run

FAKE = Path(__file__).parent.parent / "data" / "csc903_fake"
HEALTH_REASON = (
    "no health files (MHS001MPI.csv, MHS101Referral.csv, MHS201CareContact.csv) in the extract"
)


def social_care_only(tmp_path):
    root = tmp_path / "council"
    (root / "ssda903").mkdir(parents=True)
    for name in ("header", "episodes", "oc2"):
        shutil.copy(FAKE / f"{name}.csv", root / "ssda903" / f"{name}.csv")
    return root


def test_a_social_care_extract_reports_sdq_and_lac_and_nothing_else(tmp_path, capsys):
    root = social_care_only(tmp_path)
    args = ["report", str(root), "--period", "2018-03", "--format", "json"]
    status, out, err = run(capsys, *args)
    assert status == 0, err
    whole = {r["MEASURE_ID"]: r for r in json.loads(out) if r["BREAKDOWN"] == "England"}
    for metric_id, row in whole.items():
        health = any(f.startswith("MHS") for f in inputs_of(metric_id))
        assistance = any(
            f.startswith(("schools/", "ssda903/mh_", "ssda903/social"))
            for f in inputs_of(metric_id)
        )
        if health:
            assert row["MEASURE_VALUE"] == "n/a", metric_id
            assert HEALTH_REASON in row["NOTE"], metric_id
        elif not assistance:
            assert row["MEASURE_VALUE"] not in ("n/a", "", "*"), metric_id
    # The SDQ and LAC figures are numbers; the health ones are not 0.
    assert whole["SDQ02"]["MEASURE_VALUE"].replace(".", "").isdigit()
    assert whole["LAC01"]["MEASURE_VALUE"].isdigit()
    assert whole["MHS95"]["MEASURE_VALUE"] == "n/a"
    assert whole["LAC01d"]["NOTE"] == "Not available: no ssda903/mh_assessments.csv in the extract."
    # A metric that is not available has no breakdown rows.
    assert not [
        r for r in json.loads(out) if r["MEASURE_ID"] == "MHS95" and r["BREAKDOWN"] != "England"
    ]
    # Every format says it: CSV, text and HTML.
    status, text, _ = run(capsys, "report", str(root), "--period", "2018-03", "--format", "text")
    assert "  MHS95         n/a  " in text
    assert f"(not available: {HEALTH_REASON})" in text
    status, page, _ = run(
        capsys, "report", str(root), "--period", "2018-03", "--format", "html", "--metric", "MHS95"
    )
    assert "Not available: no health files" in page
    status, table, _ = run(capsys, "report", str(root), "--period", "2018-03", "--metric", "MHS95")
    (row,) = list(csv.DictReader(io.StringIO(table)))
    assert (row["MEASURE_VALUE"], row["NOTE"]) == ("n/a", f"Not available: {HEALTH_REASON}.")
    # The trend says so too, and draws no chart.
    status, out, _ = run(
        capsys, "trend", str(root), "--to", "2018-03", "--metric", "MHS95", "--format", "json"
    )
    rows = json.loads(out)
    assert {r["MEASURE_VALUE"] for r in rows} == {"n/a"}
    assert rows[-1]["SPC_NOTE"] == f"not available: {HEALTH_REASON}"


def test_lac01d_is_not_available_without_the_assessments_file(tmp_path, capsys):
    folder = tmp_path / "area"
    assert main(["synth", str(folder), "--seed", "6", "--people", "150"]) == 0
    capsys.readouterr()
    args = [
        "report",
        str(folder),
        "--period",
        "2025-03",
        "--format",
        "json",
        "--suppression",
        "none",
    ]
    args += ["--metric", "LAC01", "--metric", "LAC01d"]
    status, before, _ = run(capsys, *args)
    (folder / "ssda903" / "mh_assessments.csv").unlink()
    status, after, _ = run(capsys, *args)
    assert status == 0
    was = {r["MEASURE_ID"]: r for r in json.loads(before) if r["BREAKDOWN"] == "England"}
    now = {r["MEASURE_ID"]: r for r in json.loads(after) if r["BREAKDOWN"] == "England"}
    assert now["LAC01"]["MEASURE_VALUE"] == was["LAC01"]["MEASURE_VALUE"]
    assert was["LAC01d"]["MEASURE_VALUE"] != "n/a"
    assert now["LAC01d"]["MEASURE_VALUE"] == "n/a"
    assert set(CATALOGUE["LAC01d"].breakdowns)  # it has breakdowns, and none is printed now
    assert [r for r in json.loads(after) if r["MEASURE_ID"] == "LAC01d"] == [now["LAC01d"]]


def test_members_of_a_metric_that_is_not_available_is_an_error(tmp_path, capsys):
    root = social_care_only(tmp_path)
    status, out, err = run(capsys, "members", str(root), "--period", "2018-03", "--metric", "MHS95")
    assert (status, out) == (1, "")
    assert f"Error: MHS95 is not available: {HEALTH_REASON}" in err
    status, out, _ = run(capsys, "members", str(root), "--period", "2018-03", "--metric", "SDQ02")
    assert status == 0
    assert out.count("\n") > 1
