"""Configuration of the pathway rules: what counts as a contact, an intervention, a cohort.

Everything that NHS England's code fixes but a local area may need to change is
here, with the national behaviour as the default and the source stated. The counted
contact and the four-week cohort are each written twice, side by side: over the records
(:meth:`ContactRule.counts`, :meth:`FourWeekCohort.exclusion`) and over the dataframe
engine's rows (:meth:`ContactRule.counts_frame`, :meth:`FourWeekCohort.excluded_frame`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from datetime import date
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import Any

import attrs

from cypmh import codes
from cypmh.codes import AttendanceClass, AttendStatus
from cypmh.codes.parse import SettingsFileError, parse_toml, read_text_file
from cypmh.errors import InvalidValueError
from cypmh.model import Child, Contact, Referral
from cypmh.pathways.lazy import fx, nw
from cypmh.pathways.refsets import is_rf2, read_rf2
from cypmh.periods import uniq_month_id

__all__ = ["ContactRule", "FourWeekCohort", "InterventionCodes"]


@attrs.frozen(kw_only=True)
class ContactRule:
    """What makes a *counted contact* (NHS England's MHSDS publication code).

    A direct contact counts when it was attended (status 5 or 6) through a
    consultation mechanism that counts in the month of the contact: from
    October 2021 (UniqMonthID 1459) 01, 02, 04 and 11; before it, every code
    but 05 and 06 (the publication's rule; NHS England's own pre-processing
    counts only 01-04 before v5). The mechanisms come from the effective-dated
    table ``consultation_mechanisms``. Mechanisms marked ``digital_only``
    (email, text, instant messaging, chat) count only for the providers in
    ``digital_providers``: by default Kooth (``DFC``) and TellMi (``S9X2N``).
    Any indirect activity counts.

    Sources: NHSD ``menh_bbrb/notebooks/01_Generic_Prepare/02_nhse_pre_processing_tables.py``,
    ``04_cyp_perinatal/cyp_perinatal_prep.py``; NHSE ``PreProcessing/PreProc 3 - Activity``.
    """

    digital_providers: frozenset[str] = frozenset({"DFC", "S9X2N"})

    def counts(self, contact: Contact, provider_code: str) -> bool:
        """Whether ``contact``, on a referral to ``provider_code``, is a counted contact."""
        if contact.attend_status.attendance is not AttendanceClass.ATTENDED:
            return False
        mechanism = contact.consultation_mechanism
        month = uniq_month_id(contact.date)
        mechanisms = codes.consultation_mechanisms()
        if mechanism is None or not mechanisms.is_valid(mechanism, month):
            return False
        group = mechanisms.group(mechanism, month)
        return group == "yes" or (
            group == "digital_only" and provider_code in self.digital_providers
        )

    def counts_frame(self, month: nw.Expr) -> nw.Expr:
        """:meth:`counts` on the dataframe engine: whether a contact row is a counted contact.

        The same rule, clause by clause, as an expression over a row with
        ``attend_status``, ``consultation_mechanism`` and its referral's
        ``provider_code``; ``month`` is the contact's UniqMonthID.
        """
        mechanisms = codes.consultation_mechanisms()
        mechanism = nw.col("consultation_mechanism")
        everyone = fx.valid_code(mechanisms, mechanism, month, lambda e: e.group == "yes")
        digital = fx.valid_code(mechanisms, mechanism, month, lambda e: e.group == "digital_only")
        attended = [s.value for s in AttendStatus if s.attendance is AttendanceClass.ATTENDED]
        return fx.in_list(nw.col("attend_status"), attended) & (
            everyone | (digital & fx.in_list(nw.col("provider_code"), self.digital_providers))
        )


_PACKAGE_DATA = resources.files("cypmh.pathways").joinpath("data")


@attrs.frozen
class InterventionCodes:
    """SNOMED CT procedures that count as an *intervention* for the CYP four-week clock stop.

    NHS England counts the active members of three MHSDS reference sets
    (psychological therapies, psychosocial interventions, medication and
    physical therapy) and two named ASD/ADHD assessment codes. cypmh ships only
    the two named codes (:meth:`default`), which undercount MRS08 and MRS09; an
    area loads the reference sets from the SNOMED CT UK release's refset file,
    or a list of codes, with :meth:`from_file` (:mod:`cypmh.pathways.refsets`).
    """

    codes: frozenset[str]
    source: str = "given in code"

    def __contains__(self, code: object) -> bool:
        """Whether ``code`` is in the set."""
        return code in self.codes

    @classmethod
    def default(cls) -> InterventionCodes:
        """The codes shipped with cypmh (``cypmh/pathways/data/intervention_codes.txt``).

        Read once and kept: the set is immutable.
        """
        return _default_interventions()

    @property
    def is_default(self) -> bool:
        """Whether these are the two codes cypmh ships, which undercount the clock stops."""
        return self.codes == _default_interventions().codes

    @classmethod
    def from_file(cls, path: str | PathLike[str]) -> InterventionCodes:
        """Read codes from an RF2 simple refset file, or a text file of one SNOMED CT id a line.

        An RF2 file (its first line the RF2 header) gives the active members of
        the intervention reference sets and the named assessment codes
        (:func:`cypmh.pathways.refsets.read_rf2`). In a plain list, blank lines
        and lines starting with ``#`` are skipped and anything after the id on
        a line (after a space or tab) is a comment. A malformed id or row
        raises :class:`~cypmh.errors.InvalidValueError` naming the file and line.
        """
        file = Path(path)
        try:
            lines = read_text_file(file, "code list", max_bytes=None).splitlines()
        except SettingsFileError as exc:
            raise InvalidValueError(
                "InterventionCodes", "path", str(file), str(exc).split(": ", 1)[-1]
            ) from None
        if lines and is_rf2(lines[0]):
            found = read_rf2(lines, str(file), _default_interventions().codes)
            return cls(found, str(file))
        parsed = cls._parse(lines, str(file))
        if not parsed.codes:
            raise InvalidValueError(
                "InterventionCodes", "path", str(file), "has no SNOMED CT code in it"
            )
        return parsed

    @classmethod
    def _parse(cls, lines: Iterable[str], source: str) -> InterventionCodes:
        found = set()
        for number, line in enumerate(lines, start=1):
            text = line.strip()
            if not text or text.startswith("#"):
                continue
            code = text.split()[0]
            codes.check_snomed_code(code, owner=f"{source}, line {number}", field="code")
            found.add(code)
        return cls(frozenset(found), source)


def _strings(table: Mapping[str, Any], key: str, where: str) -> frozenset[str]:
    value = table.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidValueError(where, key, value, "must be a list of code strings")
    return frozenset(value)


def _integer(table: Mapping[str, Any], key: str, where: str) -> int:
    value = table.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValueError(where, key, value, "must be a whole number")
    return value


@attrs.frozen(kw_only=True)
class FourWeekCohort:
    """The referrals NHS England's CYP referral-spell ("four-week") waits are measured on.

    Each exclusion has a name (``FILTERS``) and its parameters; the defaults
    come from ``cypmh/pathways/data/four_week_cohort.toml``, which cites the
    source. Switch a filter off by naming it in ``disabled``, or load other
    parameters with :meth:`from_toml`.

    Not applied, because cypmh's extract has no hospital spells: NHS England
    also drops referrals with an inpatient spell (``MHS501``).
    """

    FILTERS = (
        "age_at_referral",
        "residence",
        "digital_providers",
        "urgent_single_point_of_access",
        "eating_disorder_outside_spa_and_mhst",
        "first_episode_psychosis_to_eip",
        "excluded_team_types",
    )

    min_age: int = 0
    max_age: int = 17
    residence_prefix: str = "E"
    digital_providers: frozenset[str]
    spa_team_types: frozenset[str]
    urgent_priorities: frozenset[str]
    eating_disorder_reasons: frozenset[str]
    eating_disorder_allowed_team_types: frozenset[str]
    psychosis_reasons: frozenset[str]
    eip_team_types: frozenset[str]
    excluded_team_types: frozenset[str]
    earliest_spell_start: date = date(2016, 1, 1)
    disabled: frozenset[str] = attrs.field(default=frozenset())

    @disabled.validator
    def _known_filters(
        self, attribute: attrs.Attribute[frozenset[str]], value: frozenset[str]
    ) -> None:
        unknown = sorted(set(value) - {*self.FILTERS, "spell_start"})
        if unknown:
            raise InvalidValueError(
                "FourWeekCohort",
                "disabled",
                unknown,
                f"filters are named {', '.join(self.FILTERS)}, spell_start",
            )

    @classmethod
    def default(cls) -> FourWeekCohort:
        """The cohort as NHS England's code defines it (the shipped TOML file, read once)."""
        return _default_cohort()

    @classmethod
    def from_toml(cls, text: str, *, source: str = "TOML text") -> FourWeekCohort:
        """Read the cohort's parameters from TOML laid out like the shipped file.

        A missing or malformed value raises :class:`~cypmh.errors.InvalidValueError`
        naming the source, the table and the key.
        """
        try:
            data = parse_toml(text, source)
        except SettingsFileError as exc:
            raise InvalidValueError(source, "text", "...", str(exc)) from None

        def table(name: str) -> Mapping[str, Any]:
            value = data.get(name)
            if not isinstance(value, dict):
                raise InvalidValueError(source, name, value, "a table of this name is required")
            return value

        def where(name: str) -> str:
            return f"{source} [{name}]"

        def strings(name: str, key: str) -> frozenset[str]:
            return _strings(table(name), key, where(name))

        def integer(name: str, key: str) -> int:
            return _integer(table(name), key, where(name))

        earliest = table("spell_start").get("earliest")
        if not isinstance(earliest, date):
            raise InvalidValueError(where("spell_start"), "earliest", earliest, "must be a date")
        prefix = table("residence").get("prefix")
        if not isinstance(prefix, str):
            raise InvalidValueError(where("residence"), "prefix", prefix, "must be a string")
        spa, ed, psychosis = (
            "urgent_single_point_of_access",
            "eating_disorder_outside_spa_and_mhst",
            "first_episode_psychosis_to_eip",
        )
        return cls(
            min_age=integer("age_at_referral", "min_age"),
            max_age=integer("age_at_referral", "max_age"),
            residence_prefix=prefix,
            digital_providers=strings("digital_providers", "providers"),
            spa_team_types=strings(spa, "team_types"),
            urgent_priorities=strings(spa, "priorities"),
            eating_disorder_reasons=strings(ed, "reasons"),
            eating_disorder_allowed_team_types=strings(ed, "allowed_team_types"),
            psychosis_reasons=strings(psychosis, "reasons"),
            eip_team_types=strings(psychosis, "team_types"),
            excluded_team_types=strings("excluded_team_types", "team_types"),
            earliest_spell_start=earliest,
        )

    def exclusion(self, referral: Referral, child: Child) -> str | None:
        """The name of the first filter that excludes ``referral``, or ``None`` if it is kept."""
        priority = referral.priority.code if referral.priority is not None else None
        tests = {
            "age_at_referral": not self.min_age
            <= child.age_on(referral.received_date)
            <= self.max_age,
            "residence": bool(child.la_district)
            and not str(child.la_district).startswith(self.residence_prefix),
            "digital_providers": referral.provider_code in self.digital_providers,
            "urgent_single_point_of_access": referral.team_type in self.spa_team_types
            and priority in self.urgent_priorities,
            "eating_disorder_outside_spa_and_mhst": referral.primary_reason
            in self.eating_disorder_reasons
            and referral.team_type not in self.eating_disorder_allowed_team_types,
            "first_episode_psychosis_to_eip": referral.primary_reason in self.psychosis_reasons
            and referral.team_type in self.eip_team_types,
            "excluded_team_types": referral.team_type in self.excluded_team_types,
        }
        for name in self.FILTERS:
            if name not in self.disabled and tests[name]:
                return name
        return None

    def excluded_frame(self) -> nw.Expr:
        """:meth:`exclusion` on the dataframe engine: whether an enabled filter leaves a row out.

        The row is a referral with its child's ``birth_date_ymd`` and
        ``la_district``; the same filters, clause by clause.
        """
        of_age = fx.aged(
            nw.col("birth_date_ymd"), nw.col("received_date_ymd"), self.min_age, self.max_age
        )
        district = nw.col("la_district").fill_null("")
        team, reason = nw.col("team_type"), nw.col("primary_reason")
        tests = {
            "age_at_referral": ~of_age,
            "residence": (district != "") & ~district.str.starts_with(self.residence_prefix),
            "digital_providers": fx.in_list(nw.col("provider_code"), self.digital_providers),
            "urgent_single_point_of_access": fx.in_list(team, self.spa_team_types)
            & fx.in_list(nw.col("priority"), self.urgent_priorities),
            "eating_disorder_outside_spa_and_mhst": fx.in_list(reason, self.eating_disorder_reasons)
            & ~fx.in_list(team, self.eating_disorder_allowed_team_types),
            "first_episode_psychosis_to_eip": fx.in_list(reason, self.psychosis_reasons)
            & fx.in_list(team, self.eip_team_types),
            "excluded_team_types": fx.in_list(team, self.excluded_team_types),
        }
        enabled = [tests[name] for name in self.FILTERS if name not in self.disabled]
        return fx.any_of([fx.never(nw.col("referral_id")), *enabled])


@functools.cache
def _default_interventions() -> InterventionCodes:
    text = _PACKAGE_DATA.joinpath("intervention_codes.txt").read_text("utf-8")
    return InterventionCodes._parse(text.splitlines(), "cypmh/pathways/data/intervention_codes.txt")


@functools.cache
def _default_cohort() -> FourWeekCohort:
    text = _PACKAGE_DATA.joinpath("four_week_cohort.toml").read_text("utf-8")
    return FourWeekCohort.from_toml(text, source="cypmh/pathways/data/four_week_cohort.toml")
