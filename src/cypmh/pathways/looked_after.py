"""The looked-after pathway.

Periods of care, the initial mental health and wellbeing assessment, and
eligibility for the Strengths and Difficulties Questionnaire (SDQ). Periods of care
are written twice, side by side: over a child's episodes
(:func:`periods_of_care`) and over the dataframe engine's table of every child's
(:func:`periods_of_care_frame`).
"""

from __future__ import annotations

import calendar
import enum
from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Literal

import attrs

from cypmh.errors import InvalidValueError
from cypmh.model import Area, CareEpisode, Child, WellbeingAssessment
from cypmh.pathways.lazy import nw
from cypmh.pathways.runs import OPEN_END, number_runs

if TYPE_CHECKING:
    from cypmh.pathways.lazy import Frame

__all__ = [
    "DFE_COLLECTION_AGES",
    "PUBLISHED_STATISTICS_AGES",
    "AssessmentStatus",
    "AssessmentWindow",
    "PeriodOfCare",
    "SdqAgeRule",
    "add_months",
    "first_assessment",
    "periods_of_care",
    "periods_of_care_frame",
    "sdq_eligible",
    "wellbeing_assessment_status",
    "wellbeing_status_of",
]


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole calendar months, clipped to the end of a shorter month.

    >>> add_months(date(2024, 10, 31), 4), add_months(date(2024, 3, 31), -1)
    (datetime.date(2025, 2, 28), datetime.date(2024, 2, 29))
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


@attrs.frozen(kw_only=True)
class PeriodOfCare:
    """A continuous period of being looked after, made of one or more episodes.

    A new episode that starts on or before the day the previous one ended (a
    change of placement or legal status) continues the period; a day or more
    out of care starts a new one. ``end`` is ``None`` while the period is open.
    """

    person_id: str
    start: date
    end: date | None
    episodes: tuple[CareEpisode, ...]

    def covers(self, on: date) -> bool:
        """Whether the child was looked after in this period on ``on`` (both ends count)."""
        return self.start <= on and (self.end is None or on <= self.end)


def periods_of_care(episodes: Iterable[CareEpisode]) -> tuple[PeriodOfCare, ...]:
    """Join one child's episodes into periods of care, in date order.

    The order of ``episodes`` does not matter. All must be of one child
    (:class:`~cypmh.errors.InvalidValueError` otherwise).
    """
    ordered = sorted(episodes, key=lambda e: (e.start, e.end or date.max))
    if len({e.person_id for e in ordered}) > 1:
        raise InvalidValueError(
            "periods_of_care", "episodes", "several children", "must be of one child"
        )
    periods: list[PeriodOfCare] = []
    for episode in ordered:
        last = periods[-1] if periods else None
        if last is not None and (last.end is None or episode.start <= last.end):
            end = None if last.end is None or episode.end is None else max(last.end, episode.end)
            periods[-1] = attrs.evolve(last, end=end, episodes=(*last.episodes, episode))
        else:
            periods.append(
                PeriodOfCare(
                    person_id=episode.person_id,
                    start=episode.start,
                    end=episode.end,
                    episodes=(episode,),
                )
            )
    return tuple(periods)


def periods_of_care_frame(episodes: Frame) -> Frame:
    """:func:`periods_of_care` over a frame of every child's episodes (the dataframe engine's).

    ``episodes`` has ``person_id``, ``start``, ``start_ymd`` and ``end`` (day
    numbers; ``end`` missing while open), as the ``care_episodes`` table. One row
    per period: ``person_id``, ``period_no``, ``start``, ``start_ymd`` and ``end``
    (missing while open). As above: within a child, in order of start (then end),
    an episode continues the period when it starts on or before the latest end so
    far, and an open episode keeps the period open.
    """
    col = nw.col
    order = ["start", "end_or_open"]
    ordered = episodes.select(
        "person_id", "start", "start_ymd", col("end").fill_null(OPEN_END).alias("end_or_open")
    )
    ordered = number_runs(
        ordered,
        ["person_id"],
        order,
        start="start",
        end="end_or_open",
        within=0,
        name="period_no",
    )
    periods = ordered.group_by("person_id", "period_no").agg(
        col("start").min(), col("start_ymd").min(), col("end_or_open").max()
    )
    return periods.with_columns(
        nw.when(col("end_or_open") < OPEN_END).then(col("end_or_open")).alias("end")
    ).drop("end_or_open")


class AssessmentStatus(enum.Enum):
    """Where a child in care stands with their initial mental health and wellbeing assessment."""

    NOT_YET_DUE = "not_yet_due"
    DUE = "due"
    DONE_IN_WINDOW = "done_in_window"
    DONE_EARLY = "done_early"
    DONE_LATE = "done_late"
    OVERDUE = "overdue"
    LEFT_CARE_BEFORE_DUE = "left_care_before_due"


@attrs.frozen(kw_only=True)
class AssessmentWindow:
    """When the initial mental health and wellbeing assessment is due, relative to entry to care.

    By default from 4 to 6 calendar months after the period of care starts,
    as the 2025 recommendations for children in care propose (a
    recommendation of the UCL / UK Trauma Council report, not a statutory rule).
    Both ends of the window count.
    """

    opens_after_months: int = 4
    closes_after_months: int = 6

    def __attrs_post_init__(self) -> None:
        """Check that the window is not empty."""
        if not 0 <= self.opens_after_months <= self.closes_after_months:
            raise InvalidValueError(
                "AssessmentWindow",
                "closes_after_months",
                self.closes_after_months,
                f"must be >= opens_after_months ({self.opens_after_months}), itself >= 0",
            )

    def bounds(self, entered_care: date) -> tuple[date, date]:
        """The first and last day of the window for a child who entered care on ``entered_care``."""
        return (
            add_months(entered_care, self.opens_after_months),
            add_months(entered_care, self.closes_after_months),
        )


def wellbeing_assessment_status(
    period: PeriodOfCare,
    assessments: Iterable[WellbeingAssessment],
    on: date,
    window: AssessmentWindow | None = None,
) -> AssessmentStatus:
    """The status of the initial assessment for ``period`` of care, on ``on``.

    Only assessments from entry to care up to ``on`` count. In this order:

    - done in the window, if any assessment falls in it;
    - done early, if one was made after entry but before the window;
    - left care before it was due, if the period ended before the window opened;
    - not yet due, before the window opens; due, while it is open;
    - done late, if one was made after the window closed; otherwise overdue.
    """
    opens, closes = (window or AssessmentWindow()).bounds(period.start)
    made = [
        a.date
        for a in assessments
        if a.person_id == period.person_id and period.start <= a.date <= on
    ]
    if any(opens <= d <= closes for d in made):
        return AssessmentStatus.DONE_IN_WINDOW
    if any(d < opens for d in made):
        return AssessmentStatus.DONE_EARLY
    if period.end is not None and period.end < opens and period.end <= on:
        return AssessmentStatus.LEFT_CARE_BEFORE_DUE
    if on < opens:
        return AssessmentStatus.NOT_YET_DUE
    if on <= closes:
        return AssessmentStatus.DUE
    return AssessmentStatus.DONE_LATE if made else AssessmentStatus.OVERDUE


def first_assessment(
    period: PeriodOfCare, assessments: Iterable[WellbeingAssessment]
) -> date | None:
    """The first assessment made while the child was in ``period`` of care, both ends included.

    ``None`` if there is none. An assessment before entry, after the child left care, or
    in another period of care is not this period's.

    >>> from datetime import date
    >>> from cypmh.model import CareEpisode, WellbeingAssessment
    >>> (period,) = periods_of_care([CareEpisode(person_id="C", start=date(2024, 6, 10),
    ...                                          end=date(2025, 1, 31))])
    >>> made = [WellbeingAssessment(person_id="C", date=date(y, m, d))
    ...         for y, m, d in ((2024, 6, 1), (2024, 11, 1), (2024, 12, 1), (2025, 2, 1))]
    >>> first_assessment(period, made)
    datetime.date(2024, 11, 1)
    """
    return min(
        (a.date for a in assessments if a.person_id == period.person_id and period.covers(a.date)),
        default=None,
    )


def wellbeing_status_of(
    area: Area, person_id: str, on: date, window: AssessmentWindow | None = None
) -> AssessmentStatus | None:
    """The status for the child's latest period of care started by ``on``; ``None`` if none."""
    started = [p for p in periods_of_care(area.care_episodes_of(person_id)) if p.start <= on]
    if not started:
        return None
    return wellbeing_assessment_status(
        started[-1], area.wellbeing_assessments_of(person_id), on, window
    )


@attrs.frozen(kw_only=True)
class SdqAgeRule:
    """Which ages are eligible for an SDQ, and on which day of the year each bound is taken.

    The year is the 12 months ending on the collection date (31 March).
    """

    name: str
    min_age: int
    min_age_on: Literal["year_start", "year_end"]
    max_age: int
    max_age_on: Literal["year_start", "year_end"]

    def admits(self, child: Child, year_start: date, year_end: date) -> bool:
        """Whether ``child``'s age fits the rule for the year ``year_start``..``year_end``."""
        when = {"year_start": year_start, "year_end": year_end}
        low_day, high_day = when[self.min_age_on], when[self.max_age_on]
        if child.birth_date > low_day or child.birth_date > high_day:
            return False
        return child.age_on(low_day) >= self.min_age and child.age_on(high_day) <= self.max_age


DFE_COLLECTION_AGES = SdqAgeRule(
    name="dfe_collection", min_age=4, min_age_on="year_start", max_age=16, max_age_on="year_end"
)
"""The DfE collection's expectation: aged 4 or over at the start of the year and under 17 at
its end (data-to-insight/csc-validator-be-903, ``rule_186.py``)."""

PUBLISHED_STATISTICS_AGES = SdqAgeRule(
    name="published_statistics", min_age=5, min_age_on="year_end", max_age=16, max_age_on="year_end"
)
"""The published measure's ages: 5 to 16 at 31 March (LG Inform metric 2135)."""


def sdq_eligible(
    child: Child,
    episodes: Iterable[CareEpisode],
    year_end: date,
    age_rule: SdqAgeRule = DFE_COLLECTION_AGES,
) -> bool:
    """Whether ``child`` should have an SDQ in the year ending ``year_end`` (usually 31 March).

    Looked after continuously for at least 12 months at ``year_end``: cypmh
    reads this as one period of care covering every day of the 12 months
    ending on ``year_end`` (so it began on or before the first of them); and
    of an age that ``age_rule`` admits.
    """
    year_start = add_months(year_end, -12) + timedelta(days=1)
    continuous = any(
        p.start <= year_start and p.covers(year_end) for p in periods_of_care(episodes)
    )
    return continuous and age_rule.admits(child, year_start, year_end)
