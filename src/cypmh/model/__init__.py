"""The typed domain model: frozen, keyword-only classes validated on construction.

Change a record with :func:`attrs.evolve`, which validates the new one.
"""

from cypmh.model.area import Area
from cypmh.model.asat import as_at
from cypmh.model.groupings import GroupingRecord, GroupingSource
from cypmh.model.links import LinkContact
from cypmh.model.people import (
    AssessmentFactor,
    CareEpisode,
    Child,
    SdqReturn,
    SocialWorkInvolvement,
    WellbeingAssessment,
    sdq_for_year,
    social_care_status_on,
)
from cypmh.model.referrals import CarePlan, CodedAssessment, Contact, IndirectActivity, Referral
from cypmh.model.services import School, Service

__all__ = [
    "MODEL_CLASSES",
    "Area",
    "AssessmentFactor",
    "CareEpisode",
    "CarePlan",
    "Child",
    "CodedAssessment",
    "Contact",
    "GroupingRecord",
    "GroupingSource",
    "IndirectActivity",
    "LinkContact",
    "Referral",
    "School",
    "SdqReturn",
    "Service",
    "SocialWorkInvolvement",
    "WellbeingAssessment",
    "as_at",
    "sdq_for_year",
    "social_care_status_on",
]

MODEL_CLASSES: tuple[type, ...] = (
    Child,
    CareEpisode,
    SocialWorkInvolvement,
    SdqReturn,
    WellbeingAssessment,
    AssessmentFactor,
    Service,
    School,
    Referral,
    Contact,
    IndirectActivity,
    CodedAssessment,
    CarePlan,
    LinkContact,
    GroupingRecord,
    Area,
)
"""Every model class, for tools and tests that treat them alike."""
