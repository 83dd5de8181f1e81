"""THRIVE from the extract (issue 19, section 4), worked by hand from the rule.

The rule (cypmh's own, written in ``cypmh.io.rules.thrive`` and
``cypmh.thrive.timeline.grouping_in_force``): the grouping in force on a date
is the latest dated on or before it; an agreed grouping always wins, so a
suggestion counts only before the child's first agreed grouping, and it is
counted apart as "<label> (suggested)".

The area: four children, each with one open referral received 1 Jan 2025.
    A: agreed Getting Help 10 Jan; suggested Getting More Help 1 Mar.
       -> 31 Mar: the agreed Getting Help (the later suggestion never overwrites it).
    B: suggested Getting Advice 10 Jan; agreed Getting Risk Support 20 Apr.
       -> 31 Mar: Getting Advice (suggested), the agreed one is dated after the end.
    C: agreed Thriving 10 Jan; agreed Getting More Help 15 Mar.
       -> 31 Mar: Getting More Help (the latest agreed).
    D: nothing. -> Not recorded.
THR01 for 2025-03 is 4; by thrive: Getting Help 1, Getting More Help 1,
Getting Advice and Signposting (suggested) 1, Not recorded 1, every other level 0.
"""

from datetime import date

import attrs
import pytest

from cypmh import Area, Child, Referral, compute, read_extract
from cypmh.io import write_extract
from cypmh.model import GroupingRecord, GroupingSource
from cypmh.thrive import Grouping, Policy, suggest_groupings

AGREED, SUGGESTED = GroupingSource.AGREED, GroupingSource.SUGGESTED


def g(pid, grouping, day, source):
    return GroupingRecord(person_id=pid, grouping=grouping, from_date=day, source=source)


AREA = Area(
    children=tuple(Child(person_id=p, birth_date=date(2012, 5, 1)) for p in "ABCD"),
    referrals=tuple(
        Referral(
            referral_id=f"R{p}", person_id=p, provider_code="RXT", received_date=date(2025, 1, 1)
        )
        for p in "ABCD"
    ),
    groupings=(
        g("A", Grouping.GETTING_HELP, date(2025, 1, 10), AGREED),
        g("A", Grouping.GETTING_MORE_HELP, date(2025, 3, 1), SUGGESTED),
        g("B", Grouping.GETTING_ADVICE, date(2025, 1, 10), SUGGESTED),
        g("B", Grouping.GETTING_RISK_SUPPORT, date(2025, 4, 20), AGREED),
        g("C", Grouping.THRIVING, date(2025, 1, 10), AGREED),
        g("C", Grouping.GETTING_MORE_HELP, date(2025, 3, 15), AGREED),
    ),
)

EXPECTED = {
    "Total": 4.0,
    "Thriving": 0.0,
    "Getting Advice and Signposting": 0.0,
    "Getting Help": 1.0,
    "Getting More Help": 1.0,
    "Getting Risk Support": 0.0,
    "Getting Advice and Signposting (suggested)": 1.0,
    "Not recorded": 1.0,
}


def thr01(area, **kwargs):
    rows = compute(area, "2025-03", metrics=["THR01"], breakdowns=["thrive"], disclosure="none")
    return {r.level: r.value for r in rows}


def test_the_grouping_in_force_agreed_over_suggested():
    assert thr01(AREA) == EXPECTED


def test_the_dataframe_engine_counts_the_same():
    pytest.importorskip("polars")
    from cypmh.metrics.frames import compute_frames, tables_from_area

    rows = compute_frames(
        tables_from_area(AREA),
        "2025-03",
        metrics=["THR01"],
        breakdowns=["thrive"],
        disclosure="none",
    )
    assert {r.level: r.value for r in rows} == EXPECTED


def test_thrive_csv_round_trips_and_is_read_forgivingly(tmp_path):
    folder = write_extract(AREA, tmp_path / "x")
    text = (folder / "thrive.csv").read_text()
    # A service's own spelling of labels and statuses reads the same.
    text = text.replace("Getting More Help", "getting-more-help").replace(",agreed", ", Agreed ")
    (folder / "thrive.csv").write_text(text)
    result = read_extract(folder)
    assert result.quality.rejected == 0
    assert set(result.area.groupings) == set(AREA.groupings)


def test_bad_thrive_rows_are_reported_not_lost(tmp_path):
    folder = write_extract(AREA, tmp_path / "x")
    (folder / "thrive.csv").write_text(
        "Person_ID,GROUPING,DATE,STATUS,UniqServReqID\n"
        "A,Tier 3,2025-01-10,agreed,\n"  # line 2: not a grouping
        "A,Getting Help,2025-01-10,proposed,\n"  # line 3: not a status
        "Z,Getting Help,2025-01-10,agreed,\n"  # line 4: no such person
        "A,Getting Help,2024-12-01,agreed,RA\n"  # line 5: before the referral was received
        "A,Getting Help,2025-01-10,agreed,RB\n"  # line 6: B's referral
        "A,Getting Help,2025-01-10,agreed,\n"  # line 7: kept
        "A,Thriving,2025-01-10,agreed,\n"  # line 8: a second agreed grouping that day
    )
    result = read_extract(folder)
    found = {
        (p.line, p.column): p.reason for p in result.quality.problems if p.file == "thrive.csv"
    }
    assert set(found) == {
        (2, "GROUPING"),
        (3, "STATUS"),
        (4, "Person_ID"),
        (5, "DATE"),
        (6, "Person_ID"),
        (8, "DATE"),
    }
    assert "not a THRIVE grouping" in found[(2, "GROUPING")]
    assert "second agreed grouping" in found[(8, "DATE")]
    assert "line 7" in found[(8, "DATE")]
    counts = result.quality.files["thrive.csv"]
    assert (counts.read, counts.used, counts.rejected) == (7, 1, 6)
    assert result.area.groupings == (g("A", Grouping.GETTING_HELP, date(2025, 1, 10), AGREED),)


POLICY = Policy.from_toml(
    """
name = "test"
[[rules]]
id = "otherwise"
grouping = "getting_help"
when = { always = true }
"""
)


def test_a_policy_suggests_only_before_an_agreed_grouping():
    from cypmh.model import CodedAssessment
    from cypmh.thrive import current_view_items

    code = next(iter(current_view_items().values())).snomed_code
    scores = tuple(
        CodedAssessment(referral_id=f"R{p}", person_id=p, tool_code=code, score=2, date=day)
        for p, day in (("A", date(2025, 1, 5)), ("A", date(2025, 2, 5)), ("D", date(2025, 2, 1)))
    )
    area = attrs.evolve(AREA, assessments=scores)
    # A: 5 Jan is before its agreed grouping of 10 Jan, 5 Feb after it: one suggestion.
    # D: no grouping at all: one suggestion, from 1 Feb.
    made = suggest_groupings(area, POLICY)
    assert [(r.person_id, r.from_date, r.source) for r in made] == [
        ("A", date(2025, 1, 5), SUGGESTED),
        ("D", date(2025, 2, 1), SUGGESTED),
    ]
    with_them = attrs.evolve(area, groupings=(*area.groupings, *made))
    # At 31 Mar A is still in its agreed Getting Help; D is now counted as a suggestion.
    counted = thr01(with_them)
    assert counted["Getting Help"] == 1.0
    assert counted["Getting Help (suggested)"] == 1.0
    assert counted["Not recorded"] == 0.0
