"""The extract's files and columns that metrics and breakdowns read, each named once.

A family declares what it reads with these names (its ``Family.inputs``), and
:mod:`cypmh.metrics.inputs` checks them against what an extract covers. A
file is its path in the extract folder; an optional column is ``FILE:Column``
(:func:`column`).
"""

from __future__ import annotations

__all__ = [
    "ACTIVITY",
    "AGREEMENTS",
    "ASSESSMENTS",
    "CARE_PLANS",
    "CLOSED",
    "CONTACTS",
    "DISCHARGED",
    "EPISODES",
    "ETHNIC",
    "ETHNICITY",
    "FACTORS",
    "GENDER",
    "HEALTH",
    "INDIRECT",
    "INDIRECT_TIME",
    "LINKS",
    "MECHANISM",
    "MH_ASSESSMENTS",
    "MPI",
    "NO_POPULATION",
    "NO_POPULATION_GROUPS",
    "OC2",
    "PRIORITY",
    "REASON",
    "REFERRALS",
    "REJECTED",
    "RESIDENCE",
    "SCHOOLS",
    "SEX",
    "SOCIAL_WORK",
    "SOURCE",
    "TEAM",
    "THRIVE",
    "column",
    "mpi_column",
    "referral_column",
]

MPI, REFERRALS, CONTACTS = "MHS001MPI.csv", "MHS101Referral.csv", "MHS201CareContact.csv"
HEALTH = (MPI, REFERRALS, CONTACTS)
"""The health extract's core: a folder has all three, or (a social-care extract) none."""
ACTIVITY, INDIRECT = "MHS202CareActivity.csv", "MHS204IndirectActivity.csv"
ASSESSMENTS = "MHS606CodedScoreAssessmentRefer.csv"
CARE_PLANS, AGREEMENTS = "MHS008CarePlanType.csv", "MHS009CarePlanAgreement.csv"
THRIVE = "thrive.csv"
EPISODES, OC2 = "ssda903/episodes.csv", "ssda903/oc2.csv"
SOCIAL_WORK, MH_ASSESSMENTS = "ssda903/social_work.csv", "ssda903/mh_assessments.csv"
FACTORS = "ssda903/assessment_factors.csv"
SCHOOLS, LINKS = "schools/schools.csv", "schools/link_contacts.csv"


def column(path: str, name: str) -> str:
    """The input that is column ``name`` of file ``path``.

    >>> column("MHS101Referral.csv", "ServDischDate")
    'MHS101Referral.csv:ServDischDate'
    """
    return f"{path}:{name}"


def mpi_column(name: str) -> str:
    """Column ``name`` of the MPI."""
    return column(MPI, name)


def referral_column(name: str) -> str:
    """Column ``name`` of the referrals."""
    return column(REFERRALS, name)


DISCHARGED = referral_column("ServDischDate")
REJECTED = referral_column("ReferRejectionDate")
CLOSED = referral_column("ReferClosureDate")
TEAM = referral_column("ServTeamType")
REASON = referral_column("PrimReasonReferralMH")
PRIORITY = referral_column("ClinRespPriorityType")
SOURCE = referral_column("SourceOfReferralMH")
MECHANISM = column(CONTACTS, "ConsMechanismMH")
GENDER, SEX = mpi_column("Gender"), column("ssda903/header.csv", "SEX")
ETHNICITY, ETHNIC = mpi_column("EthnicCategory"), column("ssda903/header.csv", "ETHNIC")
INDIRECT_TIME = column(INDIRECT, "IndirectActTime")
"""The column that tells two indirect activities of one day apart (a note, not an input)."""
RESIDENCE = mpi_column("LADistrictAuth")
"""The column that narrows the health metrics to residents of England (a note, not an input)."""

NO_POPULATION = "no --population, and no population.csv or population table in the extract"

NO_POPULATION_GROUPS = (
    "no --population-groups, and no population_groups.csv or population_groups table in the "
    "extract (MHS95g also needs a deprivation file)"
)
"""Why a metric that reads the area's population is not available without one."""
