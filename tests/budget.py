"""How many examples each property runs: the Hypothesis profiles, in one place.

- ``ci`` (chosen when ``CI`` is set, or by ``HYPOTHESIS_PROFILE=ci``): every
  property runs its full number of examples, derandomized so that a red
  build replays from its log. CI (``.ci/run``) runs this profile.
- ``dev`` (the default): a tenth of the examples (at least 1), each run new
  ones; for the edit-run loop of ``make test`` and ``make check``.

A property states its full number as ``examples(N)``; the profile scales it.
"""

from __future__ import annotations

import os

__all__ = ["DEV_SHARE", "PROFILE", "examples"]

PROFILE = "ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev")
"""The profile this run uses."""

DEV_SHARE = 10
"""Under ``dev``, a property runs one example in this many."""


def examples(full: int) -> int:
    """The number of examples to run of a property whose full number is ``full``."""
    if PROFILE == "ci":
        return full
    return max(1, -(-full // DEV_SHARE))
