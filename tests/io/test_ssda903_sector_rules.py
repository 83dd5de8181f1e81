"""SSDA903 rows read as the sector validator reads them (issue 31, section 4).

The validator (data-to-insight/csc-validator-be-903, ``lac_validator/rules/lac2022_23``)
flags a row and keeps it. cypmh does the same where the row can still be read, and says so
in a warning with the count; it rejects a row only when it cannot be used, naming the
SSDA903 column. The folder, worked by hand (all children born 2012, in care from 2023):

line  episode                                 validator          cypmh
2     C1 DECOM 01/01/2023, REC E11, no DEC    148 flags, keeps   open episode, REC left out
3     C2 DECOM 01/02/2023, DEC 01/03/2024     148 flags, keeps   ended episode, as it is
4     C3 DECOM 01/03/2023, RNE "S-1"          143 flags, keeps   episode kept, RNE left out
5     C4 DECOM 01/04/2024, DEC 01/01/2024     356 flags          rejected: DEC "must not be
                                                                 before DECOM (2024-04-01)"
OC2: C1 has SDQ_SCORE 14 and SDQ_REASON SDQ1 (197a flags, keeps): the score is read.
"""

from pathlib import Path

from cypmh.io.frames import read_extract_frames
from cypmh.io.readers import read_extract
from tests.io.test_ssda903_as_exported import HEALTH

HEADER = "CHILD,SEX,DOB\nC1,1,01/05/2012\nC2,2,01/05/2012\nC3,1,01/05/2012\nC4,2,01/05/2012\n"
EPISODES = """CHILD,DECOM,RNE,LS,CIN,PLACE,DEC,REC
C1,01/01/2023,S,C2,N1,U1,,E11
C2,01/02/2023,S,C2,N1,U1,01/03/2024,
C3,01/03/2023,S-1,C2,N1,U1,,
C4,01/04/2024,S,C2,N1,U1,01/01/2024,E11
"""
OC2 = "CHILD,SDQ_SCORE,SDQ_REASON\nC1,14,SDQ1\n"


def folder(tmp_path: Path) -> Path:
    root = tmp_path / "extract"
    (root / "ssda903").mkdir(parents=True)
    for name, text in HEALTH.items():
        (root / name).write_text(text, encoding="utf-8")
    for name, text in (("header", HEADER), ("episodes", EPISODES), ("oc2", OC2)):
        (root / "ssda903" / f"{name}.csv").write_text(text, encoding="utf-8")
    return root


def test_flagged_rows_are_kept_and_said(tmp_path):
    root = folder(tmp_path)
    read = read_extract(root)
    assert read_extract_frames(root, "polars").quality == read.quality
    episodes = {e.person_id: e for e in read.area.care_episodes}
    assert sorted(episodes) == ["C1", "C2", "C3"]
    assert (episodes["C1"].end, episodes["C1"].reason_ceased) == (None, None)
    assert str(episodes["C2"].end) == "2024-03-01"
    assert episodes["C2"].reason_ceased is None
    assert (episodes["C3"].reason_new_episode, episodes["C3"].legal_status) == (None, "C2")
    (problem,) = read.quality.problems
    assert (problem.line, problem.column, problem.value, problem.reason) == (
        5,
        "DEC",
        "01/01/2024",
        "must not be before DECOM (2024-04-01)",
    )
    warnings = read.quality.warnings
    assert (
        "ssda903/episodes.csv: 1 row(s) have a reason ceased (REC) but no date ceased (DEC); "
        "read as open episodes, as the sector validator's rule 148 flags and keeps them "
        "(first at line 2)"
    ) in warnings
    assert (
        "ssda903/episodes.csv: 1 row(s) have a date ceased (DEC) but no reason ceased (REC); "
        "read as ended episodes, as the sector validator's rule 148 flags and keeps them "
        "(first at line 3)"
    ) in warnings
    assert (
        "ssda903/episodes.csv: 1 row(s) have a RNE that is not a code (1 to 10 letters or "
        "digits), first at line 4; read without it, as the sector validator's code rules flag "
        "and keep them"
    ) in warnings
    assert (
        "ssda903/oc2.csv: 1 row(s) have both an SDQ_SCORE and an SDQ_REASON, first at line 2; "
        "the score is read and the reason left out, as the sector validator's rule 197a "
        "flags and keeps them"
    ) in warnings
    (sdq,) = read.area.sdq_returns
    assert (sdq.person_id, sdq.score, sdq.reason) == ("C1", 14, None)
