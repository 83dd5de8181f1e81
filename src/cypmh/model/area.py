"""An :class:`Area`: every record of one local area, checked to fit together."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any, TypeVar

import attrs

from cypmh.codes import SocialCareStatus
from cypmh.errors import AreaError, InvalidValueError, NotInAreaError
from cypmh.model import _rules as r
from cypmh.model.groupings import GroupingRecord, grouping_in_force
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

__all__ = ["Area"]

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)
_NO_DAY = date.min


def _group(
    items: Iterable[T], key: Callable[[T], K], order: Callable[[T], Any]
) -> dict[K, tuple[T, ...]]:
    groups: defaultdict[K, list[T]] = defaultdict(list)
    for item in items:
        groups[key(item)].append(item)
    return {k: tuple(sorted(v, key=order)) for k, v in groups.items()}


@attrs.frozen
class _Index:
    """Lookups of an area, built once when the area is made."""

    children: Mapping[str, Child]
    referrals: Mapping[str, Referral]
    schools: Mapping[str, School]
    referrals_of: Mapping[str, tuple[Referral, ...]]
    contacts_of: Mapping[str, tuple[Contact, ...]]
    indirect_of: Mapping[str, tuple[IndirectActivity, ...]]
    assessments_of: Mapping[str, tuple[CodedAssessment, ...]]
    care_plans_of: Mapping[str, tuple[CarePlan, ...]]
    episodes_of: Mapping[str, tuple[CareEpisode, ...]]
    social_work_of: Mapping[str, tuple[SocialWorkInvolvement, ...]]
    sdq_of: Mapping[str, tuple[SdqReturn, ...]]
    wellbeing_of: Mapping[str, tuple[WellbeingAssessment, ...]]
    factors_of: Mapping[str, tuple[AssessmentFactor, ...]]
    links_of: Mapping[str, tuple[LinkContact, ...]]
    groupings_of: Mapping[str, tuple[GroupingRecord, ...]]


def _tuple_field(item_type: type) -> Any:
    return attrs.field(default=(), validator=r.tuple_of(item_type))


@attrs.frozen(kw_only=True)
class Area:
    """All the records of one local area, for one extract.

    Constructing an area checks that the records fit together and raises
    :class:`~cypmh.errors.AreaError` listing every problem:

    - keys are unique: person, referral, contact and care plan ids, school
      URNs, (provider, team) of services, one SDQ return per child, one agreed
      and one suggested THRIVE grouping per child and day;
    - every record refers to a child, referral or school that is in the area,
      and a record on a referral is for the referral's own child;
    - nothing happens before the child is born, and nothing on a referral
      (a contact, indirect activity, assessment) before it was received.

    The lookups (``referrals_of``, ``contacts_of``, ...) are built once, here,
    and return records in date order.
    """

    name: str = attrs.field(default="area", validator=r.text())
    children: tuple[Child, ...] = _tuple_field(Child)
    services: tuple[Service, ...] = _tuple_field(Service)
    schools: tuple[School, ...] = _tuple_field(School)
    referrals: tuple[Referral, ...] = _tuple_field(Referral)
    contacts: tuple[Contact, ...] = _tuple_field(Contact)
    indirect_activities: tuple[IndirectActivity, ...] = _tuple_field(IndirectActivity)
    assessments: tuple[CodedAssessment, ...] = _tuple_field(CodedAssessment)
    care_plans: tuple[CarePlan, ...] = _tuple_field(CarePlan)
    care_episodes: tuple[CareEpisode, ...] = _tuple_field(CareEpisode)
    social_work: tuple[SocialWorkInvolvement, ...] = _tuple_field(SocialWorkInvolvement)
    sdq_returns: tuple[SdqReturn, ...] = _tuple_field(SdqReturn)
    wellbeing_assessments: tuple[WellbeingAssessment, ...] = _tuple_field(WellbeingAssessment)
    assessment_factors: tuple[AssessmentFactor, ...] = _tuple_field(AssessmentFactor)
    link_contacts: tuple[LinkContact, ...] = _tuple_field(LinkContact)
    groupings: tuple[GroupingRecord, ...] = _tuple_field(GroupingRecord)
    _index: _Index = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        """Build the lookups, then check that the records fit together."""
        index = _build_index(self)
        problems = _check(self, index)
        if problems:
            raise AreaError(problems)
        object.__setattr__(self, "_index", index)

    # Lookups by key.

    def child(self, person_id: str) -> Child:
        """The child with this id; :class:`~cypmh.errors.NotInAreaError` if there is none."""
        return _get(self._index.children, person_id, "children", "person_id")

    def referral(self, referral_id: str) -> Referral:
        """The referral with this id; :class:`~cypmh.errors.NotInAreaError` if there is none."""
        return _get(self._index.referrals, referral_id, "referrals", "referral_id")

    def school(self, urn: str) -> School:
        """The school with this URN; :class:`~cypmh.errors.NotInAreaError` if there is none."""
        return _get(self._index.schools, urn, "schools", "urn")

    # Records of a child, in date order (empty if none).

    def referrals_of(self, person_id: str) -> tuple[Referral, ...]:
        """The child's referrals, by date received."""
        return self._index.referrals_of.get(person_id, ())

    def care_plans_of(self, person_id: str) -> tuple[CarePlan, ...]:
        """The child's care plans, by date created."""
        return self._index.care_plans_of.get(person_id, ())

    def care_episodes_of(self, person_id: str) -> tuple[CareEpisode, ...]:
        """The child's episodes of care, by start date."""
        return self._index.episodes_of.get(person_id, ())

    def social_work_of(self, person_id: str) -> tuple[SocialWorkInvolvement, ...]:
        """The child's periods as a child in need or on a protection plan, by start date."""
        return self._index.social_work_of.get(person_id, ())

    def sdq_of(self, person_id: str, year_end: date | None = None) -> SdqReturn | None:
        """The child's SDQ return for the collection year ending ``year_end``, if any.

        The year's latest dated SDQ, else the undated OC2 return
        (:func:`~cypmh.model.sdq_for_year`); without ``year_end``, the undated
        return alone.
        """
        returns = self._index.sdq_of.get(person_id, ())
        if year_end is None:
            return next((s for s in returns if s.date is None), None)
        return sdq_for_year(returns, year_end)

    def sdq_returns_of(self, person_id: str) -> tuple[SdqReturn, ...]:
        """The child's SDQ returns: the undated one first, then the dated ones by date."""
        return self._index.sdq_of.get(person_id, ())

    def wellbeing_assessments_of(self, person_id: str) -> tuple[WellbeingAssessment, ...]:
        """The child's initial mental health and wellbeing assessments, by date."""
        return self._index.wellbeing_of.get(person_id, ())

    def assessment_factors_of(self, person_id: str) -> tuple[AssessmentFactor, ...]:
        """The factors of the child's child-in-need assessments, by date then factor."""
        return self._index.factors_of.get(person_id, ())

    def social_care_status(self, person_id: str, on: date) -> SocialCareStatus:
        """The child's social-care status on ``on``.

        See :func:`~cypmh.model.social_care_status_on` for the rule.
        """
        self.child(person_id)
        return social_care_status_on(
            on, self.care_episodes_of(person_id), self.social_work_of(person_id)
        )

    # Records of a referral, in date order (empty if none).

    def contacts_of(self, referral_id: str) -> tuple[Contact, ...]:
        """The referral's direct contacts, by date (then contact id)."""
        return self._index.contacts_of.get(referral_id, ())

    def indirect_activities_of(self, referral_id: str) -> tuple[IndirectActivity, ...]:
        """The referral's indirect activities, by date."""
        return self._index.indirect_of.get(referral_id, ())

    def assessments_of(self, referral_id: str) -> tuple[CodedAssessment, ...]:
        """The referral's coded assessments, by date."""
        return self._index.assessments_of.get(referral_id, ())

    def groupings_of(self, person_id: str) -> tuple[GroupingRecord, ...]:
        """The child's THRIVE grouping records, by date (agreed before suggested on a day)."""
        return self._index.groupings_of.get(person_id, ())

    def grouping_in_force(self, person_id: str, on: date) -> GroupingRecord | None:
        """The child's grouping in force on ``on`` (:func:`.groupings.grouping_in_force`)."""
        return grouping_in_force(self.groupings_of(person_id), person_id, on)

    # Schools.

    def link_contacts_of(self, urn: str) -> tuple[LinkContact, ...]:
        """The school's link contacts with CAMHS, by start date."""
        return self._index.links_of.get(urn, ())

    def has_working_link(self, urn: str, on: date) -> bool:
        """Whether the school has a working link contact on ``on``."""
        return any(link.is_working_on(on) for link in self.link_contacts_of(urn))


def _build_index(area: Area) -> _Index:
    """The lookups of ``area`` (where a key repeats, the last record wins; _check reports it)."""
    by_date: Callable[[Any], Any] = lambda x: x.date  # noqa: E731
    return _Index(
        children={c.person_id: c for c in area.children},
        referrals={x.referral_id: x for x in area.referrals},
        schools={s.urn: s for s in area.schools},
        referrals_of=_group(
            area.referrals, lambda x: x.person_id, lambda x: (x.received_date, x.referral_id)
        ),
        contacts_of=_group(
            area.contacts, lambda x: x.referral_id, lambda x: (x.date, x.contact_id)
        ),
        indirect_of=_group(area.indirect_activities, lambda x: x.referral_id, by_date),
        assessments_of=_group(area.assessments, lambda x: x.referral_id, by_date),
        care_plans_of=_group(
            area.care_plans, lambda x: x.person_id, lambda x: (x.created, x.care_plan_id)
        ),
        episodes_of=_group(area.care_episodes, lambda x: x.person_id, lambda x: x.start),
        social_work_of=_group(area.social_work, lambda x: x.person_id, lambda x: x.start),
        sdq_of=_group(
            area.sdq_returns,
            lambda x: x.person_id,
            lambda x: (x.date is not None, x.date or _NO_DAY),
        ),
        wellbeing_of=_group(area.wellbeing_assessments, lambda x: x.person_id, by_date),
        factors_of=_group(
            area.assessment_factors, lambda x: x.person_id, lambda x: (x.date, x.factor)
        ),
        links_of=_group(area.link_contacts, lambda x: x.school_urn, lambda x: x.start),
        groupings_of=_group(
            area.groupings, lambda x: x.person_id, lambda x: (x.from_date, x.source.value)
        ),
    )


def _get(mapping: Mapping[str, T], key: str, collection: str, field: str) -> T:
    try:
        return mapping[key]
    except KeyError:
        raise NotInAreaError(collection, field, key) from None


def _check(area: Area, index: _Index) -> list[InvalidValueError]:
    """Every way in which the records of ``area`` do not fit together."""
    problems: list[InvalidValueError] = []

    def problem(path: str, value: object, rule: str) -> None:
        problems.append(InvalidValueError("Area", path, value, rule))

    def unique(name: str, records: Sequence[Any], key: Callable[[Any], object], label: str) -> None:
        seen: dict[object, int] = {}
        for i, record in enumerate(records):
            k = key(record)
            if k in seen:
                problem(f"{name}[{i}].{label}", k, f"duplicates {name}[{seen[k]}]")
            else:
                seen[k] = i

    unique("children", area.children, lambda x: x.person_id, "person_id")
    unique("referrals", area.referrals, lambda x: x.referral_id, "referral_id")
    unique("contacts", area.contacts, lambda x: x.contact_id, "contact_id")
    unique("care_plans", area.care_plans, lambda x: x.care_plan_id, "care_plan_id")
    unique("schools", area.schools, lambda x: x.urn, "urn")
    unique("services", area.services, lambda x: (x.provider_code, x.team_id), "team_id")
    unique("sdq_returns", area.sdq_returns, lambda x: (x.person_id, x.date), "person_id")
    unique(
        "groupings",
        area.groupings,
        lambda x: (x.person_id, x.from_date.isoformat(), x.source.value),
        "from_date",
    )

    referrals = index.referrals

    # Paths such as "contacts[12]" are written only for a problem: areas hold a great many records.
    def born_by(name: str, i: int, person_id: str, day: date, what: str) -> None:
        child = index.children.get(person_id)
        if child is None:
            problem(f"{name}[{i}].person_id", person_id, "must be the id of a child in the area")
        elif day < child.birth_date:
            problem(
                f"{name}[{i}].{what}",
                day,
                f"must not be before the child's birth_date ({child.birth_date})",
            )

    def on_referral(name: str, i: int, record: Any, day_field: str, check_received: bool) -> None:
        day: date = getattr(record, day_field)
        referral = referrals.get(record.referral_id)
        if referral is not None and record.person_id == referral.person_id:
            if check_received and day < referral.received_date:
                problem(
                    f"{name}[{i}].{day_field}",
                    day,
                    f"must not be before its referral was received ({referral.received_date})",
                )
            born_by(name, i, record.person_id, day, day_field)
            return
        path = f"{name}[{i}]"
        if referral is None:
            problem(
                f"{path}.referral_id",
                record.referral_id,
                "must be the id of a referral in the area",
            )
            return
        else:
            problem(
                f"{path}.person_id",
                record.person_id,
                f"must be the person of referral {referral.referral_id} ({referral.person_id})",
            )

    for i, ref in enumerate(area.referrals):
        born_by("referrals", i, ref.person_id, ref.received_date, "received_date")
    for i, contact in enumerate(area.contacts):
        on_referral("contacts", i, contact, "date", check_received=True)
    for i, activity in enumerate(area.indirect_activities):
        on_referral("indirect_activities", i, activity, "date", check_received=True)
    for i, assessment in enumerate(area.assessments):
        on_referral("assessments", i, assessment, "date", check_received=False)
    for i, plan in enumerate(area.care_plans):
        born_by("care_plans", i, plan.person_id, plan.created, "created")
    for i, episode in enumerate(area.care_episodes):
        born_by("care_episodes", i, episode.person_id, episode.start, "start")
    for i, involvement in enumerate(area.social_work):
        born_by("social_work", i, involvement.person_id, involvement.start, "start")
    for i, sdq in enumerate(area.sdq_returns):
        if sdq.person_id not in index.children:
            problem(
                f"sdq_returns[{i}].person_id",
                sdq.person_id,
                "must be the id of a child in the area",
            )
    for i, wellbeing in enumerate(area.wellbeing_assessments):
        born_by("wellbeing_assessments", i, wellbeing.person_id, wellbeing.date, "date")
    for i, factor in enumerate(area.assessment_factors):
        born_by("assessment_factors", i, factor.person_id, factor.date, "date")
    for i, grouping in enumerate(area.groupings):
        if grouping.referral_id is None:
            born_by("groupings", i, grouping.person_id, grouping.from_date, "from_date")
        else:
            on_referral("groupings", i, grouping, "from_date", check_received=True)
    for i, link in enumerate(area.link_contacts):
        if link.school_urn not in index.schools:
            problem(
                f"link_contacts[{i}].school_urn",
                link.school_urn,
                "must be the URN of a school in the area",
            )
    return problems
