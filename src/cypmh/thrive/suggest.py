"""Suggested groupings: a local policy run on the Current View scores an extract carries.

MHSDS codes each Current View item's rating as a coded assessment (MHS606).
:func:`suggest_groupings` builds a child's needs profile on each day they had
one (:func:`~cypmh.thrive.profile.profile_from_assessments`), evaluates the
policy, and records the grouping it suggests, from that day, as a
*suggestion*. A suggestion never overwrites an agreed grouping: none is made
on or after the child's first agreed grouping, and one the area already holds
for that day is kept.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import attrs

from cypmh.model import Area, CodedAssessment
from cypmh.model.groupings import GroupingRecord, GroupingSource
from cypmh.thrive.policy import Policy
from cypmh.thrive.profile import current_view_items, profile_from_assessments

__all__ = ["suggest_groupings", "with_suggestions"]


def suggest_groupings(area: Area, policy: Policy) -> tuple[GroupingRecord, ...]:
    """The groupings ``policy`` suggests from ``area``'s Current View assessments.

    One suggestion per child and day with a Current View score, before the
    child's first agreed grouping and where the area has no suggestion of
    its own for that day; it names the referral of that day's score (the
    first by id if there are several) where that referral had been received.
    """
    codes = {item.snomed_code for item in current_view_items().values()}
    scores: defaultdict[str, list[CodedAssessment]] = defaultdict(list)
    for assessment in area.assessments:
        if assessment.tool_code in codes:
            scores[assessment.person_id].append(assessment)
    out = []
    for person_id in sorted(scores):
        held = area.groupings_of(person_id)
        agreed = [g.from_date for g in held if g.source is GroupingSource.AGREED]
        first_agreed = min(agreed, default=None)
        suggested_days = {g.from_date for g in held if g.source is GroupingSource.SUGGESTED}
        # Each day's referrals, where received by then (a baseline score may come first).
        received_on: defaultdict[date, set[str]] = defaultdict(set)
        for assessment in scores[person_id]:
            ids = received_on[assessment.date]  # every day with a score has an entry
            if area.referral(assessment.referral_id).received_date <= assessment.date:
                ids.add(assessment.referral_id)
        referral_of = {day: min(ids, default=None) for day, ids in received_on.items()}
        for day in sorted(referral_of):
            if (first_agreed is not None and day >= first_agreed) or day in suggested_days:
                continue
            decision = policy.evaluate(profile_from_assessments(scores[person_id], on=day))
            out.append(
                GroupingRecord(
                    person_id=person_id,
                    grouping=decision.suggested,
                    from_date=day,
                    source=GroupingSource.SUGGESTED,
                    referral_id=referral_of[day],
                )
            )
    return tuple(out)


def with_suggestions(area: Area, policy: Policy) -> Area:
    """``area`` with the groupings :func:`suggest_groupings` makes added to its own."""
    return attrs.evolve(area, groupings=(*area.groupings, *suggest_groupings(area, policy)))
