"""Modules and names imported on first use.

:class:`LazyModule` is how a family keeps its dataframe code beside its reference code.

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

:func:`lazy_names` is how ``cypmh`` and ``cypmh.thrive`` offer their names
without importing every module at ``import`` (PEP 562).
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable, Mapping, MutableMapping
from typing import Any

__all__ = ["LazyModule", "lazy_names"]


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


def lazy_names(
    package: str,
    homes: Mapping[str, tuple[str, ...]],
    namespace: MutableMapping[str, Any],
    deprecated: Mapping[str, str] | None = None,
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package``, whose ``homes`` map modules to names.

    A name read once is stored in ``namespace`` (the package's globals), so the
    next read is a plain one. Reading a name of ``deprecated`` (name: what to use
    instead) gives a :class:`DeprecationWarning` saying so, once.

    >>> getattr_, dir_ = lazy_names("p", {"cypmh.periods": ("Month",)}, {})
    >>> getattr_("Month").__name__, dir_()
    ('Month', ['Month'])
    """
    home = {name: module for module, names in homes.items() for name in names}

    def attribute(name: str) -> object:
        module = home.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        if deprecated and name in deprecated:
            warnings.warn(
                f"{package}.{name} is deprecated: use {deprecated[name]}",
                DeprecationWarning,
                stacklevel=2,
            )
        namespace[name] = value
        return value

    def names() -> list[str]:
        return sorted({*namespace, *home} - set(deprecated or ()))

    return attribute, names
