"""Children and their contact with children's social care."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import attrs

from cypmh.codes import SdqReason, SocialCareStatus, SocialWorkType
from cypmh.errors import InvalidValueError
from cypmh.model import _rules as r

__all__ = [
    "AssessmentFactor",
    "CareEpisode",
    "Child",
    "SdqReturn",
    "SocialWorkInvolvement",
    "WellbeingAssessment",
    "sdq_for_year",
    "social_care_status_on",
]


@attrs.frozen(kw_only=True)
class Child:
    """A child or young person, identified by a pseudonymised id.

    The fields follow MHSDS ``MHS001MPI`` (``Person_ID``, ``PersonBirthDate``,
    ``Gender``, ``EthnicCategory``, ``LADistrictAuth``, ``LSOA2011``,
    ``LSOA2021``, ``OrgIDEduEstab``): ``lsoa`` is the 2011 LSOA, which IoD2019
    is published on, and ``lsoa2021`` the 2021 one, IoD2025's. Codes not in
    cypmh's reference data (gender, ethnic category, geography) are kept as the
    code strings given.

    >>> child = Child(person_id="P1", birth_date=date(2012, 2, 29))
    >>> child.age_on(date(2024, 2, 28)), child.age_on(date(2024, 2, 29))
    (11, 12)
    """

    person_id: str = attrs.field(validator=r.IDENTIFIER)
    birth_date: date = attrs.field(validator=r.a_date)
    gender: str | None = attrs.field(default=None, validator=r.optional(r.SHORT_CODE))
    ethnic_category: str | None = attrs.field(default=None, validator=r.optional(r.SHORT_CODE))
    la_district: str | None = attrs.field(default=None, validator=r.optional(r.SHORT_CODE))
    lsoa: str | None = attrs.field(default=None, validator=r.optional(r.SHORT_CODE))
    lsoa2021: str | None = attrs.field(default=None, validator=r.optional(r.SHORT_CODE))
    school_urn: str | None = attrs.field(default=None, validator=r.optional(r.SCHOOL_URN))

    def age_on(self, on: date) -> int:
        """Age in whole years on ``on``: the number of birthdays reached by then.

        A child born on 29 February has their birthday on 1 March in other
        years. Asking for a date before birth raises
        :class:`~cypmh.errors.InvalidValueError`.
        """
        if on < self.birth_date:
            raise InvalidValueError(
                "Child", "age_on", on, f"must not be before birth_date ({self.birth_date})"
            )
        before_birthday = (on.month, on.day) < (self.birth_date.month, self.birth_date.day)
        return on.year - self.birth_date.year - int(before_birthday)


@attrs.frozen(kw_only=True)
class CareEpisode:
    """An episode of being looked after (SSDA903 ``episodes.csv``).

    ``start`` is ``DECOM`` and ``end`` is ``DEC`` (``None`` while open). A new
    episode starts at every change of legal status or placement, so one period
    of care is usually several episodes; ``reason_new_episode`` (``RNE``),
    ``legal_status`` (``LS``), ``category_of_need`` (``CIN``), ``placement``
    (``PLACE``) and ``reason_ceased`` (``REC``) are the return's codes, kept
    as given.
    """

    person_id: str = attrs.field(validator=r.IDENTIFIER)
    start: date = attrs.field(validator=r.a_date)
    end: date | None = attrs.field(
        default=None, validator=[r.optional(r.a_date), r.not_before("start")]
    )
    legal_status: str | None = attrs.field(default=None, validator=r.optional(r.SHORT_CODE))
    placement: str | None = attrs.field(default=None, validator=r.optional(r.SHORT_CODE))
    reason_new_episode: str | None = attrs.field(default=None, validator=r.optional(r.SHORT_CODE))
    category_of_need: str | None = attrs.field(default=None, validator=r.optional(r.SHORT_CODE))
    reason_ceased: str | None = attrs.field(
        default=None, validator=[r.optional(r.SHORT_CODE), r.requires("end")]
    )

    def covers(self, on: date) -> bool:
        """Whether the child was looked after in this episode on ``on``.

        Both ends count: the child is looked after on the day the episode
        starts and on the day it ends.
        """
        return self.start <= on and (self.end is None or on <= self.end)


@attrs.frozen(kw_only=True)
class SocialWorkInvolvement:
    """A period as a child in need or on a child protection plan (``social_work.csv``)."""

    person_id: str = attrs.field(validator=r.IDENTIFIER)
    kind: SocialWorkType = attrs.field(validator=r.member_of(SocialWorkType))
    start: date = attrs.field(validator=r.a_date)
    end: date | None = attrs.field(
        default=None, validator=[r.optional(r.a_date), r.not_before("start")]
    )

    def covers(self, on: date) -> bool:
        """Whether the involvement was open on ``on`` (both ends count)."""
        return self.start <= on and (self.end is None or on <= self.end)


@attrs.frozen(kw_only=True)
class SdqReturn:
    """A looked-after child's Strengths and Difficulties Questionnaire return.

    Either ``score`` (the carer-completed total difficulties score, 0 to 40)
    or ``reason`` (why there is no score) is given, never both and never
    neither. ``date`` is when the SDQ was completed: the SSDA903 ``OC2`` return
    has none (it is the year's one return), while the Standard Safeguarding
    Dataset's ``ssd_sdq_scores`` dates each SDQ (``csdq_sdq_completed_date``).
    A child has at most one undated return and one return per date;
    :func:`sdq_for_year` chooses the one a year counts.
    """

    person_id: str = attrs.field(validator=r.IDENTIFIER)
    date: date | None = attrs.field(default=None, validator=r.optional(r.a_date))
    score: int | None = attrs.field(default=None, validator=r.optional(r.whole_number(0, 40)))
    reason: SdqReason | None = attrs.field(
        default=None, validator=r.optional(r.member_of(SdqReason))
    )

    def __attrs_post_init__(self) -> None:
        """Check that exactly one of score and reason is given."""
        if (self.score is None) == (self.reason is None):
            raise InvalidValueError(
                "SdqReturn",
                "score",
                self.score,
                "exactly one of score and reason must be given",
            )


def sdq_for_year(returns: Iterable[SdqReturn], year_end: date) -> SdqReturn | None:
    """The return a child's SDQ counts for the collection year ending ``year_end`` (a 31 March).

    The latest dated SDQ completed in the year (the day after the previous 31
    March to ``year_end``, both included), as the Standard Safeguarding
    Dataset's guidance for ``csdq_sdq_score`` reads "the date of the last
    assessment"; without one, the undated OC2 return, which the DfE
    collection takes as the year's. Dated SDQs of other years are not read.

    >>> oc2 = SdqReturn(person_id="C1", score=20)
    >>> may, jan = (SdqReturn(person_id="C1", score=s, date=d)
    ...             for s, d in ((12, date(2024, 5, 1)), (9, date(2025, 1, 6))))
    >>> sdq_for_year([oc2, may, jan], date(2025, 3, 31)).score
    9
    >>> sdq_for_year([oc2, may, jan], date(2024, 3, 31)).score  # no dated SDQ in 2023-24
    20
    >>> sdq_for_year([may], date(2026, 3, 31)) is None
    True
    """
    start = date(year_end.year - 1, year_end.month, year_end.day) + timedelta(days=1)
    dated = [s for s in returns if s.date is not None and start <= s.date <= year_end]
    if dated:
        return max(dated, key=lambda s: s.date or year_end)
    return next((s for s in returns if s.date is None), None)


@attrs.frozen(kw_only=True)
class WellbeingAssessment:
    """An initial mental health and wellbeing assessment of a child in care.

    From ``ssda903/mh_assessments.csv``. The 2025 recommendations ask for one
    4 to 6 months after a child enters care.
    """

    person_id: str = attrs.field(validator=r.IDENTIFIER)
    date: date = attrs.field(validator=r.a_date)


@attrs.frozen(kw_only=True)
class AssessmentFactor:
    """A factor identified at the end of a child-in-need assessment.

    From ``ssda903/assessment_factors.csv``, the SSD's ``ssd_assessment_factors``,
    the CIN census's ``<FactorsIdentifiedAtAssessment>`` or the DfE API's
    assessment ``factors``. ``date`` is the day the assessment was completed
    and authorised (the census's ``AssessmentAuthorisationDate``), when the
    factors are as understood at its end; ``factor`` is a code of the DfE's
    list (:func:`cypmh.codes.cin.assessment_factors`): ``4A`` is concerns about
    the child's mental health, ``15A`` self-harm.
    """

    person_id: str = attrs.field(validator=r.IDENTIFIER)
    date: date = attrs.field(validator=r.a_date)
    factor: str = attrs.field(validator=r.SHORT_CODE)


def social_care_status_on(
    on: date,
    care_episodes: Iterable[CareEpisode],
    involvements: Iterable[SocialWorkInvolvement] = (),
) -> SocialCareStatus:
    """A child's social-care status on ``on``, from their episodes and involvements.

    Looked after if an episode covers the date; else on a child protection
    plan if a plan covers it; else a child in need if such an involvement
    covers it; else none. (A looked-after child is also a child in need; the
    order of precedence makes each child count once.) The order of the
    records does not matter.

    >>> cpp = SocialWorkInvolvement(
    ...     person_id="P1", kind=SocialWorkType.CHILD_PROTECTION_PLAN, start=date(2024, 1, 1)
    ... )
    >>> social_care_status_on(date(2024, 3, 1), [], [cpp])
    <SocialCareStatus.CHILD_PROTECTION_PLAN: 'child_protection_plan'>
    """
    if any(episode.covers(on) for episode in care_episodes):
        return SocialCareStatus.LOOKED_AFTER
    kinds = {i.kind for i in involvements if i.covers(on)}
    if SocialWorkType.CHILD_PROTECTION_PLAN in kinds:
        return SocialCareStatus.CHILD_PROTECTION_PLAN
    if SocialWorkType.CHILD_IN_NEED in kinds:
        return SocialCareStatus.CHILD_IN_NEED
    return SocialCareStatus.NONE
