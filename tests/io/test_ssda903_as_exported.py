"""The SSDA903 return as a council's system exports it: the DfE's column sets, codes in any
case, SEX in either coding, scores written ``20.0``, and the SDQ "score or reason" rule
only for children who were due an SDQ.

The folder, worked by hand. Every file has the DfE's full column set (the columns of
data-to-insight's validator, ``lac_validator/config.py``), so no column is unknown.
The latest episode date is 1 October 2024, so the collection year ends on 31 March
2025 and runs from 1 April 2024. Due an SDQ: looked after for the 12 months to
31 March 2025 (one period of care from 1 April 2024 or before, still open) and aged
4 or over on 1 April 2024 and 16 or under on 31 March 2025.

child  SEX  born        in care from  due?             OC2
C1     M    2012-05-01  2023-01-01    yes              SDQ_SCORE 20.0 -> 20
C2     f    2013-10-10  2022-06-15    yes              SDQ_REASON sdq1 -> SDQ1
C3     U    2010-01-01  2023-02-01    yes              neither -> rejected
C4     2    2022-01-01  2023-03-01    no (aged 2)      neither -> used, no return
C5     1    2012-01-01  2024-10-01    no (6 months)    neither -> used, no return

So OC2: 5 read, 4 used, 1 rejected (C3, SDQ_SCORE, the due rule). Genders in MHSDS
codes: C1 1, C2 2, C3 not recorded (U), C4 2, C5 1. For March 2025, SDQ eligible are
C1, C2, C3: SDQ02 = 1 of 3 with a score (33.3%), SDQ01 = the mean of the one score, 20.
"""

from pathlib import Path

import pytest

from cypmh.io.frames import read_extract_frames
from cypmh.io.readers import read_extract
from cypmh.metrics import compute
from cypmh.metrics.frames import compute_frames

HEALTH = {
    "MHS001MPI.csv": "Person_ID,PersonBirthDate\n",
    "MHS101Referral.csv": "UniqServReqID,Person_ID,OrgIDProv,ReferralRequestReceivedDate\n",
    "MHS201CareContact.csv": "UniqCareContID,UniqServReqID,Person_ID,CareContDate,AttendStatus\n",
}
HEADER = """CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB
C1,M,01/05/2012,wbri,A123456789012,,
C2,f,10/10/2013,WBRI,,,
C3,U,01/01/2010,mwbc,,,
C4,2,01/01/2022,WBRI,,,
C5,1,01/01/2012,WBRI,,,
"""
EPISODES = """CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN
C1,01/01/2023,s,c2,n1,u1,PR1,,,,B1 1AA,B2 2BB,SC123456
C2,15/06/2022,S,C2,N1,U1,PR1,,,,,,
C3,01/02/2023,S,C2,N1,U1,PR1,,,,,,
C4,01/03/2023,S,C2,N1,U1,PR1,,,,,,
C5,01/10/2024,S,C2,N1,U1,PR1,,,,,,
"""
OC2 = """CHILD,DOB,SDQ_SCORE,SDQ_REASON,CONVICTED,HEALTH_CHECK,IMMUNISATIONS,TEETH_CHECK,HEALTH_ASSESSMENT,SUBSTANCE_MISUSE,INTERVENTION_RECEIVED,INTERVENTION_OFFERED
C1,01/05/2012,20.0,,0,1,1,1,1,0,0,0
C2,10/10/2013,,sdq1,0,1,1,1,1,0,0,0
C3,01/01/2010,,,0,1,1,1,1,0,0,0
C4,01/01/2022,,,0,1,1,1,1,0,0,0
C5,01/01/2012,,,0,1,1,1,1,0,0,0
"""


def folder(tmp_path: Path) -> Path:
    root = tmp_path / "extract"
    (root / "ssda903").mkdir(parents=True)
    for name, text in HEALTH.items():
        (root / name).write_text(text, encoding="utf-8")
    for name, text in (("header", HEADER), ("episodes", EPISODES), ("oc2", OC2)):
        (root / "ssda903" / f"{name}.csv").write_text(text, encoding="utf-8")
    return root


def test_read_as_exported(tmp_path):
    result = read_extract(folder(tmp_path))
    quality = result.quality
    assert not [w for w in quality.warnings if "not in the contract" in w]
    counts = quality.files["ssda903/oc2.csv"]
    assert (counts.read, counts.used, counts.rejected) == (5, 4, 1)
    [problem] = quality.problems
    assert (problem.file, problem.line, problem.column, problem.value) == (
        "ssda903/oc2.csv",
        4,
        "SDQ_SCORE",
        "",
    )
    assert "due an SDQ in the year ending 2025-03-31" in problem.reason
    area = result.area
    assert {c.person_id: c.gender for c in area.children} == {
        "C1": "1",
        "C2": "2",
        "C3": None,
        "C4": "2",
        "C5": "1",
    }
    assert area.child("C1").ethnic_category == "WBRI"
    c1 = area.care_episodes_of("C1")[0]
    assert (c1.legal_status, c1.reason_new_episode, c1.placement) == ("C2", "S", "U1")
    returns = {
        s.person_id: (s.score, s.reason.value if s.reason else None) for s in area.sdq_returns
    }
    assert returns == {"C1": (20, None), "C2": (None, "SDQ1")}


def test_both_readers_and_engines_agree(tmp_path):
    root = folder(tmp_path)
    records = read_extract(root)
    frames = read_extract_frames(root, "polars")
    assert frames.quality == records.quality
    by_id = {
        r.metric_id: (r.value, r.numerator, r.denominator)
        for r in compute(records.area, "2025-03", metrics=["SDQ01", "SDQ02"], disclosure="none")
    }
    framed = {
        r.metric_id: (r.value, r.numerator, r.denominator)
        for r in compute_frames(
            frames.tables, "2025-03", metrics=["SDQ01", "SDQ02"], disclosure="none"
        )
    }
    assert by_id == framed
    assert by_id["SDQ02"][1:] == (1, 3)
    assert by_id["SDQ01"][0] == 20


@pytest.mark.parametrize(
    ("score", "reason"),
    [("20.5", "not a whole number"), ("41.0", "must be a whole number from 0 to 40")],
)
def test_a_score_that_is_not_whole_or_too_high_is_still_rejected(tmp_path, score, reason):
    root = folder(tmp_path)
    oc2 = root / "ssda903" / "oc2.csv"
    oc2.write_text(OC2.replace(",20.0,", f",{score},"), encoding="utf-8")
    for quality in (read_extract(root).quality, read_extract_frames(root, "polars").quality):
        first = quality.problems[0]
        assert (first.line, first.column, first.value) == (2, "SDQ_SCORE", score)
        assert reason in first.reason
