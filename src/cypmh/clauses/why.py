"""Interpreter 3: the first clause a record fails, for ``cypmh why``.

:func:`first_failure` is ``None`` exactly when :func:`~cypmh.clauses.evaluate.holds`
is true. Otherwise it names the innermost clause that keeps the record out: inside
``all``, the first part that does not hold, followed down; a ``not``, an ``any`` or a
single condition is named whole.
"""

from __future__ import annotations

import attrs

from cypmh.clauses.evaluate import truth
from cypmh.clauses.nodes import All, Clause
from cypmh.periods import Month

__all__ = ["Failure", "first_failure"]


@attrs.frozen
class Failure:
    """The clause a record fails; ``unknown`` where it is unknown (a value it reads is missing)."""

    clause: Clause
    unknown: bool


def first_failure(node: Clause, record: object, month: Month) -> Failure | None:
    """The first clause of ``node`` that ``record`` fails in ``month``, or ``None`` if it passes."""
    found = truth(node, record, month)
    if found is True:
        return None
    if isinstance(node, All):
        for clause in node.clauses:
            failure = first_failure(clause, record, month)
            if failure is not None:
                return failure
    return Failure(clause=node, unknown=found is None)
