"""``cypmh need`` and the need-and-reach panel in the reports, as a user runs them."""

import csv
import io
import json

import pytest

from cypmh.__main__ import main
from cypmh.metrics.inputs import NO_POPULATION
from cypmh.synth.area import demo_population
from tests.end_to_end.test_cli import run


@pytest.fixture(scope="module")
def extract(tmp_path_factory):
    folder = tmp_path_factory.mktemp("need") / "area"
    assert main(["synth", str(folder), "--seed", "5", "--people", "150"]) == 0
    return folder


def test_need_on_the_demo_names_its_scheme_and_population(capsys):
    status, out, _ = run(capsys, "need", "--demo")
    assert status == 0
    assert "Scheme: ons_2004 (diagnosed disorder" in out
    assert "ages 0 to 4 take the 5 to 10 rate (7.7%)" in out
    assert "The population is synthetic" in out
    # The demo population's children aged 0-17, as the panel states them.
    assert f"{demo_population().total()} aged 0-17" in out


def test_need_json_carries_every_figure_and_the_scheme(capsys):
    status, out, _ = run(capsys, "need", "--demo", "--format", "json", "--scheme", "mhcyp_2023")
    assert status == 0
    data = json.loads(out)
    assert data["scheme"].startswith("mhcyp_2023 (probable disorder")
    assert data["fill"].endswith("ages 0 to 7 take the 8 to 10 rate (15.7%).")
    assert [b["band"] for b in data["bands"]] == ["0 to 5", "6 to 10", "11 to 14", "15", "16", "17"]
    assert data["base_period"] == "2023-04 to 2024-03"
    assert data["need_ratio"] == "4"


def test_a_scheme_changes_the_need_not_the_reach(capsys):
    _, diagnosed, _ = run(capsys, "need", "--demo", "--format", "json")
    _, probable, _ = run(capsys, "need", "--demo", "--format", "json", "--scheme", "mhcyp_2023")
    one, other = json.loads(diagnosed), json.loads(probable)
    assert one["reached"] == other["reached"]
    assert float(other["need"]) > float(one["need"])
    assert float(other["share"]) < float(one["share"])


def test_the_extracts_population_csv_is_read(capsys, extract):
    status, out, _ = run(capsys, "need", str(extract), "--period", "2025-03")
    assert status == 0
    assert "Population: population.csv" in out


def test_population_option_overrides_the_extract(capsys, extract, tmp_path):
    # 100 children of each age 0-17, persons only: 1,800 children, no sex split.
    own = tmp_path / "own.csv"
    own.write_text("age,sex,population\n" + "".join(f"{a},all,100\n" for a in range(18)))
    status, out, _ = run(
        capsys, "need", str(extract), "--period", "2025-03", "--population", str(own)
    )
    assert status == 0
    assert "own.csv: 1800 aged 0-17" in out


def test_a_bad_population_file_is_a_message_naming_line_and_column(capsys, extract, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("age,sex,population\n0,male,10\n1,male,ten\n")
    status, _, err = run(
        capsys, "need", str(extract), "--period", "2025-03", "--population", str(bad)
    )
    assert status == 1
    assert f"{bad}, line 3, column population: 'ten':" in err


def test_an_area_code_not_in_the_file_lists_those_it_has(capsys, extract, tmp_path):
    file = tmp_path / "coded.csv"
    file.write_text("area_code,age,sex,population\nE1,0,male,5\nE2,0,male,6\n")
    status, _, err = run(
        capsys,
        "need",
        str(extract),
        "--period",
        "2025-03",
        "--population",
        str(file),
        "--area-code",
        "E9",
    )
    assert status == 1
    assert "area_code E9 not in the file; it has E1, E2" in err


def test_no_population_is_a_usage_error(capsys, extract, tmp_path):
    folder = tmp_path / "bare"
    assert main(["synth", str(folder), "--people", "30"]) == 0
    (folder / "population.csv").unlink()
    status, _, err = run(capsys, "need", str(folder), "--period", "2025-03")
    assert status == 2
    assert "no population" in err


def test_an_unknown_scheme_is_a_usage_error(capsys):
    status, _, err = run(capsys, "need", "--demo", "--scheme", "mhcyp_1999")
    assert status == 2
    assert "is not a scheme" in err


def test_a_scheme_file_of_ones_own(capsys, tmp_path):
    file = tmp_path / "local.csv"
    file.write_text("scheme,measure,age_from,age_to,sex,rate_percent\nlocal,m,0,17,all,10\n")
    status, out, _ = run(capsys, "need", "--demo", "--scheme", str(file))
    assert status == 0
    assert "Scheme: local (m, from local.csv). The survey covers every age from 0 to 17." in out


def test_the_html_report_and_the_trend_page_open_with_the_panel(capsys, extract, tmp_path):
    page = tmp_path / "report.html"
    status, _, _ = run(
        capsys,
        "report",
        str(extract),
        "--period",
        "2025-03",
        "--format",
        "html",
        "--out",
        str(page),
    )
    assert status == 0
    text = page.read_text(encoding="utf-8")
    assert text.index("Need and reach") < text.index("Headlines")
    assert "<svg class='need-chart'" in text
    trend = tmp_path / "trend.html"
    status, _, _ = run(
        capsys,
        "trend",
        str(extract),
        "--from",
        "2025-01",
        "--to",
        "2025-03",
        "--format",
        "html",
        "--out",
        str(trend),
    )
    assert status == 0
    text = trend.read_text(encoding="utf-8")
    assert text.index("Need and reach") < text.index("Summary")


def test_without_a_population_the_need_metrics_are_not_available(capsys, tmp_path):
    """Issue 31, section 3: the metrics that read a population are n/a without one, with the
    reason, whether the whole catalogue or only they are asked for; no panel is drawn."""
    folder = tmp_path / "bare"
    assert main(["synth", str(folder), "--people", "30"]) == 0
    (folder / "population.csv").unlink()
    status, out, _ = run(capsys, "report", str(folder), "--period", "2025-03", "--format", "text")
    assert status == 0
    assert "Need and reach" not in out
    assert "  NEED01        n/a  " in out
    assert f"(not available: {NO_POPULATION})" in out
    assert "REF01 " in out
    status, out, _ = run(capsys, "report", str(folder), "--period", "2025-03", "--metric", "NEED01")
    assert status == 0
    (row,) = list(csv.DictReader(io.StringIO(out)))
    assert (row["MEASURE_VALUE"], row["NOTE"]) == ("n/a", f"Not available: {NO_POPULATION}.")


def test_every_population_row_of_the_csv_names_its_scheme_and_population(capsys):
    status, out, _ = run(capsys, "report", "--demo", "--scheme", "mhcyp_2017")
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    named = {"NEED01", "ACC01", "MHS95a", "REF01a", "ACC02r"}
    for row in rows:
        if row["MEASURE_ID"] in named:
            assert "[scheme mhcyp_2017 (diagnosed disorder" in row["MEASURE_NAME"]
            assert "population synthetic population; mid-2024]" in row["MEASURE_NAME"]
    assert {r["MEASURE_ID"] for r in rows} >= named
