"""Inputs that say what they cover (issue 31, section 3).

Removing any optional input of an extract turns exactly the metrics and breakdown levels that
rest on it into *not available*, with the reason, and never changes another value. The
removals are written here as what the file holds, apart from the code's declarations:

- MHS204: the indirect activities; MHS202: the contacts' procedures; MHS606: the assessments;
  MHS008: the care plans (with their agreements); MHS009: the plans' agreements;
- thrive.csv: the groupings; ssda903/: care episodes, SDQ returns, social work and wellbeing
  assessments; ssda903/oc2.csv, social_work.csv, mh_assessments.csv: each its own records;
- schools/: schools and link contacts; schools/link_contacts.csv: the link contacts;
- the health files and thrive.csv (a social-care extract): referrals, contacts, indirect
  activities, assessments, care plans and groupings.

A value that stays available must equal the full extract's, at every level of every
breakdown; a level that only one side has must be empty.
"""

import attrs
from hypothesis import given, settings

from cypmh.io.contract import FILES
from cypmh.metrics import BREAKDOWNS, compute
from cypmh.metrics.inputs import NOT_AVAILABLE, full_coverage, mark_unavailable
from tests.budget import examples
from tests.generative.test_engines_agree import cases, dense_cases

ALL = {f.path for f in FILES}
HEALTH_FILES = {p for p in ALL if p.startswith("MHS")}


def _plans_without_agreements(area):
    return {"care_plans": tuple(attrs.evolve(p, agreements=()) for p in area.care_plans)}


def _contacts_without_procedures(area):
    return {"contacts": tuple(attrs.evolve(c, procedures=()) for c in area.contacts)}


REMOVALS = {
    "MHS204IndirectActivity.csv": ({"MHS204IndirectActivity.csv"}, {"indirect_activities": ()}),
    "MHS202CareActivity.csv": ({"MHS202CareActivity.csv"}, _contacts_without_procedures),
    "MHS606CodedScoreAssessmentRefer.csv": (
        {"MHS606CodedScoreAssessmentRefer.csv"},
        {"assessments": ()},
    ),
    "MHS008CarePlanType.csv": (
        {"MHS008CarePlanType.csv", "MHS009CarePlanAgreement.csv"},
        {"care_plans": ()},
    ),
    "MHS009CarePlanAgreement.csv": ({"MHS009CarePlanAgreement.csv"}, _plans_without_agreements),
    "thrive.csv": ({"thrive.csv"}, {"groupings": ()}),
    "ssda903/": (
        {p for p in ALL if p.startswith("ssda903/")},
        {"care_episodes": (), "sdq_returns": (), "social_work": (), "wellbeing_assessments": ()},
    ),
    "ssda903/oc2.csv": ({"ssda903/oc2.csv"}, {"sdq_returns": ()}),
    "ssda903/social_work.csv": ({"ssda903/social_work.csv"}, {"social_work": ()}),
    "ssda903/mh_assessments.csv": ({"ssda903/mh_assessments.csv"}, {"wellbeing_assessments": ()}),
    "schools/": (
        {"schools/schools.csv", "schools/link_contacts.csv"},
        {"schools": (), "link_contacts": ()},
    ),
    "schools/link_contacts.csv": ({"schools/link_contacts.csv"}, {"link_contacts": ()}),
    "health files": (
        HEALTH_FILES | {"thrive.csv"},
        {
            "groupings": (),
            "referrals": (),
            "contacts": (),
            "indirect_activities": (),
            "assessments": (),
            "care_plans": (),
        },
    ),
}


def cells(rows):
    return {(r.metric_id, r.breakdown, r.level): r for r in rows}


def empty(row):
    return row.value in (0, None) and row.numerator in (0, None) and row.denominator in (0, None)


@settings(max_examples=examples(40), deadline=None)
@given(case=cases() | dense_cases())
def test_removing_an_input_makes_what_rests_on_it_not_available_and_nothing_else(case):
    area, month, _ = case
    request = {"breakdowns": list(BREAKDOWNS), "disclosure": "none"}
    full = cells(mark_unavailable(compute(area, month, **request), full_coverage(ALL)))
    assert not any(r.unavailable for r in full.values())
    for removed in REMOVALS:
        check_removal(area, month, request, full, removed)


def check_removal(area, month, request, full, removed):
    files, change = REMOVALS[removed]
    ablated = attrs.evolve(area, **(change(area) if callable(change) else change))
    less = cells(mark_unavailable(compute(ablated, month, **request), full_coverage(ALL - files)))
    for key, row in less.items():
        if row.unavailable:
            assert row.shown == NOT_AVAILABLE
            assert row.value is None
            assert row.unavailable.startswith("no ")
            assert row.unavailable.endswith("in the extract")
        elif key in full:
            was = full[key]
            assert (row.value, row.numerator, row.denominator) == (
                was.value,
                was.numerator,
                was.denominator,
            ), (removed, key)
        else:
            assert empty(row), (removed, key)
    for key, was in full.items():
        if key not in less:
            whole = less.get((key[0], "Total", "Total"))
            gone = not any(k[0] == key[0] for k in less)  # REJ02r: levels only, none left
            # A level that only the removed input made (a THRIVE grouping) goes with it; the
            # breakdown's other levels are then not available.
            marked = any(r.unavailable for k, r in less.items() if k[:2] == key[:2])
            assert empty(was) or gone or marked or (whole is not None and whole.unavailable), (
                removed,
                key,
            )
        elif less[key].unavailable and key[1] != "Total":
            # A level is dropped with its metric, or kept and marked when it is the level that
            # lacks the input (or the metric has no whole-area row: REJ02r).
            assert (key[0], "Total", "Total") not in less or not less[
                (key[0], "Total", "Total")
            ].unavailable
