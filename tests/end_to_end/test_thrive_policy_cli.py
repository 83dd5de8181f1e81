"""``--thrive-policy`` on ``cypmh report``, ``trend`` and ``members``, worked by hand.

The area is the four children of ``tests/spec/thrive/test_thrive_from_the_extract.py``
(each with one open referral received 1 Jan 2025), with Current View scores:
A on 5 Jan and 5 Feb 2025, D on 1 Feb 2025. The policy suggests Getting Help
for every child (its one rule is ``always``). By the rule (a suggestion only
before the child's first agreed grouping; the grouping in force at a date is
the latest on or before it, an agreed one always winning):

    A: agreed Getting Help 10 Jan; the 5 Jan suggestion is before it, so made,
       but from 10 Jan the agreed one is in force; no suggestion on 5 Feb.
    B: its own suggestion (Getting Advice, 10 Jan); no scores.
    C: agreed Thriving, then Getting More Help (15 Mar); no scores.
    D: suggested Getting Help from 1 Feb.

THR01 by thrive, "Getting Help (suggested)": January 0 (D has no grouping
yet: "Not recorded" 1), February 1 and March 1 (D). Without the policy, D is
"Not recorded" in every month and no child is "Getting Help (suggested)".
THR01 counts children, so the members of that level in March are child D alone.
"""

import csv
import io
import json
from datetime import date

import attrs
import pytest

from cypmh.io import write_extract
from cypmh.model import CodedAssessment
from cypmh.thrive import current_view_items
from tests.end_to_end.test_cli import run
from tests.spec.thrive.test_thrive_from_the_extract import AREA

POLICY = """\
name = "test"
[[rules]]
id = "otherwise"
grouping = "getting_help"
when = { always = true }
"""

LEVEL = "Getting Help (suggested)"


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    base = tmp_path_factory.mktemp("policy")
    code = next(iter(current_view_items().values())).snomed_code
    scores = tuple(
        CodedAssessment(referral_id=f"R{p}", person_id=p, tool_code=code, score=2, date=day)
        for p, day in (("A", date(2025, 1, 5)), ("A", date(2025, 2, 5)), ("D", date(2025, 2, 1)))
    )
    folder = write_extract(attrs.evolve(AREA, assessments=scores), base / "area")
    policy = base / "policy.toml"
    policy.write_text(POLICY)
    return folder, policy


def _thr01(out):
    return {r["PRIMARY_LEVEL"]: float(r["MEASURE_VALUE"]) for r in json.loads(out)}


@pytest.mark.parametrize("engine", ["reference", "polars"])
def test_report_counts_the_policys_suggestions_apart(capsys, folders, engine):
    pytest.importorskip("polars")
    folder, policy = folders
    args = ["report", str(folder), "--period", "2025-03", "--metric", "THR01"]
    args += ["--breakdown", "thrive", "--suppression", "none", "--format", "json"]
    args += ["--engine", engine]
    status, out, _ = run(capsys, *args, "--thrive-policy", str(policy))
    assert status == 0
    with_policy = _thr01(out)
    assert with_policy[LEVEL] == 1
    assert with_policy["Not recorded"] == 0
    assert with_policy["Getting Help"] == 1  # A's agreed grouping, not the suggestion
    status, out, _ = run(capsys, *args)
    assert status == 0
    without = _thr01(out)
    assert without.get(LEVEL, 0) == 0  # a suggested level is listed only where it occurs
    assert without["Not recorded"] == 1


def test_trend_counts_the_suggestions_from_their_day(capsys, folders):
    folder, policy = folders
    args = ["trend", str(folder), "--from", "2025-01", "--to", "2025-03", "--metric", "THR01"]
    args += ["--breakdown", "thrive", "--suppression", "none", "--format", "json"]
    status, out, _ = run(capsys, *args, "--thrive-policy", str(policy))
    assert status == 0
    by_month = {
        r["REPORTING_PERIOD_END"]: float(r["MEASURE_VALUE"])
        for r in json.loads(out)
        if r["PRIMARY_LEVEL"] == LEVEL
    }
    assert by_month == {"2025-01-31": 0, "2025-02-28": 1, "2025-03-31": 1}


@pytest.mark.parametrize("engine", ["reference", "polars"])
def test_members_with_the_policy_are_the_reports(capsys, folders, engine):
    pytest.importorskip("polars")
    folder, policy = folders
    args = ["members", str(folder), "--metric", "THR01", "--period", "2025-03"]
    args += ["--breakdown", "thrive", LEVEL, "--engine", engine]
    status, out, err = run(capsys, *args, "--thrive-policy", str(policy))
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["record_kind"], r["record"], r["person_id"]) for r in rows] == [("person", "D", "D")]
    assert "1 members of THR01 for 2025-03." in err
    status, out, _ = run(capsys, *args)
    assert status == 0
    assert list(csv.DictReader(io.StringIO(out))) == []


def test_a_missing_or_broken_policy_is_a_clear_error(capsys, folders, tmp_path):
    folder, _ = folders
    args = ["members", str(folder), "--metric", "THR01", "--period", "2025-03"]
    status, _, err = run(capsys, *args, "--thrive-policy", str(tmp_path / "none.toml"))
    assert status == 2
    assert "none.toml" in err
    broken = tmp_path / "broken.toml"
    broken.write_text(POLICY.replace("getting_help", "tier 3"))
    status, _, err = run(capsys, *args, "--thrive-policy", str(broken))
    assert status == 1
    assert "broken.toml" in err
    assert "tier 3" in err
