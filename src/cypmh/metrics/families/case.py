"""What a family's ``explain`` reads when :func:`cypmh.metrics.explain.why` asks why a referral does not count.

Each family module names, in its own ``explain``, the first thing that keeps a
referral out of one of its populations: the shared cohort (:func:`cohort_reason`),
the family's own filters (the dates and team types the module declares, the
four-week filter by name), the window, or the missing event. Whether the
referral counts is never decided there; that comes from the family's members.
This module holds what they share: the :class:`Case` (one referral as at the
period end), the cohort's reason, and how a window is written.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from datetime import date

import attrs

from cypmh import clauses as cl
from cypmh.metrics.families.members import (
    Context,
    Observation,
    Populations,
    cohort_clause,
    cohort_record,
)
from cypmh.model import Child, Referral
from cypmh.pathways.spells import FourWeekSpells, four_week_spells
from cypmh.periods import RollingMonths

__all__ = ["Case", "Explain", "cohort_reason", "received_in", "span"]


def span(window: RollingMonths) -> str:
    """The window in words: ``the 12 months 2024-04-01 to 2025-03-31``."""
    return f"the {window.months} months {window.start.isoformat()} to {window.end.isoformat()}"


Explain = Callable[["Case", str], str | None]
"""A family's ``explain``: the reason a referral is not in a population, or ``None``."""


@attrs.define(kw_only=True, slots=False)
class Case:
    """One referral as at the period end, with what the explanations read."""

    ctx: Context
    referral: Referral
    child: Child
    families: Mapping[str, Callable[[Context], Populations]]
    """Each family's reference implementation, by name (:data:`cypmh.metrics.families.FAMILIES`)."""
    populations: dict[str, Populations] = attrs.field(factory=dict)

    @functools.cached_property
    def spells(self) -> FourWeekSpells:
        """The four-week spells as at the period end (built once per referral)."""
        return four_week_spells(self.ctx.area, self.end, cohort=self.ctx.options.cohort)

    def of(self, family: str) -> Populations:
        """The family's populations this period (computed once)."""
        if family not in self.populations:
            self.populations[family] = self.families[family](self.ctx)
        return self.populations[family]

    def child_in(self, family: str, population: str) -> Observation | None:
        """The child's member of a population of the child, if any."""
        found = (
            o for o in self.of(family).get(population, []) if o.person_id == self.child.person_id
        )
        return next(found, None)

    @property
    def end(self) -> date:
        """The period end."""
        return self.ctx.period_end

    def window(self, months: int) -> RollingMonths:
        """The ``months`` months ending with the reporting month."""
        return self.ctx.window(months)


def cohort_reason(case: Case, *, english: bool = True) -> str | None:
    """The shared cohort's clause the referral fails (:func:`cohort_clause`), with its values.

    The cohort: a child aged 0-17 when referred, resident in England or unknown (or,
    without ``english``, the age alone).
    """
    record = cohort_record(case.referral, case.child)
    failure = cl.first_failure(cohort_clause(english=english), record, case.ctx.month)
    if failure is None:
        return None
    return "cohort: " + cl.describe(failure, record, case.ctx.month, as_at=True)


def received_in(case: Case, months: int) -> str | None:
    """``received …, outside <window>`` when the referral was not received in the last ``months``."""
    window = case.window(months)
    if not window.contains(case.referral.received_date):
        received = case.referral.received_date.isoformat()
        return f"received {received}, outside {span(window)}"
    return None
