"""The CYP eating-disorder wait (domain reference 5.4).

The clock stops at the first contact on or after receipt that was attended, through an
accepted mechanism (01, 02; 03 to 1458; 11 from 1459; 04 from 1501), with a treatment code
valid in the contact's month (ed_treatment_codes.csv). Urgent = priority 1, 2, 4 (target
7 days); routine = 3 (target 28 days).
"""

from datetime import date, timedelta

import pytest

from cypmh.codes import ClinicalPriority, EdPriorityGroup
from cypmh.pathways import eating_disorder_wait, enters_treatment, is_eating_disorder_referral
from tests.spec.pathways.timeline import ATTENDED, DNA, FAMILY_THERAPY, area, contact, referral

RECEIVED = date(2024, 5, 1)


def wait(priority, *contacts_spec):
    ref = referral("R1", RECEIVED, primary_reason="12", priority=priority)
    contacts = [
        contact(f"C{i}", ref, day, status, mechanism, *codes)
        for i, (day, status, mechanism, codes) in enumerate(contacts_spec)
    ]
    return eating_disorder_wait(area(referrals=[ref], contacts=contacts), "R1")


def test_urgent_treated_in_five_days():
    # 3 May: attended but no treatment code; 6 May: family therapy. 5 days <= 7: within target.
    result = wait(
        ClinicalPriority.URGENT,
        (date(2024, 5, 3), ATTENDED, "01", ()),
        (date(2024, 5, 6), ATTENDED, "01", (FAMILY_THERAPY,)),
    )
    assert result.priority_group is EdPriorityGroup.URGENT
    assert (result.treatment_start, result.days, result.within_target, result.band) == (
        date(2024, 5, 6),
        5,
        True,
        "0-1",
    )


@pytest.mark.parametrize(
    ("priority", "days", "within"),
    [
        (ClinicalPriority.EMERGENCY, 7, True),
        (ClinicalPriority.VERY_URGENT, 8, False),
        (ClinicalPriority.ROUTINE, 28, True),
        (ClinicalPriority.ROUTINE, 29, False),
    ],
)
def test_targets(priority, days, within):
    result = wait(priority, (RECEIVED + timedelta(days=days), ATTENDED, "02", (FAMILY_THERAPY,)))
    assert result.within_target is within


@pytest.mark.parametrize(
    ("days", "band"),
    [(0, "0-1"), (7, "0-1"), (8, "1-4"), (28, "1-4"), (29, "4-12"), (84, "4-12"), (85, "12+")],
)
def test_bands_include_their_upper_bound(days, band):
    # weeks = days / 7: 7 days = 1 week (<= 1), 28 = 4 weeks, 84 = 12 weeks.
    assert (
        wait(
            ClinicalPriority.ROUTINE,
            (RECEIVED + timedelta(days=days), ATTENDED, "01", (FAMILY_THERAPY,)),
        ).band
        == band
    )


def test_still_waiting():
    result = wait(ClinicalPriority.ROUTINE, (date(2024, 5, 3), DNA, "01", (FAMILY_THERAPY,)))
    assert (result.treatment_start, result.days, result.band, result.within_target) == (
        None,
        None,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("day", "mechanism", "code", "enters", "why"),
    [
        (date(2025, 3, 10), "01", "1111811000000109", True, "CBT-ED valid to 1500 (Mar 2025)"),
        (date(2025, 4, 10), "01", "1111811000000109", False, "CBT-ED retired after 1500"),
        (date(2025, 4, 10), "01", "1833011000000101", True, "guided self-help for BN from 1501"),
        (date(2025, 3, 10), "01", "1833011000000101", False, "not yet valid in 1500"),
        (date(2025, 3, 10), "04", FAMILY_THERAPY, False, "04 accepted only from 1501"),
        (date(2025, 4, 10), "04", FAMILY_THERAPY, True, "04 from Apr 2025"),
        (date(2021, 9, 10), "03", FAMILY_THERAPY, True, "03 up to 1458"),
        (date(2021, 10, 10), "03", FAMILY_THERAPY, False, "03 invalid from 1459"),
        (date(2021, 10, 10), "11", FAMILY_THERAPY, True, "video from 1459"),
        (date(2024, 6, 1), "05", FAMILY_THERAPY, False, "email is not accepted"),
    ],
)
def test_entering_treatment_is_effective_dated(day, mechanism, code, enters, why):
    ref = referral("R1", date(2021, 1, 1), primary_reason="12")
    assert enters_treatment(contact("C1", ref, day, ATTENDED, mechanism, code)) is enters, why


def test_eating_disorder_referral():
    assert is_eating_disorder_referral(referral("R1", RECEIVED, primary_reason="12"))
    assert not is_eating_disorder_referral(referral("R1", RECEIVED, primary_reason="05"))
