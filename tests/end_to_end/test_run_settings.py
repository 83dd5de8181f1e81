"""One run configuration (issue 31, section 1): every command takes every setting that changes a
number, from the command line or the folder's ``cypmh.toml``, and every output says which.
"""

import csv
import html
import io
import json

import pytest

from cypmh.__main__ import main
from cypmh.cli.main import cli
from cypmh.cli.settings import SETTINGS
from cypmh.io.readers import read_extract
from cypmh.periods import Month
from tests.end_to_end.test_cli import run
from tests.end_to_end.test_report_checks import _span as event_span
from tests.io.test_sources import csv_tables, to_sqlite

NUMBER_COMMANDS = ("report", "trend", "need", "members", "why")

# Three codes: the shipped two and psychological therapy (a member of 1853461000000105),
# so that the set is the area's own and not the default.
CODES = "1085671000000109\n1914891000000100\n228557008\n"


@pytest.fixture(scope="module")
def extract(tmp_path_factory):
    folder = tmp_path_factory.mktemp("settings") / "area"
    assert main(["synth", str(folder), "--seed", "5", "--people", "150"]) == 0
    return folder


def _with_config(extract, tmp_path, text, extra=None):
    """A copy of the extract with ``cypmh.toml`` (and ``extra`` files beside it)."""
    import shutil

    folder = tmp_path / "area"
    shutil.copytree(extract, folder)
    (folder / "cypmh.toml").write_text(text, encoding="utf-8")
    for name, content in (extra or {}).items():
        (folder / name).write_text(content, encoding="utf-8")
    return folder


def _values(out):
    """MEASURE_VALUE by (breakdown, level, measure) from a report's CSV."""
    return {
        (r["BREAKDOWN"], r["PRIMARY_LEVEL"], r["MEASURE_ID"]): r["MEASURE_VALUE"]
        for r in csv.DictReader(io.StringIO(out))
    }


@pytest.mark.parametrize("command", NUMBER_COMMANDS)
def test_every_number_command_takes_every_setting(command):
    options = {p.name for p in cli.commands[command].params}
    assert {s.name for s in SETTINGS} | {"config"} <= options


def test_the_folder_file_is_read_and_the_command_line_wins(extract, tmp_path, capsys):
    """[run] suppression = "none" publishes exact counts; --suppression safe on the command line
    puts the default back. Each run's values equal those of the same setting given directly."""
    folder = _with_config(extract, tmp_path, '[run]\nsuppression = "none"\n')
    args = ["report", "--period", "2025-03", "--metric", "REF01", "--metric", "MHS95"]
    status, from_file, _ = run(capsys, *args, str(folder))
    assert status == 0
    status, given, _ = run(capsys, *args, str(extract), "--suppression", "none")
    assert _values(from_file) == _values(given)
    status, default, _ = run(capsys, *args, str(extract))
    assert _values(from_file) != _values(default)  # some level is hidden or rounded under safe
    status, overridden, _ = run(capsys, *args, str(folder), "--suppression", "safe")
    assert _values(overridden) == _values(default)
    settings = {r["SETTINGS"] for r in csv.DictReader(io.StringIO(from_file))}
    (line,) = settings
    assert "suppression: none (cypmh.toml)" in line
    assert (
        "suppression: safe (command line)"
        in next(csv.DictReader(io.StringIO(overridden)))["SETTINGS"]
    )


def test_members_and_why_use_the_reports_intervention_codes(extract, tmp_path, capsys):
    """The trial's case: with the area's codes in cypmh.toml, members lists as many spells as
    the report counts, and why agrees with members for each referral of those spells."""
    folder = _with_config(
        extract, tmp_path, '[run]\nintervention_codes = "codes.txt"\n', {"codes.txt": CODES}
    )
    period = ["--period", "2025-03"]
    status, out, err = run(
        capsys, "report", str(folder), *period, "--metric", "MRS08", "--suppression", "none"
    )
    assert status == 0
    assert "Undercounts" not in out + err
    (row,) = [r for r in csv.DictReader(io.StringIO(out)) if r["BREAKDOWN"] == "England"]
    assert row["NOTE"] == ""
    assert "intervention_codes: file sha256:" in row["SETTINGS"]
    status, listed, _ = run(
        capsys, "members", str(folder), *period, "--metric", "MRS08", "--format", "json"
    )
    assert status == 0
    members = json.loads(listed)
    assert len(members) == int(row["MEASURE_VALUE"])
    # The same codes on the command line give the same value.
    codes = tmp_path / "same.txt"
    codes.write_text(CODES, encoding="utf-8")
    status, out, _ = run(
        capsys,
        "report",
        str(extract),
        *period,
        "--metric",
        "MRS08",
        "--suppression",
        "none",
        "--intervention-codes",
        str(codes),
    )
    (again,) = [r for r in csv.DictReader(io.StringIO(out)) if r["BREAKDOWN"] == "England"]
    assert again["MEASURE_VALUE"] == row["MEASURE_VALUE"]
    area = read_extract(folder).area
    assert members
    for member in members[:5]:
        # A spell is PERSON/PROVIDER/START; the referral received on its start day is in it.
        person, provider, start = member["record"].split("/")
        (first,) = [
            r.referral_id
            for r in area.referrals
            if (r.person_id, r.provider_code, r.received_date.isoformat())
            == (person, provider, start)
        ][:1]
        status, said, _ = run(
            capsys, "why", str(folder), *period, "--referral", first, "--format", "json"
        )
        assert status == 0
        (finding,) = [f for f in json.loads(said) if f["population"] == "clock_stops"]
        assert finding["counts"], finding


def test_a_bad_config_is_one_line_naming_the_file_and_key(extract, tmp_path, capsys):
    folder = _with_config(extract, tmp_path, '[run]\nsupression = "none"\n')
    status, _, err = run(capsys, "report", str(folder), "--period", "2025-03")
    assert status == 1
    assert "cypmh.toml, [run] supression: not a setting (did you mean 'suppression'?)" in err
    (folder / "cypmh.toml").write_text('[run]\nsdq_ages = "all"\n', encoding="utf-8")
    status, _, err = run(capsys, "trend", str(folder))
    assert status == 1
    assert "[run] sdq_ages: 'all' is not one of dfe_collection, published_statistics" in err
    (folder / "cypmh.toml").write_text('[run]\ncohort = "missing.toml"\n', encoding="utf-8")
    status, _, err = run(capsys, "members", str(folder), "--metric", "MRS08")
    assert status == 1
    assert "[run] cohort: no such file:" in err
    assert "Traceback" not in err


def test_the_period_defaults_to_the_last_complete_month(extract, capsys):
    """Worked from the extract itself: the last dated event (listed here apart from the code);
    the month it falls in is complete only when the event is on that month's last day."""
    _, last = event_span(extract)
    month = Month.parse(f"{last.year}-{last.month:02d}")
    if last != month.last_day:
        month = Month.from_uniq_month_id(month.uniq_month_id - 1)
    status, out, err = run(capsys, "report", str(extract), "--metric", "REF01")
    assert status == 0
    assert f"Period: {month} (no --period given" in err
    assert {r["REPORTING_PERIOD_END"] for r in csv.DictReader(io.StringIO(out))} == {
        month.last_day.isoformat()
    }
    status, out, err = run(capsys, "trend", str(extract), "--metric", "REF01")
    assert status == 0
    first = Month.from_uniq_month_id(month.uniq_month_id - 23)
    ends = sorted({r["REPORTING_PERIOD_END"] for r in csv.DictReader(io.StringIO(out))})
    assert (len(ends), ends[0], ends[-1]) == (
        24,
        first.last_day.isoformat(),
        month.last_day.isoformat(),
    )


@pytest.mark.parametrize("fmt", ["csv", "json", "html", "text"])
def test_every_format_says_its_settings(capsys, fmt):
    status, out, _ = run(
        capsys,
        "report",
        "--demo",
        "--metric",
        "MRS08",
        "--format",
        fmt,
        "--sdq-ages",
        "published_statistics",
    )
    assert status == 0
    if fmt == "html":
        assert "<td>sdq_ages</td><td>published_statistics (command line)</td>" in out
        assert "<td>suppression</td><td>safe (default)</td>" in out
    else:
        assert "sdq_ages: published_statistics (command line)" in out
        assert "suppression: safe (default)" in out
    # Without an area's codes the four-week metric is flagged beside its value.
    shown = html.unescape(out) if fmt == "html" else out
    assert "Undercounts: the four-week clock stopped only on cypmh's two default" in shown
    if fmt == "json":
        (whole,) = [r for r in json.loads(out) if r["BREAKDOWN"] == "England"]
        assert whole["NOTE"].startswith("Undercounts")
    if fmt == "html":
        assert "Settings used" in out


def test_trend_need_members_and_why_say_their_settings(capsys):
    status, out, _ = run(capsys, "trend", "--demo", "--metric", "MRS08", "--format", "text")
    assert status == 0
    assert "Settings:" in out
    assert "Undercounts" in out
    status, out, _ = run(capsys, "need", "--demo", "--format", "json")
    assert json.loads(out)["settings"]["scheme"] == "ons_2004 (default)"
    for args in (["members", "--metric", "MRS08"], ["why", "--referral", "SYNR000005"]):
        status, _, err = run(capsys, *args, "--demo")
        assert status == 0
        assert "Settings (as a report with the same ones would use):" in err
        assert "Warning: MRS08" in err


def test_a_databases_population_table_is_read(extract, tmp_path, capsys):
    """The folder's population.csv as a table named population: the same need metrics."""
    tables = csv_tables(extract)
    with (extract / "population.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    tables["population.csv"] = (rows[0], rows[1:])
    url = to_sqlite(tables, tmp_path / "with-population.db")
    args = ["report", "--period", "2025-03", "--metric", "NEED01", "--metric", "ACC01"]
    status, from_folder, _ = run(capsys, *args, str(extract), "--area-name", "X")
    assert status == 0
    assert "NEED01" in from_folder
    status, from_db, _ = run(capsys, *args, "--db", url, "--area-name", "X")
    assert status == 0
    assert _values(from_db) == _values(from_folder)
