"""The looked-after pathway: periods of care, the initial wellbeing assessment, SDQ eligibility."""

from datetime import date

import pytest

from cypmh import WellbeingAssessment
from cypmh.errors import InvalidValueError
from cypmh.pathways import (
    DFE_COLLECTION_AGES,
    PUBLISHED_STATISTICS_AGES,
    AssessmentStatus,
    AssessmentWindow,
    add_months,
    periods_of_care,
    sdq_eligible,
    wellbeing_assessment_status,
    wellbeing_status_of,
)
from tests.spec.pathways.timeline import area, child, episode


class TestPeriodsOfCare:
    """Episodes that start on or before the previous one ended continue one period."""

    def test_a_placement_change_is_not_a_new_period(self):
        # Episode 2 starts the day episode 1 ends (a new placement): one period 10 Jan - 30 Sep.
        # Episode 3 starts 15 Oct, after 14 days out of care: a second, open period.
        episodes = [
            episode(date(2023, 5, 1), date(2023, 9, 30), placement="U3"),
            episode(date(2023, 1, 10), date(2023, 5, 1)),
            episode(date(2023, 10, 15)),
        ]
        periods = periods_of_care(episodes)
        assert [(p.start, p.end, len(p.episodes)) for p in periods] == [
            (date(2023, 1, 10), date(2023, 9, 30), 2),
            (date(2023, 10, 15), None, 1),
        ]

    def test_the_next_day_is_a_new_period(self):
        periods = periods_of_care(
            [episode(date(2023, 1, 1), date(2023, 2, 1)), episode(date(2023, 2, 2))]
        )
        assert len(periods) == 2

    def test_one_child_only(self):
        with pytest.raises(InvalidValueError):
            periods_of_care([episode(date(2023, 1, 1)), episode(date(2023, 1, 1), person_id="P2")])


class TestAssessmentWindow:
    """Entered care 10 Jan 2023: the window is 10 May - 10 Jul 2023 (4 to 6 months, both ends)."""

    PERIOD = periods_of_care([episode(date(2023, 1, 10))])[0]

    def status(self, on, *assessment_days, period=None):
        made = [WellbeingAssessment(person_id="P1", date=d) for d in assessment_days]
        return wellbeing_assessment_status(period or self.PERIOD, made, on)

    @pytest.mark.parametrize(
        ("on", "status"),
        [
            (date(2023, 5, 9), AssessmentStatus.NOT_YET_DUE),
            (date(2023, 5, 10), AssessmentStatus.DUE),
            (date(2023, 7, 10), AssessmentStatus.DUE),
            (date(2023, 7, 11), AssessmentStatus.OVERDUE),
        ],
    )
    def test_without_an_assessment(self, on, status):
        assert self.status(on) is status

    def test_done_in_the_window_counts_from_its_date(self):
        assert self.status(date(2023, 5, 31), date(2023, 6, 1)) is AssessmentStatus.DUE
        assert self.status(date(2023, 6, 1), date(2023, 6, 1)) is AssessmentStatus.DONE_IN_WINDOW
        assert self.status(date(2024, 1, 1), date(2023, 7, 10)) is AssessmentStatus.DONE_IN_WINDOW

    def test_done_early_and_done_late(self):
        assert self.status(date(2023, 4, 1), date(2023, 4, 1)) is AssessmentStatus.DONE_EARLY
        assert self.status(date(2023, 7, 20), date(2023, 8, 1)) is AssessmentStatus.OVERDUE
        assert self.status(date(2023, 8, 1), date(2023, 8, 1)) is AssessmentStatus.DONE_LATE

    def test_an_assessment_before_entering_care_does_not_count(self):
        assert self.status(date(2023, 6, 1), date(2023, 1, 9)) is AssessmentStatus.DUE

    def test_left_care_before_it_was_due(self):
        # Left care 30 Apr, before the window opened on 10 May.
        short = periods_of_care([episode(date(2023, 1, 10), date(2023, 4, 30))])[0]
        assert self.status(date(2023, 4, 29), period=short) is AssessmentStatus.NOT_YET_DUE
        assert self.status(date(2023, 6, 1), period=short) is AssessmentStatus.LEFT_CARE_BEFORE_DUE

    def test_the_window_is_a_parameter(self):
        # 3 to 5 months: 10 Apr - 10 Jun.
        made = [WellbeingAssessment(person_id="P1", date=date(2023, 4, 15))]
        window = AssessmentWindow(opens_after_months=3, closes_after_months=5)
        assert (
            wellbeing_assessment_status(self.PERIOD, made, date(2023, 4, 20), window)
            is AssessmentStatus.DONE_IN_WINDOW
        )
        with pytest.raises(InvalidValueError):
            AssessmentWindow(opens_after_months=6, closes_after_months=4)

    def test_months_clip_to_the_end_of_shorter_months(self):
        # Entered 31 Oct 2024: 4 months later is 28 Feb 2025 (no 31 Feb); 6 months is 30 Apr.
        assert AssessmentWindow().bounds(date(2024, 10, 31)) == (
            date(2025, 2, 28),
            date(2025, 4, 30),
        )
        assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)

    def test_through_an_area_uses_the_latest_period_started(self):
        records = area(
            care_episodes=[episode(date(2022, 1, 1), date(2022, 3, 1)), episode(date(2023, 1, 10))],
            wellbeing_assessments=[WellbeingAssessment(person_id="P1", date=date(2022, 2, 1))],
        )
        # The 2022 assessment belongs to the first period; the second period's is overdue.
        assert wellbeing_status_of(records, "P1", date(2023, 8, 1)) is AssessmentStatus.OVERDUE
        assert wellbeing_status_of(records, "P1", date(2021, 12, 31)) is None


class TestSdqEligibility:
    """Year ending 31 Mar 2024, which starts 1 Apr 2023. Looked after every day of it."""

    YEAR_END = date(2024, 3, 31)

    @pytest.mark.parametrize(
        ("start", "end", "eligible", "why"),
        [
            (date(2023, 4, 1), None, True, "in care from the first day of the year"),
            (date(2023, 4, 2), None, False, "one day short of 12 months"),
            (date(2020, 1, 1), date(2024, 3, 31), True, "leaving on 31 March still counts"),
            (date(2020, 1, 1), date(2024, 3, 30), False, "left before 31 March"),
        ],
    )
    def test_twelve_months_continuously(self, start, end, eligible, why):
        assert (
            sdq_eligible(child(born=date(2012, 1, 1)), [episode(start, end)], self.YEAR_END)
            is eligible
        ), why

    def test_a_placement_change_keeps_care_continuous(self):
        episodes = [episode(date(2023, 1, 1), date(2023, 9, 1)), episode(date(2023, 9, 1))]
        assert sdq_eligible(child(born=date(2012, 1, 1)), episodes, self.YEAR_END)

    @pytest.mark.parametrize(
        ("born", "dfe", "published", "why"),
        [
            (
                date(2019, 4, 1),
                True,
                False,
                "4 on 1 Apr 2023 (DfE yes); 4 on 31 Mar 2024 (published no)",
            ),
            (date(2019, 4, 2), False, False, "3 on 1 Apr 2023; 4 on 31 Mar 2024"),
            (date(2019, 3, 31), True, True, "5 on 31 Mar 2024"),
            (date(2007, 4, 1), True, True, "16 on 31 Mar 2024 (17 the next day)"),
            (date(2007, 3, 31), False, False, "17 on 31 Mar 2024"),
        ],
    )
    def test_age_rules(self, born, dfe, published, why):
        episodes = [
            episode(date(2020, 1, 1))
        ]  # in care throughout; every child here is born by then
        person = child(born=born)
        assert sdq_eligible(person, episodes, self.YEAR_END, DFE_COLLECTION_AGES) is dfe, why
        assert (
            sdq_eligible(person, episodes, self.YEAR_END, PUBLISHED_STATISTICS_AGES) is published
        ), why
