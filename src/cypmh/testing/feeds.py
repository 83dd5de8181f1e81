"""An area's social-care periods as a Children in Need census, for tests of the feeds.

:func:`cin_census_xml` writes the census a council would submit for the area's
children in need and on child protection plans (:mod:`cypmh.io.cin_census`
reads it). The census nests each plan in a referral, where ``social_work.csv``
lists them side by side, so the writer puts each plan in the child-in-need
referral that covers its start, or else in a referral of the plan's own dates.
Such a referral gives a child-in-need period that never changes the child's
status (a plan outranks it on every day it covers), so the statuses read from
the census are the area's. Periods of one child and kind that start on one day
are written as one, to the later end: the census has one referral per start,
and the union covers the same days.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from xml.sax.saxutils import escape

import attrs

from cypmh.codes import SocialWorkType
from cypmh.model import Area, SocialWorkInvolvement

__all__ = ["cin_census_xml"]

_SEX = {"1": "M", "2": "F"}


@attrs.define
class _Referral:
    start: date
    end: date | None
    plans: list[tuple[date, date | None]] = attrs.field(factory=list)

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


def _later(a: date | None, b: date | None) -> date | None:
    return None if a is None or b is None else max(a, b)


def _merged(periods: Iterable[SocialWorkInvolvement]) -> dict[date, date | None]:
    """The periods' ends by start, periods with one start merged to the later end."""
    ends: dict[date, date | None] = {}
    for p in periods:
        ends[p.start] = _later(ends[p.start], p.end) if p.start in ends else p.end
    return ends


def _referrals(periods: Iterable[SocialWorkInvolvement]) -> list[_Referral]:
    own = list(periods)
    cin = _merged(p for p in own if p.kind is SocialWorkType.CHILD_IN_NEED)
    referrals = {start: _Referral(start, end) for start, end in cin.items()}
    cpp = _merged(p for p in own if p.kind is SocialWorkType.CHILD_PROTECTION_PLAN)
    for start, end in sorted(cpp.items()):
        home = next((r for r in referrals.values() if r.covers(start)), None)
        if home is None:
            home = referrals.setdefault(start, _Referral(start, end))
            home.end = _later(home.end, end)
        home.plans.append((start, end))
    return [referrals[start] for start in sorted(referrals)]


def cin_census_xml(area: Area, reference_date: date = date(2026, 3, 31)) -> bytes:
    """The area's child-in-need and child-protection periods as one CIN census file."""
    by_child: dict[str, list[SocialWorkInvolvement]] = {}
    for period in area.social_work:
        by_child.setdefault(period.person_id, []).append(period)
    out = [
        "<?xml version='1.0' encoding='utf-8'?>",
        "<Message>",
        "  <Header><CollectionDetails><Collection>CIN</Collection>",
        f"    <ReferenceDate>{reference_date.isoformat()}</ReferenceDate>",
        "  </CollectionDetails></Header>",
        "  <Children>",
    ]
    for child_id in sorted(by_child):
        child = area.child(child_id)
        out += [
            "    <Child>",
            "      <ChildIdentifiers>",
            f"        <LAchildID>{escape(child_id)}</LAchildID>",
            f"        <PersonBirthDate>{child.birth_date.isoformat()}</PersonBirthDate>",
            f"        <Sex>{_SEX.get(child.gender or '', 'U')}</Sex>",
            "      </ChildIdentifiers>",
            "      <ChildCharacteristics>",
            f"        <Ethnicity>{escape(child.ethnic_category or '')}</Ethnicity>",
            "      </ChildCharacteristics>",
        ]
        for referral in _referrals(by_child[child_id]):
            out += [
                "      <CINdetails>",
                f"        <CINreferralDate>{referral.start}</CINreferralDate>",
            ]
            if referral.end is not None:
                out.append(f"        <CINclosureDate>{referral.end}</CINclosureDate>")
            out.append("        <ReferralNFA>false</ReferralNFA>")
            for start, end in referral.plans:
                out += [
                    "        <ChildProtectionPlans>",
                    f"          <CPPstartDate>{start}</CPPstartDate>",
                ]
                if end is not None:
                    out.append(f"          <CPPendDate>{end}</CPPendDate>")
                out.append("        </ChildProtectionPlans>")
            out.append("      </CINdetails>")
        out.append("    </Child>")
    out += ["  </Children>", "</Message>", ""]
    return "\n".join(out).encode("utf-8")
