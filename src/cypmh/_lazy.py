"""Modules imported on first use: how a family keeps its dataframe code beside its reference code.

Each metric family module holds both engines' versions of one definition. The
dataframe version needs narwhals, an optional extra, and the reference engine
must run (and start quickly) without it. So a family module names narwhals and
the frame helpers as :class:`LazyModule` objects: nothing is imported until the
dataframe engine first calls the family.

>>> json = LazyModule("json")
>>> json.dumps([1])
'[1]'
>>> LazyModule("cypmh.no_such_module").anything
Traceback (most recent call last):
ModuleNotFoundError: No module named 'cypmh.no_such_module'
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["LazyModule"]


class LazyModule:
    """A stand-in for the module ``name``, imported when an attribute is first read.

    After the import the module's names are copied onto the stand-in, so that
    later reads are plain attribute reads.
    """

    def __init__(self, name: str) -> None:
        self._lazy_name = name

    def __getattr__(self, attribute: str) -> Any:
        module = importlib.import_module(self._lazy_name)
        self.__dict__.update(vars(module))
        return getattr(module, attribute)

    def __repr__(self) -> str:
        return f"<lazy module {self._lazy_name!r}>"
