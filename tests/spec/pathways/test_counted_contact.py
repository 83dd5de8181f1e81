"""Counted contact (domain reference 4): attended 5/6, a counting mechanism in the contact's month.

Mechanism validity and the digital-only group come from consultation_mechanisms.csv:
01/02/04/11 count from 1459 (Oct 2021); before, 01-04 and 98 count; 05, 06 (pre-v5),
09, 10, 13 count only for Kooth (DFC) and TellMi (S9X2N); 12 never counts.
"""

from datetime import date

import pytest

from cypmh.codes import AttendStatus
from cypmh.pathways import ContactRule
from tests.spec.pathways.timeline import contact, referral

REF = referral("R1", date(2019, 6, 1))
RULE = ContactRule()
PRE_V5 = date(2021, 5, 10)  # UniqMonthID 1454
V5 = date(2022, 1, 10)  # UniqMonthID 1462


@pytest.mark.parametrize(
    ("day", "status", "mechanism", "provider", "counts", "why"),
    [
        (V5, AttendStatus.ATTENDED_ON_TIME, "01", "RXT", True, "attended face to face"),
        (V5, AttendStatus.ATTENDED_LATE_SEEN, "11", "RXT", True, "arrived late but seen, by video"),
        (V5, AttendStatus.DID_NOT_ATTEND, "01", "RXT", False, "did not attend"),
        (
            V5,
            AttendStatus.ATTENDED_LATE_NOT_SEEN,
            "01",
            "RXT",
            False,
            "arrived late and not seen (7)",
        ),
        (V5, AttendStatus.CANCELLED_BY_PROVIDER, "02", "RXT", False, "cancelled"),
        (V5, AttendStatus.ATTENDED_ON_TIME, None, "RXT", False, "no mechanism recorded"),
        (PRE_V5, AttendStatus.ATTENDED_ON_TIME, "03", "RXT", True, "pre-v5 telemedicine counts"),
        (V5, AttendStatus.ATTENDED_ON_TIME, "03", "RXT", False, "03 is not a v5 code"),
        (
            PRE_V5,
            AttendStatus.ATTENDED_ON_TIME,
            "98",
            "RXT",
            True,
            "pre-v5 'other' counts (publication rule)",
        ),
        (V5, AttendStatus.ATTENDED_ON_TIME, "98", "RXT", False, "v5 'other' does not count"),
        (V5, AttendStatus.ATTENDED_ON_TIME, "05", "RXT", False, "email: digital providers only"),
        (V5, AttendStatus.ATTENDED_ON_TIME, "05", "DFC", True, "email with Kooth"),
        (V5, AttendStatus.ATTENDED_ON_TIME, "13", "S9X2N", True, "chat room with TellMi"),
        (V5, AttendStatus.ATTENDED_ON_TIME, "12", "DFC", False, "message board never counts"),
        (PRE_V5, AttendStatus.ATTENDED_ON_TIME, "06", "DFC", True, "pre-v5 SMS with Kooth"),
        (
            V5,
            AttendStatus.ATTENDED_ON_TIME,
            "06",
            "DFC",
            False,
            "06 is not a v5 code (SMS moved to 09)",
        ),
    ],
)
def test_counted_contact(day, status, mechanism, provider, counts, why):
    assert RULE.counts(contact("C1", REF, day, status, mechanism), provider) is counts, why


def test_the_digital_provider_exception_is_configuration():
    email = contact("C1", REF, V5, AttendStatus.ATTENDED_ON_TIME, "05")
    assert ContactRule(digital_providers=frozenset()).counts(email, "DFC") is False
    assert ContactRule(digital_providers=frozenset({"RXT"})).counts(email, "RXT") is True
