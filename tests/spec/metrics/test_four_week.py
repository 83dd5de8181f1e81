"""MRS08-MRS09: referral spells and the four-week clock. March 2025; window Jan-Mar 2025.

A (P1) received 2 Jan 2025, discharged 28 Feb: contact 9 Jan, RCADS 16 Jan, care plan created
  20 Jan (updated 25 Jan) -> stop 20 Jan, 18 days: within four weeks.
B (P2) received 1 Dec 2024, open: contact 20 Dec, RCADS 10 Jan, intervention (ASD assessment code)
  15 Feb -> stop 15 Feb, 76 days (Dec 31 + Jan 31 + 14).
C (P3) received 1 Jan 2023, open, a missed appointment only -> waiting 820 days at 31 Mar 2025
  (365 + 366 + 89): over 104, 78 and 52 weeks.
D (P4) received 15 Jan 2024, open, a contact only -> waiting 441 days (366 + 75): over 52 weeks.
E (P5) a referral to a crisis team (A02) -> not in the cohort.
"""

from datetime import date

import pytest

from tests.spec.metrics.builders import results
from tests.spec.pathways.timeline import (
    ASD_ASSESSMENT,
    ATTENDED,
    DNA,
    area,
    assessment,
    care_plan,
    child,
    contact,
    referral,
)


def test_four_week_worked_example():
    a = referral("A", date(2025, 1, 2), person_id="P1", discharge_date=date(2025, 2, 28))
    b = referral("B", date(2024, 12, 1), person_id="P2")
    c = referral("C", date(2023, 1, 1), person_id="P3")
    d = referral("D", date(2024, 1, 15), person_id="P4")
    e = referral("E", date(2025, 1, 5), person_id="P5", team_type="A02")
    records = area(
        children=[child(p, born=date(2012, 1, 1)) for p in ("P1", "P2", "P3", "P4", "P5")],
        referrals=[a, b, c, d, e],
        contacts=[
            contact("CA", a, date(2025, 1, 9)),
            contact("CB1", b, date(2024, 12, 20)),
            contact("CB2", b, date(2025, 2, 15), DNA, "01", ASD_ASSESSMENT),
            contact("CC", c, date(2023, 2, 1), DNA),
            contact("CD", d, date(2024, 2, 1), ATTENDED),
        ],
        assessments=[assessment(a, date(2025, 1, 16)), assessment(b, date(2025, 1, 10))],
        care_plans=[care_plan("CP1", date(2025, 1, 20), date(2025, 1, 25), person_id="P1")],
    )
    rows = results(
        records,
        "MRS08",
        "MRS08a",
        "MRS08b",
        "MRS09",
        "MRS09a",
        "MRS09b",
        "MRS09c",
        "MRS09d",
        "MRS09e",
        "MRS09f",
    )

    def v(metric_id):
        return rows[(metric_id, "Total", "Total")].value

    assert (v("MRS08"), v("MRS08a"), v("MRS08b")) == (2, 1, 50)  # A within 28 days, B not
    assert v("MRS09") == 2  # C and D: open, no clock stop (A was discharged, B's clock stopped)
    assert (v("MRS09a"), v("MRS09b")) == (1, 50)  # over 728 days: C
    assert (v("MRS09c"), v("MRS09d")) == (1, 50)  # over 546 days: C
    assert (v("MRS09e"), v("MRS09f")) == (2, 100)  # over 364 days: C and D
    # Wilson interval of 1 of 2 (z = 1.96): centre 0.5, half-width 0.4059 -> 9.45% to 90.55%.
    assert rows[("MRS08b", "Total", "Total")].lower_ci == pytest.approx(9.45, abs=0.01)
    assert rows[("MRS08b", "Total", "Total")].upper_ci == pytest.approx(90.55, abs=0.01)


def test_two_childrens_spells_that_start_together_are_two_members():
    """A spell is named by its child as well as its provider and start.

    Worked by hand: P1 and P2 are both referred to the default provider on 1 Dec 2024 and
    neither has a contact, so both spells are open with no clock stop at 31 Mar 2025: MRS09
    is 2, its members are two distinct spells, and ``why`` puts each referral in its own
    child's spell only.
    """
    from cypmh.metrics.drilldown import members, members_frames
    from cypmh.metrics.explain import why
    from cypmh.metrics.frames import tables_from_area

    a = referral("A", date(2024, 12, 1), person_id="P1")
    b = referral("B", date(2024, 12, 1), person_id="P2")
    records = area(
        children=[child(p, born=date(2012, 1, 1)) for p in ("P1", "P2")], referrals=[a, b]
    )
    assert results(records, "MRS09")[("MRS09", "Total", "Total")].value == 2
    found = members(records, "MRS09", "2025-03")
    provider = a.provider_code
    expected = {f"P1/{provider}/2024-12-01", f"P2/{provider}/2024-12-01"}
    assert {m.record for m in found} == expected
    assert {
        m.record for m in members_frames(tables_from_area(records, "polars"), "MRS09", "2025-03")
    } == expected
    for rid, person in (("A", "P1"), ("B", "P2")):
        (finding,) = [f for f in why(records, rid, "2025-03") if f.population == "clock_stops"]
        assert f"in spell {person}/{provider}/2024-12-01;" in finding.reason
