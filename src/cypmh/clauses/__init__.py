"""The clause language: a definition's conditions written once, read four ways.

A clause is a small frozen tree of nodes (:mod:`cypmh.clauses.nodes`) over the columns
of one table. Four interpreters read the same tree:

1. :func:`~cypmh.clauses.evaluate.holds`: over one record, in plain Python (the
   reference);
2. :func:`cypmh.clauses.compile.condition`: as a narwhals expression, for the
   dataframe engine on every backend (narwhals is an optional extra, so this module
   is imported on its own);
3. :func:`~cypmh.clauses.why.first_failure`: the first clause a record fails, for
   ``cypmh why``;
4. :func:`~cypmh.clauses.words.words`: the clause in words, for the metric pages
   and ``cypmh metrics ID``.

:func:`~cypmh.clauses.checking.check` checks a tree's types before any of them runs.

**Missing values** are stated once, for every interpreter, as SQL states them:

- a value node is missing where a column it reads is missing, except ``coalesce``,
  which is missing only where every one of its values is;
- a comparison, ``in``, the window and the ages are *unknown* where a value they
  read is missing; ``is null`` is never unknown;
- ``not`` of unknown is unknown; ``all`` is false if any part is false, else
  unknown if any part is unknown, else true; ``any`` is true if any part is true,
  else unknown if any part is unknown, else false;
- a record passes a clause only where the clause is true: unknown keeps it out, as
  ``WHERE`` does.

The spec tests (``tests/spec/test_clauses.py``) work one case of each node by hand;
the generative test (``tests/generative/test_clauses_agree.py``) holds the
interpreters to each other on random trees and rows, on every backend.
"""

from __future__ import annotations

from cypmh.clauses.checking import ClauseError, check, kind_of
from cypmh.clauses.evaluate import holds, truth, value
from cypmh.clauses.nodes import (
    AgeBetween,
    All,
    Any,
    Clause,
    Coalesce,
    Column,
    Compare,
    DaysBetween,
    In,
    IsNull,
    Lit,
    Node,
    Not,
    PeriodEnd,
    PeriodStart,
    Value,
    Within,
    walk,
)
from cypmh.clauses.why import Failure, first_failure
from cypmh.clauses.words import describe, words

__all__ = [
    "AgeBetween",
    "All",
    "Any",
    "Clause",
    "ClauseError",
    "Coalesce",
    "Column",
    "Compare",
    "DaysBetween",
    "Failure",
    "In",
    "IsNull",
    "Lit",
    "Node",
    "Not",
    "PeriodEnd",
    "PeriodStart",
    "Value",
    "Within",
    "check",
    "describe",
    "first_failure",
    "holds",
    "kind_of",
    "truth",
    "value",
    "walk",
    "words",
]
