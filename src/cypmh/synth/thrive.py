"""The synthetic area's THRIVE groupings (:mod:`cypmh.synth.area`), drawn from their own stream.

Invented, with rates chosen to look like a service that records THRIVE
(assumptions, not facts about any service):

- At a referral's first attended contact, a grouping is agreed with the family
  80% of the time (:data:`AGREED_AT_FIRST`), in these shares: Getting Advice
  and Signposting 30%, Getting Help 45%, Getting More Help 15%, Getting Risk
  Support 6%, Thriving 4% (:data:`SHARES`).
- Otherwise, half the time the team's triage suggests one on that day, not yet
  agreed (counted apart as a suggestion).
- A referral with four contacts or more is reviewed at its fourth 30% of the
  time: a new agreed grouping, Getting Advice and Signposting (stepping down)
  60% of the time, else Getting More Help.
"""

from __future__ import annotations

import random
from collections.abc import Iterable

from cypmh.codes import AttendStatus
from cypmh.codes.groupings import Grouping
from cypmh.model import Contact, GroupingRecord, GroupingSource, Referral

__all__ = ["AGREED_AT_FIRST", "SHARES", "synthetic_groupings"]

AGREED_AT_FIRST = 0.8
"""How often a grouping is agreed at a referral's first attended contact."""

SHARES: dict[Grouping, float] = {
    Grouping.GETTING_ADVICE: 0.30,
    Grouping.GETTING_HELP: 0.45,
    Grouping.GETTING_MORE_HELP: 0.15,
    Grouping.GETTING_RISK_SUPPORT: 0.06,
    Grouping.THRIVING: 0.04,
}
"""The groupings agreed at a first contact, and their shares."""


def synthetic_groupings(
    referrals: Iterable[Referral], contacts: Iterable[Contact], seed: int
) -> tuple[GroupingRecord, ...]:
    """The grouping records of the referrals' attended contacts (see the module docstring)."""
    rng = random.Random(f"{seed}:thrive")
    attended: dict[str, list[Contact]] = {}
    for contact in contacts:
        if contact.attend_status is AttendStatus.ATTENDED_ON_TIME:
            attended.setdefault(contact.referral_id, []).append(contact)
    out: list[GroupingRecord] = []
    taken: set[tuple[str, object, GroupingSource]] = set()

    def add(
        referral: Referral, contact: Contact, grouping: Grouping, source: GroupingSource
    ) -> None:
        key = (referral.person_id, contact.date, source)
        if key not in taken:
            taken.add(key)
            out.append(
                GroupingRecord(
                    person_id=referral.person_id,
                    grouping=grouping,
                    from_date=contact.date,
                    source=source,
                    referral_id=referral.referral_id,
                )
            )

    groupings, weights = list(SHARES), list(SHARES.values())
    for referral in referrals:
        seen = sorted(attended.get(referral.referral_id, ()), key=lambda c: c.date)
        if not seen:
            continue
        drawn = rng.choices(groupings, weights)[0]
        if rng.random() < AGREED_AT_FIRST:
            add(referral, seen[0], drawn, GroupingSource.AGREED)
            if len(seen) >= 4 and rng.random() < 0.3:
                step = Grouping.GETTING_ADVICE if rng.random() < 0.6 else Grouping.GETTING_MORE_HELP
                add(referral, seen[3], step, GroupingSource.AGREED)
        elif rng.random() < 0.5:
            add(referral, seen[0], drawn, GroupingSource.SUGGESTED)
    return tuple(out)
