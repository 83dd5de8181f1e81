"""SDQ01-SDQ03 and LAC01. March 2025."""

from datetime import date

import pytest

from cypmh import SdqReturn, WellbeingAssessment
from cypmh.codes import SdqReason
from tests.spec.metrics.builders import results
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
