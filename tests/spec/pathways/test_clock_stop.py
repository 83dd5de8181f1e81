"""The full clock stop of a spell (domain reference 5.3; NHS England's 4w_waits_prep.py).

Clock stop = the latest of (a) the first counted contact, (b) the first baseline outcome
measure, (c) the first agreed care plan or intervention, inside the spell, when all three
exist. One referral, received 1 Jan 2024 and open, so the spell runs 1 Jan - 31 Mar 2024.
"""

from datetime import date
from pathlib import Path

import pytest

from cypmh.errors import InvalidValueError
from cypmh.pathways import InterventionCodes, build_spells, care_plan_event_date, spell_clock
from tests.spec.pathways.timeline import (
    ASD_ASSESSMENT,
    ATTENDED,
    CURRENT_VIEW_ITEM,
    DNA,
    area,
    assessment,
    care_plan,
    contact,
    indirect,
    referral,
)

PERIOD_END = date(2024, 3, 31)
REF = referral("R1", date(2024, 1, 1))
(SPELL,) = build_spells([REF], PERIOD_END)
START, END = SPELL.start, SPELL.end


def clock(**records):
    return spell_clock(area(referrals=[REF], **records), SPELL)


def test_latest_of_the_three():
    # Contact 8 Jan, outcome 20 Jan, care plan created 15 Jan (updated 30 Jan): stop 20 Jan,
    # 19 days after the start: within four weeks.
    result = clock(
        contacts=[contact("C1", REF, date(2024, 1, 8))],
        assessments=[assessment(REF, date(2024, 1, 20))],
        care_plans=[care_plan("CP1", date(2024, 1, 15), date(2024, 1, 30))],
    )
    assert (result.events.first_contact, result.events.first_outcome) == (
        date(2024, 1, 8),
        date(2024, 1, 20),
    )
    assert result.events.first_care_plan_or_intervention == date(2024, 1, 15)
    assert result.clock_stop == date(2024, 1, 20)
    assert result.days_to_clock_stop == 19
    assert result.within_four_weeks is True


@pytest.mark.parametrize(
    ("outcome_day", "days", "within"),
    [(date(2024, 1, 29), 28, True), (date(2024, 1, 30), 29, False)],
)
def test_within_four_weeks_means_at_most_28_days(outcome_day, days, within):
    result = clock(
        contacts=[contact("C1", REF, date(2024, 1, 8), ATTENDED, "01", ASD_ASSESSMENT)],
        assessments=[assessment(REF, outcome_day)],
    )
    assert (result.days_to_clock_stop, result.within_four_weeks) == (days, within)


def test_no_stop_until_all_three_exist():
    result = clock(
        contacts=[contact("C1", REF, date(2024, 1, 8))],
        assessments=[assessment(REF, date(2024, 1, 9))],
    )
    assert result.events.first_care_plan_or_intervention is None
    assert result.clock_stop is None
    assert result.days_to_clock_stop is None
    assert result.within_four_weeks is None


def test_current_view_is_not_a_baseline_outcome():
    result = clock(assessments=[assessment(REF, date(2024, 1, 9), tool=CURRENT_VIEW_ITEM, score=2)])
    assert result.events.first_outcome is None


def test_counted_contacts_include_indirect_activity_but_not_missed_appointments():
    result = clock(
        contacts=[contact("C1", REF, date(2024, 1, 3), DNA)],
        indirect_activities=[indirect(REF, date(2024, 1, 5))],
    )
    assert result.events.first_contact == date(2024, 1, 5)


def test_an_intervention_on_a_missed_contact_or_indirect_activity_counts():
    # NHS England's code joins care activities to contacts without an attendance condition.
    missed = clock(contacts=[contact("C1", REF, date(2024, 1, 3), DNA, "01", ASD_ASSESSMENT)])
    assert missed.events.first_care_plan_or_intervention == date(2024, 1, 3)
    by_indirect = clock(indirect_activities=[indirect(REF, date(2024, 1, 4), ASD_ASSESSMENT)])
    assert by_indirect.events.first_care_plan_or_intervention == date(2024, 1, 4)


@pytest.mark.parametrize(
    ("created", "updated", "agreed", "expected", "why"),
    [
        (
            date(2024, 1, 15),
            date(2024, 1, 30),
            True,
            date(2024, 1, 15),
            "created in the spell: creation date",
        ),
        (
            date(2023, 12, 1),
            date(2024, 2, 10),
            True,
            date(2024, 2, 10),
            "created before: last update",
        ),
        (
            date(2024, 1, 15),
            None,
            True,
            None,
            "no last update: never counts (the publication's quirk)",
        ),
        (date(2024, 1, 15), date(2024, 1, 30), False, None, "not agreed"),
        (date(2023, 12, 1), date(2023, 12, 20), True, None, "updated before the spell: outside"),
        (date(2024, 3, 1), date(2024, 4, 2), True, None, "last update after the spell: outside"),
    ],
)
def test_care_plan_dates(created, updated, agreed, expected, why):
    assert (
        care_plan_event_date(care_plan("CP1", created, updated, agreed), START, END) == expected
    ), why


def test_events_outside_the_spell_do_not_count():
    # A contact after the spell's end (31 Mar, the period end) is ignored.
    result = clock(contacts=[contact("C1", REF, date(2024, 4, 2))])
    assert result.events.first_contact is None


def test_intervention_codes_load_from_a_text_file(tmp_path: Path):
    file = tmp_path / "refsets.txt"
    file.write_text(
        "# psychological therapies\n\n443730003 interpersonal psychotherapy\n1085671000000109\n"
    )
    loaded = InterventionCodes.from_file(file)
    assert loaded.codes == frozenset({"443730003", "1085671000000109"})
    result = spell_clock(
        area(
            referrals=[REF],
            contacts=[contact("C1", REF, date(2024, 1, 3), ATTENDED, "01", "443730003")],
        ),
        SPELL,
        interventions=loaded,
    )
    assert result.events.first_care_plan_or_intervention == date(2024, 1, 3)
    # With the shipped default (only the two ASD/ADHD codes) the same contact is no intervention.
    assert "443730003" not in InterventionCodes.default()


def test_a_bad_line_in_the_intervention_file_names_file_and_line(tmp_path: Path):
    file = tmp_path / "refsets.txt"
    file.write_text("443730003\n4437-30003\n")
    with pytest.raises(InvalidValueError, match=r"refsets.txt, line 2.code = '4437-30003'"):
        InterventionCodes.from_file(file)
    with pytest.raises(InvalidValueError, match="cannot be read"):
        InterventionCodes.from_file(tmp_path / "missing.txt")
