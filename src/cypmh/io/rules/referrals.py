"""Referrals: ``MHS101Referral.csv``.

Rows make referrals (the model's rules: required ids, dates and codes, an ODS
provider code, codes in the reference lists, rejection, closure and discharge
not before receipt, a reason only with its date), one row per
``UniqServReqID``, of a known person received on or after their birth.

Records on a referral (contacts, indirect activity, assessments) are checked
against the kept referrals by :func:`on_referral` (reference reader) and
:func:`on_referral_frames` (frame reader).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from cypmh.codes import (
    ClinicalPriority,
    ClosureReason,
    RejectionReason,
    referral_reasons,
    referral_sources,
    team_types,
)
from cypmh.io import reasons
from cypmh.io.frame_checks import (
    ODS,
    Check,
    code_checks,
    code_in,
    date_checks,
    day_before,
    lit,
    not_before,
    parsed_date,
    pattern,
    required_cell,
    requires,
    text,
)
from cypmh.io.rules.people import Failure, born_by, born_by_frames
from cypmh.model import Referral

if TYPE_CHECKING:
    from cypmh.io.frame_reader import FrameReader
    from cypmh.io.record_reader import RecordReader

__all__ = ["frames", "on_referral", "on_referral_frames", "records"]

FILE = "MHS101Referral.csv"

REFERRAL_COLUMNS = {
    "referral_id": "UniqServReqID",
    "person_id": "Person_ID",
    "provider_code": "OrgIDProv",
    "received_date": "ReferralRequestReceivedDate",
    "source": "SourceOfReferralMH",
    "priority": "ClinRespPriorityType",
    "primary_reason": "PrimReasonReferralMH",
    "team_type": "ServTeamType",
    "rejection_date": "ReferRejectionDate",
    "rejection_reason": "ReferRejectReason",
    "closure_date": "ReferClosureDate",
    "closure_reason": "ReferClosReason",
    "discharge_date": "ServDischDate",
}


def on_referral(
    r: RecordReader, referral_id: str, person_id: str, day: date | None, column: str
) -> Failure:
    """The referral is kept and is the person's; ``day`` is not before receipt nor birth.

    Without a ``day``, only the first two (the coded assessments check their
    date against the birth alone).
    """
    referral = r.by_referral.get(referral_id)
    if referral is None:
        return ("UniqServReqID", referral_id, reasons.NO_SUCH_REFERRAL)
    if referral.person_id != person_id:
        return ("Person_ID", person_id, reasons.OTHER_PERSON.format(referral.person_id))
    if day is None:
        return None
    if day < referral.received_date:
        return (column, day.isoformat(), reasons.BEFORE_RECEIVED.format(referral.received_date))
    return born_by(r, person_id, day, column)


def on_referral_frames(
    r: FrameReader, frame: Any, day: str | None, column: str
) -> tuple[Any, list[Check]]:
    """:func:`on_referral`, for the frame reader: ``frame`` joined to the referrals, and the checks.

    The checks against the birth are :func:`~cypmh.io.rules.people.born_by_frames`'s
    second; the caller adds them.
    """
    pl = r.pl
    frame = r.look_up(frame, "UniqServReqID", r.received, "_rid")
    checks = [
        Check(
            pl.col("_ref_person").is_null(),
            "UniqServReqID",
            pl.col("UniqServReqID"),
            lit(reasons.NO_SUCH_REFERRAL),
        ),
        Check(
            pl.col("_ref_person") != pl.col("Person_ID"),
            "Person_ID",
            pl.col("Person_ID"),
            pl.format(reasons.OTHER_PERSON, pl.col("_ref_person")),
        ),
    ]
    if day is not None:
        checks.append(day_before(day, "_received", column, reasons.BEFORE_RECEIVED))
    return frame, checks


def records(r: RecordReader) -> None:
    """Read the referrals into ``r.by_referral`` and ``r.records["referrals"]``."""
    referrals = r.build(
        FILE,
        r.rows(FILE),
        lambda c: Referral(
            referral_id=c.required("UniqServReqID"),
            person_id=c.required("Person_ID"),
            provider_code=c.required("OrgIDProv"),
            received_date=c.day("ReferralRequestReceivedDate"),
            source=c.text("SourceOfReferralMH"),
            priority=c.code("ClinRespPriorityType", ClinicalPriority),
            primary_reason=c.text("PrimReasonReferralMH"),
            team_type=c.text("ServTeamType"),
            rejection_date=c.optional_date("ReferRejectionDate"),
            rejection_reason=c.code("ReferRejectReason", RejectionReason),
            closure_date=c.optional_date("ReferClosureDate"),
            closure_reason=c.code("ReferClosReason", ClosureReason),
            discharge_date=c.optional_date("ServDischDate"),
        ),
        REFERRAL_COLUMNS,
    )
    referrals = r.unique(FILE, referrals, lambda x: x.referral_id, "UniqServReqID")
    referrals = r.keep_if(
        FILE,
        referrals,
        lambda x: born_by(r, x.person_id, x.received_date, "ReferralRequestReceivedDate"),
    )
    r.by_referral = {x.referral_id: x for _, x in referrals}
    r.finish(FILE, len(referrals))
    r.records["referrals"] = tuple(x for _, x in referrals)


def frames(r: FrameReader) -> None:
    """Read the referrals into ``r.tables["referrals"]`` and ``r.received``."""
    pl = r.pl
    ref = r.build(
        FILE,
        r.rows(FILE),
        [
            parsed_date("ReferralRequestReceivedDate", False),
            parsed_date("ReferRejectionDate", False),
            parsed_date("ReferClosureDate", False),
            parsed_date("ServDischDate", False),
        ],
        [
            required_cell("UniqServReqID"),
            required_cell("Person_ID"),
            required_cell("OrgIDProv"),
            *date_checks("ReferralRequestReceivedDate", False),
            *code_checks("ClinRespPriorityType", ClinicalPriority),
            *date_checks("ReferRejectionDate", False, required=False),
            *code_checks("ReferRejectReason", RejectionReason),
            *date_checks("ReferClosureDate", False, required=False),
            *code_checks("ReferClosReason", ClosureReason),
            *date_checks("ServDischDate", False, required=False),
            pattern("OrgIDProv", ODS, optional=False),
            code_in("SourceOfReferralMH", referral_sources()),
            code_in("PrimReasonReferralMH", referral_reasons()),
            code_in("ServTeamType", team_types()),
            not_before(
                "ReferRejectionDate", "ReferralRequestReceivedDate", "ReferralRequestReceivedDate"
            ),
            requires("ReferRejectReason", "ReferRejectionDate", "ReferRejectionDate"),
            not_before(
                "ReferClosureDate", "ReferralRequestReceivedDate", "ReferralRequestReceivedDate"
            ),
            requires("ReferClosReason", "ReferClosureDate", "ReferClosureDate"),
            not_before(
                "ServDischDate", "ReferralRequestReceivedDate", "ReferralRequestReceivedDate"
            ),
        ],
    )
    ref = r.unique(FILE, ref, "UniqServReqID", "UniqServReqID")
    ref, checks = born_by_frames(
        r, ref, "Person_ID", "_d_ReferralRequestReceivedDate", "ReferralRequestReceivedDate"
    )
    ref = r.keep_if(FILE, ref, checks)
    r.finish(FILE, ref.height)
    r.tables["referrals"] = ref.select(
        referral_id=pl.col("UniqServReqID"),
        person_id=pl.col("Person_ID"),
        provider_code=pl.col("OrgIDProv"),
        received_date=pl.col("_d_ReferralRequestReceivedDate"),
        source=text("SourceOfReferralMH"),
        priority=text("ClinRespPriorityType"),
        primary_reason=text("PrimReasonReferralMH"),
        team_type=text("ServTeamType"),
        rejection_date=pl.col("_d_ReferRejectionDate"),
        rejection_reason=text("ReferRejectReason"),
        closure_date=pl.col("_d_ReferClosureDate"),
        discharge_date=pl.col("_d_ServDischDate"),
    )
    r.received = ref.select(
        _rid=pl.col("UniqServReqID"),
        _ref_person=pl.col("Person_ID"),
        _received=pl.col("_d_ReferralRequestReceivedDate"),
    )
