"""cypmh: one shared, tested definition of CYP mental health data and KPIs in England."""

from typing import TYPE_CHECKING

from cypmh.errors import (
    AreaError,
    CypmhError,
    InvalidValueError,
    NotInAreaError,
    StructureError,
    UnknownCodeError,
)
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

# Serialization needs cattrs, the slowest import of the package: load it on first use.
_LAZY = {"from_json", "structure", "to_json", "unstructure"}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        from cypmh import io

        return getattr(io, name)
    raise AttributeError(f"module 'cypmh' has no attribute {name!r}")


if TYPE_CHECKING:
    from cypmh.io import from_json, structure, to_json, unstructure
