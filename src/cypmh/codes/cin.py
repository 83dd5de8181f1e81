"""The factors a child-in-need assessment identifies (``cin_assessment_factors.csv``).

At the end of an assessment the social worker records the factors found, from
the DfE's Children in Need census code set (``<AssessmentFactors>``, item
N00181): ``4A`` is concerns about the child's mental health, ``15A`` self-harm,
``21`` no factors identified, and so on. The list is the sector validator's
(rule 8897Q); its source is in ``data/README.md``. ``child_mental_health``
marks the two factors that are concerns about the child's own mental health,
which cypmh's CIN01 family counts.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

from cypmh.codes._tables import index_table

__all__ = ["assessment_factors", "child_mental_health_factors"]


@functools.cache
def assessment_factors() -> Mapping[str, str]:
    """Each assessment factor code and what it records.

    >>> assessment_factors()["4A"]
    'Mental health concerns about the child'
    """
    return {
        code: row["description"]
        for code, row in index_table("cin_assessment_factors", "code").items()
    }


@functools.cache
def child_mental_health_factors() -> frozenset[str]:
    """The factors that are concerns about the child's own mental health.

    >>> sorted(child_mental_health_factors())
    ['15A', '4A']
    """
    table = index_table("cin_assessment_factors", "code")
    return frozenset(code for code, row in table.items() if row["child_mental_health"] == "yes")
