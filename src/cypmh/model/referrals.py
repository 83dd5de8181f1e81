"""Referrals and what hangs off them: contacts, indirect activity, assessments, care plans."""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs

from cypmh import codes
from cypmh.codes import (
    AssessmentTool,
    AttendStatus,
    ClinicalPriority,
    ClosureReason,
    Rater,
    RejectionReason,
)
from cypmh.errors import InvalidValueError, UnknownCodeError
from cypmh.model import _rules as r

__all__ = ["CarePlan", "CodedAssessment", "Contact", "IndirectActivity", "Referral"]


@attrs.frozen(kw_only=True)
class Referral:
    """A referral to a mental health service (MHSDS ``MHS101Referral``, a service request).

    Every date is on or after ``received_date``. A rejection or closure reason
    is given only with its date. Codes are checked against their lists:
    ``source`` (``SourceOfReferralMH``), ``primary_reason``
    (``PrimReasonReferralMH``), ``team_type`` (``ServTeamType``).
    """

    referral_id: str = attrs.field(validator=r.IDENTIFIER)
    person_id: str = attrs.field(validator=r.IDENTIFIER)
    provider_code: str = attrs.field(validator=r.ODS_CODE)
    received_date: date = attrs.field(validator=r.a_date)
    source: str | None = attrs.field(
        default=None, validator=r.optional(r.code_in(codes.referral_sources))
    )
    priority: ClinicalPriority | None = attrs.field(
        default=None, validator=r.optional(r.member_of(ClinicalPriority))
    )
    primary_reason: str | None = attrs.field(
        default=None, validator=r.optional(r.code_in(codes.referral_reasons))
    )
    team_type: str | None = attrs.field(
        default=None, validator=r.optional(r.code_in(codes.team_types))
    )
    rejection_date: date | None = attrs.field(
        default=None, validator=[r.optional(r.a_date), r.not_before("received_date")]
    )
    rejection_reason: RejectionReason | None = attrs.field(
        default=None,
        validator=[r.optional(r.member_of(RejectionReason)), r.requires("rejection_date")],
    )
    closure_date: date | None = attrs.field(
        default=None, validator=[r.optional(r.a_date), r.not_before("received_date")]
    )
    closure_reason: ClosureReason | None = attrs.field(
        default=None,
        validator=[r.optional(r.member_of(ClosureReason)), r.requires("closure_date")],
    )
    discharge_date: date | None = attrs.field(
        default=None, validator=[r.optional(r.a_date), r.not_before("received_date")]
    )

    @property
    def is_rejected(self) -> bool:
        """Whether the referral was rejected (it has a rejection date)."""
        return self.rejection_date is not None

    @property
    def end_date(self) -> date | None:
        """The first of discharge, rejection and closure dates that is given, in that order.

        This is how NHS England's referral-spell code ends a referral
        (``4w_waits_prep.py``: ``ServDischDate``, then ``ReferRejectionDate``,
        then ``ReferClosureDate``).
        """
        for day in (self.discharge_date, self.rejection_date, self.closure_date):
            if day is not None:
                return day
        return None


@attrs.frozen(kw_only=True)
class Contact:
    """A direct care contact on a referral (MHSDS ``MHS201CareContact``).

    ``procedures`` are the SNOMED CT codes of its care activities
    (``MHS202CareActivity``), in the order recorded.
    """

    contact_id: str = attrs.field(validator=r.IDENTIFIER)
    referral_id: str = attrs.field(validator=r.IDENTIFIER)
    person_id: str = attrs.field(validator=r.IDENTIFIER)
    date: date = attrs.field(validator=r.a_date)
    attend_status: AttendStatus = attrs.field(validator=r.member_of(AttendStatus))
    consultation_mechanism: str | None = attrs.field(
        default=None, validator=r.optional(r.code_in(codes.consultation_mechanisms))
    )
    procedures: tuple[str, ...] = attrs.field(default=(), validator=r.snomed_codes)


@attrs.frozen(kw_only=True)
class IndirectActivity:
    """Indirect activity on a referral (``MHS204IndirectActivity``), without the child present.

    ``time`` is ``IndirectActTime`` as ``HH:MM:SS``, where the extract gives it.
    Activity on one referral, day and time is one activity where contacts are
    counted (:func:`cypmh.pathways.distinct_indirect`), as NHS England counts it;
    without a time, a referral's indirect activity on one day is one.
    """

    referral_id: str = attrs.field(validator=r.IDENTIFIER)
    person_id: str = attrs.field(validator=r.IDENTIFIER)
    date: date = attrs.field(validator=r.a_date)
    procedure: str | None = attrs.field(default=None, validator=r.optional(r.snomed))
    time: str | None = attrs.field(default=None, validator=r.optional(r.TIME_OF_DAY))


def _known_tool(instance: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    r.snomed(instance, attribute, value)
    if value not in codes.assessment_tools():
        raise UnknownCodeError(type(instance).__name__, attribute.name, value, "assessment_tools")


def _score_in_range(
    instance: CodedAssessment, attribute: attrs.Attribute[Any], value: float
) -> None:
    r.finite_number(instance, attribute, value)
    tool = instance.tool
    if not tool.accepts(value):
        raise InvalidValueError(
            "CodedAssessment",
            attribute.name,
            value,
            f"must be from {tool.min_score:g} to {tool.max_score:g} for {tool.scale}",
        )


@attrs.frozen(kw_only=True)
class CodedAssessment:
    """A scored assessment on a referral (``MHS606``/``MHS607``).

    ``tool_code`` is the scale's SNOMED CT concept, which must be in the
    assessment catalogue (:func:`cypmh.codes.assessment_tools`); ``score`` must
    lie in the scale's range. Who rated it comes from the catalogue.
    """

    referral_id: str = attrs.field(validator=r.IDENTIFIER)
    person_id: str = attrs.field(validator=r.IDENTIFIER)
    tool_code: str = attrs.field(validator=_known_tool)
    score: float = attrs.field(validator=_score_in_range)
    date: date = attrs.field(validator=r.a_date)

    @property
    def tool(self) -> AssessmentTool:
        """The scale assessed, from the catalogue."""
        return codes.assessment_tool(self.tool_code)

    @property
    def rater(self) -> Rater | None:
        """Who completed the assessment, as the catalogue says for the scale."""
        return self.tool.rater


def _agreements(value: Any) -> tuple[date | None, ...]:
    """Agreements in one order: undated ones first, then by date (as given otherwise)."""
    if isinstance(value, str | bytes) or not hasattr(value, "__iter__"):
        return value  # type: ignore[no-any-return]  # the validator names the fault
    days = tuple(value)
    try:
        return tuple(sorted(days, key=lambda day: (day is not None, day or date.min)))
    except TypeError:  # something that is not a date: the validator names it
        return days


def _agreement_dates(
    instance: CarePlan, attribute: attrs.Attribute[Any], value: tuple[date | None, ...]
) -> None:
    if not isinstance(value, tuple):
        raise InvalidValueError(
            "CarePlan", attribute.name, value, "must be a list of agreement dates"
        )
    for day in value:
        if day is not None:
            r.a_date(instance, attribute, day)
            if day < instance.created:
                raise InvalidValueError(
                    "CarePlan",
                    attribute.name,
                    day,
                    f"must not be before created ({instance.created})",
                )


@attrs.frozen(kw_only=True)
class CarePlan:
    """A care plan (``MHS008CarePlanType``) and its agreements (``MHS009CarePlanAgreement``).

    ``plan_type`` is MHSDS ``CarePlanTypeMH``, kept as given. ``agreements``
    holds the date of every agreement recorded for the plan (``None`` for an
    agreement with no date): monthly resubmissions and re-agreements give a
    plan several, and every one is kept. A plan counts for the waiting-time
    clock only when agreed (see :meth:`agreed_on`).

    >>> plan = CarePlan(care_plan_id="CP1", person_id="P1", plan_type="12",
    ...                 created=date(2024, 1, 5), agreements=[date(2024, 3, 1), None])
    >>> plan.agreements, plan.agreed_on(date(2023, 12, 31))
    ((None, datetime.date(2024, 3, 1)), True)
    """

    care_plan_id: str = attrs.field(validator=r.IDENTIFIER)
    person_id: str = attrs.field(validator=r.IDENTIFIER)
    plan_type: str = attrs.field(validator=r.SHORT_CODE)
    created: date = attrs.field(validator=r.a_date)
    last_updated: date | None = attrs.field(
        default=None, validator=[r.optional(r.a_date), r.not_before("created")]
    )
    agreements: tuple[date | None, ...] = attrs.field(
        default=(), converter=_agreements, validator=_agreement_dates
    )

    @property
    def agreed(self) -> bool:
        """Whether any agreement is recorded."""
        return bool(self.agreements)

    def agreed_on(self, day: date) -> bool:
        """Whether the plan was agreed as at ``day``: an agreement dated by then, or undated."""
        return any(a is None or a <= day for a in self.agreements)
