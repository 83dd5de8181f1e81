"""Spec tests: the definitions of the model, with cases worked out by hand.

Each case says how the expected value follows from the definition.
"""

from datetime import date
from types import MappingProxyType

import pytest

from cypmh import CareEpisode, Child, LinkContact, Referral, SocialWorkInvolvement
from cypmh.codes import SocialCareStatus, SocialWorkType
from cypmh.model import social_care_status_on


class TestAgeOnADate:
    """Age in whole years: the number of birthdays reached by that date."""

    @pytest.mark.parametrize(
        ("birth", "on", "age", "why"),
        [
            (
                date(2010, 6, 15),
                date(2024, 6, 14),
                13,
                "2024 - 2010 = 14, but the 2024 birthday is tomorrow",
            ),
            (date(2010, 6, 15), date(2024, 6, 15), 14, "the 14th birthday itself"),
            (date(2010, 6, 15), date(2010, 6, 15), 0, "the day of birth"),
            (
                date(2012, 2, 29),
                date(2023, 2, 28),
                10,
                "no 29 Feb in 2023: the birthday is 1 March",
            ),
            (date(2012, 2, 29), date(2023, 3, 1), 11, "the 2023 birthday, moved to 1 March"),
            (date(2012, 2, 29), date(2024, 2, 29), 12, "a leap year: the birthday is 29 Feb"),
            (
                date(2006, 12, 31),
                date(2024, 1, 1),
                17,
                "17 birthdays reached, the last on 2023-12-31",
            ),
        ],
    )
    def test_age(self, birth, on, age, why):
        assert Child(person_id="P", birth_date=birth).age_on(on) == age, why


class TestSocialCareStatus:
    """Looked after, then child protection plan, then child in need, then none.

    The child: a child-in-need period 2022-01-01 to 2023-12-31, a protection
    plan from 2023-06-01 (open), and one episode of care 2024-01-10 to
    2024-03-31. Both ends of each period count.
    """

    EPISODES = (CareEpisode(person_id="P", start=date(2024, 1, 10), end=date(2024, 3, 31)),)
    INVOLVEMENTS = (
        SocialWorkInvolvement(
            person_id="P",
            kind=SocialWorkType.CHILD_IN_NEED,
            start=date(2022, 1, 1),
            end=date(2023, 12, 31),
        ),
        SocialWorkInvolvement(
            person_id="P", kind=SocialWorkType.CHILD_PROTECTION_PLAN, start=date(2023, 6, 1)
        ),
    )

    @pytest.mark.parametrize(
        ("on", "status", "why"),
        [
            (date(2021, 12, 31), SocialCareStatus.NONE, "nothing has started"),
            (
                date(2022, 1, 1),
                SocialCareStatus.CHILD_IN_NEED,
                "first day of the child-in-need period",
            ),
            (date(2023, 5, 31), SocialCareStatus.CHILD_IN_NEED, "the plan starts tomorrow"),
            (
                date(2023, 6, 1),
                SocialCareStatus.CHILD_PROTECTION_PLAN,
                "plan and CIN both open: the plan wins",
            ),
            (
                date(2024, 1, 9),
                SocialCareStatus.CHILD_PROTECTION_PLAN,
                "the day before care starts",
            ),
            (
                date(2024, 1, 10),
                SocialCareStatus.LOOKED_AFTER,
                "first day of care wins over the plan",
            ),
            (date(2024, 3, 31), SocialCareStatus.LOOKED_AFTER, "the day care ends still counts"),
            (
                date(2024, 4, 1),
                SocialCareStatus.CHILD_PROTECTION_PLAN,
                "care has ended; the plan is open",
            ),
        ],
    )
    def test_status(self, on, status, why):
        assert social_care_status_on(on, self.EPISODES, self.INVOLVEMENTS) is status, why


class TestWorkingLink:
    """A working link on a date: open on that date (both ends count) with both roles filled in."""

    LINK = LinkContact(
        school_urn="100001",
        provider_code="RXT",
        school_lead_role="Senior mental health lead",
        camhs_contact_role="Primary mental health worker",
        start=date(2024, 9, 1),
        end=date(2025, 7, 31),
    )

    def test_open_with_both_roles(self):
        assert self.LINK.is_working_on(date(2024, 9, 1))  # the start day
        assert self.LINK.is_working_on(date(2025, 7, 31))  # the end day
        assert not self.LINK.is_working_on(date(2024, 8, 31))
        assert not self.LINK.is_working_on(date(2025, 8, 1))

    def test_a_missing_role_means_no_working_link(self):
        import attrs

        no_lead = attrs.evolve(self.LINK, school_lead_role=None)
        assert no_lead.is_open_on(date(2025, 1, 1))
        assert not no_lead.is_working_on(date(2025, 1, 1))


class TestReferralEnd:
    """A referral ends at the first given of discharge, rejection, closure (NHS England's spell code)."""

    BASE = MappingProxyType(
        {
            "referral_id": "R",
            "person_id": "P",
            "provider_code": "RXT",
            "received_date": date(2024, 1, 1),
        }
    )

    def test_discharge_comes_first_even_when_later(self):
        referral = Referral(
            **self.BASE, discharge_date=date(2024, 5, 1), closure_date=date(2024, 4, 1)
        )
        assert referral.end_date == date(2024, 5, 1)

    def test_then_rejection_then_closure(self):
        assert Referral(
            **self.BASE, rejection_date=date(2024, 1, 3), closure_date=date(2024, 1, 2)
        ).end_date == date(2024, 1, 3)
        assert Referral(**self.BASE, closure_date=date(2024, 1, 2)).end_date == date(2024, 1, 2)
        assert Referral(**self.BASE).end_date is None
