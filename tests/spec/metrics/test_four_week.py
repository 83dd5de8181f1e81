"""MRS08-MRS09: referral spells and the four-week clock. March 2025; window Jan-Mar 2025.

A (P1) received 2 Jan 2025, discharged 28 Feb: contact 9 Jan, RCADS 16 Jan, care plan created
  20 Jan (updated 25 Jan) -> stop 20 Jan, 18 days: within four weeks.
B (P2) received 1 Dec 2024, open: contact 20 Dec, RCADS 10 Jan, intervention (ASD assessment code)
  15 Feb -> stop 15 Feb, 76 days (Dec 31 + Jan 31 + 14).
C (P3) received 1 Jan 2023, open, a missed appointment only -> waiting 820 days at 31 Mar 2025
  (365 + 366 + 89): over 104, 78 and 52 weeks.
D (P4) received 15 Jan 2024, open, a contact only -> waiting 441 days (366 + 75): over 52 weeks.
E (P5) a referral to a crisis team (A02) -> not in the cohort.

WAIT08-WAIT09f, the same with direct contacts only, have their own worked example below.
"""

from datetime import date

import pytest

from cypmh import compute
from cypmh.errors import InvalidValueError
from cypmh.metrics import MetricOptions
from tests.spec.metrics.builders import ENGINE, PERIOD, results
from tests.spec.pathways.timeline import (
    ASD_ASSESSMENT,
    ATTENDED,
    DNA,
    area,
    assessment,
    care_plan,
    child,
    contact,
    indirect,
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


def _direct_area():
    """Three spells whose clocks indirect activity (MHS204) stops, or helps to stop.

    F (P1) received 2 Jan 2025, open: indirect activity 6 Jan, RCADS 8 Jan, care plan
      created and updated 10 Jan, a direct contact 14 Feb.
    G (P2) received 1 Feb 2025, open: a direct contact 3 Feb, RCADS 5 Feb, an indirect
      activity coded with an intervention (ASD assessment) 10 Feb.
    H (P3) received 15 Jan 2025, open: indirect activity 20 Jan only, no outcome measure.
    """
    f = referral("F", date(2025, 1, 2), person_id="P1")
    g = referral("G", date(2025, 2, 1), person_id="P2")
    h = referral("H", date(2025, 1, 15), person_id="P3")
    return area(
        children=[child(p, born=date(2012, 1, 1)) for p in ("P1", "P2", "P3")],
        referrals=[f, g, h],
        contacts=[contact("CF", f, date(2025, 2, 14)), contact("CG", g, date(2025, 2, 3))],
        indirect_activities=[
            indirect(f, date(2025, 1, 6)),
            indirect(g, date(2025, 2, 10), ASD_ASSESSMENT),
            indirect(h, date(2025, 1, 20)),
        ],
        assessments=[assessment(f, date(2025, 1, 8)), assessment(g, date(2025, 2, 5))],
        care_plans=[care_plan("CP1", date(2025, 1, 10), date(2025, 1, 10), person_id="P1")],
    )


FOUR_WEEK_IDS = ("MRS08", "MRS08a", "MRS08b", "MRS09", "MRS09e")
DIRECT_IDS = ("WAIT08", "WAIT08a", "WAIT08b", "WAIT09", "WAIT09e")


def test_direct_contacts_only_worked_example():
    """WAIT08-WAIT09f: MRS08-MRS09f with no indirect activity read (``4w_waits_prep.py``
    stops the clock on MHS204 too: a first contact, or a coded intervention).

    Worked by hand, March 2025 (window 1 Jan to 31 Mar):

    - NHS England's clock. F: first contact 6 Jan (indirect), outcome 8 Jan, plan 10 Jan,
      so it stops 10 Jan, 8 days. G: contact 3 Feb, outcome 5 Feb, intervention 10 Feb
      (indirect, coded), so it stops 10 Feb, 9 days. H: no outcome, no stop. So MRS08 = 2,
      MRS08a = 2 (both within 28 days), MRS08b = 100, and MRS09 = 1 (H).
    - Direct contacts only. F: first contact 14 Feb (the direct one), so it stops 14 Feb, 43
      days (29 in January + 14), not within four weeks. G: no care plan and no intervention
      on a contact, so no stop: still waiting. H: still waiting. So WAIT08 = 1, WAIT08a = 0,
      WAIT08b = 0, WAIT09 = 2 (G, H), and WAIT09e = 0 (none waits over 364 days).
    """
    records = _direct_area()
    national = results(records, *FOUR_WEEK_IDS)
    direct = results(records, *DIRECT_IDS)

    def total(rows, metric_id):
        return rows[(metric_id, "Total", "Total")].value

    assert [total(national, m) for m in FOUR_WEEK_IDS] == [2, 2, 100, 1, 0]
    assert [total(direct, m) for m in DIRECT_IDS] == [1, 0, 0, 2, 0]


def test_the_option_reports_the_twins_in_place_of_the_national_ids():
    """With ``direct_contacts_only``, asking for MRS08 gives WAIT08's row, under WAIT08's id
    (the number is not NHS England's measure, so it does not carry its id), and the whole
    catalogue has WAIT08-WAIT09f in place of MRS08-MRS09f. Without it, neither changes."""
    records = _direct_area()
    rows = results(records, *FOUR_WEEK_IDS, options=MetricOptions(direct_contacts_only=True))
    assert {m for m, _, _ in rows} == set(DIRECT_IDS)
    assert rows[("WAIT08", "Total", "Total")].value == 1

    def catalogue_ids(**options):
        rows = compute(records, PERIOD, engine=ENGINE.get(), disclosure="none", **options)
        return {r.metric_id for r in rows}

    direct = catalogue_ids(options=MetricOptions(direct_contacts_only=True))
    assert set(DIRECT_IDS) <= direct
    assert not any(m.startswith("MRS") for m in direct)
    default = catalogue_ids()
    assert set(FOUR_WEEK_IDS) <= default
    assert not any(m in default for m in DIRECT_IDS)


def test_an_output_under_disclosure_control_never_holds_both_twins():
    """MRS08 minus WAIT08 counts the spells whose clock indirect activity stopped: a count no
    policy controls. So a request for both under disclosure control is refused, naming the
    pair; without disclosure control (inside the data controller) both may be had."""
    records = _direct_area()
    with pytest.raises(InvalidValueError, match="MRS08 and WAIT08"):
        compute(records, PERIOD, engine=ENGINE.get(), metrics=["MRS08", "WAIT08"])
    rows = results(records, "MRS08", "WAIT08")
    assert rows[("MRS08", "Total", "Total")].value == 2
    assert rows[("WAIT08", "Total", "Total")].value == 1
