"""Services (teams of NHS-funded providers) and schools."""

from __future__ import annotations

from datetime import date

import attrs

from cypmh import codes
from cypmh.model import _rules as r

__all__ = ["MAX_PUPILS", "School", "Service"]

MAX_PUPILS = 100_000
"""The most pupils a school may have: GIAS's largest establishments have a few thousand."""


@attrs.frozen(kw_only=True)
class Service:
    """A team of a mental health provider.

    ``provider_code`` is the provider's ODS code (MHSDS ``OrgIDProv``),
    ``team_type`` an MHSDS service or team type (``ServTeamType``) and
    ``intended_age_group`` MHSDS ``ServTeamIntAgeGroup`` (from v6, ``02``
    marks a team for children and young people).

    >>> Service(provider_code="RXT", team_id="T1", team_type="C10").team_type_description
    'Community Eating Disorder Service'
    """

    provider_code: str = attrs.field(validator=r.ODS_CODE)
    team_id: str = attrs.field(validator=r.IDENTIFIER)
    team_type: str = attrs.field(validator=r.code_in(codes.team_types))
    intended_age_group: str | None = attrs.field(default=None, validator=r.optional(r.SHORT_CODE))

    @property
    def team_type_description(self) -> str | None:
        """The label of the team type (``None`` for the few legacy codes without one)."""
        return codes.team_types().description(self.team_type)


@attrs.frozen(kw_only=True)
class School:
    """A school or college, identified by its DfE Unique Reference Number (URN).

    ``local_authority`` is the DfE's three-digit LA number (GIAS ``LA (code)``);
    ``open_date`` and ``close_date`` are GIAS ``OpenDate`` and ``CloseDate``,
    and ``pupils`` its number of pupils (GIAS ``NumberOfPupils``), where known.
    A school is open on a day from its opening to its closing day, both included.

    >>> from datetime import date
    >>> school = School(urn="100001", name="A school", close_date=date(2024, 8, 31))
    >>> school.is_open_on(date(2024, 8, 31)), school.is_open_on(date(2024, 9, 1))
    (True, False)
    """

    urn: str = attrs.field(validator=r.SCHOOL_URN)
    name: str = attrs.field(validator=r.text())
    phase: str | None = attrs.field(default=None, validator=r.optional(r.text()))
    local_authority: str | None = attrs.field(default=None, validator=r.optional(r.text()))
    open_date: date | None = attrs.field(default=None, validator=r.optional(r.a_date))
    close_date: date | None = attrs.field(
        default=None, validator=[r.optional(r.a_date), r.not_before("open_date")]
    )
    pupils: int | None = attrs.field(
        default=None, validator=r.optional(r.whole_number(0, MAX_PUPILS))
    )

    def is_open_on(self, day: date) -> bool:
        """Whether the school had opened by ``day`` and had not closed before it."""
        opened = self.open_date is None or self.open_date <= day
        return opened and (self.close_date is None or self.close_date >= day)
