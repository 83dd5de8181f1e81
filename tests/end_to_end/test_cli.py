"""The cypmh command: synth, report (every format), validate, metrics; exit codes and messages."""

import csv
import io
import json

import pytest

from cypmh.__main__ import main
from cypmh.metrics import CATALOGUE
from cypmh.metrics.families.four_week_metrics import OWN_IDS
from cypmh.report.kpi import COLUMNS, CONTEXT_COLUMNS


def run(capsys, *args):
    status = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return status, out, err


@pytest.fixture(scope="module")
def extract(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synth") / "area"
    assert main(["synth", str(folder), "--seed", "3", "--people", "120"]) == 0
    return folder


def test_report_csv_is_the_publications_long_format(capsys, extract):
    status, out, _ = run(
        capsys, "report", str(extract), "--period", "2025-03", "--area-name", "Testshire"
    )
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert tuple(rows[0]) == (*COLUMNS, *CONTEXT_COLUMNS)
    whole = [r for r in rows if r["BREAKDOWN"] == "England"]
    # REJ02r has social-care rows only; WAIT08-WAIT09f are MRS08-MRS09f's twins, reported in
    # their place only with waits_from = "direct_contacts"; MHS95b and MHS95c are published by
    # ethnicity and deprivation only, as NHS England publishes them.
    breakdowns_only = {"REJ02r", "MHS95b", "MHS95c"}
    assert {r["MEASURE_ID"] for r in whole} == set(CATALOGUE) - {
        *breakdowns_only,
        *OWN_IDS.values(),
    }
    assert {r["MEASURE_ID"] for r in rows} >= {"MHS95b", "MHS95c"}  # by IMD quintile
    mhs95 = next(r for r in whole if r["MEASURE_ID"] == "MHS95")
    assert (
        mhs95["PRIMARY_LEVEL"],
        mhs95["PRIMARY_LEVEL_DESCRIPTION"],
        mhs95["SECONDARY_LEVEL"],
    ) == ("England", "Testshire", "NONE")
    # MHS95's window is 12 months: April 2024 to March 2025.
    assert (mhs95["REPORTING_PERIOD_START"], mhs95["REPORTING_PERIOD_END"], mhs95["STATUS"]) == (
        "2024-04-01",
        "2025-03-31",
        "Final",
    )
    for r in rows:
        value = r["MEASURE_VALUE"]
        change = CATALOGUE[r["MEASURE_ID"]].aggregate.value == "change"  # REF02 may fall
        assert value in ("", "*") or change or float(value) >= 0
        if value not in ("", "*") and CATALOGUE[r["MEASURE_ID"]].unit.value == "count":
            assert int(value) % 5 == 0  # MHSDS rounding to the nearest 5


def test_report_json_has_numerators_denominators_and_intervals(capsys, extract):
    status, out, _ = run(
        capsys,
        "report",
        str(extract),
        "--period",
        "2025-03",
        "--format",
        "json",
        "--suppression",
        "none",
        "--metric",
        "REJ01b",
    )
    assert status == 0
    records = json.loads(out)
    whole = next(r for r in records if r["BREAKDOWN"] == "England")
    assert set(whole) >= {*COLUMNS, "NUMERATOR", "DENOMINATOR", "LOWER_CI", "UPPER_CI"}
    numerator, denominator = int(whole["NUMERATOR"]), int(whole["DENOMINATOR"])
    assert float(whole["MEASURE_VALUE"]) == pytest.approx(100 * numerator / denominator, abs=1e-6)
    assert whole["LOWER_CI"] <= float(whole["MEASURE_VALUE"]) <= whole["UPPER_CI"]


def test_report_html_is_self_contained(capsys, extract, tmp_path):
    page = tmp_path / "report.html"
    status, _, err = run(
        capsys,
        "report",
        str(extract),
        "--period",
        "2025-03",
        "--format",
        "html",
        "--out",
        str(page),
        "--metric",
        "MHS95",
        "--metric",
        "LINK01",
    )
    assert status == 0
    assert f"Wrote {page}" in err
    text = page.read_text()
    assert text.startswith("<!DOCTYPE html>")
    assert "data:image/svg+xml;base64," in text  # charts are inline
    assert "Data quality" in text
    assert "Definition and source" in text
    assert "Charts need matplotlib" not in text  # matplotlib is installed with the dev extra
    assert "http" not in text.replace("http://www.w3.org", "")  # nothing fetched from elsewhere


def test_demo_report(capsys):
    status, out, _ = run(capsys, "report", "--demo", "--format", "text")
    assert status == 0
    assert "KPIs for 2025-03" in out
    assert "MHS95" in out


def test_validate_finds_every_planted_fault(capsys, extract, tmp_path):
    broken = tmp_path / "broken"
    import shutil

    shutil.copytree(extract, broken)
    path = broken / "MHS201CareContact.csv"
    lines = path.read_text().splitlines()
    lines[1] = lines[1].replace(",5,", ",8,", 1) if ",5," in lines[1] else lines[1]
    lines.append("X1,NO-SUCH-REFERRAL,SYN00000,2025-01-01,5,01")
    lines.append("X2,NO-SUCH-REFERRAL,SYN00000,2025-02-30,5,01")
    path.write_text("\n".join(lines) + "\n")
    status, out, _ = run(capsys, "validate", str(broken), "--format", "json")
    assert status == 1
    report = json.loads(out)
    for counts in report["files"].values():
        assert counts["read"] == counts["used"] + counts["rejected"]
    planted = {
        (p["line"], p["column"], p["reason"])
        for p in report["problems"]
        if p["file"] == "MHS201CareContact.csv"
    }
    n = len(lines)
    assert (
        n - 1,
        "UniqServReqID",
        "no such referral in MHS101Referral.csv (or it was rejected)",
    ) in planted
    assert (n, "CareContDate", "not a date") in planted
    if ",8," in lines[1]:
        assert (2, "AttendStatus", "not a AttendStatus code") in planted
    status, out, _ = run(capsys, "validate", str(extract))
    assert status == 0
    assert "No rows rejected." in out


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["report"], 2, "give one of an extract FOLDER, --db URL or --demo"),
        (["report", "--demo", "--period", "March"], 2, "is not a month written YYYY-MM"),
        (["report", "no-such-folder", "--period", "2025-03"], 1, "not a folder"),
        (["report", "--demo", "--metric", "MHS999"], 2, "'MHS999' is not a metric"),
        (["validate", "no-such-folder"], 1, "not a folder"),
        (["metrics", "NOPE"], 2, "not metrics: NOPE"),
        (["report", "--demo", "--format", "pdf"], 2, "Invalid value for '--format'"),
    ],
)
def test_user_mistakes_get_messages_not_tracebacks(capsys, args, status, message):
    got, out, err = run(capsys, *args)
    assert got == status
    assert message in out + err


def test_a_missing_required_file_is_a_data_error(capsys, tmp_path):
    (tmp_path / "MHS001MPI.csv").write_text("Person_ID,PersonBirthDate\n")
    status, _, err = run(capsys, "report", str(tmp_path), "--period", "2025-03")
    assert status == 1
    assert "required file missing: MHS101Referral.csv" in err


def test_metrics_lists_the_catalogue(capsys):
    status, out, _ = run(capsys, "metrics")
    assert status == 0
    assert len(out.strip().splitlines()) == len(CATALOGUE)
    status, out, _ = run(capsys, "metrics", "MHS95")
    assert "source: NHSDigital/mental-health-monthly-statistics" in out


def test_configuration_files(capsys, extract, tmp_path):
    # A cohort file that also treats RXT as a digital provider, and a bad intervention file.
    from importlib import resources

    text = resources.files("cypmh.pathways").joinpath("data", "four_week_cohort.toml").read_text()
    cohort = tmp_path / "cohort.toml"
    cohort.write_text(
        text.replace('providers = ["DFC", "S9X2N"]', 'providers = ["DFC", "S9X2N", "RXT"]')
    )
    args = [
        "report",
        str(extract),
        "--period",
        "2025-03",
        "--format",
        "json",
        "--suppression",
        "none",
    ]
    args += ["--metric", "MRS09", "--breakdown", "provider"]
    status, out, _ = run(capsys, *args, "--cohort", str(cohort))
    assert status == 0
    narrowed = {r["PRIMARY_LEVEL"]: float(r["MEASURE_VALUE"]) for r in json.loads(out)}
    status, out, _ = run(capsys, *args)
    everything = {r["PRIMARY_LEVEL"]: float(r["MEASURE_VALUE"]) for r in json.loads(out)}
    # RXT's spells leave the cohort; the other provider's are untouched.
    assert everything["RXT"] > 0
    assert "RXT" not in narrowed
    assert narrowed["England"] == everything["England"] - everything["RXT"]
    assert narrowed["R1A"] == everything["R1A"]
    codes = tmp_path / "codes.txt"
    codes.write_text("51484002\nnot-a-code\n")
    status, _, err = run(capsys, *args, "--intervention-codes", str(codes))
    assert status == 1
    assert "codes.txt, line 2.code = 'not-a-code'" in err


def test_charts_plot_only_published_values():
    from cypmh.metrics import ResultRow, Unit, apply_disclosure
    from cypmh.report.kpi import chart_bars

    rows = apply_disclosure(
        [
            ResultRow(
                metric_id="MHS95", breakdown="Total", level="Total", unit=Unit.COUNT, value=177
            ),
            ResultRow(
                metric_id="MHS95",
                breakdown="social_care",
                level="child_in_need",
                unit=Unit.COUNT,
                value=6,
            ),
            ResultRow(
                metric_id="MHS95",
                breakdown="social_care",
                level="looked_after",
                unit=Unit.COUNT,
                value=3,
            ),
        ],
        "mhsds",
    )
    # 177 is published as 175, 6 as 5, and 3 is suppressed: the chart shows what the table shows.
    assert chart_bars(rows) == [("All", 175.0), ("Social care status: Child in need", 5.0)]


REPORT_IDS = ["MHS95", "MHS130", "MRS08", "ED86e", "REJ01", "DNA01", "LINK01", "THR01"]


def same_csv_as_reference(tmp_path, capsys, engine):
    args = ["report", "--demo", "--format", "csv"]
    args += [x for m in REPORT_IDS for x in ("--metric", m)]
    reference = tmp_path / "reference.csv"
    assert run(capsys, *args, "--engine", "reference", "--out", str(reference))[0] == 0
    out = tmp_path / f"{engine}.csv"
    assert run(capsys, *args, "--engine", engine, "--out", str(out))[0] == 0
    assert same_but_the_engine(out, reference, engine)


def same_but_the_engine(out, reference, engine):
    """The two reports are the same byte for byte, but for the engine each SETTINGS cell names."""
    mine, theirs = out.read_text(), reference.read_text()
    assert f"engine: {engine} (command line)" in mine
    assert "engine: reference (command line)" in theirs
    return mine.replace(f"engine: {engine} (", "engine: reference (") == theirs


# All three are in the dev extra that `make test` installs.
@pytest.mark.parametrize("engine", ["polars", "duckdb", "pandas"])
def test_report_engines_give_the_same_csv(tmp_path, capsys, engine):
    """`--engine polars|duckdb|pandas` print the reference engine's report, byte for byte."""
    same_csv_as_reference(tmp_path, capsys, engine)


@pytest.mark.spark
def test_report_spark_engine_gives_the_same_csv(tmp_path, capsys):
    """`--engine spark` (PySpark in local mode) prints the reference engine's report."""
    same_csv_as_reference(tmp_path, capsys, "spark")
    same_csv_from_a_broken_folder(tmp_path, capsys, "spark")


def same_csv_from_a_broken_folder(tmp_path, capsys, engine):
    """The report of a folder with bad rows: the frame reader drops and counts the same rows."""
    from cypmh.io.extract import write_extract
    from cypmh.synth.area import DEMO_PERIOD, demo_area

    folder = write_extract(demo_area(), tmp_path / "demo")
    referrals = folder / "MHS101Referral.csv"
    with referrals.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index
    # Three bad rows: an impossible date, an unknown team type and a repeated referral id.
    rows[1][column("ReferralRequestReceivedDate")] = "2024-02-30"
    rows[2][column("ServTeamType")] = "Z99"
    rows.append(rows[5])
    with referrals.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    args = ["report", str(folder), "--period", DEMO_PERIOD, "--format", "csv"]
    args += [x for m in REPORT_IDS for x in ("--metric", m)]
    reference = tmp_path / "reference.csv"
    status, _, err_reference = run(capsys, *args, "--engine", "reference", "--out", str(reference))
    assert status == 0
    assert "rows rejected" in err_reference
    out = tmp_path / f"{engine}.csv"
    status, _, err = run(capsys, *args, "--engine", engine, "--out", str(out))
    assert status == 0
    assert err.replace(str(out), "") == err_reference.replace(str(reference), "")
    assert same_but_the_engine(out, reference, engine)


@pytest.mark.parametrize("engine", ["polars", "duckdb", "pandas"])
def test_report_engines_read_a_broken_folder_as_the_reference_reader_does(tmp_path, capsys, engine):
    same_csv_from_a_broken_folder(tmp_path, capsys, engine)


def test_report_engine_refuses_unsupported_metrics_by_name(capsys, monkeypatch):
    """An explicit frame engine never falls back: it names the metrics it cannot compute.

    Every metric runs on frames today, so one is taken out of the supported set.
    """
    import cypmh.metrics.frames.engine as engine

    monkeypatch.setattr(engine, "SUPPORTED", engine.SUPPORTED - {"MHS95"})
    status, _, err = run(capsys, "report", "--demo", "--engine", "polars", "--metric", "MHS95")
    assert status != 0
    assert "MHS95" in err
    # auto computes it with the reference engine instead.
    status, out, _ = run(capsys, "report", "--demo", "--engine", "auto", "--metric", "MHS95")
    assert status == 0
    assert "MHS95" in out


def test_html_reruns_are_byte_identical(capsys, tmp_path):
    # Charts carry no timestamp and no random ids: two runs write the same bytes.
    pages = []
    for name in ("a.html", "b.html"):
        page = tmp_path / name
        args = ["report", "--demo", "--format", "html", "--metric", "MHS95", "--metric", "REJ02"]
        status, _, _ = run(capsys, *args, "--out", str(page))
        assert status == 0
        pages.append(page.read_bytes())
    assert b"<svg" in base64_svgs(pages[0])
    assert pages[0] == pages[1]


def base64_svgs(page):
    import base64
    import re

    return b"".join(base64.b64decode(m) for m in re.findall(rb"base64,([A-Za-z0-9+/=]+)", page))
