"""cypmh: one shared, tested definition of CYP mental health data and KPIs in England.

The names below are imported from their modules on first use, so that
``import cypmh`` (and the ``cypmh`` command's start) stays quick:
``cypmh.Area`` loads the model, ``cypmh.to_json`` the serializer.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__all__ = [
    "Area",
    "AreaError",
    "CareEpisode",
    "CarePlan",
    "Child",
    "CodedAssessment",
    "Contact",
    "CypmhError",
    "IndirectActivity",
    "InvalidValueError",
    "LinkContact",
    "Month",
    "NotInAreaError",
    "Referral",
    "School",
    "SdqReturn",
    "Service",
    "SocialWorkInvolvement",
    "StructureError",
    "UnknownCodeError",
    "WellbeingAssessment",
    "from_json",
    "structure",
    "to_json",
    "uniq_month_id",
    "unstructure",
]

__version__ = "0.1.0"

_HOMES = {
    "cypmh.errors": (
        "AreaError",
        "CypmhError",
        "InvalidValueError",
        "NotInAreaError",
        "StructureError",
        "UnknownCodeError",
    ),
    "cypmh.io": ("from_json", "structure", "to_json", "unstructure"),
    "cypmh.model": (
        "Area",
        "CareEpisode",
        "CarePlan",
        "Child",
        "CodedAssessment",
        "Contact",
        "IndirectActivity",
        "LinkContact",
        "Referral",
        "School",
        "SdqReturn",
        "Service",
        "SocialWorkInvolvement",
        "WellbeingAssessment",
    ),
    "cypmh.periods": ("Month", "uniq_month_id"),
}
_HOME = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str) -> object:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'cypmh' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next read is a plain one
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOME])


if TYPE_CHECKING:
    from cypmh.errors import (
        AreaError,
        CypmhError,
        InvalidValueError,
        NotInAreaError,
        StructureError,
        UnknownCodeError,
    )
    from cypmh.io import from_json, structure, to_json, unstructure
    from cypmh.model import (
        Area,
        CareEpisode,
        CarePlan,
        Child,
        CodedAssessment,
        Contact,
        IndirectActivity,
        LinkContact,
        Referral,
        School,
        SdqReturn,
        Service,
        SocialWorkInvolvement,
        WellbeingAssessment,
    )
    from cypmh.periods import Month, uniq_month_id
