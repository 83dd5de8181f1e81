"""The four-week cohort's named exclusions (domain reference 5.3), one referral each.

The child is born 1 Jun 2010 and lives in England unless a case says otherwise.
"""

from datetime import date
from importlib import resources

import attrs
import pytest

from cypmh.codes import ClinicalPriority
from cypmh.errors import InvalidValueError
from cypmh.pathways import FourWeekCohort, four_week_referrals
from tests.spec.pathways.timeline import area, child, referral

COHORT = FourWeekCohort.default()
SHIPPED_TOML = (
    resources.files("cypmh.pathways").joinpath("data", "four_week_cohort.toml").read_text("utf-8")
)
ENGLISH = child(la_district="E08000025")
DAY = date(2024, 3, 1)


@pytest.mark.parametrize(
    ("fields", "excluded_by", "why"),
    [
        ({}, None, "a plain community referral is kept"),
        ({"provider": "DFC"}, "digital_providers", "Kooth"),
        ({"provider": "S9X2N"}, "digital_providers", "TellMi"),
        (
            {"team_type": "A18", "priority": ClinicalPriority.URGENT},
            "urgent_single_point_of_access",
            "SPA, urgent",
        ),
        (
            {"team_type": "A18", "priority": ClinicalPriority.VERY_URGENT},
            "urgent_single_point_of_access",
            "SPA, 4",
        ),
        ({"team_type": "A18", "priority": ClinicalPriority.ROUTINE}, None, "SPA, routine: kept"),
        (
            {"primary_reason": "12", "team_type": "C10"},
            "eating_disorder_outside_spa_and_mhst",
            "ED to an ED team",
        ),
        ({"primary_reason": "12"}, "eating_disorder_outside_spa_and_mhst", "ED with no team type"),
        ({"primary_reason": "12", "team_type": "F01"}, None, "ED to an MHST: kept"),
        (
            {"primary_reason": "12", "team_type": "A18", "priority": ClinicalPriority.ROUTINE},
            None,
            "ED to SPA",
        ),
        (
            {"primary_reason": "01", "team_type": "A14"},
            "first_episode_psychosis_to_eip",
            "suspected FEP to EIP",
        ),
        ({"primary_reason": "01", "team_type": "C04"}, None, "suspected FEP elsewhere: kept"),
        ({"team_type": "A02"}, "excluded_team_types", "crisis team"),
        ({"team_type": "A25"}, "excluded_team_types", "crisis house"),
        ({"team_type": "C05"}, "excluded_team_types", "paediatric liaison"),
        ({"team_type": "E03"}, "excluded_team_types", "specialist parenting"),
    ],
)
def test_each_exclusion(fields, excluded_by, why):
    assert COHORT.exclusion(referral("R1", DAY, **fields), ENGLISH) == excluded_by, why


@pytest.mark.parametrize(
    ("received", "excluded_by", "why"),
    [
        (date(2028, 5, 31), None, "17 the day before the 18th birthday"),
        (date(2028, 6, 1), "age_at_referral", "18th birthday"),
    ],
)
def test_age_at_referral(received, excluded_by, why):
    assert COHORT.exclusion(referral("R1", received), ENGLISH) == excluded_by, why


@pytest.mark.parametrize(
    ("district", "excluded_by"),
    [
        ("E08000025", None),
        (None, None),
        ("", None),
        ("W06000015", "residence"),
        ("S12000036", "residence"),
    ],
)
def test_residence_in_england_or_unknown(district, excluded_by):
    person = (
        child(la_district=district) if district != "" else attrs.evolve(child(), la_district=None)
    )
    assert COHORT.exclusion(referral("R1", DAY), person) == excluded_by


def test_the_first_matching_filter_is_named():
    # Kooth and a crisis team: digital_providers comes first in FILTERS.
    assert (
        COHORT.exclusion(referral("R1", DAY, provider="DFC", team_type="A02"), ENGLISH)
        == "digital_providers"
    )


def test_a_filter_can_be_switched_off():
    relaxed = attrs.evolve(COHORT, disabled=frozenset({"excluded_team_types"}))
    assert relaxed.exclusion(referral("R1", DAY, team_type="A25"), ENGLISH) is None
    with pytest.raises(InvalidValueError, match="filters are named"):
        attrs.evolve(COHORT, disabled=frozenset({"crisis"}))


def test_selection_keeps_or_names_every_referral():
    kept = referral("K", DAY)
    crisis = referral("X", DAY, team_type="A02")
    future = referral("F", date(2024, 4, 2))
    selection = four_week_referrals(
        area(children=[ENGLISH], referrals=[kept, crisis, future]), date(2024, 3, 31)
    )
    assert selection.kept == (kept,)
    assert selection.excluded == (
        (crisis, "excluded_team_types"),
        (future, "received_after_period_end"),
    )


def test_parameters_come_from_toml():
    text = SHIPPED_TOML
    changed = FourWeekCohort.from_toml(
        text.replace('providers = ["DFC", "S9X2N"]', 'providers = ["DFC"]')
    )
    assert changed.digital_providers == frozenset({"DFC"})
    assert FourWeekCohort.from_toml(text) == COHORT


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda t: t.replace("max_age = 17", 'max_age = "17"'),
            r"\[age_at_referral\]\.max_age = '17': must be a whole number",
        ),
        (
            lambda t: t.replace('team_types = ["A14"]', 'team_types = "A14"'),
            r"\[first_episode_psychosis_to_eip\]\.team_types",
        ),
        (
            lambda t: t.replace("[residence]", "[residency]"),
            r"residence = None: a table of this name is required",
        ),
        (
            lambda t: t.replace("earliest = 2016-01-01", 'earliest = "2016"'),
            r"earliest = '2016': must be a date",
        ),
        (lambda t: t + "\n[[broken", "is not valid TOML"),
    ],
)
def test_bad_toml_names_the_table_and_key(edit, message):
    text = SHIPPED_TOML
    with pytest.raises(InvalidValueError, match=message):
        FourWeekCohort.from_toml(edit(text), source="cohort.toml")
