"""MHS110-MHS115: CYP outcome measures. Referrals discharged in March 2025.

R1 (P1, a boy born 1 May 2012, so 12 when referred on 1 Jun 2024): counted contacts 1 Jul and
   1 Aug 2024; discharged 10 Mar 2025.
   RCADS depression (self): raw 20 on 1 Jul, raw 8 on 1 Dec. Norms, boys 12-13: mean 6.71,
   sd 3.64. T = 10 x (20 - 6.71) / 3.64 + 50 = 86.51 and 10 x (8 - 6.71) / 3.64 + 50 = 53.54:
   a fall of 32.97 >= 17.73 on a scale where lower is better -> self-rated improvement.
   HoNOSCA item (parent): 1 on 1 Jul, 3 on 1 Dec: up 2 >= 2, lower is better -> deterioration.
R2 (P2): discharged 20 Mar with one counted contact -> not in MHS110.
R3 (P3): discharged 5 Mar, two contacts, one self-rated score only -> scored, not paired.
R4 (P4): rejected -> not in MHS110. R5 (P5): discharged in February -> not in March's.
R6 (P6): discharged 12 Mar, counted contacts 1 Jul and 1 Aug 2024, one self-rated score on
   15 Jun, before its first contact -> in MHS110, not scored: NHS England keeps only scores
   on or after the first contact (cyp_outcomes_prep.py line 230, ``WHERE Contact1 <=
   Der_AssToolCompDate``, before the assessed flag at line 359).

MHS110 = 3 (R1, R3, R6). Any score: R1, R3 -> MHS111a 100 x 2/3 = 66.7; any pair: R1 ->
MHS112a 33.3, and MHS112b-g (self, parent, clinician pairs and their percentages) 1, 33.3,
1, 33.3, 0, 0 (measure_metadata.py lines 1730-1950). Self-rated scores: R1, R3 -> MHS111b
2, MHS111c 100 x 2/3 = 66.7; parent-rated: R1 -> 1, 33.3. The letters of MHS113-MHS115 are NHS England's
(measure_metadata.py, lines 1955-2044 for MHS113): a improvement, b its percentage; c
deterioration, d its percentage; e no change, f its percentage.
"""

from datetime import date

from tests.spec.metrics.builders import results
from tests.spec.pathways.timeline import area, assessment, child, contact, indirect, referral

RCADS_SELF = "958231000000102"
HONOSCA_PARENT = "989881000000104"


def test_outcomes_worked_example():
    r1 = referral("R1", date(2024, 6, 1), person_id="P1", discharge_date=date(2025, 3, 10))
    r2 = referral("R2", date(2024, 6, 1), person_id="P2", discharge_date=date(2025, 3, 20))
    r3 = referral("R3", date(2024, 6, 1), person_id="P3", discharge_date=date(2025, 3, 5))
    r4 = referral(
        "R4",
        date(2024, 6, 1),
        person_id="P4",
        rejection_date=date(2024, 6, 5),
        discharge_date=date(2025, 3, 6),
    )
    r5 = referral("R5", date(2024, 6, 1), person_id="P5", discharge_date=date(2025, 2, 10))
    r6 = referral("R6", date(2024, 6, 1), person_id="P6", discharge_date=date(2025, 3, 12))
    contacts = [
        contact("C1a", r1, date(2024, 7, 1)),
        contact("C1b", r1, date(2024, 8, 1)),
        contact("C2a", r2, date(2024, 7, 1)),
    ]
    contacts += [
        contact(f"C{r.referral_id}{i}", r, date(2024, 7 + i, 1))
        for r in (r3, r4, r5, r6)
        for i in (0, 1)
    ]
    records = area(
        children=[child("P1", born=date(2012, 5, 1), gender="1")]
        + [child(p) for p in ("P2", "P3", "P4", "P5", "P6")],
        referrals=[r1, r2, r3, r4, r5, r6],
        contacts=contacts,
        assessments=[
            assessment(r1, date(2024, 7, 1), RCADS_SELF, 20),
            assessment(r1, date(2024, 12, 1), RCADS_SELF, 8),
            assessment(r1, date(2024, 7, 1), HONOSCA_PARENT, 1),
            assessment(r1, date(2024, 12, 1), HONOSCA_PARENT, 3),
            assessment(r3, date(2024, 7, 1), RCADS_SELF, 12),
            assessment(r6, date(2024, 6, 15), RCADS_SELF, 12),
        ],
    )
    ids = [
        "MHS110",
        "MHS111",
        "MHS112",
        "MHS111a",
        "MHS112a",
        *(f"MHS112{x}" for x in "bcdefg"),
        "MHS111b",
        "MHS111c",
        "MHS111d",
        "MHS111e",
        "MHS111f",
        "MHS111g",
    ]
    ids += [f"{m}{x}" for m in ("MHS113", "MHS114", "MHS115") for x in "abcdef"]
    rows = results(records, *ids)

    def v(metric_id):
        return rows[(metric_id, "Total", "Total")].value

    # R1, R3 and R6 closed; R6's only score predates its first contact; only R1 paired.
    assert (v("MHS110"), v("MHS111"), v("MHS112")) == (3, 2, 1)
    # MHS111a = 100 x 2/3 = 66.7 and MHS112a = 100 x 1/3 = 33.3, to one decimal place.
    assert (v("MHS111a"), v("MHS112a")) == (66.7, 33.3)
    # R1's pairs: self (RCADS) and parent (HoNOSCA); none clinician-rated.
    assert [v(f"MHS112{x}") for x in "bcdefg"] == [1, 33.3, 1, 33.3, 0, 0]
    assert (v("MHS111b"), v("MHS111c")) == (2, 66.7)  # self-rated scores: R1, R3
    assert (v("MHS111d"), v("MHS111e")) == (1, 33.3)  # parent-rated: R1 only
    assert (v("MHS111f"), v("MHS111g")) == (0, 0)
    assert [v(f"MHS113{x}") for x in "abcdef"] == [1, 100, 0, 0, 0, 0]  # self: improvement
    assert [v(f"MHS114{x}") for x in "abcdef"] == [0, 0, 1, 100, 0, 0]  # parent: deterioration
    assert [v(f"MHS115{x}") for x in "ace"] == [0, 0, 0]
    # No clinician-rated pairs: no percentage.
    assert [v(f"MHS115{x}") for x in "bdf"] == [None, None, None]


PHQ9 = "720433000"  # PHQ-9, self-rated, raw score, lower is better, reliable change 6


def test_same_day_scores_pair_lowest_first_and_highest_last_in_any_order():
    """Ties on a day are ordered by value: the same pair whatever order the records come in.

    By hand, with first contact 1 Jul and second 1 Aug 2024: PHQ-9 scores 20 and 10 on
    1 Jul, 5 and 15 on 1 Dec. The first score is the lowest of 1 Jul, 10; the last is the
    highest of 1 Dec, 15. The change is +5: less than 6 either way, so no reliable change
    (taking 20 then 5, as one record order would, would have been an improvement of 15).
    """
    from itertools import permutations

    from cypmh.metrics.outcomes import Change, classify, pair_scores

    r = referral("R1", date(2024, 6, 1))
    scores = [
        assessment(r, date(2024, 7, 1), PHQ9, 20),
        assessment(r, date(2024, 7, 1), PHQ9, 10),
        assessment(r, date(2024, 12, 1), PHQ9, 5),
        assessment(r, date(2024, 12, 1), PHQ9, 15),
    ]
    for order in permutations(scores):
        (pair,) = pair_scores([(a, a.score) for a in order], date(2024, 7, 1), date(2024, 8, 1))
        assert (pair.first, pair.last) == (10, 15)
        assert classify(pair) is Change.NO_CHANGE


ORS = "716613004"  # Outcome Rating Scale, self-rated, raw score, higher is better, threshold 6.6


def test_a_change_is_read_in_single_precision_as_the_publication_reads_it():
    """ORS 3.3 then 9.9: a change of exactly 6.6 by hand, the threshold, so reliable.

    NHS England's tables hold scores, changes and thresholds as FLOAT
    (``menh_bbrb/schemas/05_create_cyp_outcomes_tables.py`` lines 580-582 and 665-670:
    ``RawScore float``, ``TScore float``, ``Score_Change float``, ``Threshold float``).
    In single precision 9.9 is 9.89999962 and 3.3 is 3.29999995; their difference,
    6.59999967, rounds to 6.59999943, under the threshold 6.6's 6.59999990. So the
    publication counts no change, and so does cypmh. A change of 3.3 -> 10.0 (6.7) is
    reliable either way, as a control.
    """
    first = referral("R1", date(2024, 6, 1), person_id="P1", discharge_date=date(2025, 3, 10))
    second = referral("R2", date(2024, 6, 1), person_id="P2", discharge_date=date(2025, 3, 10))
    records = area(
        children=[child("P1"), child("P2")],
        referrals=[first, second],
        contacts=[
            contact(f"C{r.referral_id}{i}", r, date(2024, 7 + i, 1))
            for r in (first, second)
            for i in (0, 1)
        ],
        assessments=[
            assessment(first, date(2024, 7, 1), ORS, 3.3),
            assessment(first, date(2024, 12, 1), ORS, 9.9),
            assessment(second, date(2024, 7, 1), ORS, 3.3),
            assessment(second, date(2024, 12, 1), ORS, 10.0),
        ],
    )
    rows = results(records, "MHS113a", "MHS113e")

    def v(metric_id):
        return rows[(metric_id, "Total", "Total")].value

    assert (v("MHS113a"), v("MHS113e")) == (1, 1)  # R2 improved; R1 no change


def test_indirect_activity_counts_once_a_referral_day_and_time():
    """NHS England counts MHS204 rows once per referral, day and time.

    ``02_nhse_pre_processing_tables.py`` lines 117-132 number the rows over
    ``UniqServReqID, IndirectActDate, IndirectActTime`` (``Der_ActRN``), and line 189 keeps
    ``Der_ActRN = 1`` in the activity table whose second contact (``Contact2``,
    ``cyp_outcomes_prep.py`` lines 98-110) makes a closed referral an MHS110 member.
    A window partition puts missing times together.

    Each referral below, discharged in March 2025, has no direct contact and two indirect
    activities on 1 July 2024:

    - R1 at 09:00 and 14:30: two activities, so two counted contacts -> in MHS110;
    - R2 both at 09:00: one activity -> not in MHS110;
    - R3 both without a time: one activity -> not in MHS110;
    - R4 one at 09:00 and one without a time: two -> in MHS110.

    MHS110 = 2 (R1, R4).
    """
    refs = [
        referral(f"R{n}", date(2024, 6, 1), person_id=f"P{n}", discharge_date=date(2025, 3, 10))
        for n in (1, 2, 3, 4)
    ]
    times = {"R1": ("09:00:00", "14:30:00"), "R2": ("09:00:00",) * 2, "R3": (None, None)}
    times["R4"] = ("09:00:00", None)
    activity = [indirect(r, date(2024, 7, 1), time=t) for r in refs for t in times[r.referral_id]]
    records = area(
        children=[child(f"P{n}") for n in (1, 2, 3, 4)],
        referrals=refs,
        indirect_activities=activity,
    )
    assert results(records, "MHS110")[("MHS110", "Total", "Total")].value == 2
