"""MHS95: children 0-17 with at least one counted contact in the 12 months to the period end.

Window for March 2025: 1 April 2024 to 31 March 2025.
"""

from datetime import date

from cypmh.codes import AttendStatus
from tests.spec.metrics.builders import results, value
from tests.spec.pathways.timeline import area, child, contact, indirect, referral

DNA = AttendStatus.DID_NOT_ATTEND


def test_mhs95_worked_example():
    # P1: contact 15 Mar 2024 is before the window; the one on 1 Jun 2024 counts. Provider RXT.
    # P2: at RYY only a missed appointment; at RXT indirect activity on 1 Sep 2024 counts.
    # P3: contacts at RXT (1 Oct) and RYY (5 Jul): counted once in the total, and by
    #     provider under both, as NHS England counts MHS95 by provider: cyp_perinatal_prep.py
    #     line 303 numbers each person's contacts per provider (AccessProvRN), and the
    #     provider breakdown keeps the rows numbered 1 (mhsds_functions.py lines 403-404
    #     and 420-423, access_filter_for_breakdown).
    # P4: 17 when referred but 18 (birthday 1 Sep 2024) at the contact on 1 Oct: not counted.
    # P5: lives in Wales: not counted. So MHS95 = 3; by provider RXT 3 (P1, P2, P3) and
    # RYY 1 (P3): 4 rows' worth for 3 children.
    r1 = referral("R1", date(2024, 1, 10), person_id="P1")
    r2 = referral("R2", date(2024, 5, 1), person_id="P2", provider="RYY")
    r3 = referral("R3", date(2024, 8, 1), person_id="P2")
    r4 = referral("R4", date(2024, 4, 1), person_id="P3")
    r5 = referral("R5", date(2024, 7, 1), person_id="P3", provider="RYY")
    r6 = referral("R6", date(2024, 6, 1), person_id="P4")
    r7 = referral("R7", date(2024, 6, 1), person_id="P5")
    records = area(
        children=[
            child("P1", born=date(2012, 1, 1)),
            child("P2", born=date(2012, 1, 1)),
            child("P3", born=date(2012, 1, 1)),
            child("P4", born=date(2006, 9, 1)),
            child("P5", born=date(2012, 1, 1), la_district="W06000015"),
        ],
        referrals=[r1, r2, r3, r4, r5, r6, r7],
        contacts=[
            contact("C1", r1, date(2024, 3, 15)),
            contact("C2", r1, date(2024, 6, 1)),
            contact("C3", r2, date(2024, 5, 10), DNA),
            contact("C4", r4, date(2024, 10, 1)),
            contact("C5", r5, date(2024, 7, 5)),
            contact("C6", r6, date(2024, 10, 1)),
            contact("C7", r7, date(2024, 7, 1)),
        ],
        indirect_activities=[indirect(r3, date(2024, 9, 1))],
    )
    rows = results(records, "MHS95", breakdowns=("provider",))
    assert rows[("MHS95", "Total", "Total")].value == 3
    assert rows[("MHS95", "provider", "RXT")].value == 3
    assert rows[("MHS95", "provider", "RYY")].value == 1


def test_a_child_referred_at_18_is_not_counted():
    r = referral("R1", date(2025, 1, 10))
    records = area(
        children=[child("P1", born=date(2007, 1, 1))],
        referrals=[r],
        contacts=[contact("C1", r, date(2025, 1, 20))],
    )
    assert value(records, "MHS95") == 0
