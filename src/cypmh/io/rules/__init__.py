"""The reader's rules, one module per file of the contract (or close group of files).

Each module holds both readers' versions of its files' rules, side by side:
``records(r)`` for the reference reader (:mod:`cypmh.io.readers`, record
objects) and ``frames(r)`` for the frame reader (:mod:`cypmh.io.frames`,
Polars). The reasons the two share are written once, in
:mod:`cypmh.io.reasons`. :data:`STEPS` is the order both readers take
the files in: each step checks its rows against what earlier steps kept (a
contact against the kept referrals, a referral against the known people).
"""

from __future__ import annotations

from types import ModuleType

from cypmh.io.rules import (
    activity,
    assessments,
    care_plans,
    people,
    referrals,
    schools,
    social_care,
    thrive,
)

__all__ = ["STEPS"]

STEPS: tuple[ModuleType, ...] = (
    people,
    referrals,
    activity,
    assessments,
    care_plans,
    social_care,
    schools,
    thrive,
)
"""The rule modules, in the order both readers apply them."""
