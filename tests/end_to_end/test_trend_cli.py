"""The ``cypmh trend`` and ``cypmh spc`` commands: layouts, the planted change, errors."""

import csv
import io
import json

from cypmh.__main__ import main
from cypmh.metrics import compute
from cypmh.metrics.series import months_between
from cypmh.report.kpi import COLUMNS, CONTEXT_COLUMNS
from cypmh.report.trend import SPC_COLUMNS
from cypmh.synth.area import DEMO_CHANGE, demo_area


def run(capsys, *args):
    status = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return status, out, err


def spc(capsys, source, *args):
    """``cypmh spc`` on ``source``'s month and count columns."""
    return run(
        capsys, "spc", str(source), "--date-column", "month", "--value-column", "count", *args
    )


def test_demo_trend_csv_is_the_long_layout_with_spc_columns(capsys):
    status, out, _ = run(capsys, "trend", "--demo", "--metric", "MHS131", "--metric", "ED86e")
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert tuple(rows[0]) == (*COLUMNS, *SPC_COLUMNS, *CONTEXT_COLUMNS)
    waits = [r for r in rows if r["MEASURE_ID"] == "MHS131"]
    months = months_between("2023-04", "2025-03")
    assert [r["REPORTING_PERIOD_END"] for r in waits] == [str(m.last_day) for m in months]
    # Each month's value is that month computed alone (the published value).
    for month, row in zip(months, waits, strict=True):
        (alone,) = compute(demo_area(), month, metrics=["MHS131"])
        assert row["MEASURE_VALUE"] == alone.shown
    # The planted change: waits to a first contact halve for referrals received from
    # July 2024, so the median wait ends the range as special cause, and lower is better.
    assert DEMO_CHANGE.isoformat() == "2024-07-01"
    assert waits[-1]["SPC_VARIATION"] == "improvement_low"
    assert waits[-1]["SPC_POINT_TYPE"] == "special_cause_improvement"
    assert all(r["SPC_VARIATION"] == "" for r in waits[:-1])
    assert {r["IMPROVEMENT_DIRECTION"] for r in waits} == {"decrease"}
    # ED86e's small monthly numbers are suppressed in the demo area: no SPC, and why.
    urgent = [r for r in rows if r["MEASURE_ID"] == "ED86e"]
    assert {r["TARGET"] for r in urgent} == {"95.0"}
    assert all(r["SPC_MEAN"] == "" and "suppressed" in r["SPC_NOTE"] for r in urgent)


def test_trend_json_and_overrides(capsys):
    status, out, _ = run(
        capsys,
        "trend",
        "--demo",
        "--from",
        "2024-04",
        "--to",
        "2025-03",
        "--metric",
        "REJ01a",
        "--improvement",
        "REJ01a=decrease",
        "--target",
        "REJ01a=1000",
        "--format",
        "json",
    )
    assert status == 0
    records = json.loads(out)
    assert len(records) == 12
    last = records[-1]
    assert last["IMPROVEMENT_DIRECTION"] == "decrease"
    assert last["TARGET"] == 1000.0
    # A target far above every limit, where lower is better, is a consistent pass.
    assert last["SPC_ASSURANCE"] == "consistent_pass"


def test_trend_html_has_a_chart_per_metric_and_says_why_not(capsys, tmp_path):
    page = tmp_path / "trend.html"
    status, _, _ = run(
        capsys,
        "trend",
        "--demo",
        "--metric",
        "MHS131",
        "--metric",
        "ED86e",
        "--rebase",
        "2024-07",
        "--format",
        "html",
        "--out",
        str(page),
    )
    assert status == 0
    text = page.read_text(encoding="utf-8")
    assert text.count("<svg") >= 2  # a chart, and the icons
    assert "MHS131: Median days waited to first contact (lower is better)" in text
    assert "No SPC chart" in text
    assert "suppressed by disclosure control" in text
    assert "rebase" in text


def test_trend_text(capsys):
    status, out, _ = run(capsys, "trend", "--demo", "--metric", "MHS131", "--format", "text")
    assert status == 0
    assert "MHS131" in out
    assert "Special cause: improvement (low)" in out


def test_trend_errors(capsys, tmp_path):
    status, _, err = run(capsys, "trend", "--demo", "--from", "2025-03", "--to", "2025-01")
    assert status == 2
    assert "before" in err
    status, _, err = run(capsys, "trend", str(tmp_path))
    assert status == 1
    assert "required file missing" in err
    status, _, err = run(capsys, "trend", "--demo", "--target", "REJ01a=5")
    assert status == 1
    assert "neutral" in err
    status, _, err = run(capsys, "trend", "--demo", "--target", "ED86e=many")
    assert status == 2
    assert "number" in err
    status, _, err = run(capsys, "trend", "--demo", "--metric", "NOPE")
    assert status == 2


def test_spc_on_an_analysts_own_series(capsys, tmp_path):
    # Twelve months alternating 10 and 12 (mean 11, limits 5.68 and 16.32), then 20: the
    # last month is above the upper limit, and higher is better by default.
    source = tmp_path / "series.csv"
    months = [f"2024-{m:02d}" for m in range(1, 13)] + ["2025-01"]
    values = [10, 12] * 6 + [20]
    source.write_text(
        "month,count\n" + "".join(f"{m},{v}\n" for m, v in zip(months, values, strict=True)),
        encoding="utf-8",
    )
    status, out, err = spc(capsys, source, "--fix-after", "12")
    assert status == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 13
    assert rows[-1]["rule"] == "Above UCL"
    assert rows[-1]["variation"] == "improvement_high"
    assert float(rows[0]["upper_limit"]) == 16.32
    status, out, _ = spc(capsys, source, "--format", "json")
    assert json.loads(out)["variation"] == "improvement_high"


def test_spc_errors_name_the_file_line_and_column(capsys, tmp_path):
    source = tmp_path / "series.csv"
    source.write_text("month,count\n2024-01,3\n2024-02,lots\n", encoding="utf-8")
    status, _, err = spc(capsys, source)
    assert status == 1
    assert "line 3" in err
    assert "count" in err
    assert "'lots'" in err
    status, _, err = run(
        capsys, "spc", str(source), "--date-column", "day", "--value-column", "count"
    )
    assert status == 1
    assert "no column 'day'" in err
    source.write_text("month,count\n2024-01,3\n2024-01,4\n", encoding="utf-8")
    status, _, err = spc(capsys, source)
    assert status == 1
    assert "twice" in err
    status, _, err = spc(capsys, source, "--fix-after", "5")
    assert status == 1
    assert "at least 12" in err
