"""ED86/ED87: CYP eating-disorder waits, every letter. March 2025; window April 2024 - March 2025.

The letters, as NHS England's code gives them (NHSDigital/mental-health-monthly-statistics,
Mental_Health_Monthly_Statistics/menh_publications/notebooks/04a_CYP_ED_WaitingTimes/):
``01_Prepare/PrepViews.sql`` line 195 makes ``waiting_time`` DATEDIFF(treatment contact,
received) / 7, a fraction of weeks; ``02_Aggregate/01_CYP_ED_WT_Aggregate.sql`` bands it at
lines 289-292 (urgent) and 875-878 (routine): a ``<= 1``, b ``> 1 and <= 4``, c ``> 4 and
<= 12``, d ``> 12``, that is a at most 7 days, b 8-28, c 29-84, d 85 or more. Lines 2106-2113
make the percentages of a-d over ED86 (e-h) and over ED87 (f-i); line 1176 makes ED87e the
percentage ``waiting_time <= 4`` and line 1304 ED87j its count.

Urgent (priority 1, 2 or 4):
U1 received 3 Jun 2024, treated 7 Jun    ->   4 days: a
U5 received 1 Nov 2024, treated 8 Nov    ->   7 days: a (7/7 = 1, at most 1 week)
U2 received 2 Sep 2024, treated 16 Sep   ->  14 days: b
U6 received 1 Dec 2024, treated 29 Dec   ->  28 days: b (28/7 = 4)
U3 received 1 Jul 2024, treated 10 Aug   ->  40 days: c (30 to 31 Jul, 40 to 10 Aug)
U4 received 1 Apr 2024, treated 1 Aug    -> 122 days: d (30 + 31 + 30 + 31)
ED86 = 6; a-d = 2, 2, 1, 1; e-h = 100 x 2/6, 2/6, 1/6, 1/6 = 33.3, 33.3, 16.7, 16.7.

Routine (priority 3):
R3 received 2 Jan 2025, treated 5 Jan    ->   3 days: a
R1 received 1 Oct 2024, treated 25 Oct   ->  24 days: b
R4 received 1 Oct 2024, treated 29 Nov   ->  59 days: c (31 to 1 Nov, then 28)
R5 received 1 Jun 2024, treated 24 Aug   ->  84 days: c (30 + 31 + 23; 84/7 = 12)
R6 received 1 Jun 2024, treated 25 Aug   ->  85 days: d
R2 treated 20 Mar 2024                   -> before the window: not counted
ED87 = 5; a-d = 1, 1, 2, 1; f-i = 20, 20, 40, 20; ED87j (within 4 weeks, a and b) = 2;
ED87e = 100 x 2/5 = 40. cypmh's ED87a was the count within 4 weeks: it is ED87j now.

X1 to an MHST (F01), X2 without a priority -> not in the cohort.
"""

from datetime import date

import pytest

from cypmh.codes import ClinicalPriority
from tests.spec.metrics.builders import results
from tests.spec.pathways.timeline import (
    ATTENDED,
    DNA,
    FAMILY_THERAPY,
    area,
    child,
    contact,
    referral,
)


def ed(referral_id, received, priority, **fields):
    return referral(referral_id, received, primary_reason="12", priority=priority, **fields)


URGENT, EMERGENCY, ROUTINE = (
    ClinicalPriority.URGENT,
    ClinicalPriority.EMERGENCY,
    ClinicalPriority.ROUTINE,
)


def treated_cases():
    urgent, emergency, routine = URGENT, EMERGENCY, ROUTINE
    return [
        (ed("U1", date(2024, 6, 3), urgent), date(2024, 6, 7)),
        (ed("U5", date(2024, 11, 1), urgent), date(2024, 11, 8)),
        (ed("U2", date(2024, 9, 2), emergency), date(2024, 9, 16)),
        (ed("U6", date(2024, 12, 1), urgent), date(2024, 12, 29)),
        (ed("U3", date(2024, 7, 1), urgent), date(2024, 8, 10)),
        (ed("U4", date(2024, 4, 1), urgent), date(2024, 8, 1)),
        (ed("R3", date(2025, 1, 2), routine), date(2025, 1, 5)),
        (ed("R1", date(2024, 10, 1), routine), date(2024, 10, 25)),
        (ed("R4", date(2024, 10, 1), routine), date(2024, 11, 29)),
        (ed("R5", date(2024, 6, 1), routine), date(2024, 8, 24)),
        (ed("R6", date(2024, 6, 1), routine), date(2024, 8, 25)),
        (ed("R2", date(2024, 3, 1), routine), date(2024, 3, 20)),
        (ed("X1", date(2024, 6, 3), urgent, team_type="F01"), date(2024, 6, 4)),
        (ed("X2", date(2024, 6, 3), None), date(2024, 6, 4)),
    ]


def test_eating_disorder_worked_example():
    cases = treated_cases()
    records = area(
        referrals=[ref for ref, _ in cases],
        contacts=[
            contact(f"C{i}", ref, day, ATTENDED, "01", FAMILY_THERAPY)
            for i, (ref, day) in enumerate(cases)
        ],
    )
    ids = [f"ED86{x}" for x in "abcdefgh"] + [f"ED87{x}" for x in "abcdefghij"]
    rows = results(records, "ED86", "ED87", *ids)

    def v(metric_id):
        return rows[(metric_id, "Total", "Total")].value

    assert [v("ED86"), v("ED86a"), v("ED86b"), v("ED86c"), v("ED86d")] == [6, 2, 2, 1, 1]
    assert [v(f"ED86{x}") for x in "efgh"] == pytest.approx(
        [100 * 2 / 6, 100 * 2 / 6, 100 / 6, 100 / 6]
    )
    assert [v("ED87"), v("ED87a"), v("ED87b"), v("ED87c"), v("ED87d")] == [5, 1, 1, 2, 1]
    assert [v(f"ED87{x}") for x in "fghi"] == pytest.approx([20, 20, 40, 20])
    assert (v("ED87j"), v("ED87e")) == (2, pytest.approx(40))


def test_ed_wait_statistics():
    """ED91-ED98: the waits' medians and 90th percentiles by priority type, worked by hand.

    ``01_CYP_ED_WT_Aggregate.sql`` takes PERCENTILE(waiting_time_days, 0.5) and 0.9 of
    ``CYP_ED_WT_STEP4`` (treated in the window: ED91 routine, ED92 urgent medians; ED93, ED94
    the 90th percentiles) and of ``CYP_ED_WT_STEP6`` (still waiting: ED95-ED98).
    ``PrepViews.sql`` makes STEP6's wait DATEDIFF(rp_enddate, received), no day added, and
    keeps those with no treatment contact by the period end, not discharged by it, and
    under 18 at it (``AgeRepPeriodEnd < 18``). Spark's percentile interpolates linearly
    between closest ranks: rank p x (n - 1) from 0.

    Treated (the worked example above): urgent 4, 7, 14, 28, 40, 122 days: median
    (14 + 28) / 2 = 21; 90th: rank 4.5 -> 40 + 0.5 x 82 = 81. Routine 3, 24, 59, 84, 85:
    median 59; 90th: rank 3.6 -> 84 + 0.6 x 1 = 84.6.

    Still waiting at 31 March 2025:
    W1 routine, received 1 Mar 2025, no contact                   ->  30 days
    W2 routine, received 1 Jan 2025, seen 2 Jan with no treatment code ->  89 days
    W3 routine, received 1 Feb 2025, discharged 20 Mar            -> not waiting
    W4 routine, received 1 Dec 2024, treated 2 Apr 2025, after the end -> 120 days
    W5 routine, received 1 Nov 2024 at 17, but 18 on 1 Jan 2025   -> not counted (18 at the end)
    W6 urgent, received 15 Mar 2025                               ->  16 days
    W7 urgent, received 1 Feb 2025, rejected 5 Feb, never discharged -> 58 days (still waits)
    W8 urgent, received 10 Mar 2025                               ->  21 days
    Routine 30, 89, 120: median 89; 90th: rank 1.8 -> 89 + 0.8 x 31 = 113.8.
    Urgent 16, 21, 58: median 21; 90th: rank 1.8 -> 21 + 0.8 x 37 = 50.6.
    """
    cases = treated_cases()
    waiting = [
        ed("W1", date(2025, 3, 1), ROUTINE),
        ed("W2", date(2025, 1, 1), ROUTINE),
        ed("W3", date(2025, 2, 1), ROUTINE, discharge_date=date(2025, 3, 20)),
        ed("W4", date(2024, 12, 1), ROUTINE),
        ed("W5", date(2024, 11, 1), ROUTINE, person_id="P2"),
        ed("W6", date(2025, 3, 15), URGENT),
        ed("W7", date(2025, 2, 1), URGENT, rejection_date=date(2025, 2, 5)),
        ed("W8", date(2025, 3, 10), EMERGENCY),
    ]
    by_id = {ref.referral_id: ref for ref in waiting}
    records = area(
        children=[child("P1"), child("P2", born=date(2007, 1, 1))],
        referrals=[*(ref for ref, _ in cases), *waiting],
        contacts=[
            *(
                contact(f"C{i}", ref, day, ATTENDED, "01", FAMILY_THERAPY)
                for i, (ref, day) in enumerate(cases)
            ),
            contact("CW2", by_id["W2"], date(2025, 1, 2), ATTENDED, "01"),
            contact("CW4", by_id["W4"], date(2025, 4, 2), ATTENDED, "01", FAMILY_THERAPY),
        ],
    )
    ids = [f"ED{n}" for n in range(91, 99)]
    rows = results(records, *ids)

    def v(metric_id):
        return rows[(metric_id, "Total", "Total")].value

    assert (v("ED91"), v("ED92")) == (59, 21)
    assert (v("ED93"), v("ED94")) == (pytest.approx(84.6), pytest.approx(81))
    assert (v("ED95"), v("ED96")) == (89, 21)
    assert (v("ED97"), v("ED98")) == (pytest.approx(113.8), pytest.approx(50.6))


def test_ed_second_contacts():
    """ED99-ED104: referrals whose second treatment contact falls in the window, worked by hand.

    ``PrepViews.sql``: ``CYP_ED_WT_STEP2`` joins each treatment contact (attended, an accepted
    mechanism) to each of its care activities with a treatment code, so a contact is a row per
    such code; ``CYP_ED_WT_STEP3_prep`` numbers a referral's rows by date; ``CYP_ED_WT_STEP7``
    keeps row 2 where it falls in the window and ``CYP_ED_WT_STEP8`` takes its days from row
    1. ``01_CYP_ED_WT_Aggregate.sql`` counts them (ED99 routine, ED100 urgent) and takes
    PERCENTILE(waiting_time_days, 0.5) (ED101, ED102) and 0.9 (ED103, ED104).

    Routine:
    S1 received 1 Jun 2024, treated 10 Jun and 24 Jun              -> 14 days
    S2 received 1 Sep 2024, one contact 5 Sep with two codes       ->  0 days (its own second)
    S3 received 1 Jan 2024, treated 15 Jan 2024 and 1 May 2024     -> 107 days (16+29+31+30+1)
    S4 received 1 Mar 2024, treated 10 and 20 Mar 2024             -> second before the window
    S5 received 1 Feb 2025, treated 10 Feb, seen 17 Feb with no code -> no second
    S6 received 1 Feb 2025, treated 3 Mar and 2 Apr 2025           -> second after the end
    ED99 = 3: 0, 14, 107; median 14; 90th: rank 1.8 -> 14 + 0.8 x 93 = 88.4.

    Urgent:
    U1 received 1 Oct 2024, treated 3, 10 and 17 Oct               ->  7 days
    U2 received 1 Nov 2024 (emergency), treated 2 and 30 Nov       -> 28 days
    U3 received 1 Dec 2024, one contact 2 Dec with three codes     ->  0 days
    U4 received 1 Jan 2025, treated 2 Jan, missed 9 Jan, treated 20 Jan -> 18 days
    ED100 = 4: 0, 7, 18, 28; median (7 + 18) / 2 = 12.5; 90th: rank 2.7 -> 18 + 0.7 x 10 = 25.
    """
    therapy = FAMILY_THERAPY
    plan = {
        ("S1", date(2024, 6, 1), ROUTINE): [(date(2024, 6, 10), 1), (date(2024, 6, 24), 1)],
        ("S2", date(2024, 9, 1), ROUTINE): [(date(2024, 9, 5), 2)],
        ("S3", date(2024, 1, 1), ROUTINE): [(date(2024, 1, 15), 1), (date(2024, 5, 1), 1)],
        ("S4", date(2024, 3, 1), ROUTINE): [(date(2024, 3, 10), 1), (date(2024, 3, 20), 1)],
        ("S5", date(2025, 2, 1), ROUTINE): [(date(2025, 2, 10), 1), (date(2025, 2, 17), 0)],
        ("S6", date(2025, 2, 1), ROUTINE): [(date(2025, 3, 3), 1), (date(2025, 4, 2), 1)],
        ("U1", date(2024, 10, 1), URGENT): [
            (date(2024, 10, 3), 1),
            (date(2024, 10, 10), 1),
            (date(2024, 10, 17), 1),
        ],
        ("U2", date(2024, 11, 1), EMERGENCY): [(date(2024, 11, 2), 1), (date(2024, 11, 30), 1)],
        ("U3", date(2024, 12, 1), URGENT): [(date(2024, 12, 2), 3)],
        ("U4", date(2025, 1, 1), URGENT): [(date(2025, 1, 2), 1), (date(2025, 1, 20), 1)],
    }
    refs, contacts = [], []
    for (rid, received, priority), visits in plan.items():
        ref = ed(rid, received, priority)
        refs.append(ref)
        for i, (day, codes) in enumerate(visits):
            contacts.append(contact(f"{rid}-{i}", ref, day, ATTENDED, "01", *[therapy] * codes))
    u4 = next(r for r in refs if r.referral_id == "U4")
    contacts.append(contact("U4-missed", u4, date(2025, 1, 9), DNA, "01", therapy))
    rows = results(area(referrals=refs, contacts=contacts), *[f"ED{n}" for n in range(99, 105)])

    def v(metric_id):
        return rows[(metric_id, "Total", "Total")].value

    assert (v("ED99"), v("ED100")) == (3, 4)
    assert (v("ED101"), v("ED102")) == (14, 12.5)
    assert (v("ED103"), v("ED104")) == (pytest.approx(88.4), pytest.approx(25))
