"""Social care read from the SSD's tables and the CIN census in place (cypmh.io.feeds).

Each case is a small folder written by hand; the expected periods, children and
problems are worked out from the rows as the module docstring states the rules.
Both readers are run on each, and must agree.
"""

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from cypmh.codes import SocialWorkType
from cypmh.io.readers import ExtractError, read_extract
from cypmh.io.sources import Database

MPI = "Person_ID,PersonBirthDate\nP1,2012-05-01\nP2,2014-01-10\n"
REFERRALS = "UniqServReqID,Person_ID,OrgIDProv,ReferralRequestReceivedDate\nR1,P1,RXX,2024-06-01\n"
CONTACTS = "UniqCareContID,UniqServReqID,Person_ID,CareContDate,AttendStatus\n"

CIN_EPISODES = (
    "cine_referral_id,cine_person_id,cine_referral_date,cine_cin_primary_need_code,"
    "cine_referral_nfa,cine_close_date\n"
)
CP_PLANS = "cppl_cp_plan_id,cppl_referral_id,cppl_person_id,cppl_cp_plan_start_date,cppl_cp_plan_end_date\n"


def folder(tmp_path: Path, files: dict[str, str], health: bool = True) -> Path:
    root = tmp_path / "extract"
    if health:
        files = {
            "MHS001MPI.csv": MPI,
            "MHS101Referral.csv": REFERRALS,
            "MHS201CareContact.csv": CONTACTS,
            **files,
        }
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    return root


def both(root: Path):
    reference = read_extract(root, name="t")
    framed = read_extract(root, name="t", engine="polars")
    assert reference.quality.problems == framed.quality.problems
    assert reference.quality.warnings == framed.quality.warnings
    assert reference.quality.files == framed.quality.files
    return reference


def periods(result):
    return sorted((s.person_id, s.kind.value, s.start, s.end) for s in result.area.social_work)


def test_ssd_periods_as_a_database_export_writes_them(tmp_path):
    # Line 2: P1's referral from 1 Feb 2024, closed 30 Jun 2024, written with SQL Server's
    # midnight time; line 3: P2's referral that ended in no further action (Y) gives no
    # period; line 4: P2's open referral, its close date NULL. The plan of line 2 is P2's,
    # from 1 Mar 2024, open. Expected: P1 CIN 2024-02-01..2024-06-30, P2 CIN from
    # 2024-04-01 (open), P2 CPP from 2024-03-01 (open).
    root = folder(
        tmp_path,
        {
            "ssd/ssd_cin_episodes.csv": CIN_EPISODES
            + "C1,P1,2024-02-01 00:00:00.000,N4,N,2024-06-30 00:00:00.000\n"
            + "C2,P2,2024-01-05,N1,Y,\n"
            + "C3,P2,2024-04-01T00:00:00,N1,N,NULL\n",
            "ssd/ssd_cp_plans.csv": CP_PLANS + "K1,C3,P2,2024-03-01,\n",
        },
    )
    result = both(root)
    assert periods(result) == [
        ("P1", "CIN", date(2024, 2, 1), date(2024, 6, 30)),
        ("P2", "CIN", date(2024, 4, 1), None),
        ("P2", "CPP", date(2024, 3, 1), None),
    ]
    said = "\n".join(result.quality.warnings)
    assert "1 referral(s) ended in no further action (cine_referral_nfa)" in said
    assert "2 row(s) from ssd/ssd_cin_episodes.csv, 1 row(s) from ssd/ssd_cp_plans.csv" in said


def test_a_problem_is_named_where_the_feed_has_it(tmp_path):
    # Line 3's referral date is not a date, line 4's child is not known, line 5's close is
    # before its start: each is reported at its SSD line, with the SSD's field name.
    root = folder(
        tmp_path,
        {
            "ssd/ssd_cin_episodes.csv": CIN_EPISODES
            + "C1,P1,2024-02-01,N4,N,\n"
            + "C2,P1,2024-02-30,N4,N,\n"
            + "C3,NOBODY,2024-02-01,N4,N,\n"
            + "C4,P2,2024-05-01,N4,N,2024-04-01\n",
        },
    )
    result = both(root)
    found = [(p.where, p.column, p.value) for p in result.quality.problems]
    assert found == [
        ("ssd/ssd_cin_episodes.csv, line 3", "cine_referral_date", "2024-02-30"),
        ("ssd/ssd_cin_episodes.csv, line 4", "cine_person_id", "NOBODY"),
        ("ssd/ssd_cin_episodes.csv, line 5", "cine_close_date", "2024-04-01"),
    ]
    counts = result.quality.files["ssda903/social_work.csv"]
    assert (counts.read, counts.used, counts.rejected) == (4, 1, 3)


def test_rows_that_cannot_be_read_are_reported_not_lost(tmp_path):
    root = folder(
        tmp_path,
        {
            "ssd/ssd_cin_episodes.csv": CIN_EPISODES
            + "C1,P1,2024-02-01,N4,N,\n"
            + "C2,P1\n"
            + "C3,P1,2024-03-01,N4,maybe,\n",
        },
    )
    said = "\n".join(both(root).quality.warnings)
    assert "ssd/ssd_cin_episodes.csv, line 3: has 2 cells, the header 6: left out" in said
    assert "line 4, cine_referral_nfa 'maybe': must be Y or N" in said


def test_a_table_without_a_field_it_needs_is_an_error_naming_both(tmp_path):
    root = folder(tmp_path, {"ssd/ssd_cp_plans.csv": "cppl_person_id,start\nP1,2024-01-01\n"})
    with pytest.raises(ExtractError, match=r"ssd/ssd_cp_plans.csv: .* no cppl_cp_plan_start_date"):
        read_extract(root, name="t")


def test_field_names_are_read_in_any_case(tmp_path):
    root = folder(
        tmp_path,
        {"ssd/ssd_cp_plans.csv": "CPPL_PERSON_ID,CPPL_CP_PLAN_START_DATE\nP1,2024-01-01\n"},
    )
    assert periods(both(root)) == [("P1", "CPP", date(2024, 1, 1), None)]


def test_the_folders_own_periods_and_the_feeds_are_read_together(tmp_path):
    # The folder's own file has no END column; the SSD's plan has an end, so END is added
    # (empty on the own rows, which stay open). A fault on the own file's line 3 is still
    # named at that line.
    root = folder(
        tmp_path,
        {
            "ssda903/social_work.csv": "CHILD,STATUS,START\nP1,CIN,2023-01-01\nP2,CIN,not a day\n",
            "ssd/ssd_cp_plans.csv": CP_PLANS + "K1,,P1,2023-02-01,2023-03-31\n",
        },
    )
    result = both(root)
    assert periods(result) == [
        ("P1", "CIN", date(2023, 1, 1), None),
        ("P1", "CPP", date(2023, 2, 1), date(2023, 3, 31)),
    ]
    (problem,) = result.quality.problems
    assert (problem.where, problem.column) == ("ssda903/social_work.csv, line 3", "START")


def test_a_period_the_ssd_and_the_census_both_give_is_read_once_from_the_ssd(tmp_path):
    census = (
        "<Message><Header><CollectionDetails><ReferenceDate>2024-03-31</ReferenceDate>"
        "</CollectionDetails></Header><Children><Child><ChildIdentifiers>"
        "<LAchildID>P1</LAchildID></ChildIdentifiers>"
        "<CINdetails><CINreferralDate>2024-02-01</CINreferralDate></CINdetails>"
        "<CINdetails><CINreferralDate>2023-06-01</CINreferralDate>"
        "<CINclosureDate>2023-09-01</CINclosureDate></CINdetails>"
        "</Child></Children></Message>"
    )
    root = folder(
        tmp_path,
        {
            "ssd/ssd_cin_episodes.csv": CIN_EPISODES + "C1,P1,2024-02-01,N4,N,2024-08-31\n",
            "cin/census_2024.xml": census,
        },
    )
    result = both(root)
    # The census's open referral from 1 Feb 2024 is the SSD's, which has since closed it.
    assert periods(result) == [
        ("P1", "CIN", date(2023, 6, 1), date(2023, 9, 1)),
        ("P1", "CIN", date(2024, 2, 1), date(2024, 8, 31)),
    ]
    assert any(
        "1 period(s) that the CIN census and the SSD or the DfE API give are read once" in w
        for w in result.quality.warnings
    )


def test_looked_after_episodes_come_from_the_ssda903_return_when_there_is_one(tmp_path):
    episodes = (
        "clae_cla_episode_id,clae_person_id,clae_cla_episode_start_date,"
        "clae_cla_episode_start_reason,clae_cla_episode_ceased_date,clae_cla_episode_ceased_reason\n"
        "E1,P1,2023-04-01,S,2023-10-01,E11\n"
    )
    alone = folder(tmp_path / "a", {"ssd/ssd_cla_episodes.csv": episodes})
    (episode,) = both(alone).area.care_episodes
    assert (episode.person_id, episode.start, episode.end, episode.reason_ceased) == (
        "P1",
        date(2023, 4, 1),
        date(2023, 10, 1),
        "E11",
    )
    ssda903 = "CHILD,DECOM,DEC\nP2,2022-01-01,\n"
    with_return = folder(
        tmp_path / "b",
        {
            "ssd/ssd_cla_episodes.csv": episodes,
            "ssda903/episodes.csv": ssda903,
            "ssda903/header.csv": "CHILD,DOB\nP2,2014-01-10\n",
        },
    )
    result = both(with_return)
    assert [e.person_id for e in result.area.care_episodes] == ["P2"]
    assert any("ssd/ssd_cla_episodes.csv: not read" in w for w in result.quality.warnings)


def test_a_social_care_child_not_known_to_health_comes_from_ssd_person(tmp_path):
    # S9 is in the SSD only: ssd_person gives the child (sex F read as 2), so the period
    # is used; the adult A1 in ssd_person has no period and is not made a child.
    root = folder(
        tmp_path,
        {
            "ssd/ssd_person.csv": "pers_person_id,pers_sex,pers_ethnicity,pers_dob\n"
            "S9,F,WBRI,2015-02-03 00:00:00\nA1,M,WBRI,1980-01-01\n",
            "ssd/ssd_cp_plans.csv": CP_PLANS + "K1,,S9,2024-01-01,\n",
        },
    )
    result = both(root)
    assert periods(result) == [("S9", "CPP", date(2024, 1, 1), None)]
    child = result.area.child("S9")
    assert (child.birth_date, child.gender, child.ethnic_category) == (
        date(2015, 2, 3),
        "2",
        "WBRI",
    )
    assert "A1" not in {c.person_id for c in result.area.children}


def test_a_folder_of_feeds_alone_is_a_social_care_extract(tmp_path):
    root = folder(
        tmp_path,
        {
            "ssd/ssd_person.csv": "pers_person_id,pers_dob\nS9,2015-02-03\n",
            "ssd/ssd_cin_episodes.csv": CIN_EPISODES + "C1,S9,2024-02-01,N4,N,\n",
        },
        health=False,
    )
    assert periods(both(root)) == [("S9", "CIN", date(2024, 2, 1), None)]


def test_a_file_in_cin_that_is_not_a_census_is_an_error_naming_it(tmp_path):
    root = folder(tmp_path, {"cin/notes.xml": "<Notes/>"})
    with pytest.raises(ExtractError, match=r"cin/notes.xml, line 1: <Notes>: not a CIN census"):
        read_extract(root, name="t")


def test_the_ssd_from_a_database_names_its_tables_and_rows(tmp_path):
    database = tmp_path / "council.db"
    with sqlite3.connect(database) as db:
        for name, text in (
            ("MHS001MPI", MPI),
            ("MHS101Referral", REFERRALS),
            ("MHS201CareContact", CONTACTS),
            ("ssd_cin_episodes", CIN_EPISODES + "C1,P1,2024-02-01,N4,N,\nC2,P1,2024-02-30,N4,N,\n"),
        ):
            lines = [line.split(",") for line in text.strip().split("\n")]
            columns = ", ".join(f'"{c}" TEXT' for c in lines[0])
            db.execute(f'CREATE TABLE "{name}" ({columns})')
            marks = ", ".join("?" for _ in lines[0])
            db.executemany(f'INSERT INTO "{name}" VALUES ({marks})', lines[1:])
    result = read_extract(Database(f"sqlite:///{database}"), name="t")
    assert periods(result) == [("P1", "CIN", date(2024, 2, 1), None)]
    (problem,) = result.quality.problems
    assert (problem.where, problem.column) == (
        "table ssd_cin_episodes, row 2",
        "cine_referral_date",
    )


def test_the_census_gives_each_childs_identifiers_for_the_header(tmp_path):
    census = (
        "<Message><Children><Child><ChildIdentifiers><LAchildID>S7</LAchildID>"
        "<PersonBirthDate>2016-07-08</PersonBirthDate><Sex>M</Sex></ChildIdentifiers>"
        "<ChildCharacteristics><Ethnicity>APKN</Ethnicity></ChildCharacteristics>"
        "<CINdetails><CINreferralDate>2024-02-01</CINreferralDate><ReferralNFA>false</ReferralNFA>"
        "<ChildProtectionPlans><CPPstartDate>2024-03-01</CPPstartDate></ChildProtectionPlans>"
        "</CINdetails></Child></Children></Message>"
    )
    root = folder(tmp_path, {"cin/c.xml": census})
    result = both(root)
    assert [(s.kind, s.start) for s in result.area.social_work] == [
        (SocialWorkType.CHILD_IN_NEED, date(2024, 2, 1)),
        (SocialWorkType.CHILD_PROTECTION_PLAN, date(2024, 3, 1)),
    ]
    child = result.area.child("S7")
    assert (child.birth_date, child.gender, child.ethnic_category) == (
        date(2016, 7, 8),
        "1",
        "APKN",
    )


# Linking by NHS number. 9434765919 and 4010232137 are NHS numbers (their check digits
# worked by hand: 9*10+4*9+3*8+4*7+7*6+6*5+5*4+9*3+1*2 = 299, 299 mod 11 = 2, 11 - 2 = 9;
# 4*10+0+1*8+0+2*6+3*5+2*4+1*3+3*2 = 92, 92 mod 11 = 4, 11 - 4 = 7). 9434765918 is not.
MPI_NUMBERED = (
    "Person_ID,PersonBirthDate,NHSNumber\n"
    "P1,2012-05-01,943 476 5919\n"
    "P2,2014-01-10,4010232137\n"
    "P3,2014-01-10,4010232137\n"
)


def test_social_care_links_to_health_by_nhs_number(tmp_path):
    # S1 carries P1's number (written without spaces), so S1's plan is P1's. S2 carries a
    # number whose check digit is wrong, S3 one that P2 and P3 share: neither links, so
    # their plans stay under their own ids (ssd_person makes them children of social care
    # only). S4 is linked by linkage.csv to P2, which wins over its number.
    root = folder(
        tmp_path,
        {
            "MHS001MPI.csv": MPI_NUMBERED,
            "linkage.csv": "Person_ID,CHILD\nP2,S4\n",
            "ssd/ssd_person.csv": "pers_person_id,pers_dob,pers_common_child_id\n"
            "S1,2012-05-01,9434765919\n"
            "S2,2013-01-01,9434765918\n"
            "S3,2014-01-10,4010232137\n"
            "S4,2014-01-10,9434765919\n",
            "ssd/ssd_cp_plans.csv": CP_PLANS
            + "K1,,S1,2024-01-01,\nK2,,S4,2024-02-01,\nK3,,S2,2024-03-01,\nK4,,S3,2024-04-01,\n",
        },
    )
    result = both(root)
    assert periods(result) == [
        ("P1", "CPP", date(2024, 1, 1), None),
        ("P2", "CPP", date(2024, 2, 1), None),
        ("S2", "CPP", date(2024, 3, 1), None),
        ("S3", "CPP", date(2024, 4, 1), None),
    ]
    said = "\n".join(result.quality.warnings)
    assert "1 row(s) have a pers_common_child_id that is not an NHS number" in said
    assert "1 row(s) have an NHS number that more than one MHS001MPI.csv Person_ID has" in said
    assert "9434765918" not in said
    assert "4010232137" not in said
    assert "linkage.csv: 1 row(s) from ssd/ssd_person.csv" in said
    # S2 and S3 are not known to health, but ssd_person gives them: they join the area as
    # children of social care only. Health has P1, P2 (with referrals: P1 only).
    assert result.quality.linkage.linked == 1  # P1, referred and on a plan
    assert result.quality.linkage.social_care_only == 3  # P2 (no referral), S2, S3
    assert result.quality.linkage.health_only == 0


def test_numbers_without_an_nhsnumber_column_link_nothing_and_say_so(tmp_path):
    root = folder(
        tmp_path,
        {
            "ssd/ssd_person.csv": "pers_person_id,pers_dob,pers_common_child_id\n"
            "S1,2012-05-01,9434765919\n",
            "ssd/ssd_cp_plans.csv": CP_PLANS + "K1,,S1,2024-01-01,\n",
        },
    )
    result = both(root)
    assert periods(result) == [("S1", "CPP", date(2024, 1, 1), None)]
    assert any("has no NHSNumber column" in w for w in result.quality.warnings)


def test_the_linkage_counts_worked_by_hand(tmp_path):
    # Health: P1 and P2 have referrals. Social care: P1 (a period), C9 (a period, in
    # ssd_person, not linked). Linked 1 (P1), social care only 1 (C9), health only 1 (P2).
    root = folder(
        tmp_path,
        {
            "MHS101Referral.csv": REFERRALS + "R2,P2,RXX,2024-07-01\n",
            "ssd/ssd_person.csv": "pers_person_id,pers_dob\nC9,2013-03-03\n",
            "ssd/ssd_cin_episodes.csv": CIN_EPISODES
            + "C1,P1,2024-02-01,N4,N,\nC2,C9,2024-02-01,N4,N,\n",
        },
    )
    linkage = both(root).quality.linkage
    assert (linkage.linked, linkage.social_care_only, linkage.health_only) == (1, 1, 1)
    assert "Linkage: 1 children in both" in both(root).quality.to_text()


def test_no_linkage_counts_without_both_sides(tmp_path):
    assert both(folder(tmp_path, {})).quality.linkage is None


def test_a_feed_name_given_to_a_file_is_an_error(tmp_path):
    root = folder(tmp_path, {"ssd": "not a folder\n"})
    with pytest.raises(ExtractError, match=r"ssd: is not a folder"):
        read_extract(root, name="t")


def test_files_in_the_feed_folders_that_are_not_read_are_named(tmp_path):
    root = folder(
        tmp_path,
        {
            "ssd/ssd_cla_health.csv": "clah_person_id,clah_health_check_date\nP1,2024-01-01\n",
            "ssd/ssd_cp_plans.csv": CP_PLANS + "K1,,P1,2024-01-01,\n",
            "cin/readme.txt": "the census files\n",
        },
    )
    said = both(root).quality.warnings
    assert "ssd/ssd_cla_health.csv: not read: not an SSD table cypmh reads" in said
    assert "cin/readme.txt: not read: not an .xml file" in said


def test_a_change_to_the_folders_own_files_is_read(tmp_path):
    # The feeds are read once per change; a new linkage.csv must still change who S1 is.
    root = folder(
        tmp_path,
        {
            "ssd/ssd_person.csv": "pers_person_id,pers_dob\nS1,2012-05-01\n",
            "ssd/ssd_cp_plans.csv": CP_PLANS + "K1,,S1,2024-01-01,\n",
        },
    )
    assert periods(both(root)) == [("S1", "CPP", date(2024, 1, 1), None)]
    (root / "linkage.csv").write_text("Person_ID,CHILD\nP1,S1\n", encoding="utf-8")
    assert periods(both(root)) == [("P1", "CPP", date(2024, 1, 1), None)]
