"""The modules that moved when cypmh was housed by layer, still importable by their old names.

``import cypmh.io.report`` gives :mod:`cypmh.report.kpi`, with a
:class:`DeprecationWarning` that names the new home. The old names work for one
release (see the changelog) and then go.

>>> import warnings
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     import cypmh.trends
>>> cypmh.trends.__name__, caught[0].category.__name__
('cypmh.report.trends', 'DeprecationWarning')
"""

from __future__ import annotations

import importlib
import importlib.machinery
import sys
import warnings
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    import importlib.abc

__all__ = ["MOVED", "install"]

MOVED = {
    "cypmh.cli_drill": "cypmh.cli.drill",
    "cypmh.cli_need": "cypmh.cli.need",
    "cypmh.cli_period": "cypmh.cli.period",
    "cypmh.cli_population": "cypmh.cli.population",
    "cypmh.cli_settings": "cypmh.cli.settings",
    "cypmh.cli_support": "cypmh.cli.support",
    "cypmh.cli_trend": "cypmh.cli.trend",
    "cypmh.population": "cypmh.need",  # its names, with the readers it offered
    "cypmh.population_files": "cypmh.need.population_files",
    "cypmh.prevalence": "cypmh.need.prevalence",
    "cypmh.synth_thrive": "cypmh.synth.thrive",
    "cypmh.examples": "cypmh.synth.examples",
    "cypmh.describe": "cypmh.synth.describe",
    "cypmh.trends": "cypmh.report.trends",
    "cypmh.io.report": "cypmh.report.kpi",
    "cypmh.io.trend_report": "cypmh.report.trend",
    "cypmh.io.need_panel": "cypmh.report.need_panel",
    "cypmh.io.quality_section": "cypmh.report.quality",
    "cypmh.io.hints": "cypmh.io.quality",
    "cypmh.thrive.groupings": "cypmh.codes.groupings",
    "cypmh.metrics.frames.schema": "cypmh.tables.schema",
    "cypmh.metrics.frames.backends": "cypmh.tables.backends",
    "cypmh.metrics.why": "cypmh.metrics.explain",
    "cypmh.metrics.why_reasons": "cypmh.metrics.families.case",
    "cypmh.metrics.frames.bases": "cypmh.metrics.blocks.bases",
    "cypmh.metrics.frames.exprs": "cypmh.tables.exprs",
    "cypmh.metrics.frames.levels": "cypmh.metrics.levels",
    "cypmh.metrics.frames.settle": "cypmh.metrics.blocks.settle",
}
"""Each old module name, and the module that now holds its code."""


class _Moved:
    """Finds an old module name and loads the module at its new home in its place.

    A meta path finder and its loader (the protocols of :mod:`importlib.abc`, whose
    import would slow ``import cypmh``).
    """

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None = None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in MOVED:
            return None
        return importlib.machinery.ModuleSpec(fullname, cast("importlib.abc.Loader", self))

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        new = MOVED[spec.name]
        warnings.warn(
            f"{spec.name} has moved to {new}; import it from there",
            DeprecationWarning,
            stacklevel=2,
        )
        return importlib.import_module(new)

    def exec_module(self, module: ModuleType) -> None:
        """Nothing to run: the module at the new home has run already."""


def install() -> None:
    """Put the finder last on :data:`sys.meta_path` (once): it answers only for old names."""
    if not any(isinstance(finder, _Moved) for finder in sys.meta_path):
        sys.meta_path.append(_Moved())
