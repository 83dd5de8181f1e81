"""The extract folder's contract as data (the how-to "Prepare a real extract" explains it).

Each file: its path in the folder, whether it is required, its columns (the
required ones marked), and its key. Readers and writers both use this, so the
contract is written down once in code.
"""

from __future__ import annotations

import enum

import attrs

__all__ = ["EARLIEST_BIRTH", "EVENT_DATES", "FILES", "FileSpec", "Need", "spec"]


class Need(enum.Enum):
    """When a file must be present."""

    REQUIRED = "required"
    IF_FOLDER = "required if its sub-folder exists"
    OPTIONAL = "optional"


@attrs.frozen(kw_only=True)
class FileSpec:
    """One file of the extract."""

    path: str
    need: Need
    required_columns: tuple[str, ...]
    optional_columns: tuple[str, ...] = ()
    key: str | None = None
    ssda903_dates: bool = False
    code_columns: tuple[str, ...] = ()
    """Columns of codes read in upper case, whatever case the file writes them in."""
    national_columns: tuple[str, ...] = ()
    """Columns of the national file's own layout that the readers do not read: ignored
    without a warning (the DfE's SSDA903 column sets; the MPI's ``NHSNumber``, read only
    by :mod:`cypmh.io.feeds` to link the SSD's children)."""

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column, required first, in the contract's order."""
        return (*self.required_columns, *self.optional_columns)

    @property
    def folder(self) -> str | None:
        """The sub-folder the file lives in, if any."""
        return self.path.split("/")[0] if "/" in self.path else None


FILES: tuple[FileSpec, ...] = (
    FileSpec(
        path="MHS001MPI.csv",
        need=Need.REQUIRED,
        required_columns=("Person_ID", "PersonBirthDate"),
        optional_columns=(
            "Gender",
            "EthnicCategory",
            "LADistrictAuth",
            "LSOA2011",
            "OrgIDEduEstab",
            "LSOA2021",
        ),
        key="Person_ID",
        national_columns=("NHSNumber",),
    ),
    FileSpec(
        path="MHS101Referral.csv",
        need=Need.REQUIRED,
        required_columns=("UniqServReqID", "Person_ID", "OrgIDProv", "ReferralRequestReceivedDate"),
        optional_columns=(
            "SourceOfReferralMH",
            "ClinRespPriorityType",
            "PrimReasonReferralMH",
            "ServTeamType",
            "ReferRejectionDate",
            "ReferRejectReason",
            "ReferClosureDate",
            "ReferClosReason",
            "ServDischDate",
        ),
        key="UniqServReqID",
    ),
    FileSpec(
        path="MHS201CareContact.csv",
        need=Need.REQUIRED,
        required_columns=(
            "UniqCareContID",
            "UniqServReqID",
            "Person_ID",
            "CareContDate",
            "AttendStatus",
        ),
        optional_columns=("ConsMechanismMH",),
        key="UniqCareContID",
    ),
    FileSpec(
        path="MHS202CareActivity.csv",
        need=Need.OPTIONAL,
        required_columns=("UniqCareContID", "Procedure"),
    ),
    FileSpec(
        path="MHS204IndirectActivity.csv",
        need=Need.OPTIONAL,
        required_columns=("UniqServReqID", "Person_ID", "IndirectActDate"),
        optional_columns=("IndActProcedure", "IndirectActTime"),
    ),
    FileSpec(
        path="MHS606CodedScoreAssessmentRefer.csv",
        need=Need.OPTIONAL,
        required_columns=(
            "UniqServReqID",
            "Person_ID",
            "CodedAssToolType",
            "PersScore",
            "AssToolCompDate",
        ),
    ),
    FileSpec(
        path="MHS008CarePlanType.csv",
        need=Need.OPTIONAL,
        required_columns=("UniqCarePlanID", "Person_ID", "CarePlanTypeMH", "CarePlanCreatDate"),
        optional_columns=("CarePlanLastUpdateDate",),
        key="UniqCarePlanID",
    ),
    FileSpec(
        path="MHS009CarePlanAgreement.csv",
        need=Need.OPTIONAL,
        required_columns=("UniqCarePlanID",),
        optional_columns=("CarePlanAgreedDate",),
    ),
    FileSpec(
        path="thrive.csv",
        need=Need.OPTIONAL,
        required_columns=("Person_ID", "GROUPING", "DATE", "STATUS"),
        optional_columns=("UniqServReqID",),
    ),
    FileSpec(path="linkage.csv", need=Need.OPTIONAL, required_columns=("Person_ID", "CHILD")),
    FileSpec(
        path="ssda903/header.csv",
        need=Need.IF_FOLDER,
        required_columns=("CHILD", "DOB"),
        optional_columns=("SEX", "ETHNIC"),
        key="CHILD",
        ssda903_dates=True,
        code_columns=("SEX", "ETHNIC"),
        national_columns=("UPN", "MOTHER", "MC_DOB"),
    ),
    FileSpec(
        path="ssda903/episodes.csv",
        need=Need.IF_FOLDER,
        required_columns=("CHILD", "DECOM", "DEC"),
        optional_columns=("RNE", "LS", "CIN", "PLACE", "REC"),
        ssda903_dates=True,
        code_columns=("RNE", "LS", "CIN", "PLACE", "REC"),
        national_columns=(
            "PLACE_PROVIDER",
            "REASON_PLACE_CHANGE",
            "HOME_POST",
            "PL_POST",
            "URN",
        ),
    ),
    FileSpec(
        path="ssda903/oc2.csv",
        need=Need.OPTIONAL,
        required_columns=("CHILD",),
        optional_columns=("SDQ_SCORE", "SDQ_REASON", "SDQ_DATE"),
        ssda903_dates=True,
        code_columns=("SDQ_REASON",),
        national_columns=(
            "DOB",
            "CONVICTED",
            "HEALTH_CHECK",
            "IMMUNISATIONS",
            "TEETH_CHECK",
            "HEALTH_ASSESSMENT",
            "SUBSTANCE_MISUSE",
            "INTERVENTION_RECEIVED",
            "INTERVENTION_OFFERED",
        ),
    ),
    FileSpec(
        path="ssda903/social_work.csv",
        need=Need.OPTIONAL,
        required_columns=("CHILD", "STATUS", "START"),
        optional_columns=("END",),
        ssda903_dates=True,
    ),
    FileSpec(
        path="ssda903/mh_assessments.csv",
        need=Need.OPTIONAL,
        required_columns=("CHILD", "ASSESSMENT_DATE"),
        ssda903_dates=True,
    ),
    FileSpec(
        path="ssda903/assessment_factors.csv",
        need=Need.OPTIONAL,
        required_columns=("CHILD", "DATE", "FACTOR"),
        ssda903_dates=True,
        code_columns=("FACTOR",),
    ),
    FileSpec(
        path="schools/schools.csv",
        need=Need.IF_FOLDER,
        required_columns=("URN", "NAME"),
        optional_columns=("PHASE", "LA", "OPEN_DATE", "CLOSE_DATE", "PUPILS"),
        key="URN",
    ),
    FileSpec(
        path="schools/link_contacts.csv",
        need=Need.OPTIONAL,
        required_columns=("URN", "OrgIDProv", "SCHOOL_LEAD_ROLE", "CAMHS_CONTACT_ROLE", "START"),
        optional_columns=("END",),
    ),
)
"""Every file of the extract folder, in the order they are read."""


EVENT_DATES: dict[str, str] = {
    "MHS101Referral.csv": "ReferralRequestReceivedDate",
    "MHS201CareContact.csv": "CareContDate",
    "MHS204IndirectActivity.csv": "IndirectActDate",
    "MHS606CodedScoreAssessmentRefer.csv": "AssToolCompDate",
    "MHS008CarePlanType.csv": "CarePlanCreatDate",
    "thrive.csv": "DATE",
    "ssda903/episodes.csv": "DECOM",
    "ssda903/social_work.csv": "START",
    "ssda903/mh_assessments.csv": "ASSESSMENT_DATE",
    "ssda903/assessment_factors.csv": "DATE",
    "ssda903/oc2.csv": "SDQ_DATE",
}
"""The date of each event file's rows. The latest of them that reads as a date is the
extract's end, after which no child can be born."""

EARLIEST_BIRTH = "1900-01-01"
"""No child in an extract is born before this day."""


def spec(path: str) -> FileSpec:
    """The specification of the file at ``path``."""
    for file in FILES:
        if file.path == path:
            return file
    raise KeyError(path)
