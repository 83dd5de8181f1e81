"""``cypmh report`` does not hide bad input: rejected rows, --strict, and periods off the data."""

import pytest

from cypmh.__main__ import main
from cypmh.io.readers import read_extract
from tests.end_to_end.test_cli import run


@pytest.fixture(scope="module")
def extract(tmp_path_factory):
    folder = tmp_path_factory.mktemp("checks") / "area"
    assert main(["synth", str(folder), "--seed", "4", "--people", "60"]) == 0
    return folder


def _span(folder):
    """Every dated event of the extract, listed here apart from the code's own list."""
    area = read_extract(folder).area
    days = [r.received_date for r in area.referrals] + [c.date for c in area.contacts]
    days += [a.date for a in area.indirect_activities] + [a.date for a in area.assessments]
    days += [e.start for e in area.care_episodes] + [e.end for e in area.care_episodes if e.end]
    days += [s.start for s in area.social_work] + [w.date for w in area.wellbeing_assessments]
    days += [g.from_date for g in area.groupings]
    return min(days), max(days)


@pytest.mark.parametrize("engine", ["reference", "polars"])
def test_a_period_after_the_last_event_is_a_warning(capsys, extract, engine):
    _, last = _span(extract)
    late = f"{last.year + 1}-{last.month:02d}"
    status, _, err = run(
        capsys, "report", str(extract), "--period", late, "--engine", engine, "--format", "text"
    )
    assert status == 0
    assert f"Warning: --period {late} lies after the extract's last event ({last})" in err


@pytest.mark.parametrize("engine", ["reference", "polars"])
def test_a_window_before_the_first_event_is_a_warning(capsys, extract, engine):
    first, _ = _span(extract)
    # The month of the first event: every window of more than one month starts before it.
    month = f"{first.year}-{first.month:02d}"
    status, _, err = run(
        capsys, "report", str(extract), "--period", month, "--engine", engine, "--metric", "MHS95"
    )
    assert status == 0
    assert "the 12-month window of MHS95 starts on" in err
    assert f"before the extract's first event ({first})" in err


def test_a_period_inside_the_data_has_no_such_warning(capsys, extract):
    _, last = _span(extract)
    status, _, err = run(
        capsys,
        "report",
        str(extract),
        "--period",
        f"{last.year}-{last.month:02d}",
        "--metric",
        "REJ01a",
    )
    assert status == 0
    assert "lies after" not in err
    assert "window of REJ01a" not in err


def test_strict_refuses_a_report_with_rejected_rows(capsys, extract, tmp_path):
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(extract, broken)
    path = broken / "MHS101Referral.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.append(lines[-1])  # the last referral twice: a repeated key, rejected
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    codes = tmp_path / "interventions.txt"
    codes.write_text("1085671000000109\n1914891000000100\n228557008\n", encoding="utf-8")
    status, out, err = run(
        capsys,
        "report",
        str(broken),
        "--period",
        "2025-03",
        "--strict",
        "--intervention-codes",
        str(codes),
    )
    assert status == 1
    assert out == ""
    assert "rows rejected, and --strict was given: no report" in err
    # Without --strict the report is written, with the data-quality summary on stderr.
    status, out, err = run(capsys, "report", str(broken), "--period", "2025-03")
    assert status == 0
    assert out
    assert "Data quality: 1 row rejected, by file, column and reason:" in err


def test_strict_refuses_a_report_whose_four_week_metrics_undercount(capsys, extract, tmp_path):
    """Without an area's intervention codes MRS08 and MRS09 undercount: --strict refuses them.

    The two codes cypmh ships are the default set however they are given: a file of just
    those two is flagged as well. A third code makes it the area's own set.
    """
    args = ["report", str(extract), "--period", "2025-03", "--strict"]
    status, out, err = run(capsys, *args)
    assert (status, out) == (1, "")
    assert "carry a note (see the warnings above), and --strict was given: no report" in err
    same = tmp_path / "same.txt"
    same.write_text("1914891000000100\n1085671000000109\n", encoding="utf-8")
    assert run(capsys, *args, "--intervention-codes", str(same))[0] == 1
    status, out, err = run(capsys, *args, "--metric", "MHS95")
    assert status == 0
    assert "Undercounts" not in err
    mine = tmp_path / "mine.txt"
    mine.write_text("1085671000000109\n1914891000000100\n228557008\n", encoding="utf-8")
    status, out, err = run(capsys, *args, "--intervention-codes", str(mine))
    assert status == 0
    assert "Undercounts" not in err + out
