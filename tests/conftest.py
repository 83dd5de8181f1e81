"""Shared test settings: the Hypothesis profiles (see :mod:`tests.budget`).

Hypothesis runs 100 examples per property under ``ci`` and 10 under ``dev``,
unless a property states its own full number with ``examples(N)``. Under CI
(``CI`` set) the run is derandomized so that a red build is reproducible from
its log; locally each run explores new examples.
"""

from hypothesis import HealthCheck, settings

from tests.budget import PROFILE, examples

settings.register_profile("dev", max_examples=examples(100), deadline=None)
settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(PROFILE)
