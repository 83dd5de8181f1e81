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


def test_mhs109_worked_example():
    # MHS109: MHS95's count for people aged 18-24, from the same file and view
    # (menh_bbrb/notebooks/02_Specific_Prepare/04_cyp_perinatal/cyp_perinatal_prep.py: Ref109,
    # line 199, keeps AgeServReferRecDate BETWEEN 18 AND 24 and an English or unrecorded
    # district, lines 233-235; Act109, line 240, keeps COALESCE(AgeCareContDate,
    # AgeRepPeriodEnd) BETWEEN 18 AND 24, line 269, numbered per person and per provider as
    # MHS95's rows, line 350; menh_bbrb/notebooks/measure_metadata.py line 1590 counts
    # distinct Person_ID). Window April 2024 to March 2025:
    # A1: born 1 Sep 2006, referred 1 Oct 2024 at 18, seen 1 Nov 2024 at RXT     -> counted
    # A2: born 1 Jan 2000, referred at 24 on 1 Jun 2024, seen 1 Dec 2024 at 24,
    #     also seen at RYY on 2 Dec 2024                                         -> counted,
    #     under both providers
    # A3: born 1 Jun 2000, referred 1 May 2024 at 23, seen 1 Jul and 1 Sep 2024 at 24
    #     (counted once)                                                         -> counted
    # A4: born 1 Mar 2000, referred 1 Jan 2025 at 24, first seen 1 Mar 2025 at 25 -> not counted
    # A5: born 1 Jan 2007, referred 1 Jun 2024 at 17 (a CYP referral): seen at 18 -> not counted
    #     (in neither MHS95, 18 at the contact, nor MHS109, 17 when referred)
    # A6: 20, lives in Scotland (S12000033)                                      -> not counted
    # A7: born 1 Jan 2003, 22, referred 1 Feb 2025, only a missed appointment     -> not counted
    # A8: born 1 Jan 2003, 22, referred 1 Feb 2025, indirect activity 10 Mar 2025 -> counted
    #     (its age taken on 31 March, the last day of the activity's month)
    # MHS109 = 4 (A1, A2, A3, A8); by provider RXT 4, RYY 1. MHS95 = 0.
    people = {
        "A1": date(2006, 9, 1),
        "A2": date(2000, 1, 1),
        "A3": date(2000, 6, 1),
        "A4": date(2000, 3, 1),
        "A5": date(2007, 1, 1),
        "A6": date(2004, 1, 1),
        "A7": date(2003, 1, 1),
        "A8": date(2003, 1, 1),
    }
    received = {
        "A1": date(2024, 10, 1),
        "A2": date(2024, 6, 1),
        "A3": date(2024, 5, 1),
        "A4": date(2025, 1, 1),
        "A5": date(2024, 6, 1),
        "A6": date(2024, 6, 1),
        "A7": date(2025, 2, 1),
        "A8": date(2025, 2, 1),
    }
    refs = {p: referral(f"R{p}", day, person_id=p) for p, day in received.items()}
    r2b = referral("RA2b", date(2024, 6, 1), person_id="A2", provider="RYY")
    records = area(
        children=[
            child(p, born=born, **({"la_district": "S12000033"} if p == "A6" else {}))
            for p, born in people.items()
        ],
        referrals=[*refs.values(), r2b],
        contacts=[
            contact("C1", refs["A1"], date(2024, 11, 1)),
            contact("C2", refs["A2"], date(2024, 12, 1)),
            contact("C2b", r2b, date(2024, 12, 2)),
            contact("C3", refs["A3"], date(2024, 7, 1)),
            contact("C3b", refs["A3"], date(2024, 9, 1)),
            contact("C4", refs["A4"], date(2025, 3, 1)),
            contact("C5", refs["A5"], date(2025, 1, 10)),
            contact("C6", refs["A6"], date(2024, 7, 1)),
            contact("C7", refs["A7"], date(2025, 2, 10), DNA),
        ],
        indirect_activities=[indirect(refs["A8"], date(2025, 3, 10))],
    )
    rows = results(records, "MHS109", "MHS95", breakdowns=("provider",))
    assert rows[("MHS109", "Total", "Total")].value == 4
    assert rows[("MHS109", "provider", "RXT")].value == 4
    assert rows[("MHS109", "provider", "RYY")].value == 1
    assert rows[("MHS95", "Total", "Total")].value == 0
