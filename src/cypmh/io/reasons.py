"""The reasons both readers give for the rules they share, written once.

The reference reader formats a template with the value it has
(``str.format``); the frame reader fills the same template from a column
(``polars.format``), so the two reports cannot drift apart in their wording.
Rules that only the model states (codes, formats, one date not before
another) take their wording from :mod:`cypmh.model._rules` and the frame
reader's copies in :mod:`cypmh.io.frame_checks`.
"""

from __future__ import annotations

__all__ = [
    "BEFORE_BIRTH",
    "BEFORE_RECEIVED",
    "BIRTH_AFTER_END",
    "BIRTH_BEFORE",
    "DOB_DIFFERS",
    "DUPLICATES",
    "LINKED_TWICE",
    "NO_SUCH_CARE_PLAN",
    "NO_SUCH_CHILD",
    "NO_SUCH_CONTACT",
    "NO_SUCH_PERSON",
    "NO_SUCH_REFERRAL",
    "NO_SUCH_SCHOOL",
    "OTHER_PERSON",
    "REQUIRED",
    "TIMED",
    "TIME_OF_DAY",
    "ZERO_TIME",
]

ZERO_TIME = r"^([0-9]{4}-[0-9]{2}-[0-9]{2})[ T]00:00(?::00(?:\.0+)?)?$"
"""A date with a zero time, as SQL, pandas and Excel write one (``2025-06-07 00:00:00``,
``2025-06-07T00:00:00.000``): read as the date (group 1). A regular expression both the
:mod:`re` module and Polars read."""

TIMED = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?$"
"""A date with any time of day (those of :data:`ZERO_TIME` are read as dates)."""

TIME_OF_DAY = "has a time of day; a date is YYYY-MM-DD (a time of 00:00:00 is read as the date)"
"""A date cell carries a time of day other than midnight."""

REQUIRED = "is required and empty"
"""A required cell is empty."""

DUPLICATES = "duplicates line {}"
"""A row repeats the key of an earlier row (the earlier row's line)."""

LINKED_TWICE = "is linked twice"
"""``linkage.csv`` links one CHILD code a second time."""

NO_SUCH_PERSON = "no such person in MHS001MPI.csv"
"""A record names a Person_ID that no kept MPI (or header) row has."""
NO_SUCH_CHILD = "no such child in MHS001MPI.csv or ssda903/header.csv"
"""An SSDA903 record names a CHILD that is no known child."""
NO_SUCH_REFERRAL = "no such referral in MHS101Referral.csv (or it was rejected)"
"""A record on a referral names one that was not kept."""
NO_SUCH_CONTACT = "no such contact in MHS201CareContact.csv (or it was rejected)"
"""A care activity names a contact that was not kept."""
NO_SUCH_CARE_PLAN = "no such care plan in MHS008CarePlanType.csv (or it was rejected)"
"""An agreement names a care plan that was not kept."""
NO_SUCH_SCHOOL = "no such school in schools/schools.csv"
"""A link contact names a school that was not kept."""

OTHER_PERSON = "the referral is for {}"
"""A record's Person_ID is not its referral's (the referral's Person_ID)."""

BEFORE_BIRTH = "before the child's birth date ({})"
"""A record's date is before the child's birth (the birth date)."""
BEFORE_RECEIVED = "before the referral was received ({})"
"""A record's date is before its referral was received (the day received)."""

BIRTH_BEFORE = "is before {}"
"""A birth date before the contract's earliest (:data:`~cypmh.io.contract.EARLIEST_BIRTH`)."""

BIRTH_AFTER_END = "is after the extract's last event ({})"
"""A birth date after the latest event date in the folder."""

DOB_DIFFERS = "differs from PersonBirthDate in MHS001MPI.csv ({})"
"""The SSDA903 header's DOB is not the child's MPI birth date."""

SDQ_DUE = (
    "neither a score nor a reason, for a child due an SDQ in the year ending {} "
    "(looked after for the 12 months to it, aged 4 to 16)"
)
"""An OC2 row with neither an SDQ score nor a reason, for a child who was due an SDQ."""

SDQ_DATED_EMPTY = "neither a score nor a reason, for an SDQ with a date (SDQ_DATE)"
"""A dated SDQ row with neither a score nor a reason: a dated SDQ is one that was completed
or refused."""
