"""LINK01, LINK02, LINK03 and THR01. March 2025."""

from datetime import date

from cypmh import LinkContact, School
from cypmh.thrive import Grouping, GroupingRecord, GroupingSource
from tests.spec.metrics.builders import results
from tests.spec.pathways.timeline import area, child, referral


def link(urn, start, end=None, camhs_role="Link worker"):
    return LinkContact(
        school_urn=urn,
        provider_code="RXT",
        school_lead_role="Lead",
        camhs_contact_role=camhs_role,
        start=start,
        end=end,
    )


SCHOOLS = [School(urn=f"10000{i}", name=f"School {i}") for i in range(1, 5)]
LINKS = [
    link("100001", date(2023, 9, 1)),  # working at the period end
    link("100002", date(2023, 9, 1), end=date(2025, 1, 31)),  # ended in January
    link("100003", date(2023, 9, 1), camhs_role=None),  # no CAMHS contact role: never working
    link("100004", date(2024, 9, 1)),  # working at the period end
]


def test_links_worked_example():
    # LINK01: 100001 and 100004 have a working link on 31 March 2025: 2 of 4 = 50%.
    # LINK02 (school-source referrals in the 12 months to March 2025):
    #   S1 (school 100001): 3 referrals, 1 rejected                     -> working link
    #   S2 (school 100002): 1 referral on 1 Dec 2024, while its link worked -> working link
    #   S3 (school 100003): 2 referrals, both rejected                  -> no working link
    #   a GP referral (source A1) is not a school referral.
    # Working link: 1 of 4 = 25%; no working link: 2 of 2 = 100%; all: 3 of 6 = 50%.
    kids = [
        child("S1", school_urn="100001"),
        child("S2", school_urn="100002"),
        child("S3", school_urn="100003"),
    ]
    refs = [
        referral(
            "A", date(2024, 5, 1), person_id="S1", source="C2", rejection_date=date(2024, 5, 9)
        ),
        referral("B", date(2024, 6, 1), person_id="S1", source="C2"),
        referral("C", date(2024, 7, 1), person_id="S1", source="C2"),
        referral("D", date(2024, 12, 1), person_id="S2", source="C2"),
        referral(
            "E", date(2024, 8, 1), person_id="S3", source="C2", rejection_date=date(2024, 8, 3)
        ),
        referral(
            "F", date(2024, 9, 1), person_id="S3", source="C2", rejection_date=date(2024, 9, 3)
        ),
        referral("G", date(2024, 9, 1), person_id="S3", source="A1"),
    ]
    records = area(children=kids, schools=SCHOOLS, link_contacts=LINKS, referrals=refs)
    rows = results(records, "LINK01", "LINK02", breakdowns=("school_link",))
    assert rows[("LINK01", "Total", "Total")].value == 50
    assert rows[("LINK02", "Total", "Total")].value == 50
    assert rows[("LINK02", "school_link", "Working link")].value == 25
    assert rows[("LINK02", "school_link", "No working link")].value == 100
    assert ("LINK01", "school_link", "Working link") not in rows  # LINK01 has no breakdowns


def test_pupils_worked_example():
    # LINK03 weights LINK01's schools by their pupils (GIAS NumberOfPupils), worked by hand:
    #   100001: 400 pupils, working link at the period end         -> numerator and denominator
    #   100002: 900 pupils, its link ended in January               -> denominator
    #   100003: 300 pupils, no CAMHS contact role                   -> denominator
    #   100004: working link, number of pupils not known            -> left out of both
    #   100005: 1,000 pupils, working link, closed 31 December 2024 -> not open: left out
    # 400 of 400 + 900 + 300 = 1,600 pupils: 25%. LINK01 stays 2 of 4 open schools: 50%.
    pupils = {"100001": 400, "100002": 900, "100003": 300, "100004": None}
    schools = [School(urn=s.urn, name=s.name, pupils=pupils[s.urn]) for s in SCHOOLS]
    schools.append(
        School(urn="100005", name="School 5", pupils=1000, close_date=date(2024, 12, 31))
    )
    records = area(schools=schools, link_contacts=[*LINKS, link("100005", date(2023, 9, 1))])
    rows = results(records, "LINK01", "LINK03")
    assert rows[("LINK01", "Total", "Total")].value == 50
    share = rows[("LINK03", "Total", "Total")]
    assert (share.value, share.numerator, share.denominator) == (25, 400, 1600)


def test_pupils_not_known_give_no_share():
    # No school's pupils known: no pupils to share out, so LINK03 has no value (not 0%).
    records = area(schools=SCHOOLS, link_contacts=LINKS)
    share = results(records, "LINK03")[("LINK03", "Total", "Total")]
    assert (share.value, share.numerator, share.denominator) == (None, 0, 0)


def test_thrive_worked_example():
    # Open at 31 March 2025: T1 (agreed Getting Help), T2 (suggested Thriving), T3 (none).
    # T4's referral was discharged on 31 March: not open. THR01 = 3: one in each level.
    kids = [child(p) for p in ("T1", "T2", "T3", "T4")]
    refs = [referral(f"R{p}", date(2025, 1, 1), person_id=p) for p in ("T1", "T2", "T3")]
    refs.append(referral("RT4", date(2025, 1, 1), person_id="T4", discharge_date=date(2025, 3, 31)))
    groupings = [
        GroupingRecord(
            person_id="T1",
            grouping=Grouping.GETTING_HELP,
            from_date=date(2025, 2, 1),
            source=GroupingSource.AGREED,
        ),
        GroupingRecord(
            person_id="T2",
            grouping=Grouping.THRIVING,
            from_date=date(2025, 2, 1),
            source=GroupingSource.SUGGESTED,
        ),
        GroupingRecord(
            person_id="T4",
            grouping=Grouping.GETTING_HELP,
            from_date=date(2025, 2, 1),
            source=GroupingSource.AGREED,
        ),
    ]
    rows = results(
        area(children=kids, referrals=refs, groupings=groupings), "THR01", breakdowns=("thrive",)
    )
    assert rows[("THR01", "Total", "Total")].value == 3
    # Every agreed grouping is written, the four with no child as 0; the suggestion is
    # counted apart, at its own level.
    assert {level: r.value for (_, b, level), r in rows.items() if b == "thrive"} == {
        "Getting Help": 1,
        "Thriving": 0,
        "Thriving (suggested)": 1,
        "Not recorded": 1,
        "Getting Advice and Signposting": 0,
        "Getting More Help": 0,
        "Getting Risk Support": 0,
    }


def test_link01_counts_the_schools_open_at_the_period_end():
    # The four schools above, plus: 100005 closed on 31 March 2025 (its last day: open),
    # 100006 closed on 28 February 2025, 100007 opening on 1 April 2025. By hand:
    # open on 31 March 2025 are 100001-100005; working links 100001 and 100004: 2 of 5 = 40%.
    from cypmh.metrics.frames import compute_frames, tables_from_area

    extra = [
        School(urn="100005", name="Closing", close_date=date(2025, 3, 31)),
        School(urn="100006", name="Closed", close_date=date(2025, 2, 28)),
        School(urn="100007", name="Opening", open_date=date(2025, 4, 1)),
    ]
    records = area(schools=[*SCHOOLS, *extra], link_contacts=LINKS)
    row = results(records, "LINK01")[("LINK01", "Total", "Total")]
    assert (row.numerator, row.denominator) == (2, 5)
    [framed] = compute_frames(
        tables_from_area(records), "2025-03", metrics=["LINK01"], disclosure="none"
    )
    assert (framed.numerator, framed.denominator) == (2, 5)
