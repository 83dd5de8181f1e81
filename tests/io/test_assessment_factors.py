"""Child-in-need assessment factors from every shape a council has them in (issue 36).

Each case is a small folder written by hand, and the expected factors, warnings and
problems are worked out from its rows by the rules the modules state
(``cypmh.io.rules.social_care``, ``cypmh.io.feeds.ssd``, ``cypmh.io.cin_census``,
``cypmh.io.feeds.dfe_api``). Both readers run on each and must agree.
"""

import json
from datetime import date

from tests.io.test_feeds import MPI, both, folder

HEADER = "CHILD,SEX,DOB\nP1,1,2012-05-01\nP2,2,2014-01-10\n"


def factors(result):
    return sorted((f.person_id, f.date, f.factor) for f in result.area.assessment_factors)


def test_the_contract_file_reads_codes_in_any_case_and_rejects_what_is_not_a_factor(tmp_path):
    # Line 2: 4a is 4A. Line 3: 99 is not a factor code. Line 4: before P2's birth (2014).
    # Line 5: 15A for P1.
    root = folder(
        tmp_path,
        {
            "ssda903/header.csv": HEADER,
            "ssda903/episodes.csv": "CHILD,DECOM,DEC\n",
            "ssda903/assessment_factors.csv": "CHILD,DATE,FACTOR\n"
            "P1,2024-02-01,4a\nP1,2024-02-01,99\nP2,2013-01-01,4A\nP1,01/03/2024,15A\n",
        },
    )
    result = both(root)
    assert factors(result) == [("P1", date(2024, 2, 1), "4A"), ("P1", date(2024, 3, 1), "15A")]
    found = [(p.line, p.column, p.value) for p in result.quality.problems]
    assert found == [(3, "FACTOR", "99"), (4, "DATE", "2013-01-01")]
    assert "assessment factor code" in result.quality.problems[0].reason
    counts = result.quality.files["ssda903/assessment_factors.csv"]
    assert (counts.read, counts.used, counts.rejected) == (4, 2, 2)


ASSESSMENTS = (
    "cina_assessment_id,cina_person_id,cina_assessment_start_date,cina_assessment_auth_date\n"
)
FACTORS = "cinf_table_id,cinf_assessment_id,cinf_assessment_factors_json\n"


def test_the_ssd_joins_each_factor_to_its_assessment(tmp_path):
    # A1 (P1, authorised 10 Mar 2024): a JSON array, 4A and 16A.
    # A2 (P2, authorised 1 Apr 2024): a JSON object, 15A marked Yes and 2B No.
    # A3 (P1, not authorised): its 4A is left out, counted.
    # F4 names an assessment that is not there; F5's cell is not a list: each left out.
    # F6 (A1 again): a bare list "21; 4A" gives 21 and 4A (4A twice on one day is one row
    # each; both are kept as the file gives them).
    # F7 (A2): 99 is not a factor code: reported at the SSD's line with its field.
    root = folder(
        tmp_path,
        {
            "ssd/ssd_person.csv": "pers_person_id,pers_dob\nP1,2012-05-01\nP2,2014-01-10\n",
            "ssd/ssd_cin_assessments.csv": ASSESSMENTS
            + "A1,P1,2024-02-01,2024-03-10\nA2,P2,2024-03-01,2024-04-01\nA3,P1,2024-05-01,\n",
            "ssd/ssd_assessment_factors.csv": FACTORS
            + 'F1,A1,"[""4A"", ""16A""]"\n'
            + 'F2,A2,"{""15A"": ""Yes"", ""2B"": ""No""}"\n'
            + 'F3,A3,"[""4A""]"\n'
            + 'F4,A9,"[""4A""]"\n'
            + "F5,A1,{not json\n"
            + "F6,A1,21; 4A\n"
            + 'F7,A2,"[""99""]"\n',
        },
    )
    result = both(root)
    assert factors(result) == [
        ("P1", date(2024, 3, 10), "16A"),
        ("P1", date(2024, 3, 10), "21"),
        ("P1", date(2024, 3, 10), "4A"),
        ("P1", date(2024, 3, 10), "4A"),
        ("P2", date(2024, 4, 1), "15A"),
    ]
    (problem,) = result.quality.problems
    assert (problem.where, problem.column, problem.value) == (
        "ssd/ssd_assessment_factors.csv, line 8",
        "cinf_assessment_factors_json",
        "99",
    )
    said = " | ".join(result.quality.warnings)
    assert "1 row(s) have a cinf_assessment_id not in ssd/ssd_cin_assessments.csv" in said
    assert "1 row(s) have a cinf_assessment_factors_json that is not a list" in said
    assert "1 row(s) belong to an assessment with no cina_assessment_auth_date" in said


CENSUS = """<?xml version='1.0' encoding='utf-8'?>
<Message>
  <Header><CollectionDetails><ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails></Header>
  <Children>
    <Child>
      <ChildIdentifiers><LAchildID>P1</LAchildID></ChildIdentifiers>
      <CINdetails>
        <CINreferralDate>2024-06-01</CINreferralDate>
        <ReferralNFA>true</ReferralNFA>
        <Assessments>
          <AssessmentActualStartDate>2024-06-02</AssessmentActualStartDate>
          <AssessmentAuthorisationDate>2024-07-01</AssessmentAuthorisationDate>
          <FactorsIdentifiedAtAssessment>
            <AssessmentFactors>4A</AssessmentFactors>
            <AssessmentFactors>15a</AssessmentFactors>
          </FactorsIdentifiedAtAssessment>
        </Assessments>
        <Assessments>
          <AssessmentActualStartDate>2025-03-01</AssessmentActualStartDate>
          <FactorsIdentifiedAtAssessment>
            <AssessmentFactors>4A</AssessmentFactors>
          </FactorsIdentifiedAtAssessment>
        </Assessments>
      </CINdetails>
    </Child>
  </Children>
</Message>
"""


def test_the_census_dates_factors_by_the_assessments_authorisation(tmp_path):
    # The referral ended in no further action (no period), but its first assessment was
    # authorised on 1 Jul 2024 with 4A and 15A (written 15a): both read. The second has no
    # authorisation date: its 4A is left out and counted. The same census given twice
    # (two years' files repeating the assessment) gives each factor once.
    root = folder(
        tmp_path,
        {"ssda903/header.csv": HEADER, "cin/2025.xml": CENSUS, "cin/2025b.xml": CENSUS},
    )
    result = both(root)
    assert factors(result) == [("P1", date(2024, 7, 1), "15A"), ("P1", date(2024, 7, 1), "4A")]
    assert result.area.social_work == ()
    said = " | ".join(result.quality.warnings)
    assert "cin/: 2 assessment(s) with factors have no AssessmentAuthorisationDate" in said
    assert "2 factor(s) given twice" in said


def test_the_api_and_the_ssd_give_a_factor_once(tmp_path):
    # The API sends P1's assessment authorised 10 Mar 2024 with 4A (also the SSD's: read once,
    # from the SSD) and 15A (the API's alone), and one not authorised (left out, counted).
    payload = [
        {
            "la_child_id": "P1",
            "social_care_episodes": [
                {
                    "social_care_episode_id": "E1",
                    "referral_date": "2024-02-01",
                    "child_and_family_assessments": [
                        {
                            "child_and_family_assessment_id": "X1",
                            "authorisation_date": "2024-03-10",
                            "factors": ["4A", "15A"],
                        },
                        {"child_and_family_assessment_id": "X2", "factors": ["4A"]},
                    ],
                }
            ],
        }
    ]
    root = folder(
        tmp_path,
        {
            "MHS001MPI.csv": MPI,
            "ssda903/header.csv": HEADER,
            "ssd/ssd_cin_assessments.csv": ASSESSMENTS + "A1,P1,2024-02-01,2024-03-10\n",
            "ssd/ssd_assessment_factors.csv": FACTORS + 'F1,A1,"[""4A""]"\n',
            "dfe_api/2025-04-01.json": json.dumps(payload),
        },
    )
    result = both(root)
    assert factors(result) == [("P1", date(2024, 3, 10), "15A"), ("P1", date(2024, 3, 10), "4A")]
    said = " | ".join(result.quality.warnings)
    assert "1 row(s) that the SSD and the DfE API both give are read once, from the SSD" in said
    assert "1 child and family assessment(s) with factors have no authorisation_date" in said
