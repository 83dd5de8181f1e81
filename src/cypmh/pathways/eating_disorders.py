"""The CYP eating-disorder waiting-time pathway (ED86e, ED87e and their counts).

Standard (2015): 95% of children and young people referred for an eating
disorder start NICE-approved treatment within 1 week if urgent, 4 weeks if
routine. MHSDS implementation: NHSD ``menh_publications/notebooks/
04a_CYP_ED_WaitingTimes`` (``PrepViews.sql``, ``LoadRefData.sql``); domain
reference, section 5.4.
"""

from __future__ import annotations

from datetime import date

import attrs

from cypmh import codes
from cypmh.codes import AttendanceClass, EdPriorityGroup
from cypmh.model import Area, Contact, Referral
from cypmh.periods import uniq_month_id

__all__ = [
    "EATING_DISORDER_REASON",
    "TARGET_DAYS",
    "EdWait",
    "eating_disorder_wait",
    "enters_treatment",
    "is_eating_disorder_referral",
    "second_treatment",
    "treatment_rows",
]

EATING_DISORDER_REASON = "12"
"""``PrimReasonReferralMH`` of an eating-disorder referral (table ``referral_reasons``)."""

TARGET_DAYS = {EdPriorityGroup.URGENT: 7, EdPriorityGroup.ROUTINE: 28}
"""The standard: treatment within 1 week (urgent) or 4 weeks (routine), in days."""


def is_eating_disorder_referral(referral: Referral) -> bool:
    """Whether the primary reason for referral is an eating disorder (code 12)."""
    return referral.primary_reason == EATING_DISORDER_REASON


def enters_treatment(contact: Contact) -> bool:
    """Whether ``contact`` stops the eating-disorder clock ("entering treatment").

    Attended (5 or 6), through a consultation mechanism accepted in the month
    of the contact (``codes.ed_consultation_mechanisms``), with a care activity
    coded as a NICE-concordant treatment valid in that month
    (``codes.ed_treatment_codes``).
    """
    if contact.attend_status.attendance is not AttendanceClass.ATTENDED:
        return False
    month = uniq_month_id(contact.date)
    mechanism = contact.consultation_mechanism
    if mechanism is None or not codes.ed_consultation_mechanisms().is_valid(mechanism, month):
        return False
    treatments = codes.ed_treatment_codes()
    return any(treatments.is_valid(code, month) for code in contact.procedures)


def treatment_rows(contact: Contact) -> int:
    """How many rows ``contact`` gives the publication's treatment contacts (0 if it gives none).

    ``PrepViews.sql``'s ``CYP_ED_WT_STEP2`` joins a contact that :func:`enters_treatment`
    to each of its care activities coded as a treatment valid in its month, so a contact
    is as many rows as it has such codes (a code recorded twice, twice).
    """
    if not enters_treatment(contact):
        return 0
    month = uniq_month_id(contact.date)
    treatments = codes.ed_treatment_codes()
    return sum(treatments.is_valid(code, month) for code in contact.procedures)


def second_treatment(area: Area, referral_id: str) -> date | None:
    """The day of the referral's second treatment contact as the publication numbers them.

    ``PrepViews.sql``'s ``CYP_ED_WT_STEP3_prep`` numbers the treatment rows of a
    referral by date (``ROW_NUMBER() ... ORDER BY CareContDate``) and ``CYP_ED_WT_STEP7``
    takes row 2: the second row's day, which is the first contact's own day when that
    contact has two treatment codes (:func:`treatment_rows`). ``None`` with fewer rows.
    """
    referral = area.referral(referral_id)
    days = sorted(
        c.date
        for c in area.contacts_of(referral_id)
        if c.date >= referral.received_date
        for _ in range(treatment_rows(c))
    )
    return days[1] if len(days) > 1 else None


@attrs.frozen(kw_only=True)
class EdWait:
    """The eating-disorder wait of one referral.

    ``treatment_start`` is the date of the first contact on or after receipt
    that :func:`enters_treatment`; ``None`` while still waiting.
    """

    referral: Referral
    treatment_start: date | None

    @property
    def priority_group(self) -> EdPriorityGroup | None:
        """Urgent (priority 1, 2, 4) or routine (3); ``None`` without a priority."""
        return None if self.referral.priority is None else self.referral.priority.ed_group

    @property
    def days(self) -> int | None:
        """Days from receipt to the start of treatment."""
        if self.treatment_start is None:
            return None
        return (self.treatment_start - self.referral.received_date).days

    @property
    def weeks(self) -> float | None:
        """The wait in weeks (days / 7), as the publication bands it."""
        return None if self.days is None else self.days / 7

    @property
    def band(self) -> str | None:
        """The publication's wait band: ``"0-1"``, ``"1-4"``, ``"4-12"`` or ``"12+"`` weeks.

        Each band includes its upper bound: exactly 1 week is ``"0-1"``.
        """
        weeks = self.weeks
        if weeks is None:
            return None
        for upper, label in ((1, "0-1"), (4, "1-4"), (12, "4-12")):
            if weeks <= upper:
                return label
        return "12+"

    @property
    def within_target(self) -> bool | None:
        """Whether treatment started within 7 (urgent) or 28 (routine) days."""
        group = self.priority_group
        if group is None or self.days is None:
            return None
        return self.days <= TARGET_DAYS[group]


def eating_disorder_wait(area: Area, referral_id: str) -> EdWait:
    """The eating-disorder wait of the referral ``referral_id``.

    The clock stops at the first contact on or after the referral's receipt
    that :func:`enters_treatment`. Whether the referral belongs in the
    measures' cohort (reason 12, age, team, priority, dates) is decided by the
    metrics, not here.
    """
    referral = area.referral(referral_id)
    starts = [
        c.date
        for c in area.contacts_of(referral_id)
        if c.date >= referral.received_date and enters_treatment(c)
    ]
    return EdWait(referral=referral, treatment_start=min(starts) if starts else None)
