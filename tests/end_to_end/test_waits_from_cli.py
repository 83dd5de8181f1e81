"""``waits_from``: every command counts waits from direct contacts only when asked, and then
reports the four-week measures under cypmh's own ids (WAIT08-WAIT09f).

The extract is the spec test's three spells (``tests/spec/metrics/test_four_week.py``),
whose values are worked by hand there: MRS08 = 2 and MRS09 = 1 as NHS England counts
them, WAIT08 = 1 and WAIT09 = 2 from direct contacts only.
"""

import csv
import io
import json

import pytest

from cypmh.io.extract import write_extract
from tests.end_to_end.test_cli import run
from tests.spec.metrics.test_four_week import _direct_area

PERIOD = ("--period", "2025-03", "--suppression", "none")


@pytest.fixture(scope="module")
def extract(tmp_path_factory):
    return write_extract(_direct_area(), tmp_path_factory.mktemp("direct") / "area")


def _england(out):
    rows = csv.DictReader(io.StringIO(out))
    return {r["MEASURE_ID"]: r for r in rows if r["BREAKDOWN"] == "England"}


def test_the_option_gives_the_twins_under_their_own_ids(capsys, extract):
    ids = ("--metric", "MRS08", "--metric", "MRS09")
    status, out, _ = run(capsys, "report", str(extract), *PERIOD, *ids)
    assert status == 0
    national = _england(out)
    assert {m: r["MEASURE_VALUE"] for m, r in national.items()} == {"MRS08": "2", "MRS09": "1"}
    assert "waits_from: nhs_england (default)" in national["MRS08"]["SETTINGS"]
    status, out, _ = run(
        capsys, "report", str(extract), *PERIOD, *ids, "--waits-from", "direct_contacts"
    )
    assert status == 0
    direct = _england(out)
    assert {m: r["MEASURE_VALUE"] for m, r in direct.items()} == {"WAIT08": "1", "WAIT09": "2"}
    assert "waits_from: direct_contacts (command line)" in direct["WAIT08"]["SETTINGS"]


def test_the_folders_config_sets_it_for_members_and_why(capsys, extract, tmp_path):
    folder = tmp_path / "area"
    folder.mkdir()
    for path in extract.iterdir():
        if path.is_file():
            (folder / path.name).write_bytes(path.read_bytes())
    (folder / "cypmh.toml").write_text('[run]\nwaits_from = "direct_contacts"\n', "utf-8")
    status, out, _ = run(capsys, "report", str(folder), *PERIOD, "--metric", "MRS09")
    assert status == 0
    (row,) = _england(out).values()
    assert (row["MEASURE_ID"], row["MEASURE_VALUE"]) == ("WAIT09", "2")
    assert "waits_from: direct_contacts (cypmh.toml)" in row["SETTINGS"]
    # members lists WAIT09's two spells (G and H), as many as the report counts.
    status, listed, _ = run(
        capsys,
        "members",
        str(folder),
        "--period",
        "2025-03",
        "--metric",
        "MRS09",
        "--format",
        "json",
    )
    assert status == 0
    assert sorted(m["record"].split("/")[0] for m in json.loads(listed)) == ["P2", "P3"]
    # why names WAIT08 for G (no intervention on a contact), and never MRS08.
    status, said, _ = run(
        capsys, "why", str(folder), "--period", "2025-03", "--referral", "G", "--format", "json"
    )
    assert status == 0
    findings = json.loads(said)
    named = {m for f in findings for m in f["metric_ids"]}
    assert "WAIT08" in named
    assert "MRS08" not in named
    (stops,) = [f for f in findings if "WAIT08" in f["metric_ids"]]
    assert not stops["counts"]


@pytest.mark.parametrize(
    ("option", "shown", "left_out"),
    [((), "MRS", "WAIT0"), (("--waits-from", "direct_contacts"), "WAIT0", "MRS")],
)
def test_the_whole_catalogue_has_one_of_the_twins(capsys, extract, option, shown, left_out):
    """Without --metric, a run reports MRS08-MRS09f or, with the option, WAIT08-WAIT09f:
    never both (WAIT01-WAIT01b, waits of their own, are in both)."""
    status, out, _ = run(capsys, "report", str(extract), *PERIOD, *option)
    assert status == 0
    ids = {r["MEASURE_ID"] for r in csv.DictReader(io.StringIO(out))}
    ids -= {"WAIT01", "WAIT01a", "WAIT01b"}
    assert len([m for m in ids if m.startswith(shown)]) == 10
    assert not [m for m in ids if m.startswith(left_out)]


def test_trend_reads_an_override_by_the_id_the_run_reports(capsys, extract):
    """trend's --target and --improvement name a metric as --metric does: with the option,
    a target for MRS08b is WAIT08b's, as MRS08b itself is reported as WAIT08b."""
    status, out, _ = run(
        capsys,
        "trend",
        str(extract),
        "--from",
        "2025-01",
        "--to",
        "2025-03",
        "--metric",
        "MRS08b",
        "--target",
        "MRS08b=80",
        "--waits-from",
        "direct_contacts",
        "--suppression",
        "none",
    )
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["MEASURE_ID"] for r in rows} == {"WAIT08b"}
    assert {r["TARGET"] for r in rows} == {"80.0"}
