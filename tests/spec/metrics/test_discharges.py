"""DIS01: referrals discharged in the month (cypmh's definition). March 2025.

Worked by hand from the definition in ``cypmh/metrics/families/discharges.py``
(children 0-17 when the referral was received, resident in England or unknown,
discharged in the month as recorded by the period end):

- R1, P1 (born 2012), received Jan 2025, discharged 3 March: counts.
- R2, P1, received Feb 2025, discharged 31 March (the period end itself): counts.
- R3, P1, received Jan 2025, discharged 28 February (the month before): not.
- R4, P1, received March 2025, discharged 1 April (after the period end: not yet): not.
- R5, P1, received March 2025, never discharged: not.
- R6, P18 (born 2006), received 2 March 2025, aged 18 then, discharged 20 March: not.
- R7, PW (a Welsh district), received Jan 2025, discharged 10 March: not.
- R8, P1, received Dec 2024 and rejected, discharged 12 March: counts (a rejected
  referral that is discharged is still a discharge).

So DIS01 = 3 (R1, R2, R8), all of P1, who was 12 or 13 on each day received: the age
band "11 to 14" holds the 3 and every other band 0.
"""

from datetime import date

from cypmh.metrics import CATALOGUE
from tests.spec.metrics.builders import results
from tests.spec.pathways.timeline import area, child, referral

AREA = area(
    children=[
        child("P1", born=date(2012, 1, 1)),
        child("P18", born=date(2006, 1, 1)),
        child("PW", born=date(2012, 1, 1), la_district="W06000015"),
    ],
    referrals=[
        referral("R1", date(2025, 1, 10), discharge_date=date(2025, 3, 3)),
        referral("R2", date(2025, 2, 10), discharge_date=date(2025, 3, 31)),
        referral("R3", date(2025, 1, 10), discharge_date=date(2025, 2, 28)),
        referral("R4", date(2025, 3, 10), discharge_date=date(2025, 4, 1)),
        referral("R5", date(2025, 3, 11)),
        referral("R6", date(2025, 3, 2), person_id="P18", discharge_date=date(2025, 3, 20)),
        referral("R7", date(2025, 1, 10), person_id="PW", discharge_date=date(2025, 3, 10)),
        referral(
            "R8",
            date(2024, 12, 1),
            rejection_date=date(2024, 12, 5),
            discharge_date=date(2025, 3, 12),
        ),
    ],
)


def test_discharges_worked_example():
    rows = results(AREA, "DIS01", breakdowns=("age_band",))
    assert rows[("DIS01", "Total", "Total")].value == 3
    assert rows[("DIS01", "age_band", "11 to 14")].value == 3
    # The other five bands of the MHSDS CYP scheme (0 to 5, 6 to 10, 15, 16, 17) are written, as 0.
    others = {
        level: r.value
        for (_, b, level), r in rows.items()
        if b == "age_band" and level != "11 to 14"
    }
    assert others == {"0 to 5": 0, "6 to 10": 0, "15": 0, "16": 0, "17": 0}


def test_discharges_is_declared_as_cypmh_own():
    definition = CATALOGUE["DIS01"]
    assert not definition.mhsds
    assert definition.example.endswith("test_discharges_worked_example")


def test_the_frame_engine_gives_the_same_worked_example():
    from cypmh.metrics.frames import compute_frames, tables_from_area

    rows = compute_frames(
        tables_from_area(AREA, "polars"),
        "2025-03",
        metrics=["DIS01"],
        breakdowns=("age_band",),
        disclosure="none",
    )
    got = {(r.breakdown, r.level): r.value for r in rows}
    assert got[("Total", "Total")] == 3
    assert got[("age_band", "11 to 14")] == 3
    assert sum(got.values()) == 6  # the total, and the 3 in one band
