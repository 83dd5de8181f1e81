"""REJ01, REJ02: referral rejection, and by social-care status. March 2025.

Social care: PL looked after since 2023; PP on a protection plan since 2024; PC a child in
need since 2024; PN1, PN2 no social worker. Referrals, with the status on the day received:

month (March 2025): R1 PN1 rejected 10 Mar; R2 PN1 not; R3 PP rejected 20 Mar; R4 PL not;
                    R10 PN2 rejected 2 Apr (after the period end: not yet rejected)
earlier in the year: R5 PN2 (Jun 2024) rejected as a duplicate; R6 PC (Jul) rejected; R7 PC (Aug)
                    not; R8 PP (Sep) rejected; R9 PN1 (Oct) not
"""

from datetime import date

import pytest

from cypmh import SocialWorkInvolvement
from cypmh.codes import RejectionReason, SocialWorkType
from cypmh.metrics import MetricOptions
from tests.spec.metrics.builders import results
from tests.spec.pathways.timeline import area, child, episode, referral

PEOPLE = [child(p, born=date(2012, 1, 1)) for p in ("PL", "PP", "PC", "PN1", "PN2")]


def rejected(referral_id, received, person_id, on, reason=RejectionReason.INAPPROPRIATE):
    return referral(
        referral_id, received, person_id=person_id, rejection_date=on, rejection_reason=reason
    )


AREA = area(
    children=PEOPLE,
    care_episodes=[episode(date(2023, 1, 1), person_id="PL")],
    social_work=[
        SocialWorkInvolvement(
            person_id="PP", kind=SocialWorkType.CHILD_PROTECTION_PLAN, start=date(2024, 1, 1)
        ),
        SocialWorkInvolvement(
            person_id="PC", kind=SocialWorkType.CHILD_IN_NEED, start=date(2024, 1, 1)
        ),
    ],
    referrals=[
        rejected("R1", date(2025, 3, 3), "PN1", date(2025, 3, 10)),
        referral("R2", date(2025, 3, 4), person_id="PN1"),
        rejected("R3", date(2025, 3, 5), "PP", date(2025, 3, 20)),
        referral("R4", date(2025, 3, 6), person_id="PL"),
        rejected("R10", date(2025, 3, 7), "PN2", date(2025, 4, 2)),
        rejected("R5", date(2024, 6, 1), "PN2", date(2024, 6, 2), RejectionReason.DUPLICATE),
        rejected("R6", date(2024, 7, 1), "PC", date(2024, 7, 9)),
        referral("R7", date(2024, 8, 1), person_id="PC"),
        rejected("R8", date(2024, 9, 1), "PP", date(2024, 9, 9)),
        referral("R9", date(2024, 10, 1), person_id="PN1"),
    ],
)


def test_rejection_worked_example():
    rows = results(
        AREA, "REJ01", "REJ01a", "REJ01b", "REJ02", "REJ02r", breakdowns=("social_care",)
    )

    def row(metric_id, breakdown="Total", level="Total"):
        return rows[(metric_id, breakdown, level)]

    # The month: 5 received (R1, R2, R3, R4, R10); rejected by 31 March: R1 and R3.
    assert (row("REJ01").value, row("REJ01a").value, row("REJ01b").value) == (2, 5, 40)
    # The year: 10 received; rejected by 31 March: R1, R3, R5, R6, R8 = 50%.
    assert row("REJ02").value == 50
    # By status on the day received: none 2/5 (R1, R5 of R1, R2, R5, R9, R10); protection plan 2/2;
    # child in need 1/2; looked after 0/1.
    assert row("REJ02", "social_care", "none").value == 40
    assert row("REJ02", "social_care", "child_protection_plan").value == 100
    assert row("REJ02", "social_care", "child_in_need").value == 50
    assert row("REJ02", "social_care", "looked_after").value == 0
    # Rate ratio against none (0.4): plan 1.0 / 0.4 = 2.5, se = sqrt(1/2 - 1/2 + 1/2 - 1/5)
    # = 0.5477, exp(1.96 x 0.5477) = 2.9257 -> 0.8545 to 7.314.
    plan = row("REJ02r", "social_care", "child_protection_plan")
    assert plan.value == pytest.approx(2.5)
    assert (plan.lower_ci, plan.upper_ci) == (
        pytest.approx(0.8545, rel=1e-3),
        pytest.approx(7.314, rel=1e-3),
    )
    # Child in need 0.5 / 0.4 = 1.25, se = sqrt(1 - 1/2 + 1/2 - 1/5) = 0.8944 -> 0.2166 to 7.215.
    need = row("REJ02r", "social_care", "child_in_need")
    assert need.value == pytest.approx(1.25)
    assert (need.lower_ci, need.upper_ci) == (
        pytest.approx(0.2166, rel=1e-3),
        pytest.approx(7.215, rel=1e-3),
    )
    # Looked after: no rejections, so no ratio.
    assert row("REJ02r", "social_care", "looked_after").value is None
    assert ("REJ02r", "Total", "Total") not in rows


def test_duplicates_can_be_left_out_altogether():
    # Without R5 (a duplicate) the year has 9 referrals and 4 rejections.
    rows = results(AREA, "REJ02", options=MetricOptions(exclude_duplicate_rejections=True))
    assert rows[("REJ02", "Total", "Total")].value == pytest.approx(100 * 4 / 9)
