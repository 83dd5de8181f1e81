"""The ``cypmh`` command: one module per command group, and the options they share.

- :mod:`cypmh.cli.main`: the group, ``report``, ``metrics``, ``describe``;
- :mod:`cypmh.cli.synth`: ``synth``; :mod:`cypmh.cli.cin`: ``cin-census``;
- :mod:`cypmh.cli.drill`: the record-level commands (``members``, ``why``, ``validate``);
- :mod:`cypmh.cli.trend`: ``trend`` and ``spc``;
- :mod:`cypmh.cli.need`: ``need``;
- :mod:`cypmh.cli.settings`, :mod:`cypmh.cli.period`, :mod:`cypmh.cli.population` and
  :mod:`cypmh.cli.support`: the run settings, the period, the population and the
  shared options and helpers.

The top layer: it may import every other part of cypmh, and nothing imports it
but :mod:`cypmh.__main__`. It needs the optional extra ``cli`` (click).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cypmh._lazy import lazy_names

__all__ = ["cli"]

__getattr__, __dir__ = lazy_names("cypmh.cli", {"cypmh.cli.main": ("cli",)}, globals())

if TYPE_CHECKING:
    from cypmh.cli.main import cli
