"""The Children in Need census XML read into social-care periods (cypmh.io.cin_census).

The worked example is written here by hand; the sector validator's own fake files
(tests/data/cin_fake, MIT) are read as councils' files would be, one collection year each.
"""

from datetime import date
from pathlib import Path

import pytest

from cypmh.__main__ import main
from cypmh.codes import SocialWorkType
from cypmh.io.cin_census import (
    CinCensusError,
    cin_census_from_bytes,
    combine,
    read_cin_census,
    social_work_text,
)

FAKE = Path(__file__).parents[1] / "data" / "cin_fake"
CIN, CPP = SocialWorkType.CHILD_IN_NEED, SocialWorkType.CHILD_PROTECTION_PLAN

WORKED = """<Message>
  <Header><CollectionDetails><Collection>CIN</Collection><Year>2025</Year>
    <ReferenceDate>2025-03-31</ReferenceDate></CollectionDetails></Header>
  <Children>
    <Child>
      <ChildIdentifiers><LAchildID>A1</LAchildID><Sex>1</Sex></ChildIdentifiers>
      <CINdetails>
        <CINreferralDate>2024-01-10</CINreferralDate>
        <ReferralNFA>true</ReferralNFA>
      </CINdetails>
      <CINdetails>
        <CINreferralDate>2024-05-01</CINreferralDate>
        <CINclosureDate>2025-01-31</CINclosureDate>
        <ReferralNFA>false</ReferralNFA>
        <ChildProtectionPlans>
          <CPPstartDate>2024-06-01</CPPstartDate>
          <CPPendDate>2024-12-01</CPPendDate>
        </ChildProtectionPlans>
      </CINdetails>
    </Child>
    <Child>
      <ChildIdentifiers><LAchildID>B2</LAchildID></ChildIdentifiers>
      <CINdetails>
        <CINreferralDate>2025-02-03</CINreferralDate>
        <ReferralNFA>0</ReferralNFA>
        <ChildProtectionPlans><CPPstartDate>2025-03-01</CPPstartDate></ChildProtectionPlans>
      </CINdetails>
    </Child>
    <Child>
      <ChildIdentifiers><UPN>X</UPN></ChildIdentifiers>
      <CINdetails><CINreferralDate>2024-05-01</CINreferralDate></CINdetails>
    </Child>
    <Child>
      <ChildIdentifiers><LAchildID>C3</LAchildID></ChildIdentifiers>
      <CINdetails>
        <CINreferralDate>2024-13-01</CINreferralDate>
        <ReferralNFA>maybe</ReferralNFA>
      </CINdetails>
      <CINdetails>
        <CINreferralDate>2024-09-01</CINreferralDate>
        <CINclosureDate>2024-08-01</CINclosureDate>
      </CINdetails>
    </Child>
  </Children>
</Message>
"""


def test_worked_example():
    # A1: the January referral ended in no further action (no period); the May referral is a
    # child-in-need period to 31 January 2025, with a plan from 1 June to 1 December 2024.
    # B2: an open referral of 3 February 2025 and an open plan from 1 March 2025 (ReferralNFA
    # 0 is false). The third child has no LAchildID: its referral is reported, not read. C3:
    # a referral date that is no date (month 13) and a closure before its referral, each
    # reported with its line; the NFA "maybe" too.
    census = cin_census_from_bytes(WORKED.encode(), "census.xml")
    assert census.reference_date == date(2025, 3, 31)
    assert (census.children, census.referrals, census.no_further_action) == (4, 5, 1)
    got = {(p.child, p.kind, p.start, p.end) for p in census.periods}
    assert got == {
        ("A1", CIN, date(2024, 5, 1), date(2025, 1, 31)),
        ("A1", CPP, date(2024, 6, 1), date(2024, 12, 1)),
        ("B2", CIN, date(2025, 2, 3), None),
        ("B2", CPP, date(2025, 3, 1), None),
    }
    # Lines counted in WORKED: the third <Child> opens on line 29; C3's NFA is on line 37,
    # its bad referral date on 36 and its early closure on 41.
    problems = [(p.line, p.element, p.value) for p in census.problems]
    assert problems == [
        (29, "LAchildID", ""),
        (37, "ReferralNFA", "maybe"),
        (36, "CINreferralDate", "2024-13-01"),
        (41, "CINclosureDate", "2024-08-01"),
    ]
    assert str(census.problems[3]) == (
        "census.xml, line 41, <CINclosureDate> '2024-08-01': is before the start, 2024-09-01: "
        "left out"
    )
    assert social_work_text(combine([census])).splitlines() == [
        "CHILD,STATUS,START,END",
        "A1,CIN,01/05/2024,31/01/2025",
        "A1,CPP,01/06/2024,01/12/2024",
        "B2,CIN,03/02/2025,",
        "B2,CPP,01/03/2025,",
    ]


def test_a_later_census_gives_the_end_of_a_period_an_earlier_one_left_open():
    earlier = WORKED.replace("2025-03-31", "2024-03-31")
    later = WORKED.replace(
        "<CPPstartDate>2025-03-01</CPPstartDate>",
        "<CPPstartDate>2025-03-01</CPPstartDate><CPPendDate>2025-03-20</CPPendDate>",
    )
    a = cin_census_from_bytes(earlier.encode(), "2024.xml")
    b = cin_census_from_bytes(later.encode(), "2025.xml")
    for order in ([a, b], [b, a]):
        plans = [p for p in combine(order) if (p.child, p.kind) == ("B2", CPP)]
        assert [(p.start, p.end, p.file) for p in plans] == [
            (date(2025, 3, 1), date(2025, 3, 20), "2025.xml")
        ]


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (b"not xml at all", "line 1: not well-formed XML"),
        (b"<Message><Children></Message>", "line 1: not well-formed XML"),
        (b"<Return><Children/></Return>", "<Return>: not a CIN census"),
        (b'<!DOCTYPE M [<!ENTITY x "y">]><Message/>', "a document type or entity declaration"),
    ],
)
def test_a_file_that_is_not_a_census_is_one_clear_error(text, said):
    with pytest.raises(CinCensusError, match=said):
        cin_census_from_bytes(text, "f.xml")


def test_the_validators_fake_files_of_each_year():
    # Worked from the files themselves. 2024 (with <Sex>): DfEX0000001's referral of
    # 6 October 2022, closed 27 February 2023, and its plan of 17 February 2022 to 14 March
    # 2023; child_fails_assessments's referral of 24 to 29 October 2024. 2026 holds the same
    # two children, with the pre-proceedings block, which is not read. 2021 (with <Gender>):
    # DfEX0000001's referral of 6 October 1970 to 27 February 1971, and its plan.
    expected = {
        "CIN_Census_2024.xml": {
            ("DfEX0000001", CIN, date(2022, 10, 6), date(2023, 2, 27)),
            ("DfEX0000001", CPP, date(2022, 2, 17), date(2023, 3, 14)),
            ("child_fails_assessments", CIN, date(2024, 10, 24), date(2024, 10, 29)),
        },
        "CIN_Census_2021.xml": {
            ("DfEX0000001", CIN, date(1970, 10, 6), date(1971, 2, 27)),
            ("DfEX0000001", CPP, date(1970, 2, 17), date(1971, 3, 14)),
        },
    }
    expected["CIN_Census_2026.xml"] = expected["CIN_Census_2024.xml"]
    for name, periods in expected.items():
        census = read_cin_census(FAKE / name)
        assert {(p.child, p.kind, p.start, p.end) for p in census.periods} == periods
        assert census.problems == ()
    # The generator's file marks every referral as ended in no further action.
    generated = read_cin_census(FAKE / "fake_CIN_data.xml")
    assert (generated.children, generated.referrals, generated.no_further_action) == (332, 402, 402)
    assert generated.periods == ()


def test_the_command_writes_social_work_csv(tmp_path, capsys):
    out = tmp_path / "social_work.csv"
    status = main(["cin-census", str(FAKE / "CIN_Census_2024.xml"), "--out", str(out)])
    captured = capsys.readouterr()
    assert status == 0
    assert out.read_text().splitlines() == [
        "CHILD,STATUS,START,END",
        "DfEX0000001,CIN,06/10/2022,27/02/2023",
        "DfEX0000001,CPP,17/02/2022,14/03/2023",
        "child_fails_assessments,CIN,24/10/2024,29/10/2024",
    ]
    assert "3 periods of 2 children." in captured.err
    # A file that is not a census: one line, no traceback, nothing written.
    bad = tmp_path / "bad.xml"
    bad.write_text("<Return/>")
    status = main(["cin-census", str(bad), "--out", str(tmp_path / "other.csv")])
    captured = capsys.readouterr()
    assert status == 1
    assert "bad.xml, line 1: <Return>: not a CIN census" in captured.err
    assert "Traceback" not in captured.err
    assert not (tmp_path / "other.csv").exists()


def test_each_childs_identifiers_are_read_as_the_file_writes_them():
    # Read by eye from the validator's files: its 2024 file writes <Sex> (1 for the first
    # child, M for the second), its 2021 file <GenderCurrent>; every child has an id.
    people = read_cin_census(FAKE / "CIN_Census_2024.xml").people
    assert [(p.child, p.birth_date, p.sex, p.ethnicity) for p in people] == [
        ("DfEX0000001", "2015-03-27", "1", "WBRI"),
        ("child_fails_assessments", "2023-09-25", "1", "WBRI"),
    ]
    (old,) = read_cin_census(FAKE / "CIN_Census_2021.xml").people
    assert (old.birth_date, old.sex) == ("1965-03-27", "1")
    fake = read_cin_census(FAKE / "fake_CIN_data.xml")
    assert len(fake.people) == fake.children == 332
    # GenderCurrent 0 (not known) and 9 (not specified) are written as not known.
    assert {p.sex for p in fake.people} == {"1", "2", ""}
