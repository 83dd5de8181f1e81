"""``cypmh example`` describes the hand-written example area correctly.

Expected values are worked out from the example's records by hand, on its
reference date 2025-03-31.
"""

import subprocess
import sys

from cypmh.__main__ import main


def run_demo(capsys) -> str:
    assert main(["example"]) == 0
    return capsys.readouterr().out


def row_of(output: str, person_id: str) -> str:
    return next(line for line in output.splitlines() if line.startswith(person_id))


def test_ages_on_the_reference_date(capsys):
    out = run_demo(capsys)
    # P001 born 2011-04-02: the 2025 birthday is two days away, so 13.
    assert row_of(out, "P001").split()[1] == "13"
    # P002 born 2009-11-20: 15th birthday 2024-11-20 passed.
    assert row_of(out, "P002").split()[1] == "15"
    # P003 born 2014-02-28: 11th birthday 2025-02-28 passed.
    assert row_of(out, "P003").split()[1] == "11"
    # P004 born 2008-07-09: 16th birthday 2024-07-09 passed.
    assert row_of(out, "P004").split()[1] == "16"


def test_social_care_statuses(capsys):
    out = run_demo(capsys)
    # P002's second episode of care (from 2024-05-01) is open on 2025-03-31.
    assert "looked after" in row_of(out, "P002")
    # P003's child-in-need period ended 2024-10-31; the protection plan from 2024-11-01 is open.
    assert "child protection plan" in row_of(out, "P003")
    assert " none " in row_of(out, "P001")


def test_referrals_and_attendance(capsys):
    out = run_demo(capsys)
    # R001: C001 and C003 attended (5), C002 did not attend (3).
    assert "attended 2, missed 1" in row_of(out, "P001")
    # R003 was rejected on 2024-11-29.
    assert "R003 (A18, received 2024-11-18, rejected 2024-11-29" in row_of(out, "P003")


def test_working_links(capsys):
    out = run_demo(capsys)
    # School 100002's link has no CAMHS contact role, so only 100001 has a working link.
    assert "schools with a working CAMHS link: 1 of 2" in out
    assert "identical after reading back: True" in out


def test_the_module_runs_as_a_command():
    done = subprocess.run(
        [sys.executable, "-m", "cypmh", "example"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Example area: described on 2025-03-31")
    usage = subprocess.run(
        [sys.executable, "-m", "cypmh"], capture_output=True, text=True, check=False
    )
    assert usage.returncode == 2  # no command is a usage error; the help goes to stderr
    assert "Usage: cypmh" in usage.stderr


def test_journeys_and_pathways(capsys):
    out = run_demo(capsys)
    lines = {line.split()[0]: line for line in out.splitlines() if line.startswith("R00")}
    # R001: first counted direct contact 1 Nov, received 3 Oct: 28 + 1 = 29 days; no outcome
    # measure yet, so no clock stop. Source C2 and school 100001's link works on 3 Oct 2024.
    assert "waiting for clock stop" in lines["R001"]
    assert "first contact after 29 days" in lines["R001"]
    assert "from a school with a working CAMHS link" in lines["R001"]
    # R002 was discharged on 28 Feb 2025; first contact 1 Jul 2024, received 12 Jun: 19 days.
    assert "closed" in lines["R002"]
    assert "first contact after 19 days" in lines["R002"]
    # R004: no counted contact (C007 was cancelled). 20 Jan to 31 Mar inclusive = 12 + 28 + 31.
    assert "waiting for first contact" in lines["R004"]
    assert "waiting 71 days" in lines["R004"]
    # R005: urgent ED referral 3 Mar, family therapy on 7 Mar: 4 days, within 7.
    assert "eating-disorder treatment after 4 days (urgent, met)" in lines["R005"]


def test_headline_kpis(capsys):
    out = run_demo(capsys)
    kpis = {
        line.split()[0]: line.split()[1]
        for line in out.splitlines()
        if line.startswith("  ")
        and line.split()[0][:3] in {"MHS", "REJ", "DNA", "LAC", "SDQ", "LIN"}
    }
    # MHS95: P001, P002 and P004 have counted contacts in Apr 2024 - Mar 2025; P003 none.
    assert kpis["MHS95"] == "3"
    # MHS133: R004 (no contact) and R003 (rejected, never discharged: the publication counts it).
    # MHS134: waits 71 (R004) and 134 (R003, 18 Nov to 31 Mar + 1) -> median 102.5.
    assert (kpis["MHS133"], kpis["MHS134"]) == ("2", "102.5")
    # REJ02: 1 of the 5 referrals received in the year was rejected (R003) = 20%.
    assert kpis["REJ02"] == "20"
    # LINK01: one of two schools has a working link; SDQ01: P002's score 18; LAC01b: P002
    # entered care 4 Dec 2023 and was assessed 13 May 2024, inside 4 Apr - 4 Jun.
    assert (kpis["LINK01"], kpis["SDQ01"], kpis["LAC01b"]) == ("50", "18", "100")
