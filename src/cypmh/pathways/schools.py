"""The schools route: referrals that came from a school with a working link to CAMHS."""

from __future__ import annotations

import attrs

from cypmh.model import Area

__all__ = ["SCHOOL_REFERRAL_SOURCES", "SchoolRoute", "school_route"]

SCHOOL_REFERRAL_SOURCES = frozenset({"C2"})
"""Sources of referral that mean *from a school*: C2, labelled "Education service" in the
referral-source table (a label not verified against the NHS Data Dictionary)."""


@attrs.frozen(kw_only=True)
class SchoolRoute:
    """How a referral relates to the Schools Link programme.

    ``from_school``: its source of referral is a school source; ``school_urn``:
    the child's school; ``working_link``: that school had a working link
    contact on the day the referral was received.
    """

    referral_id: str
    from_school: bool
    school_urn: str | None
    working_link: bool

    @property
    def via_linked_school(self) -> bool:
        """Whether the referral came from a school that had a working link on the day."""
        return self.from_school and self.working_link


def school_route(
    area: Area, referral_id: str, *, school_sources: frozenset[str] = SCHOOL_REFERRAL_SOURCES
) -> SchoolRoute:
    """The schools route of a referral (cypmh's own definition; no national one exists).

    The school is the child's school (``Child.school_urn``), since MHSDS does
    not record which school referred.
    """
    referral = area.referral(referral_id)
    urn = area.child(referral.person_id).school_urn
    return SchoolRoute(
        referral_id=referral_id,
        from_school=referral.source in school_sources,
        school_urn=urn,
        working_link=urn is not None and area.has_working_link(urn, referral.received_date),
    )
