"""Code lists: MHSDS and SSDA903 codes as typed values, loaded from package data.

Short fixed lists are enums (:mod:`cypmh.codes.enums`); lists that change over
time are effective-dated :class:`CodeSet` objects returned by the functions
below, each read once from its table in ``cypmh/codes/data``. The sources of
each table are in ``cypmh/codes/data/README.md`` and the reference docs.
"""

from __future__ import annotations

import functools
import re

from cypmh.codes._tables import optional_int, read_table
from cypmh.codes.age_bands import AgeBand, age_band, age_bands
from cypmh.codes.assessments import AssessmentTool, assessment_tool, assessment_tools
from cypmh.codes.codeset import CodeEntry, CodeSet
from cypmh.codes.enums import (
    AttendanceClass,
    AttendStatus,
    ClinicalPriority,
    ClosureReason,
    CodedEnum,
    EdPriorityGroup,
    Rater,
    RejectionReason,
    ScoreDirection,
    SdqBand,
    SdqReason,
    SocialCareStatus,
    SocialWorkType,
)
from cypmh.errors import InvalidValueError

__all__ = [
    "UNKNOWN_ETHNICITY",
    "UNKNOWN_GENDER",
    "AgeBand",
    "AssessmentTool",
    "AttendStatus",
    "AttendanceClass",
    "ClinicalPriority",
    "ClosureReason",
    "CodeEntry",
    "CodeSet",
    "CodedEnum",
    "EdPriorityGroup",
    "Rater",
    "RejectionReason",
    "ScoreDirection",
    "SdqBand",
    "SdqReason",
    "SocialCareStatus",
    "SocialWorkType",
    "age_band",
    "age_bands",
    "assessment_tool",
    "assessment_tools",
    "check_snomed_code",
    "consultation_mechanisms",
    "ed_consultation_mechanisms",
    "ed_treatment_codes",
    "ethnic_categories",
    "gender_codes",
    "gender_level",
    "publication_genders",
    "referral_reasons",
    "referral_sources",
    "team_types",
    "upper_ethnicity",
    "wnw_ethnicity",
]


def _code_set(
    name: str, *, code: str = "code", description: str = "description", group: str | None = None
) -> CodeSet:
    entries = []
    for row in read_table(name):
        entries.append(
            CodeEntry(
                code=row[code],
                description=row.get(description) or None,
                group=(row.get(group) or None) if group else None,
                valid_from=optional_int(row.get("valid_from_uniqmonthid", "")),
                valid_to=optional_int(row.get("valid_to_uniqmonthid", "")),
                attributes={k: v for k, v in row.items() if k not in {code, description}},
            )
        )
    return CodeSet(name, tuple(entries))


@functools.cache
def team_types() -> CodeSet:
    """MHSDS service or team types (``ServTeamType``; table ``service_team_types``).

    The ``cyp_specific`` and ``notes`` columns are in each entry's ``attributes``.
    """
    return _code_set("service_team_types")


@functools.cache
def referral_sources() -> CodeSet:
    """MHSDS ``SourceOfReferralMH``; the group is the first letter's description.

    Labels beyond A1-A4 are not verified (``label_verified`` in ``attributes``).
    """
    return _code_set("referral_sources", group="group_description")


@functools.cache
def referral_reasons() -> CodeSet:
    """MHSDS ``PrimReasonReferralMH`` (code 12 is eating disorders; there is no 17)."""
    return _code_set("referral_reasons")


@functools.cache
def consultation_mechanisms() -> CodeSet:
    """MHSDS ``ConsMechanismMH``; the group is ``counts_for_cyp_contact`` (yes, no, digital_only).

    Code 01 and 98 have a version before and one from UniqMonthID 1459 (v5.0).
    """
    return _code_set("consultation_mechanisms", group="counts_for_cyp_contact")


@functools.cache
def ed_consultation_mechanisms() -> CodeSet:
    """Consultation mechanisms accepted for a CYP eating-disorder treatment clock stop.

    01 and 02 throughout; 03 up to 1458; 11 from 1459; 04 from 1501 (table
    ``ed_consultation_mechanisms``, from NHS England's ``CYP_ED_WaitingTimes`` list).
    """
    return _code_set("ed_consultation_mechanisms")


@functools.cache
def ed_treatment_codes() -> CodeSet:
    """SNOMED CT procedures that stop the CYP eating-disorder waiting-time clock."""
    return _code_set("ed_treatment_codes", code="snomed_code")


_SNOMED = re.compile(r"^[1-9][0-9]{5,17}$")


UNKNOWN_GENDER = "UNKNOWN"
"""The gender level of a missing code, or one the publication does not take from ``Gender``."""


@functools.cache
def publication_genders() -> frozenset[str]:
    """The ``Gender`` codes the publication keeps as levels (``from_gender``: 1, 2 and 9)."""
    table = gender_codes()
    return frozenset(c for c in table if table.entry(c).attributes.get("from_gender") == "yes")


def gender_level(code: str | None) -> str:
    """A person's level of the gender breakdown, as NHS England derives it from ``Gender``.

    ``00_generic_prep.py`` keeps ``Gender`` 1, 2 and 9 and makes every other code, and a
    missing one, ``UNKNOWN`` (the extract has no ``GenderIDCode``, which it reads first).

    >>> gender_level("2"), gender_level("X"), gender_level(None), gender_level("3")
    ('2', 'UNKNOWN', 'UNKNOWN', 'UNKNOWN')
    """
    return code if code in publication_genders() else UNKNOWN_GENDER


@functools.cache
def gender_codes() -> CodeSet:
    """MHSDS derived gender codes and their names (table ``gender_codes``).

    >>> gender_codes().description("2")
    'Female'
    """
    return _code_set("gender_codes")


@functools.cache
def ethnic_categories() -> CodeSet:
    """MHSDS ``EthnicCategory`` codes; the group is the publication's upper ethnicity."""
    return _code_set("ethnic_categories", group="upper_ethnicity")


UNKNOWN_ETHNICITY = "UNKNOWN"
"""The upper ethnicity of a missing code, or one not valid in the month (as the publication)."""


def upper_ethnicity(code: str | None, month_id: int) -> str:
    """The upper ethnicity group of ``code`` in the month ``month_id``, as NHS England reports it.

    >>> upper_ethnicity("H", 1500), upper_ethnicity("WBRI", 1500), upper_ethnicity(None, 1500)
    ('Asian or Asian British', 'UNKNOWN', 'UNKNOWN')
    """
    table = ethnic_categories()
    if code is None or not table.is_valid(code, month_id):
        return UNKNOWN_ETHNICITY
    return table.group(code, month_id) or UNKNOWN_ETHNICITY


def wnw_ethnicity(code: str | None, month_id: int) -> str:
    """White British against non-White British for ``code`` in the month, as NHS England has it.

    >>> wnw_ethnicity("A", 1500), wnw_ethnicity("H", 1500), wnw_ethnicity("Z", 1500)
    ('White British', 'Non-white British', 'Missing/invalid')
    >>> wnw_ethnicity(None, 1500), wnw_ethnicity("T", 1500)
    ('UNKNOWN', 'UNKNOWN')
    """
    table = ethnic_categories()
    if code is None or not table.is_valid(code, month_id):
        return UNKNOWN_ETHNICITY
    return table.entry(code, month_id).attributes.get("wnw_ethnicity") or UNKNOWN_ETHNICITY


def check_snomed_code(code: str, *, owner: str, field: str) -> None:
    """Raise :class:`~cypmh.errors.InvalidValueError` unless ``code`` looks like a SNOMED CT id.

    A SNOMED CT identifier is 6 to 18 digits with no leading zero. (Whether
    the concept exists is a question for the code list that uses it.)

    >>> check_snomed_code("51484002", owner="Contact", field="procedures")
    >>> check_snomed_code("5.1484E7", owner="Contact", field="procedures")
    Traceback (most recent call last):
    cypmh.errors.InvalidValueError: Contact.procedures = '5.1484E7': a SNOMED CT id is 6 to 18
    digits with no leading zero
    """
    if not _SNOMED.match(code):
        raise InvalidValueError(
            owner, field, code, "a SNOMED CT id is 6 to 18 digits with no leading zero"
        )
