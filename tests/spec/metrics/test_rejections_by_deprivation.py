"""REJ03: referrals rejected by social-care status and IMD quintile at once. March 2025.

The window is the 12 months to 31 March 2025, as REJ02's. A made-up IoD2019 file gives
E01000001 decile 1 and E01000002 decile 2 (quintile "01 Most deprived"), E01000003 decile 6
(quintile "03") and E01000004 decile 10 ("05 Least deprived"); P5 has no LSOA (UNKNOWN).
The status is the child's on the day the referral was received:

- P1 (01), a child in need from 1 Jan 2024: R1 (1 Jun 2024) rejected, R2 (1 Sep) not;
- P2 (01), no social worker: R3 (1 Jul) rejected;
- P3 (03), looked after since 2023: R4 (1 Aug) rejected;
- P4 (05), a child in need from 1 Oct 2024: R5 (1 May, no status yet) rejected, R6 (1 Nov,
  in need) not;
- P5 (UNKNOWN), on a protection plan from 1 Jan 2024: R7 (1 Dec) rejected.

So REJ03: child_in_need / 01 Most deprived 1 of 2 (50%); none / 01 Most deprived 1 of 1;
looked_after / 03 1 of 1; none / 05 Least deprived 1 of 1; child_in_need / 05 Least deprived
0 of 1; child_protection_plan / UNKNOWN 1 of 1. The whole area: 5 of 7, REJ02's. Every one of
the 4 statuses x 6 quintile levels is published, the other 18 with no referrals.
"""

from datetime import date

import pytest

from cypmh import SocialWorkInvolvement
from cypmh.codes import RejectionReason, SocialWorkType
from cypmh.metrics import MetricOptions
from cypmh.need.deprivation import Deprivation
from tests.spec.metrics.builders import results
from tests.spec.pathways.timeline import area, child, episode, referral

DECILES = {"E01000001": 1, "E01000002": 2, "E01000003": 6, "E01000004": 10}
LSOAS = {"P1": "E01000001", "P2": "E01000002", "P3": "E01000003", "P4": "E01000004", "P5": None}
INAPPROPRIATE = RejectionReason.INAPPROPRIATE


def _referral(referral_id, received, person_id, rejected=None):
    fields = {"rejection_date": rejected, "rejection_reason": INAPPROPRIATE} if rejected else {}
    return referral(referral_id, received, person_id=person_id, **fields)


def _need(person_id, kind, start):
    return SocialWorkInvolvement(person_id=person_id, kind=kind, start=start)


AREA = area(
    children=[child(p, born=date(2012, 1, 1), lsoa=code) for p, code in LSOAS.items()],
    care_episodes=[episode(date(2023, 1, 1), person_id="P3")],
    social_work=[
        _need("P1", SocialWorkType.CHILD_IN_NEED, date(2024, 1, 1)),
        _need("P4", SocialWorkType.CHILD_IN_NEED, date(2024, 10, 1)),
        _need("P5", SocialWorkType.CHILD_PROTECTION_PLAN, date(2024, 1, 1)),
    ],
    referrals=[
        _referral("R1", date(2024, 6, 1), "P1", date(2024, 6, 10)),
        _referral("R2", date(2024, 9, 1), "P1"),
        _referral("R3", date(2024, 7, 1), "P2", date(2024, 7, 5)),
        _referral("R4", date(2024, 8, 1), "P3", date(2024, 8, 3)),
        _referral("R5", date(2024, 5, 1), "P4", date(2024, 5, 2)),
        _referral("R6", date(2024, 11, 1), "P4"),
        _referral("R7", date(2024, 12, 1), "P5", date(2024, 12, 2)),
    ],
)
OPTIONS = MetricOptions(deprivation=Deprivation(release="IoD2019", deciles=DECILES))


def test_rejections_by_status_and_quintile_worked_example():
    rows = results(AREA, "REJ02", "REJ03", breakdowns=("social_care_imd",), options=OPTIONS)
    crossed = {
        level: (row.numerator, row.denominator)
        for (metric, breakdown, level), row in rows.items()
        if metric == "REJ03" and breakdown == "social_care_imd" and row.denominator
    }
    assert crossed == {
        "child_in_need / 01 Most deprived": (1, 2),
        "none / 01 Most deprived": (1, 1),
        "looked_after / 03": (1, 1),
        "none / 05 Least deprived": (1, 1),
        "child_in_need / 05 Least deprived": (0, 1),
        "child_protection_plan / UNKNOWN": (1, 1),
    }
    assert rows[("REJ03", "social_care_imd", "child_in_need / 01 Most deprived")].value == 50
    whole = rows[("REJ03", "Total", "Total")]
    assert (whole.numerator, whole.denominator) == (5, 7)
    assert whole.value == pytest.approx(rows[("REJ02", "Total", "Total")].value)
    published = [k for k in rows if k[0] == "REJ03" and k[1] == "social_care_imd"]
    assert len(published) == 24
    # REJ02 does not take the crossed breakdown: it has its own rows by each part.
    assert not [k for k in rows if k[0] == "REJ02" and k[1] == "social_care_imd"]


def test_without_a_deprivation_file_the_crossed_breakdown_gives_no_rows():
    rows = results(AREA, "REJ03", breakdowns=("social_care_imd",))
    assert [k for k in rows if k[0] == "REJ03"] == [("REJ03", "Total", "Total")]
