"""ED86/ED87: CYP eating-disorder waits. March 2025; window April 2024 - March 2025.

U1 urgent (2): received 3 Jun 2024, family therapy 7 Jun   -> 4 days, within 7
U2 urgent (1): received 2 Sep 2024, family therapy 16 Sep  -> 14 days, not within 7
R1 routine (3): received 1 Oct 2024, family therapy 25 Oct -> 24 days, within 28
R2 routine: treated 20 Mar 2024                             -> before the window
X1 to an MHST (F01), X2 without a priority                  -> not in the cohort
"""

from datetime import date

from cypmh.codes import ClinicalPriority
from tests.spec.metrics.builders import results
from tests.spec.pathways.timeline import ATTENDED, FAMILY_THERAPY, area, contact, referral


def ed(referral_id, received, priority, **fields):
    return referral(referral_id, received, primary_reason="12", priority=priority, **fields)


def test_eating_disorder_worked_example():
    u1 = ed("U1", date(2024, 6, 3), ClinicalPriority.URGENT)
    u2 = ed("U2", date(2024, 9, 2), ClinicalPriority.EMERGENCY)
    r1 = ed("R1", date(2024, 10, 1), ClinicalPriority.ROUTINE)
    r2 = ed("R2", date(2024, 3, 1), ClinicalPriority.ROUTINE)
    x1 = ed("X1", date(2024, 6, 3), ClinicalPriority.URGENT, team_type="F01")
    x2 = ed("X2", date(2024, 6, 3), None)
    treated = [
        (u1, date(2024, 6, 7)),
        (u2, date(2024, 9, 16)),
        (r1, date(2024, 10, 25)),
        (r2, date(2024, 3, 20)),
        (x1, date(2024, 6, 4)),
        (x2, date(2024, 6, 4)),
    ]
    records = area(
        referrals=[u1, u2, r1, r2, x1, x2],
        contacts=[
            contact(f"C{i}", ref, day, ATTENDED, "01", FAMILY_THERAPY)
            for i, (ref, day) in enumerate(treated)
        ],
    )
    rows = results(records, "ED86", "ED86a", "ED86e", "ED87", "ED87a", "ED87e")

    def v(metric_id):
        return rows[(metric_id, "Total", "Total")].value

    assert (v("ED86"), v("ED86a"), v("ED86e")) == (2, 1, 50)
    assert (v("ED87"), v("ED87a"), v("ED87e")) == (1, 1, 100)
