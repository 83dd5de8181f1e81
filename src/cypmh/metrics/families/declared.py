"""Populations declared as clauses: who is a member, and whom the numerator counts.

A family whose populations are conditions on one record (a referral) declares each as a
:class:`Declared`: a member clause and, for a percentage, a numerator clause
(:mod:`cypmh.clauses`). The three readings then come from the declaration, not from
code written three times:

- :func:`reference_members`: the members over the area's objects (the reference engine);
- :func:`frame_populations`: the same as the dataframe engine's populations;
- :func:`reason`: why a record is not a member, for ``cypmh why``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import attrs
from attrs import AttrsInstance

from cypmh import clauses as cl
from cypmh.metrics.definition import Declared
from cypmh.metrics.families.lazy import fb, fc
from cypmh.metrics.families.members import Observation, Populations, observe
from cypmh.model import Child, Referral
from cypmh.periods import Month

if TYPE_CHECKING:
    from cypmh.metrics.blocks.bases import Population
    from cypmh.metrics.families.case import Case

__all__ = ["Declared", "frame_populations", "joined", "reason", "reference_members"]


def joined(*parts: AttrsInstance) -> dict[str, object]:
    """One record of several model objects' fields: a referral with its child, for example.

    Where two parts have a field of one name, the first part's is kept.
    """
    record: dict[str, object] = {}
    for part in reversed(parts):
        record.update({field.name: getattr(part, field.name) for field in attrs.fields(type(part))})
    return record


def reference_members(
    declared: Mapping[str, Declared], referrals: Iterable[tuple[Referral, Child]], month: Month
) -> Populations:
    """Each population's members among ``referrals`` (as ``cyp_referrals`` gives them)."""
    found: Populations = {name: [] for name in declared}
    for referral, _ in referrals:
        for name, population in declared.items():
            if cl.holds(population.member, referral, month):
                found[name].append(_observed(referral, population.numerator, month))
    return found


def _observed(referral: Referral, numerator: cl.Clause | None, month: Month) -> Observation:
    if numerator is None:
        return observe(referral)
    return observe(referral, numerator=cl.holds(numerator, referral, month))


def frame_populations(
    declared: Mapping[str, Declared], month: Month, *, anchor: str = "referral_id"
) -> dict[str, Population]:
    """The same populations over a frame of referrals (the dataframe engine's).

    ``anchor`` is a column every row of the frame has (the record's id): a
    clause that is the same on every row is written over it.
    """
    return {
        name: fb.Population(
            member=fc.condition(p.member, month, anchor=anchor),
            numerator=(
                None if p.numerator is None else fc.condition(p.numerator, month, anchor=anchor)
            ),
        )
        for name, p in declared.items()
    }


def reason(case: Case, population: Declared, record: object = None) -> str | None:
    """Why ``record`` is not a member: the clause it fails, with its values as read.

    ``record`` is what the population's clauses read (by default ``case``'s referral);
    ``None`` where it fails none. Every family's ``why`` over a declared population comes
    here, so the reason is the member clause itself, read as at the period end.
    """
    read = case.referral if record is None else record
    failure = cl.first_failure(population.member, read, case.ctx.month)
    if failure is None:
        return None
    return cl.describe(failure, read, case.ctx.month, as_at=True)
