"""Referral pathways: the time logic over one child's records.

Counted contacts, journeys, spells and their clocks, the eating-disorder and
looked-after pathways, and the schools route.

Each rule follows NHS England's published code where one exists (the source is
in each docstring) and says so where cypmh defines its own.
"""

from cypmh.pathways.clocks import (
    ClockEvents,
    care_plan_event_date,
    clock_events,
    distinct_indirect,
    distinct_indirect_frame,
    is_baseline_outcome,
)
from cypmh.pathways.eating_disorders import (
    EATING_DISORDER_REASON,
    TARGET_DAYS,
    EdWait,
    eating_disorder_wait,
    enters_treatment,
    is_eating_disorder_referral,
    second_treatment,
    treatment_rows,
)
from cypmh.pathways.journey import EventKind, Journey, JourneyEvent, JourneyState, journey_of
from cypmh.pathways.looked_after import (
    DFE_COLLECTION_AGES,
    PUBLISHED_STATISTICS_AGES,
    AssessmentStatus,
    AssessmentWindow,
    PeriodOfCare,
    SdqAgeRule,
    add_months,
    first_assessment,
    periods_of_care,
    sdq_eligible,
    wellbeing_assessment_status,
    wellbeing_status_of,
)
from cypmh.pathways.rules import ContactRule, FourWeekCohort, InterventionCodes
from cypmh.pathways.schools import SCHOOL_REFERRAL_SOURCES, SchoolRoute, school_route
from cypmh.pathways.spells import (
    FOUR_WEEKS_DAYS,
    JOIN_WITHIN_DAYS,
    CohortSelection,
    FourWeekSpells,
    Spell,
    SpellClock,
    build_spells,
    four_week_referrals,
    four_week_spells,
    merge_intervals,
    spell_clock,
)

__all__ = [
    "DFE_COLLECTION_AGES",
    "EATING_DISORDER_REASON",
    "FOUR_WEEKS_DAYS",
    "JOIN_WITHIN_DAYS",
    "PUBLISHED_STATISTICS_AGES",
    "SCHOOL_REFERRAL_SOURCES",
    "TARGET_DAYS",
    "AssessmentStatus",
    "AssessmentWindow",
    "ClockEvents",
    "CohortSelection",
    "ContactRule",
    "EdWait",
    "EventKind",
    "FourWeekCohort",
    "FourWeekSpells",
    "InterventionCodes",
    "Journey",
    "JourneyEvent",
    "JourneyState",
    "PeriodOfCare",
    "SchoolRoute",
    "SdqAgeRule",
    "Spell",
    "SpellClock",
    "add_months",
    "build_spells",
    "care_plan_event_date",
    "clock_events",
    "distinct_indirect",
    "distinct_indirect_frame",
    "eating_disorder_wait",
    "enters_treatment",
    "first_assessment",
    "four_week_referrals",
    "four_week_spells",
    "is_baseline_outcome",
    "is_eating_disorder_referral",
    "journey_of",
    "merge_intervals",
    "periods_of_care",
    "school_route",
    "sdq_eligible",
    "second_treatment",
    "spell_clock",
    "treatment_rows",
    "wellbeing_assessment_status",
    "wellbeing_status_of",
]
