"""cypmh: one shared, tested definition of CYP mental health data and KPIs in England."""

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
