"""CIN01-CIN01b: children whose social-care assessment found a concern about their mental health.

cypmh's own definition (the metric page, ``cypmh.metrics.families.mental_health_factors``): the
factors are the DfE's (CIN census ``AssessmentFactors``: 4A, concerns about the child's mental
health; 15A, self-harm). March 2025: the cohort's 12 months run from 1 April 2023 to 31 March
2024 (the 12 months ending 12 months before the period end), and each child's first such
assessment on or after 1 April 2023 is the one read.
"""

from datetime import date

import pytest

from cypmh import AssessmentFactor
from tests.spec.metrics.builders import results
from tests.spec.pathways.timeline import DNA, area, child, contact, referral


def test_worked_example():
    # A  4A on 10 Jun 2023; a counted contact on 1 Mar 2024, inside the 12 months to
    #    10 Jun 2024: a member, seen.
    # B  15A on 1 Apr 2023, the window's first day; the contact on 2 Apr 2024 is a day after
    #    12 months (1 Apr 2024): a member, not seen.
    # C  4B on 1 Jul 2023: concerns about a parent's mental health, not the child's: out.
    # D  4A on 15 Mar 2023 (before the window) and on 20 Sep 2023, the one read: a member.
    #    Its contacts: attended 1 Aug 2023 (before the assessment) and not attended 1 Oct
    #    2023: not seen.
    # E  4A on 1 May 2024: too recent, its 12 months are not over: out.
    # F  4A on 31 Mar 2024, the window's last day; attended on 31 Mar 2025, exactly 12
    #    months later: a member, seen.
    # G  4A on 1 Jan 2024 and 15A on 1 Feb 2024: one child, read at 1 Jan 2024. Its contact
    #    on 1 Apr 2025 is after the period end, so it has not happened: not seen.
    # CIN01 = 5 (A, B, D, F, G); CIN01a = 2 (A, F); CIN01b = 100 x 2 / 5 = 40.
    factors = [
        ("A", date(2023, 6, 10), "4A"),
        ("B", date(2023, 4, 1), "15A"),
        ("C", date(2023, 7, 1), "4B"),
        ("D", date(2023, 3, 15), "4A"),
        ("D", date(2023, 9, 20), "4A"),
        ("E", date(2024, 5, 1), "4A"),
        ("F", date(2024, 3, 31), "4A"),
        ("G", date(2024, 1, 1), "4A"),
        ("G", date(2024, 2, 1), "15A"),
    ]
    refs = {p: referral(f"R{p}", date(2023, 3, 1), person_id=p) for p in "ABCDEFG"}
    contacts = [
        contact("CA", refs["A"], date(2024, 3, 1)),
        contact("CB", refs["B"], date(2024, 4, 2)),
        contact("CD1", refs["D"], date(2023, 8, 1)),
        contact("CD2", refs["D"], date(2023, 10, 1), DNA),
        contact("CF", refs["F"], date(2025, 3, 31)),
        contact("CG", refs["G"], date(2025, 4, 1)),
    ]
    records = area(
        children=[child(p, born=date(2010, 1, 1)) for p in "ABCDEFG"],
        referrals=refs.values(),
        contacts=contacts,
        assessment_factors=[AssessmentFactor(person_id=p, date=d, factor=f) for p, d, f in factors],
    )
    rows = results(records, "CIN01", "CIN01a", "CIN01b")
    assert rows[("CIN01", "Total", "Total")].value == 5
    assert rows[("CIN01a", "Total", "Total")].value == 2
    assert rows[("CIN01b", "Total", "Total")].value == pytest.approx(40)


def test_the_age_and_status_are_those_on_the_day_of_the_assessment():
    # H is born 1 May 2007: 16 on 1 Jun 2023, the day of the assessment, and 17 at the
    # period end. So H is in the band "16" (the MHSDS CYP bands), not "17".
    records = area(
        children=[child("H", born=date(2007, 5, 1))],
        assessment_factors=[AssessmentFactor(person_id="H", date=date(2023, 6, 1), factor="4A")],
    )
    rows = results(records, "CIN01", breakdowns=("age_band",))
    counted = {
        level: row.value for (_, b, level), row in rows.items() if b != "Total" and row.value
    }
    assert counted == {"16": 1}
