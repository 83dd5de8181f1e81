"""Small builders for hand-made timelines in the pathway spec tests."""

from datetime import date

from cypmh import (
    Area,
    CareEpisode,
    CarePlan,
    Child,
    CodedAssessment,
    Contact,
    IndirectActivity,
    Referral,
)
from cypmh.codes import AttendStatus

ATTENDED = AttendStatus.ATTENDED_ON_TIME
DNA = AttendStatus.DID_NOT_ATTEND
RCADS_DEPRESSION = "958231000000102"  # on the publication's assessment list, not Current View
CURRENT_VIEW_ITEM = "987191000000101"  # on the list, but Current View
ASD_ASSESSMENT = "1085671000000109"  # an intervention code shipped with cypmh
FAMILY_THERAPY = "51484002"  # an ED treatment code valid from 1390


def child(person_id="P1", born=date(2010, 6, 1), **fields):
    return Child(person_id=person_id, birth_date=born, **fields)


def referral(referral_id, received, person_id="P1", provider="RXT", **fields):
    return Referral(
        referral_id=referral_id,
        person_id=person_id,
        provider_code=provider,
        received_date=received,
        **fields,
    )


def contact(contact_id, ref, day, status=ATTENDED, mechanism="01", *procedures):
    return Contact(
        contact_id=contact_id,
        referral_id=ref.referral_id,
        person_id=ref.person_id,
        date=day,
        attend_status=status,
        consultation_mechanism=mechanism,
        procedures=procedures,
    )


def indirect(ref, day, procedure=None, time=None):
    return IndirectActivity(
        referral_id=ref.referral_id,
        person_id=ref.person_id,
        date=day,
        procedure=procedure,
        time=time,
    )


def assessment(ref, day, tool=RCADS_DEPRESSION, score=10):
    return CodedAssessment(
        referral_id=ref.referral_id, person_id=ref.person_id, tool_code=tool, score=score, date=day
    )


def care_plan(plan_id, created, last_updated=None, agreed=True, person_id="P1", agreements=None):
    """A plan agreed once without a date (``agreed``), or with the ``agreements`` given."""
    return CarePlan(
        care_plan_id=plan_id,
        person_id=person_id,
        plan_type="12",
        created=created,
        last_updated=last_updated,
        agreements=agreements if agreements is not None else ((None,) if agreed else ()),
    )


def episode(start, end=None, person_id="P1", placement="U1"):
    return CareEpisode(person_id=person_id, start=start, end=end, placement=placement)


def area(children=None, **records):
    return Area(children=tuple(children or (child(),)), **{k: tuple(v) for k, v in records.items()})
