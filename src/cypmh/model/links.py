"""Links between schools and CAMHS (the Mental Health Services and Schools Link programme)."""

from __future__ import annotations

from datetime import date

import attrs

from cypmh.model import _rules as r

__all__ = ["LinkContact"]


@attrs.frozen(kw_only=True)
class LinkContact:
    """A named contact between a school's mental health lead and a CAMHS provider.

    The roles are the job titles or role names recorded (for example
    ``"Senior mental health lead"``, ``"Primary mental health worker"``);
    either may be missing in the source.

    >>> link = LinkContact(
    ...     school_urn="100001", provider_code="RXT",
    ...     school_lead_role="Mental health lead", camhs_contact_role="Link worker",
    ...     start=date(2024, 9, 1), end=date(2025, 7, 31),
    ... )
    >>> link.is_working_on(date(2025, 7, 31)), link.is_working_on(date(2025, 8, 1))
    (True, False)
    """

    school_urn: str = attrs.field(validator=r.SCHOOL_URN)
    provider_code: str = attrs.field(validator=r.ODS_CODE)
    school_lead_role: str | None = attrs.field(default=None, validator=r.optional(r.text()))
    camhs_contact_role: str | None = attrs.field(default=None, validator=r.optional(r.text()))
    start: date = attrs.field(validator=r.a_date)
    end: date | None = attrs.field(
        default=None, validator=[r.optional(r.a_date), r.not_before("start")]
    )

    def is_open_on(self, on: date) -> bool:
        """Whether the link is in force on ``on`` (start and end both count)."""
        return self.start <= on and (self.end is None or on <= self.end)

    def is_working_on(self, on: date) -> bool:
        """Whether this is a *working link* on ``on``: open, with both roles filled in.

        This is cypmh's definition (``extract-format.md``); no national one exists.
        """
        return (
            self.is_open_on(on)
            and self.school_lead_role is not None
            and self.camhs_contact_role is not None
        )
