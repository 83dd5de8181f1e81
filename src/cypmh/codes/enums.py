"""Short, fixed code lists as enums.

Each enum's members are its codes; everything else about a code (its label,
group, validity) is read from the package table named in :data:`SOURCE_TABLES`,
so a label is written in one place. ``tests/unit/test_codes.py`` checks that
every enum has exactly the codes of its table.

Enums marked *cypmh's own* are not national code lists: they name values that
cypmh itself defines (for example the precedence of social-care statuses).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Self

from cypmh.codes._tables import index_table, optional_int
from cypmh.errors import UnknownCodeError

__all__ = [
    "SOURCE_TABLES",
    "AttendStatus",
    "AttendanceClass",
    "ClinicalPriority",
    "ClosureReason",
    "CodedEnum",
    "EdPriorityGroup",
    "Rater",
    "RejectionReason",
    "ScoreDirection",
    "SdqBand",
    "SdqReason",
    "SocialCareStatus",
    "SocialWorkType",
]


class CodedEnum(enum.Enum):
    """An enum whose values are code strings read from a package table."""

    value: str

    @property
    def code(self) -> str:
        """The code as it is written in the data (leading zeros kept)."""
        return self.value

    @property
    def row(self) -> Mapping[str, str]:
        """This code's row of its source table."""
        table, column = SOURCE_TABLES[type(self)]
        return index_table(table, column)[self.value]

    @property
    def description(self) -> str:
        """The label of the code in its source table."""
        for key in ("description", "label"):
            if key in self.row:
                return self.row[key]
        return self.value

    @classmethod
    def from_code(cls, code: str, *, owner: str | None = None, field: str = "code") -> Self:
        """Return the member whose code is ``code``.

        Raises :class:`~cypmh.errors.UnknownCodeError` naming ``owner.field``
        (default: the enum) for anything else; ``"5"`` is not ``"05"``.

        >>> AttendStatus.from_code("3")
        <AttendStatus.DID_NOT_ATTEND: '3'>
        >>> ClosureReason.from_code("2")
        Traceback (most recent call last):
        cypmh.errors.UnknownCodeError: ClosureReason.code = '2': not a code in the ClosureReason
        list
        """
        for member in cls:
            if member.value == code:
                return member
        raise UnknownCodeError(owner or cls.__name__, field, code, cls.__name__)


class AttendanceClass(enum.Enum):
    """How an attendance status counts (cypmh's own names for the groups).

    The grouping is NHS England's ``Der_AttendDNA`` (nhsengland/MHSDS,
    ``CYP Dashboard``): attended 5, 6; did not attend 3, 7; cancelled 2, 4;
    code 0 is not applicable (the NHS Data Dictionary).
    """

    ATTENDED = "attended"
    DNA = "dna"
    CANCELLED = "cancelled"
    NOT_APPLICABLE = "not_applicable"


class AttendStatus(CodedEnum):
    """MHSDS ``AttendStatus``: whether a care contact took place (table ``attend_status``)."""

    NOT_APPLICABLE = "0"
    CANCELLED_BY_PATIENT = "2"
    DID_NOT_ATTEND = "3"
    CANCELLED_BY_PROVIDER = "4"
    ATTENDED_ON_TIME = "5"
    ATTENDED_LATE_SEEN = "6"
    ATTENDED_LATE_NOT_SEEN = "7"

    @property
    def attendance(self) -> AttendanceClass:
        """The group this status belongs to, from the table's ``class`` column."""
        return AttendanceClass(self.row["class"])

    @classmethod
    def codes_of(cls, *classes: AttendanceClass) -> tuple[str, ...]:
        """The codes of the statuses in ``classes``, in the table's order.

        >>> AttendStatus.codes_of(AttendanceClass.DNA)
        ('3', '7')
        """
        return tuple(status.value for status in cls if status.attendance in classes)


class EdPriorityGroup(enum.Enum):
    """Urgent or routine, as the CYP eating-disorder waiting-time measures group priorities."""

    URGENT = "urgent"
    ROUTINE = "routine"


class ClinicalPriority(CodedEnum):
    """MHSDS ``ClinRespPriorityType`` (table ``clinical_response_priority``)."""

    EMERGENCY = "1"
    URGENT = "2"
    ROUTINE = "3"
    VERY_URGENT = "4"

    @property
    def ed_group(self) -> EdPriorityGroup:
        """Urgent (1, 2, 4) or routine (3) for the eating-disorder waits."""
        return EdPriorityGroup(self.row["ed_priority_group"])

    def valid_in(self, month_id: int) -> bool:
        """Whether the code is valid in MHSDS month ``month_id`` (4 only from 1459)."""
        low = optional_int(self.row["valid_from_uniqmonthid"])
        high = optional_int(self.row["valid_to_uniqmonthid"])
        return (low is None or low <= month_id) and (high is None or month_id <= high)


class _DashboardReason(CodedEnum):
    """A referral outcome's reason, grouped as NHS England's CYP dashboard reports it."""

    @property
    def nhse_group(self) -> str:
        """The category NHS England's CYP dashboard reports this reason under."""
        return self.row["nhse_group"]


class RejectionReason(_DashboardReason):
    """MHSDS ``ReferRejectReason`` (table ``referral_rejection_reasons``)."""

    DUPLICATE = "01"
    INAPPROPRIATE = "02"
    INCOMPLETE = "03"


class ClosureReason(_DashboardReason):
    """MHSDS ``ReferClosReason`` (table ``referral_closure_reasons``).

    The groups are verified; the individual labels are not (see the table's
    ``verified`` column), so display them with that caveat.
    """

    ADMITTED = "01"
    TREATMENT_COMPLETED = "02"
    MOVED_OUT_OF_AREA = "03"
    FURTHER_TREATMENT_NOT_APPROPRIATE = "04"
    DID_NOT_ATTEND = "05"
    DIED = "06"
    PATIENT_REQUESTED_DISCHARGE = "07"
    REFERRED_ELSEWHERE = "08"
    REFUSED_TO_BE_SEEN = "09"


class SdqReason(CodedEnum):
    """SSDA903 OC2 ``SDQ_REASON``: why a looked-after child has no SDQ score."""

    UNDER_4_OR_OVER_16 = "SDQ1"
    CARER_REFUSED = "SDQ2"
    DISABILITY = "SDQ3"
    OTHER = "SDQ4"
    CHILD_REFUSED = "SDQ5"


class SdqBand(CodedEnum):
    """Bands of the carer-completed SDQ total difficulties score (table ``sdq``)."""

    NORMAL = "normal"
    BORDERLINE = "borderline"
    CONCERN = "concern"

    @property
    def score_range(self) -> tuple[int, int]:
        """The inclusive range of total difficulties scores in the band."""
        return int(self.row["from_score"]), int(self.row["to_score"])

    @classmethod
    def of(cls, score: int) -> SdqBand:
        """Return the band of a total difficulties score (0 to 40).

        >>> SdqBand.of(13), SdqBand.of(14), SdqBand.of(17)
        (<SdqBand.NORMAL: 'normal'>, <SdqBand.BORDERLINE: 'borderline'>,
         <SdqBand.CONCERN: 'concern'>)
        """
        for band in cls:
            low, high = band.score_range
            if low <= score <= high:
                return band
        raise UnknownCodeError("SdqBand", "score", score, "SdqBand (scores 0 to 40)")


class SocialWorkType(CodedEnum):
    """Social-work involvement short of care, as ``STATUS`` in ``ssda903/social_work.csv``.

    Codes from cypmh's extract contract (:mod:`cypmh.io.contract`).
    """

    CHILD_IN_NEED = "CIN"
    CHILD_PROTECTION_PLAN = "CPP"


class SocialCareStatus(enum.Enum):
    """A child's children's-social-care status on a date (cypmh's own).

    When several apply, the first in this order wins: looked after, child
    protection plan, child in need, none.
    """

    LOOKED_AFTER = "looked_after"
    CHILD_PROTECTION_PLAN = "child_protection_plan"
    CHILD_IN_NEED = "child_in_need"
    NONE = "none"

    @property
    def precedence(self) -> int:
        """0 for the status that wins over all others, 3 for none."""
        return list(SocialCareStatus).index(self)


class Rater(enum.Enum):
    """Who completed a coded assessment, as the CYP outcome measures group raters."""

    SELF = "Self"
    PARENT = "Parent"
    CLINICIAN = "Clinician"


class ScoreDirection(enum.Enum):
    """Which way is better on a scale, as coded by NHS England (``cyp_ass_type_scaling``).

    ``POSITIVE``: a higher score is better; ``NEGATIVE``: a lower score is better.
    """

    POSITIVE = "positive"
    NEGATIVE = "negative"


SOURCE_TABLES: dict[type[CodedEnum], tuple[str, str]] = {
    AttendStatus: ("attend_status", "code"),
    ClinicalPriority: ("clinical_response_priority", "code"),
    RejectionReason: ("referral_rejection_reasons", "code"),
    ClosureReason: ("referral_closure_reasons", "code"),
    SdqReason: ("sdq_reasons", "code"),
    SdqBand: ("sdq", "band"),
    SocialWorkType: ("social_work_types", "code"),
}
"""For each table-backed enum: the package table and the column holding its codes."""
