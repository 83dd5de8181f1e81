"""How synthetic referrals end: rejected ones are usually discharged, as services record them."""

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

import cypmh.synth.area
from cypmh.synth.area import REJECTED_DISCHARGED, demo_area, synthetic_area
from tests.budget import examples


@settings(max_examples=examples(10), deadline=None)
@given(seed=st.integers(0, 10_000))
def test_a_rejected_referral_is_discharged_within_a_week_or_not_at_all(seed):
    area = synthetic_area(seed=seed, people=60)
    rejected = [r for r in area.referrals if r.rejection_date is not None]
    for referral in rejected:
        assert referral.closure_date is None
        if referral.discharge_date is not None:
            gap = referral.discharge_date - referral.rejection_date
            assert timedelta(0) <= gap <= timedelta(days=7)
    for referral in area.referrals:
        if referral.closure_date is not None:  # closed after treatment: discharged that day
            assert referral.discharge_date == referral.closure_date


def test_the_demo_areas_ends_are_the_figures_the_module_states():
    # The counts in cypmh.synth.area's docstring ("How referrals end"), which the docs show.
    referrals = demo_area().referrals
    rejected = [r for r in referrals if r.rejection_date is not None]
    discharged = [r for r in rejected if r.discharge_date is not None]
    closed = [r for r in referrals if r.closure_date is not None]
    still_open = [
        r for r in referrals if not (r.rejection_date or r.closure_date or r.discharge_date)
    ]
    figures = (len(referrals), len(rejected), len(discharged), len(closed), len(still_open))
    doc = cypmh.synth.area.__doc__
    stated = (
        "The demo area's 1,190 referrals",
        "259\n  rejected (229 of them with a discharge date, 30 without), 507 closed",
        "424 still open",
    )
    for words in stated:
        assert words in doc
    assert figures == (1190, 259, 229, 507, 424)
    # About REJECTED_DISCHARGED of the rejected (a few fall after the period end).
    assert abs(len(discharged) / len(rejected) - REJECTED_DISCHARGED) < 0.05
