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

import pytest

from cypmh.__main__ import main
from cypmh.metrics import CATALOGUE
from cypmh.metrics.inputs import NO_POPULATION, inputs_of
from cypmh.metrics.need import needs_population
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
            f.startswith(
                ("schools/", "ssda903/mh_", "ssda903/social", "ssda903/assessment_factors")
            )
            for f in inputs_of(metric_id)
        )
        if health:
            assert row["MEASURE_VALUE"] == "n/a", metric_id
            # CIN01a and CIN01b lack the assessment factors too, and say so after.
            assert HEALTH_REASON.removesuffix(" in the extract") in row["NOTE"], metric_id
        elif needs_population(CATALOGUE[metric_id]):  # no population.csv in the folder
            assert row["MEASURE_VALUE"] == "n/a", metric_id
            assert row["NOTE"] == f"Not available: {NO_POPULATION}.", metric_id
        elif not assistance:
            assert row["MEASURE_VALUE"] not in ("n/a", "", "*"), metric_id
    # The SDQ and LAC figures are numbers; the health ones are not 0.
    assert whole["SDQ02"]["MEASURE_VALUE"].replace(".", "").isdigit()
    assert whole["LAC01"]["MEASURE_VALUE"].isdigit()
    assert whole["MHS95"]["MEASURE_VALUE"] == "n/a"
    assert whole["LAC01d"]["NOTE"] == "Not available: no ssda903/mh_assessments.csv in the extract."
    assert (
        whole["CIN01"]["NOTE"] == "Not available: no ssda903/assessment_factors.csv in the extract."
    )
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


def _rename_column(path, old, new):
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].split(",")
    assert old in header
    lines[0] = ",".join(new if h == old else h for h in header)
    path.write_text("\n".join(lines), encoding="utf-8")


def _drop_column(path, name):
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    at = rows[0].index(name)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([r[:at] + r[at + 1 :] for r in rows])
    path.write_text(buffer.getvalue(), encoding="utf-8")


@pytest.mark.parametrize("engine", ["reference", "polars"])
def test_a_misspelt_column_makes_what_reads_it_not_available(tmp_path, capsys, engine):
    """The trial's case: ``ServDischargeDate`` for ``ServDischDate``.

    MHS133 (referrals still waiting at the end) and DIS01 (discharges) read the discharge
    date, so they are not available, with the suggestion; MHS95 (children reached: counted
    contacts) and DNA01 (attendance) do not read it, so they keep their values; --strict
    refuses the report, naming the column.
    """
    folder = tmp_path / "area"
    assert main(["synth", str(folder), "--seed", "4", "--people", "150"]) == 0
    capsys.readouterr()
    args = ["report", str(folder), "--period", "2025-03", "--format", "json"]
    args += ["--engine", engine, "--suppression", "none"]
    for metric_id in ("MHS133", "DIS01", "MHS95", "DNA01"):
        args += ["--metric", metric_id]
    status, before, _ = run(capsys, *args)
    assert status == 0
    _rename_column(folder / "MHS101Referral.csv", "ServDischDate", "ServDischargeDate")
    status, after, err = run(capsys, *args)
    assert status == 0
    was = {r["MEASURE_ID"]: r for r in json.loads(before) if r["BREAKDOWN"] == "England"}
    now = {r["MEASURE_ID"]: r for r in json.loads(after) if r["BREAKDOWN"] == "England"}
    reason = (
        "Not available: no ServDischDate column in MHS101Referral.csv (column 13 of the file "
        "may be it: rename it ServDischDate)."
    )
    for metric_id in ("MHS133", "DIS01"):
        assert was[metric_id]["MEASURE_VALUE"] != "n/a"
        assert (now[metric_id]["MEASURE_VALUE"], now[metric_id]["NOTE"]) == ("n/a", reason)
    for metric_id in ("MHS95", "DNA01"):
        assert now[metric_id]["MEASURE_VALUE"] == was[metric_id]["MEASURE_VALUE"]
    assert "column 13 is not in the contract but looks like ServDischDate misspelt" in err
    status, out, err = run(capsys, *args, "--strict")
    assert (status, out) == (1, "")
    assert "the extract lacks MHS101Referral.csv column ServDischDate" in err
    # Without the column at all: the same, with no suggestion.
    _drop_column(folder / "MHS101Referral.csv", "ServDischargeDate")
    status, after, _ = run(capsys, *args)
    now = {r["MEASURE_ID"]: r for r in json.loads(after) if r["BREAKDOWN"] == "England"}
    assert now["DIS01"]["NOTE"] == "Not available: no ServDischDate column in MHS101Referral.csv."


def test_a_missing_gender_column_marks_the_sex_breakdown_only(tmp_path, capsys):
    """Without the MPI's Gender, the sex levels are not available; the whole-area values
    and the other breakdowns stay (REF02, referrals received, does not score RCADS)."""
    folder = tmp_path / "area"
    assert main(["synth", str(folder), "--seed", "4", "--people", "150"]) == 0
    capsys.readouterr()
    args = ["report", str(folder), "--period", "2025-03", "--format", "json", "--metric", "REF02"]
    args += ["--breakdown", "sex", "--breakdown", "age_band", "--suppression", "none"]
    status, before, _ = run(capsys, *args)
    _drop_column(folder / "MHS001MPI.csv", "Gender")
    status, after, _ = run(capsys, *args)
    assert status == 0
    was = {(r["BREAKDOWN"], r["PRIMARY_LEVEL"]): r for r in json.loads(before)}
    now = {(r["BREAKDOWN"], r["PRIMARY_LEVEL"]): r for r in json.loads(after)}
    sex = [k for k in now if k[0] != "England" and now[k]["MEASURE_VALUE"] == "n/a"]
    assert sex
    assert all(now[k]["NOTE"] == "Not available: no Gender column in MHS001MPI.csv." for k in sex)
    for key, row in now.items():
        if row["MEASURE_VALUE"] != "n/a":
            assert row["MEASURE_VALUE"] == was[key]["MEASURE_VALUE"], key


@pytest.mark.parametrize("engine", ["reference", "polars"])
def test_rejected_episodes_say_how_many_children_they_may_take_out(tmp_path, capsys, engine):
    """Issue 31, section 4: rejected rows are counted against each metric they bear on.

    Five children with one care episode each have that episode's DECOM made unreadable, so
    the five rows are rejected. Worked by hand: the five children then have no episode at
    all, so none of them can be in a cohort of children looked after; SDQ02's note says 5
    rows, 5 children, 5 not among its members. MHS95 reads no SSDA903 file: no such note.
    """
    folder = tmp_path / "area"
    assert main(["synth", str(folder), "--seed", "5", "--people", "200"]) == 0
    capsys.readouterr()
    path = folder / "ssda903" / "episodes.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    child, start = rows[0].index("CHILD"), rows[0].index("DECOM")
    episodes: dict[str, int] = {}
    for row in rows[1:]:
        episodes[row[child]] = episodes.get(row[child], 0) + 1
    chosen = [c for c, n in episodes.items() if n == 1][:5]
    assert len(chosen) == 5
    for row in rows[1:]:
        if row[child] in chosen:
            row[start] = "not a date"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    args = ["report", str(folder), "--period", "2025-03", "--format", "json", "--engine", engine]
    status, out, _ = run(capsys, *args, "--metric", "SDQ02", "--metric", "MHS95")
    assert status == 0
    whole = {r["MEASURE_ID"]: r for r in json.loads(out) if r["BREAKDOWN"] == "England"}
    assert whole["SDQ02"]["NOTE"] == (
        "Rejected rows: 5 of ssda903/episodes.csv, of 5 children. 5 of those children are not "
        "among SDQ02's members: at most 5 are missing from it."
    )
    assert "Rejected" not in whole["MHS95"]["NOTE"]
    assert not any(c in out for c in chosen)  # counts only: no identifier is published


def test_why_and_members_agree_with_the_report_on_a_missing_column(tmp_path, capsys):
    """Where the report prints n/a, ``members`` refuses and ``why`` never says "counts"."""
    folder = tmp_path / "area"
    assert main(["synth", str(folder), "--seed", "4", "--people", "150"]) == 0
    capsys.readouterr()
    _rename_column(folder / "MHS101Referral.csv", "ServDischDate", "ServDischargeDate")
    _drop_column(folder / "MHS001MPI.csv", "Gender")
    base = [str(folder), "--period", "2025-03"]
    status, out, err = run(capsys, "members", *base, "--metric", "DIS01")
    assert (status, out) == (1, "")
    assert "DIS01 is not available: no ServDischDate column in MHS101Referral.csv" in err
    status, out, err = run(capsys, "members", *base, "--metric", "REF02", "--breakdown", "sex", "1")
    assert (status, out) == (1, "")
    assert "REF02's sex level 1 is not available: no Gender column in MHS001MPI.csv" in err
    referral = (folder / "MHS101Referral.csv").read_text(encoding="utf-8").split("\n")[1]
    status, out, _ = run(capsys, "why", *base, "--referral", referral.split(",")[0])
    assert status == 0
    lines = [line for line in out.split("\n") if "DIS01" in line or "MHS133" in line]
    assert lines
    assert all(": not available: no ServDischDate column" in line for line in lines)
