"""FATE01-FATE01f: what became of the referrals received in the 12 months. March 2025.

The window is April 2024 to March 2025; each referral's fate is read as at 31 March 2025.
The child (born 2010) is 14 on every day here. Worked by hand from the definitions:

R1  received 6 Jan 2025, seen 20 Jan                      -> received support
R2  received 2 Dec 2024, missed 10 Dec, seen 3 Feb        -> received support
R3  received 1 Oct 2024, seen 1 Nov 2024                  -> received support
R4  received 20 Mar 2019                                  -> before the window
R5  received 1 Mar 2025, open, no contact                 -> still waiting
R6  received 10 Feb 2025, rejected 20 Feb, not discharged  -> closed before support
R7  received 1 Feb 2025, discharged 15 Mar, no contact    -> closed before support
R8  received 15 Jan 2025, only indirect activity          -> still waiting (no direct contact)
R10 received 4 Mar 2025, rejected 2 Apr (after the end)   -> still waiting as at 31 March
R11 received 31 Mar 2024                                  -> the day before the window
R12 received 1 Apr 2024, seen 1 May 2025 (after the end)  -> still waiting as at 31 March

FATE01 = 9 (R1, R2, R3, R5, R6, R7, R8, R10, R12).
Support: R1, R2, R3 = 3, 100 x 3 / 9 = 33.33 -> 33.3.
Waiting: R5, R8, R10, R12 = 4, 100 x 4 / 9 = 44.44 -> 44.4.
Closed before support: R6, R7 = 2, 100 x 2 / 9 = 22.22 -> 22.2.
3 + 4 + 2 = 9: each referral has exactly one fate. (MHS133 counts R6 as still waiting, since
it was never discharged; a fate reads the rejection too.)
"""

from datetime import date

import attrs

from cypmh.metrics import compute
from tests.spec.metrics.builders import ENGINE, results
from tests.spec.metrics.test_waits import AREA
from tests.spec.pathways.timeline import contact, referral

R10 = referral("R10", date(2025, 3, 4), rejection_date=date(2025, 4, 2))
R11 = referral("R11", date(2024, 3, 31))
R12 = referral("R12", date(2024, 4, 1))
RECORDS = attrs.evolve(
    AREA,
    referrals=(*AREA.referrals, R10, R11, R12),
    contacts=(*AREA.contacts, contact("C12", R12, date(2025, 5, 1))),
)
FATES = ("FATE01", "FATE01a", "FATE01b", "FATE01c", "FATE01d", "FATE01e", "FATE01f")


def test_fates_worked_example():
    rows = results(RECORDS, *FATES)

    def v(metric_id):
        return rows[(metric_id, "Total", "Total")].value

    assert v("FATE01") == 9
    assert (v("FATE01a"), v("FATE01b")) == (3, 33.3)
    assert (v("FATE01c"), v("FATE01d")) == (4, 44.4)
    assert (v("FATE01e"), v("FATE01f")) == (2, 22.2)
    for share, count in (("FATE01b", "FATE01a"), ("FATE01d", "FATE01c"), ("FATE01f", "FATE01e")):
        assert rows[(share, "Total", "Total")].numerator == v(count)
        assert rows[(share, "Total", "Total")].denominator == 9


def test_a_fate_is_read_as_at_the_period_end():
    # A month later (April 2025) the window is May 2024 to April 2025: R12 (1 April 2024)
    # has left it, and R10 was rejected on 2 April, so it has moved from waiting to closed.
    # FATE01 = R1, R2, R3, R5, R6, R7, R8, R10 = 8; support 3; waiting R5, R8 = 2; closed
    # R6, R7, R10 = 3.
    rows = compute(RECORDS, "2025-04", engine=ENGINE.get(), metrics=FATES, disclosure="none")

    def v(metric_id):
        return next(r.value for r in rows if r.metric_id == metric_id and r.breakdown == "Total")

    assert (v("FATE01"), v("FATE01a"), v("FATE01c"), v("FATE01e")) == (8, 3, 2, 3)
