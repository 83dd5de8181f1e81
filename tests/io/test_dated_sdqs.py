"""Dated SDQs: ``oc2.csv``'s ``SDQ_DATE`` and the SSD's ``ssd_sdq_scores`` (cypmh.io.rules.sdq).

Each folder is written by hand, and what is kept or reported is worked out from the rules
in the module's docstring: one undated row a child, one dated row a child and day, a dated
row with a score or a reason and not before the child's birth. Both readers run on each
(``both``), and must agree on every problem and warning.
"""

from datetime import date

from cypmh.codes import SdqReason
from cypmh.io import reasons
from tests.io.test_feeds import both, folder

HEADER = "CHILD,DOB\nP1,01/05/2012\nP2,10/01/2014\n"


def returns(result):
    return sorted(
        (s.person_id, s.date or date.min, s.score, s.reason) for s in result.area.sdq_returns
    )


def problems(result):
    return [(p.file, p.line, p.column, p.value, p.reason) for p in result.quality.problems]


def test_dated_rows_beside_the_oc2_return(tmp_path):
    # Line 2: P1's OC2 return (no date), 20. Lines 3 and 4: P1's SDQs of 1 May 2024 (12) and
    # 6 Jan 2025 (a refusal). Line 5: P1 again on 1 May 2024, a duplicate of line 3. Line 6:
    # P2 dated with neither a score nor a reason. Line 7: P2 dated 1 Jan 2014, before their
    # birth (10 Jan 2014). Line 8: P2 undated with neither, and P2 is not in care, so not
    # due: used, as no return.
    root = folder(
        tmp_path,
        {
            "ssda903/header.csv": HEADER,
            "ssda903/episodes.csv": "CHILD,DECOM,DEC\nP1,01/01/2020,\n",
            "ssda903/oc2.csv": "CHILD,SDQ_SCORE,SDQ_REASON,SDQ_DATE\n"
            "P1,20,,\n"
            "P1,12,,2024-05-01\n"
            "P1,,SDQ2,06/01/2025\n"
            "P1,15,,01/05/2024\n"
            "P2,,,2024-06-01\n"
            "P2,9,,2014-01-01\n"
            "P2,,,\n",
        },
    )
    result = both(root)
    assert returns(result) == [
        ("P1", date.min, 20, None),
        ("P1", date(2024, 5, 1), 12, None),
        ("P1", date(2025, 1, 6), None, SdqReason.CARER_REFUSED),
    ]
    oc2 = "ssda903/oc2.csv"
    assert problems(result) == [
        (oc2, 5, "CHILD", "P1 on 2024-05-01", reasons.DUPLICATES.format(3)),
        (oc2, 6, "SDQ_SCORE", "", reasons.SDQ_DATED_EMPTY),
        (oc2, 7, "SDQ_DATE", "2014-01-01", reasons.BEFORE_BIRTH.format(date(2014, 1, 10))),
    ]
    counts = result.quality.files[oc2]
    assert (counts.read, counts.used, counts.rejected) == (7, 4, 3)


def test_without_sdq_date_a_second_row_is_a_duplicate(tmp_path):
    # The DfE's OC2 layout: one row a child. Line 3 repeats P1, so it is a duplicate of line 2.
    root = folder(
        tmp_path,
        {
            "ssda903/header.csv": HEADER,
            "ssda903/episodes.csv": "CHILD,DECOM,DEC\n",
            "ssda903/oc2.csv": "CHILD,SDQ_SCORE,SDQ_REASON\nP1,20,\nP1,12,\n",
        },
    )
    result = both(root)
    assert returns(result) == [("P1", date.min, 20, None)]
    assert problems(result) == [
        ("ssda903/oc2.csv", 3, "CHILD", "P1", reasons.DUPLICATES.format(2)),
    ]


def test_the_ssds_sdq_scores_are_dated_rows(tmp_path):
    # ssd_sdq_scores line 2: P1's SDQ of 1 May 2024, score 12, written with SQL Server's
    # midnight time. Line 3: no completed date, so left out and counted in the warnings.
    # Line 4: a score of 41, out of range: a problem named at the SSD table's field.
    # The folder's own oc2.csv return (P1, 20) is read beside them.
    root = folder(
        tmp_path,
        {
            "ssda903/header.csv": HEADER,
            "ssda903/oc2.csv": "CHILD,SDQ_SCORE,SDQ_REASON\nP1,20,\n",
            "ssd/ssd_sdq_scores.csv": "csdq_table_id,csdq_person_id,csdq_sdq_completed_date,"
            "csdq_sdq_score,csdq_sdq_reason\n"
            "S1,P1,2024-05-01 00:00:00.000,12,\n"
            "S2,P1,,14,\n"
            "S3,P2,2024-09-01,41,\n",
        },
    )
    result = both(root)
    assert returns(result) == [
        ("P1", date.min, 20, None),
        ("P1", date(2024, 5, 1), 12, None),
    ]
    (problem,) = result.quality.problems
    assert (problem.origin, problem.column, problem.value) == (
        "ssd/ssd_sdq_scores.csv, line 4",
        "csdq_sdq_score",
        "41",
    )
    assert (
        "ssd/ssd_sdq_scores.csv: 1 row(s) have no csdq_sdq_completed_date, first at line 3: "
        "left out, as an SSD SDQ is read by its date"
    ) in result.quality.warnings
