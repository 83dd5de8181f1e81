"""SDQ01-SDQ03, LAC01 and LAC02. March 2025."""

from datetime import date

import pytest

from cypmh import SdqReturn, WellbeingAssessment
from cypmh.codes import SdqReason
from cypmh.metrics import compute
from tests.spec.metrics.builders import ENGINE, results
from tests.spec.pathways.timeline import area, child, episode


def test_sdq_worked_example():
    # The year ends 31 March 2025 (it starts 1 April 2024). In care throughout and of age:
    # A (score 10, normal), B (15, borderline), C (no score: carer refused).
    # D entered care in June 2024 (not 12 months); E was 3 on 1 April 2024 (DfE rule: 4+).
    # SDQ01 = (10 + 15) / 2 = 12.5; s = 3.536, half-width 1.96 x 3.536 / sqrt(2) = 4.9.
    # SDQ02 = 2 / 3; SDQ03a = SDQ03b = 1 / 2; SDQ03c = 0.
    people = [
        child("A", born=date(2012, 1, 1)),
        child("B", born=date(2010, 5, 1)),
        child("C", born=date(2011, 1, 1)),
        child("D", born=date(2012, 1, 1)),
        child("E", born=date(2020, 6, 1)),
    ]
    records = area(
        children=people,
        care_episodes=[
            episode(date(2020, 1, 1), person_id="A"),
            episode(date(2022, 1, 1), person_id="B"),
            episode(date(2021, 1, 1), person_id="C"),
            episode(date(2024, 6, 1), person_id="D"),
            episode(date(2021, 1, 1), person_id="E"),
        ],
        sdq_returns=[
            SdqReturn(person_id="A", score=10),
            SdqReturn(person_id="B", score=15),
            SdqReturn(person_id="C", reason=SdqReason.CARER_REFUSED),
            SdqReturn(person_id="D", score=30),
        ],
    )
    rows = results(records, "SDQ01", "SDQ02", "SDQ03a", "SDQ03b", "SDQ03c")
    sdq01 = rows[("SDQ01", "Total", "Total")]
    assert sdq01.value == 12.5
    assert (sdq01.lower_ci, sdq01.upper_ci) == (
        pytest.approx(7.6, abs=0.01),
        pytest.approx(17.4, abs=0.01),
    )
    assert rows[("SDQ02", "Total", "Total")].value == pytest.approx(200 / 3)
    assert [rows[(f"SDQ03{x}", "Total", "Total")].value for x in "abc"] == [50, 50, 0]


def test_dated_sdqs_worked_example():
    # The rule (cypmh.model.sdq_for_year): the latest SDQ dated in the year ending 31 March
    # 2025 (1 April 2024 to 31 March 2025, both in), else the undated OC2 return. All five
    # are in care since 2020 and 12 years old, so all are eligible.
    # K: OC2 20; dated 12 (1 May 2024) and 9 (6 Jan 2025): the latest in the year, 9.
    # L: OC2 18; dated 25 on 31 March 2024, last year's last day: none this year, so 18.
    # M: no OC2; dated 30 on 1 April 2024, the year's first day: 30.
    # N: no OC2; dated 7 (1 Dec 2024), then a refusal (1 Feb 2025): the latest, no score.
    # O: OC2 16; a refusal dated 2 March 2025: the dated SDQ wins, so no score.
    # Scores 9, 18 and 30: SDQ01 = 57 / 3 = 19; SDQ02 = 3 / 5 = 60%;
    # bands (0-13, 14-16, 17-40): SDQ03a = 1 / 3, SDQ03b = 0, SDQ03c = 2 / 3.
    refused = SdqReason.CARER_REFUSED
    records = area(
        children=[child(p, born=date(2012, 1, 1)) for p in "KLMNO"],
        care_episodes=[episode(date(2020, 1, 1), person_id=p) for p in "KLMNO"],
        sdq_returns=[
            SdqReturn(person_id="K", score=20),
            SdqReturn(person_id="K", score=12, date=date(2024, 5, 1)),
            SdqReturn(person_id="K", score=9, date=date(2025, 1, 6)),
            SdqReturn(person_id="L", score=18),
            SdqReturn(person_id="L", score=25, date=date(2024, 3, 31)),
            SdqReturn(person_id="M", score=30, date=date(2024, 4, 1)),
            SdqReturn(person_id="N", score=7, date=date(2024, 12, 1)),
            SdqReturn(person_id="N", reason=refused, date=date(2025, 2, 1)),
            SdqReturn(person_id="O", score=16),
            SdqReturn(person_id="O", reason=refused, date=date(2025, 3, 2)),
        ],
    )
    rows = results(records, "SDQ01", "SDQ02", "SDQ03a", "SDQ03b", "SDQ03c")
    assert rows[("SDQ01", "Total", "Total")].value == 19
    assert rows[("SDQ02", "Total", "Total")].value == pytest.approx(60)
    assert [rows[(f"SDQ03{x}", "Total", "Total")].value for x in "abc"] == [
        pytest.approx(100 / 3),
        0,
        pytest.approx(200 / 3),
    ]


def test_a_dated_sdq_after_the_year_is_next_years():
    # M's 1 April 2025 SDQ is in the year ending 31 March 2026: in April 2025's figures
    # (whose year still ends 31 March 2025) it changes nothing, and by March 2026 it is
    # the year's only SDQ, so it replaces the OC2 return's 30.
    records = area(
        children=[child("M", born=date(2012, 1, 1))],
        care_episodes=[episode(date(2020, 1, 1), person_id="M")],
        sdq_returns=[
            SdqReturn(person_id="M", score=30),
            SdqReturn(person_id="M", score=5, date=date(2025, 4, 1)),
        ],
    )
    for month, expected in (("2025-03", 30), ("2025-04", 30), ("2026-03", 5)):
        rows = compute(records, month, engine=ENGINE.get(), metrics=["SDQ01"], disclosure="none")
        assert [r.value for r in rows if r.breakdown == "Total"] == [expected], month


def test_lac_worked_example():
    # Windows closing from 1 April 2024 to 31 March 2025 (entry + 6 months):
    # F entered 10 Jun 2024 (window 10 Oct - 10 Dec), assessed 1 Nov: in the window.
    # G entered 1 Feb 2024 (window 1 Jun - 1 Aug), assessed 15 Apr: early.
    # H entered 20 May 2024 (window 20 Sep - 20 Nov), not assessed: overdue.
    # I entered 1 Jul 2024 and left 30 Sep, before the window opened (1 Nov): not counted.
    # J entered 1 Dec 2024: its window closes 1 Jun 2025, after the period.
    people = [child(p, born=date(2012, 1, 1)) for p in "FGHIJ"]
    records = area(
        children=people,
        care_episodes=[
            episode(date(2024, 6, 10), person_id="F"),
            episode(date(2024, 2, 1), person_id="G"),
            episode(date(2024, 5, 20), person_id="H"),
            episode(date(2024, 7, 1), date(2024, 9, 30), person_id="I"),
            episode(date(2024, 12, 1), person_id="J"),
        ],
        wellbeing_assessments=[
            WellbeingAssessment(person_id="F", date=date(2024, 11, 1)),
            WellbeingAssessment(person_id="G", date=date(2024, 4, 15)),
        ],
    )
    rows = results(records, "LAC01", "LAC01a", "LAC01b", "LAC01c", "LAC01d")
    values = [
        rows[(m, "Total", "Total")].value for m in ("LAC01", "LAC01a", "LAC01b", "LAC01c", "LAC01d")
    ]
    assert values == [3, 1, pytest.approx(100 / 3), 1, 1]


def test_days_to_assessment_worked_example():
    # LAC02: periods of care whose first assessment while in the period is dated from
    # 1 April 2024 to 31 March 2025; LAC02a and LAC02b, the days from entry to it.
    # F entered 10 Jun 2024, assessed 1 Nov 2024: 20 + 31 + 31 + 30 + 31 + 1 = 144 days.
    # G entered 1 Feb 2024, assessed 15 Apr 2024: 29 (leap February) + 31 + 14 = 74 days.
    # H entered 20 May 2024 and is not assessed: not counted.
    # I was in care 1 Jul to 30 Sep 2024 and assessed 1 Nov 2024, after leaving: not counted.
    # K entered 1 Jan 2023, first assessed 1 Mar 2024, before the 12 months (and again
    #   1 Jun 2024, not the first): not counted.
    # L entered 1 Oct 2023, assessed 5 Jan 2025: 366 (to 1 Oct 2024) + 31 + 30 + 31 + 4 = 462.
    # M was in care in January 2024, then again from 1 Mar 2024 (a new period), assessed
    #   1 May 2024: the second period's, 31 + 30 = 61 days.
    # LAC02 = 4 (F, G, L, M). Days in order: 61, 74, 144, 462. Spark's percentile
    # interpolates at rank (n - 1) x p: the median at 1.5, 74 + 0.5 x 70 = 109; the 90th
    # percentile at 2.7, 144 + 0.7 x 318 = 366.6.
    people = [child(p, born=date(2012, 1, 1)) for p in "FGHIKLM"]
    records = area(
        children=people,
        care_episodes=[
            episode(date(2024, 6, 10), person_id="F"),
            episode(date(2024, 2, 1), person_id="G"),
            episode(date(2024, 5, 20), person_id="H"),
            episode(date(2024, 7, 1), date(2024, 9, 30), person_id="I"),
            episode(date(2023, 1, 1), person_id="K"),
            episode(date(2023, 10, 1), person_id="L"),
            episode(date(2024, 1, 1), date(2024, 1, 31), person_id="M"),
            episode(date(2024, 3, 1), person_id="M"),
        ],
        wellbeing_assessments=[
            WellbeingAssessment(person_id=p, date=d)
            for p, d in (
                ("F", date(2024, 11, 1)),
                ("G", date(2024, 4, 15)),
                ("I", date(2024, 11, 1)),
                ("K", date(2024, 3, 1)),
                ("K", date(2024, 6, 1)),
                ("L", date(2025, 1, 5)),
                ("M", date(2024, 5, 1)),
            )
        ],
    )
    rows = results(records, "LAC02", "LAC02a", "LAC02b")
    assert rows[("LAC02", "Total", "Total")].value == 4
    assert rows[("LAC02a", "Total", "Total")].value == pytest.approx(109)
    assert rows[("LAC02b", "Total", "Total")].value == pytest.approx(366.6)
