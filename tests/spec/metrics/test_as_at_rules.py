"""The national rules that the "as at" view exposes (issue 15), each worked by hand.

For period P, an event dated after P's last day has not happened yet
(:mod:`cypmh.model.asat`). Every test here draws its timeline, names the NHS
England source file of the rule (NHSDigital/mental-health-monthly-statistics,
``Mental_Health_Monthly_Statistics/menh_bbrb/notebooks/02_Specific_Prepare/``),
and checks both engines: the reference engine, and the dataframe engine on
Polars when it is installed.
"""

from datetime import date

import pytest

from cypmh.io.extract import write_extract
from cypmh.io.readers import read_extract
from cypmh.metrics import compute
from tests.spec.pathways.timeline import (
    area,
    assessment,
    care_plan,
    child,
    contact,
    indirect,
    referral,
)


def both(records, period, *metric_ids):
    """``{metric: value}`` of the whole-area rows, the same on both engines."""
    rows = compute(records, period, metrics=list(metric_ids), disclosure="none")
    found = {r.metric_id: r.value for r in rows}
    try:
        import polars  # noqa: F401
    except ImportError:
        return found
    from cypmh.metrics.frames import compute_frames, tables_from_area

    framed = compute_frames(
        tables_from_area(records), period, metrics=list(metric_ids), disclosure="none"
    )
    assert {r.metric_id: r.value for r in framed} == found
    return found


def test_a_spell_closed_by_the_period_end_ends_on_its_closure_date():
    """Rule 1, ``02_4w_waits/4w_waits_prep.py``: ``COALESCE(ServDischDate, ReferRejectionDate,
    ReferClosureDate)`` over the period's own record, so a discharge after the end is unknown.

    Period March 2025 (D = 31 Mar). No clock stops (a contact only):

        2025     6 Jan        20 Jan              31 Mar (D) | 10 Apr
        A        received ─── closed ..................... | discharged
        B        received ─────────────────────────────── | (open)
        C        received ─────────────────────────────── | discharged

    As at D, A ended on 20 Jan (its closure), more than 5 days before D, so its
    spell is not open; B is open, and so is C (its discharge has not happened
    yet). MRS09 (still waiting) = 2. Read with the discharge, A would end on
    10 Apr, be capped to D and count as open: 3.
    """
    jan6, after = date(2025, 1, 6), date(2025, 4, 10)
    a = referral("A", jan6, person_id="P1", closure_date=date(2025, 1, 20), discharge_date=after)
    b = referral("B", jan6, person_id="P2")
    c = referral("C", jan6, person_id="P3", discharge_date=after)
    records = area(
        children=[child(p, born=date(2012, 1, 1)) for p in ("P1", "P2", "P3")],
        referrals=[a, b, c],
        contacts=[contact(f"C{r.referral_id}", r, date(2025, 1, 9)) for r in (a, b, c)],
    )
    assert both(records, "2025-03", "MRS09")["MRS09"] == 2


def test_an_agreement_after_the_period_end_does_not_stop_the_clock():
    """Rule 2, ``02_4w_waits/4w_waits_prep.py`` ("GET CARE PLAN DATES", joined to
    ``MHS009CarePlanAgreement``): the plan's agreement and last update as at D.

    Period March 2025. Both referrals received 2 Jan 2025, contact 9 Jan, RCADS 16 Jan,
    care plan created 20 Jan and last updated 25 Jan:

        2025   2 Jan   9 Jan     16 Jan   20 Jan   22 Jan   31 Mar (D) | 5 Apr
        A      recv    contact   RCADS    plan     agreed               |
        B      recv    contact   RCADS    plan                          | agreed

    A's clock stops on 20 Jan (the plan was created in the spell, on or before its
    last update): 18 days, within four weeks. B's only agreement is dated after D,
    so as at D the plan is not agreed: no clock stop, and B is still waiting.
    MRS08 = 1, MRS08a = 1, MRS09 = 1.
    """
    a = referral("A", date(2025, 1, 2), person_id="P1")
    b = referral("B", date(2025, 1, 2), person_id="P2")
    plan = {"created": date(2025, 1, 20), "last_updated": date(2025, 1, 25)}
    records = area(
        children=[child(p, born=date(2012, 1, 1)) for p in ("P1", "P2")],
        referrals=[a, b],
        contacts=[contact(f"C{r.referral_id}", r, date(2025, 1, 9)) for r in (a, b)],
        assessments=[assessment(r, date(2025, 1, 16)) for r in (a, b)],
        care_plans=[
            care_plan("CPA", person_id="P1", agreements=[date(2025, 1, 22)], **plan),
            care_plan("CPB", person_id="P2", agreements=[date(2025, 4, 5)], **plan),
        ],
    )
    assert both(records, "2025-03", "MRS08", "MRS08a", "MRS09") == {
        "MRS08": 1,
        "MRS08a": 1,
        "MRS09": 1,
    }


def test_a_last_update_after_the_period_end_is_unknown():
    """Rule 2, ``02_4w_waits/4w_waits_prep.py``: a plan counts from its creation only when
    created on or before its last update; with no last update (as at D) it never counts.

    Period March 2025. Received 2 Jan, contact 9 Jan, RCADS 16 Jan, plan created 20 Jan
    (agreed, no date) and last updated 2 Apr, after D. As at D the plan has no last update,
    so it gives no clock stop: MRS08 = 0 and the spell is still waiting (MRS09 = 1). For
    April 2025 the update has happened: the clock stops on 20 Jan, before April's window
    (Feb-Apr), so MRS08 = 0 and MRS09 = 0.
    """
    a = referral("A", date(2025, 1, 2), person_id="P1")
    records = area(
        children=[child("P1", born=date(2012, 1, 1))],
        referrals=[a],
        contacts=[contact("CA", a, date(2025, 1, 9))],
        assessments=[assessment(a, date(2025, 1, 16))],
        care_plans=[care_plan("CP", date(2025, 1, 20), date(2025, 4, 2), person_id="P1")],
    )
    assert both(records, "2025-03", "MRS08", "MRS09") == {"MRS08": 0, "MRS09": 1}
    assert both(records, "2025-04", "MRS08", "MRS09") == {"MRS08": 0, "MRS09": 0}


def test_an_indirect_activity_takes_the_age_at_the_end_of_its_own_month():
    """Rule 3, ``04_cyp_perinatal/cyp_perinatal_prep.py``: the activity's age is
    ``COALESCE(AgeCareContDate, AgeRepPeriodEnd)`` of the referral record of the activity's
    own submission (joined on ``RecordNumber``); an indirect activity has no
    ``AgeCareContDate``, so it is the age on the last day of the activity's month.

    Period February 2026 (window March 2025 to February 2026). Both children were referred
    on 10 Jan 2025, aged 17, and have one indirect activity on 3 March 2025:

        P1  born 20 Mar 2007: 18 on 20 Mar 2025, before 31 Mar 2025 -> not counted
        P2  born 15 Jun 2007: 17 on 31 Mar 2025 (18 on 15 Jun 2025, before the period
            end)                                                     -> counted

    MHS95 = 1. Taking the age at the period end (28 Feb 2026) would count neither.
    """
    r1 = referral("R1", date(2025, 1, 10), person_id="P1")
    r2 = referral("R2", date(2025, 1, 10), person_id="P2")
    records = area(
        children=[child("P1", born=date(2007, 3, 20)), child("P2", born=date(2007, 6, 15))],
        referrals=[r1, r2],
        indirect_activities=[indirect(r1, date(2025, 3, 3)), indirect(r2, date(2025, 3, 3))],
    )
    assert both(records, "2026-02", "MHS95")["MHS95"] == 1


def test_contacts_from_january_2016_count_by_the_pre_v5_rule():
    """Rule 4, ``04_cyp_perinatal/cyp_perinatal_prep.py``: before October 2021 (UniqMonthID
    1459) an attended contact counts unless its mechanism is 05 or 06, back to the start of
    MHSDS in January 2016 (UniqMonthID 1390); ``consultation_mechanisms.csv`` starts there.

    Period June 2016 (window July 2015 to June 2016); every contact attended:

        P1  15 Jan 2016 (UniqMonthID 1390), mechanism 02 telephone -> counted
        P2  10 Jun 2016, mechanism 01 face to face                 -> counted
        P3  10 Jun 2016, mechanism 05 email (not a digital provider) -> not counted
        P4  10 Jun 2016, mechanism 98 other                        -> counted

    MHS95 = 3.
    """
    refs = [referral(f"R{i}", date(2016, 1, 4), person_id=f"P{i}") for i in range(1, 5)]
    days_and_codes = [(date(2016, 1, 15), "02")] + [
        (date(2016, 6, 10), m) for m in ["01", "05", "98"]
    ]
    records = area(
        children=[child(f"P{i}", born=date(2005, 1, 1)) for i in range(1, 5)],
        referrals=refs,
        contacts=[
            contact(f"C{i}", r, day, mechanism=code)
            for i, (r, (day, code)) in enumerate(zip(refs, days_and_codes, strict=True))
        ],
    )
    assert both(records, "2016-06", "MHS95")["MHS95"] == 3


def test_every_agreement_of_a_plan_is_kept(tmp_path):
    """Rule 5: MHS009 may hold several agreements for one plan (monthly resubmissions and
    re-agreements); all are valid and kept, and the plan is agreed as at D when any one is
    dated on or before D or has no date (``4w_waits_prep.py`` joins every MHS009 row).

    The plan of test 2's referral B, agreed on 5 Apr 2025 (after D) and again on 22 Jan:

        MHS009   CPB, 2025-04-05
                 CPB, 2025-01-22

    Both rows are read and used (no rejection), and as at 31 Mar 2025 the plan is
    agreed: B's clock stops on 20 Jan (18 days). MRS08 = 1, MRS09 = 0.
    """
    b = referral("B", date(2025, 1, 2), person_id="P2")
    records = area(
        children=[child("P2", born=date(2012, 1, 1))],
        referrals=[b],
        contacts=[contact("CB", b, date(2025, 1, 9))],
        assessments=[assessment(b, date(2025, 1, 16))],
        care_plans=[
            care_plan(
                "CPB",
                date(2025, 1, 20),
                date(2025, 1, 25),
                person_id="P2",
                agreements=[date(2025, 4, 5), date(2025, 1, 22)],
            )
        ],
    )
    folder = write_extract(records, tmp_path / "extract")
    lines = (folder / "MHS009CarePlanAgreement.csv").read_text().splitlines()
    assert lines[1:] == ["CPB,2025-01-22", "CPB,2025-04-05"]
    read = read_extract(folder)
    assert read.quality.problems == ()
    counts = read.quality.files["MHS009CarePlanAgreement.csv"]
    assert (counts.read, counts.used, counts.rejected) == (2, 2, 0)
    assert read.area.care_plans[0].agreements == (date(2025, 1, 22), date(2025, 4, 5))
    assert both(read.area, "2025-03", "MRS08", "MRS09") == {"MRS08": 1, "MRS09": 0}


@pytest.mark.parametrize("engine", ["reference", "frames"])
def test_the_frame_reader_keeps_every_agreement_too(tmp_path, engine):
    """Both readers read the two MHS009 rows of rule 5 the same way."""
    if engine == "frames":
        pytest.importorskip("polars")
    from cypmh.io.frames import read_extract_frames

    plan = care_plan("CP", date(2025, 1, 20), person_id="P1", agreements=[None, date(2025, 2, 1)])
    records = area(children=[child("P1")], care_plans=[plan])
    folder = write_extract(records, tmp_path / "extract")
    if engine == "reference":
        assert read_extract(folder).area.care_plans[0].agreements == (None, date(2025, 2, 1))
    else:
        table = read_extract_frames(folder).tables["care_plan_agreements"]
        assert sorted(table.rows(), key=str) == [("CP", None), ("CP", date(2025, 2, 1))]
