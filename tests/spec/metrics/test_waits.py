"""MHS130-MHS135: waits for a first contact. March 2025; the 3-month window is Jan-Mar 2025.

One child (born 2012) with eight referrals:
R1 received 6 Jan, first contact 20 Jan                     -> 14 days, in MHS130
R2 received 2 Dec 2024, missed 10 Dec, seen 3 Feb           -> 63 days, in MHS130
R3 received 1 Oct 2024, first contact 1 Nov 2024            -> outside the window
R4 received 20 Mar 2019, never seen                         -> before April 2019: left out
R5 received 1 Mar, no contact, open                         -> waiting 31 days (1 Mar..31 Mar)
R6 received 10 Feb, rejected 20 Feb, never discharged       -> still waiting: 50 days (quirk)
R7 received 1 Feb, discharged 15 Mar, no contact            -> not waiting (discharged)
R8 received 15 Jan, only indirect activity                  -> waiting 76 days (no direct contact)
"""

from datetime import date

import pytest

from tests.spec.metrics.builders import results
from tests.spec.pathways.timeline import DNA, area, contact, indirect, referral

R1 = referral("R1", date(2025, 1, 6))
R2 = referral("R2", date(2024, 12, 2))
R3 = referral("R3", date(2024, 10, 1))
R4 = referral("R4", date(2019, 3, 20))
R5 = referral("R5", date(2025, 3, 1))
R6 = referral("R6", date(2025, 2, 10), rejection_date=date(2025, 2, 20))
R7 = referral("R7", date(2025, 2, 1), discharge_date=date(2025, 3, 15))
R8 = referral("R8", date(2025, 1, 15))
AREA = area(
    referrals=[R1, R2, R3, R4, R5, R6, R7, R8],
    contacts=[
        contact("C1", R1, date(2025, 1, 20)),
        contact("C2", R2, date(2024, 12, 10), DNA),
        contact("C3", R2, date(2025, 2, 3)),
        contact("C4", R3, date(2024, 11, 1)),
    ],
    indirect_activities=[indirect(R8, date(2025, 1, 20))],
)


def test_first_contact_waits_worked_example():
    rows = results(AREA, "MHS130", "MHS131", "MHS132", "MHS133", "MHS134", "MHS135")

    def v(metric_id):
        return rows[(metric_id, "Total", "Total")].value

    # Waits 14 and 63: median (14 + 63) / 2 = 38.5; 90th percentile 14 + 0.9 * 49 = 58.1.
    assert (v("MHS130"), v("MHS131")) == (2, 38.5)
    assert v("MHS132") == pytest.approx(58.1)
    # Waiting 31, 50, 76: median 50; 90th percentile rank 1.8 -> 50 + 0.8 * 26 = 70.8.
    assert (v("MHS133"), v("MHS134")) == (3, 50)
    assert v("MHS135") == pytest.approx(70.8)
