"""Breakdown levels: each member's level of each breakdown, on both engines, side by side.

:func:`level_reader` gives an observation's level over the area's records (the
reference engine); :func:`with_levels` adds the same levels as columns of the
dataframe engine's members. The levels: age band on the member's age day,
gender, upper ethnicity in the month, provider, school link, social-care status
on the status day, THRIVE grouping, and a referral member's source of referral
and team type. The frame half reads narwhals and the frame helpers on first use,
so the reference engine imports this module without the frames extra.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from cypmh.codes import (
    UNKNOWN_ETHNICITY,
    UNKNOWN_GENDER,
    SocialCareStatus,
    SocialWorkType,
    age_band,
    age_bands,
    ethnic_categories,
    gender_level,
    publication_genders,
    upper_ethnicity,
    wnw_ethnicity,
)
from cypmh.codes.deprivation import IMD_BREAKDOWNS, imd_level
from cypmh.codes.groupings import Grouping
from cypmh.errors import InvalidValueError
from cypmh.metrics.families.lazy import fs, fx, nw
from cypmh.metrics.families.members import Context, Observation
from cypmh.metrics.families.school_links import working_schools
from cypmh.metrics.joint import joint_parts, joint_separator
from cypmh.metrics.results import (
    NO_SCHOOL_RECORDED,
    NO_WORKING_LINK,
    WORKING_LINK,
)
from cypmh.model.groupings import GroupingSource
from cypmh.periods import uniq_month_id
from cypmh.thrive.timeline import NO_GROUPING, grouping_level, level_of

if TYPE_CHECKING:
    from cypmh.metrics.blocks.bases import FrameContext

    Frame = nw.LazyFrame[Any]

__all__ = [
    "REFERRAL_CODES",
    "UNKNOWN",
    "grouping_of_children",
    "level_reader",
    "thrive_of_children",
    "with_levels",
]


UNKNOWN = "Unknown"

REFERRAL_CODES = {
    "referral_source": "source",
    "team_type": "team_type",
    "referral_reason": "primary_reason",
}
"""The breakdowns that are a code of the member's referral, each with its
:class:`~cypmh.model.Referral` field."""


def level_reader(ctx: Context, breakdown: str) -> Callable[[Observation], str]:
    """A function giving each observation's level in ``breakdown`` (a joint one too)."""
    parts = joint_parts(breakdown)
    if parts is not None:
        of_parts = [level_reader(ctx, part) for part in parts]
        joiner = joint_separator(breakdown)
        return lambda obs: joiner.join(read(obs) for read in of_parts)
    area = ctx.area
    month_id = uniq_month_id(ctx.period_end)

    def person_level(obs: Observation, read: Callable[[str], str | None]) -> str:
        if breakdown in obs.levels:
            return obs.levels[breakdown]
        if obs.person_id is None:
            return UNKNOWN
        return read(obs.person_id) or UNKNOWN

    def age(obs: Observation) -> str:
        def read(pid: str) -> str | None:
            day = obs.age_date or ctx.period_end
            child = area.child(pid)
            band = age_band(child.age_on(day)) if day >= child.birth_date else None
            return band.label if band is not None else "18 or over"

        return person_level(obs, read)

    def status(obs: Observation) -> str:
        day: date = obs.status_date or ctx.period_end
        return person_level(obs, lambda pid: area.social_care_status(pid, day).value)

    def school(obs: Observation) -> str:
        def read(pid: str) -> str:
            urn = area.child(pid).school_urn
            if urn is None:
                return NO_SCHOOL_RECORDED
            return WORKING_LINK if area.has_working_link(urn, ctx.period_end) else NO_WORKING_LINK

        return person_level(obs, read)

    def thrive(obs: Observation) -> str:
        return person_level(
            obs, lambda pid: grouping_level(area.grouping_in_force(pid, ctx.period_end))
        )

    if breakdown in IMD_BREAKDOWNS:
        lookup = deprivation_of(ctx.options, ctx.period_end)
        column = lookup.about.lsoa_column

        def imd(pid: str) -> str:
            child = area.child(pid)
            lsoa = child.lsoa if column == "LSOA2011" else child.lsoa2021
            return imd_level(breakdown, lookup.decile(lsoa))

        return lambda obs: person_level(obs, imd)

    if breakdown in REFERRAL_CODES:
        # A referral member's record is its referral id; any other member has no referral.
        field = REFERRAL_CODES[breakdown]
        codes = {referral.referral_id: getattr(referral, field) for referral in area.referrals}
        return lambda obs: (codes.get(obs.record) if obs.record is not None else None) or UNKNOWN

    readers: dict[str, Callable[[Observation], str]] = {
        "age_band": age,
        # The publication's gender level: Gender 1, 2 or 9, else UNKNOWN (a missing one too).
        "sex": lambda o: (
            o.levels.get("sex")
            or gender_level(None if o.person_id is None else area.child(o.person_id).gender)
        ),
        "ethnicity": lambda o: person_level(
            o, lambda pid: upper_ethnicity(area.child(pid).ethnic_category, month_id)
        ),
        "wnw_ethnicity": lambda o: person_level(
            o, lambda pid: wnw_ethnicity(area.child(pid).ethnic_category, month_id)
        ),
        "social_care": status,
        "provider": lambda o: o.levels.get("provider") or o.provider_code or UNKNOWN,
        "school_link": school,
        "thrive": thrive,
        "by": lambda o: o.levels.get("by", UNKNOWN),
    }
    return readers[breakdown]


def deprivation_of(options: Any, day: date) -> Any:
    """The deprivation release the month of ``day`` reads; an error where none was given."""
    lookup = options.deprivation_for(day)
    if lookup is None:
        raise InvalidValueError(
            "breakdown",
            "imd",
            None,
            "the IMD breakdowns need a deprivation file: pass "
            "options=MetricOptions(deprivation=cypmh.read_deprivation(...))",
        )
    return lookup


# The same levels on the dataframe engine.


def imd_level_frame(ctx: FrameContext, breakdown: str) -> nw.Expr:
    """As the reference's IMD levels: the level of the decile of the person's LSOA.

    The release the month reads gives the LSOA column (``lsoa`` of 2011, or
    ``lsoa2021``); each level is the LSOAs of its deciles, as a list.
    """
    lookup = deprivation_of(ctx.options, ctx.month.last_day)
    column = nw.col("lsoa" if lookup.about.lsoa_column == "LSOA2011" else "lsoa2021")
    by_level: dict[str, list[str]] = {}
    for lsoa, decile in sorted(lookup.deciles.items()):
        by_level.setdefault(imd_level(breakdown, decile), []).append(lsoa)
    chain: Any = nw.when(nw.col("person_id").is_null()).then(nw.lit(UNKNOWN))
    for level, members in by_level.items():
        chain = chain.when(fx.in_list(column, members)).then(nw.lit(level))
    level_expr: nw.Expr = chain.otherwise(nw.lit(imd_level(breakdown, None)))
    return level_expr


def age_band_level(ctx: FrameContext) -> nw.Expr:
    """As the reference's age level: the band on the age day, or ``18 or over``."""
    on = nw.col("age_ymd").fill_null(ctx.end_ymd)
    birth = nw.col("birth_date_ymd")
    age = (on - birth) // 10000
    over = nw.lit("18 or over")
    chain: Any = nw.when(nw.col("person_id").is_null()).then(nw.lit(UNKNOWN))
    chain = chain.when((on < birth).fill_null(False)).then(over)
    for band in age_bands():
        chain = chain.when(((age >= band.from_age) & (age <= band.to_age)).fill_null(False))
        chain = chain.then(nw.lit(band.label))
    band_level: nw.Expr = chain.otherwise(over)
    return band_level


def person_text(column: str, key: str = "person_id") -> nw.Expr:
    """``column``'s text, or ``Unknown`` where it or the member's ``key`` is missing or empty."""
    value = nw.col(column)
    return (
        nw.when(nw.col(key).is_null() | value.is_null() | (value == "").fill_null(False))
        .then(nw.lit(UNKNOWN))
        .otherwise(value)
    )


def gender_level_frame() -> nw.Expr:
    """As the reference's gender level (:func:`cypmh.codes.gender_level`)."""
    kept = sorted(publication_genders())
    return (
        nw.when(~nw.col("person_id").is_null() & fx.in_list(nw.col("gender"), kept))
        .then(nw.col("gender"))
        .otherwise(nw.lit(UNKNOWN_GENDER))
    )


def _ethnicity_group_level(ctx: FrameContext, group_of: Callable[[str, int], str]) -> nw.Expr:
    """Each member's group of their ethnic category in the month (``group_of``), as a chain."""
    month = uniq_month_id(ctx.month.last_day)
    groups: dict[str, list[str]] = {}
    for value in sorted(ethnic_categories().codes(month)):
        groups.setdefault(group_of(value, month), []).append(value)
    code = nw.col("ethnic_category")
    chain: Any = nw.when(nw.col("person_id").is_null()).then(nw.lit(UNKNOWN))
    for group, members in sorted(groups.items()):
        chain = chain.when(fx.in_list(code, members)).then(nw.lit(group))
    level: nw.Expr = chain.otherwise(nw.lit(UNKNOWN_ETHNICITY))
    return level


def wnw_ethnicity_level(ctx: FrameContext) -> nw.Expr:
    """As the reference's WNW level: :func:`cypmh.codes.wnw_ethnicity` in the month."""
    return _ethnicity_group_level(ctx, wnw_ethnicity)


def upper_ethnicity_level(ctx: FrameContext) -> nw.Expr:
    """As the reference's ethnicity level: :func:`cypmh.codes.upper_ethnicity` in the month."""
    return _ethnicity_group_level(ctx, upper_ethnicity)


def with_social_care(ctx: FrameContext, frame: Frame) -> Frame:
    """``frame`` with each member's social-care status on their status day (``social_care``)."""
    frame = frame.with_columns(nw.col("status_day").fill_null(ctx.end).alias("status_on"))
    keys = fs.settle(
        frame.filter(~nw.col("person_id").is_null()).select("person_id", "status_on").unique()
    )

    def covering(table: Frame) -> Frame:
        return keys.join(table, on="person_id", how="inner").filter(
            nw.col("start") <= nw.col("status_on"),
            (nw.col("end") >= nw.col("status_on")).fill_null(True),
        )

    looked_after = (
        covering(ctx["care_episodes"])
        .select("person_id", "status_on")
        .unique()
        .with_columns(nw.lit(1).alias("la"))
    )
    # Flags first, then a plain maximum: an elementary aggregation on every backend.
    work = (
        covering(ctx["social_work"])
        .with_columns(
            (nw.col("kind") == SocialWorkType.CHILD_PROTECTION_PLAN.value)
            .cast(nw.Int64)
            .alias("cpp"),
            (nw.col("kind") == SocialWorkType.CHILD_IN_NEED.value).cast(nw.Int64).alias("cin"),
        )
        .group_by("person_id", "status_on")
        .agg(nw.col("cpp").max(), nw.col("cin").max())
    )
    statuses = keys.join(looked_after, on=["person_id", "status_on"], how="left").join(
        work, on=["person_id", "status_on"], how="left"
    )
    status = (
        nw.when((nw.col("la") == 1).fill_null(False))
        .then(nw.lit(SocialCareStatus.LOOKED_AFTER.value))
        .when((nw.col("cpp") == 1).fill_null(False))
        .then(nw.lit(SocialCareStatus.CHILD_PROTECTION_PLAN.value))
        .when((nw.col("cin") == 1).fill_null(False))
        .then(nw.lit(SocialCareStatus.CHILD_IN_NEED.value))
        .otherwise(nw.lit(SocialCareStatus.NONE.value))
    )
    statuses = fs.settle(statuses.select("person_id", "status_on", status.alias("social_care")))
    joined = frame.join(statuses, on=["person_id", "status_on"], how="left")
    return joined.with_columns(nw.col("social_care").fill_null(UNKNOWN))


def with_levels(ctx: FrameContext, frame: Frame, wanted: Iterable[str]) -> Frame:
    """``frame`` (a population) with a column per wanted breakdown giving each member's level."""
    wanted = set(wanted)
    # The member's person id as the tables hold it: text, or coded (cypmh.tables.coded).
    person_type = ctx["children"].collect_schema()["person_id"]
    frame = frame.with_columns(nw.col("person_id").cast(person_type))
    imd = [name for name in IMD_BREAKDOWNS if name in wanted]
    if wanted & {"age_band", "sex", "ethnicity", "wnw_ethnicity", "school_link", *imd}:
        lsoas = ("lsoa", "lsoa2021") if imd else ()
        children = ctx["children"].select(
            "person_id", "birth_date_ymd", "gender", "ethnic_category", "school_urn", *lsoas
        )
        frame = frame.join(children, on="person_id", how="left")
    levels: dict[str, nw.Expr] = {}
    if "age_band" in wanted:
        levels["age_band"] = age_band_level(ctx)
    if "sex" in wanted:
        levels["sex"] = gender_level_frame()
    if "ethnicity" in wanted:
        levels["ethnicity"] = upper_ethnicity_level(ctx)
    if "wnw_ethnicity" in wanted:
        levels["wnw_ethnicity"] = wnw_ethnicity_level(ctx)
    for name in imd:
        levels[name] = imd_level_frame(ctx, name)
    if "provider" in wanted:
        levels["provider"] = nw.col("provider_code").fill_null(UNKNOWN)
    if "school_link" in wanted:
        # A name no base uses (the schools base of LINK01 has its own ``working``).
        working = working_schools(ctx, ctx.end).with_columns(
            nw.lit(1).alias("child_school_working")
        )
        frame = frame.join(working, on="school_urn", how="left")
        levels["school_link"] = (
            nw.when(~nw.col("school_link").is_null())
            .then(nw.col("school_link"))
            .when(nw.col("person_id").is_null())
            .then(nw.lit(UNKNOWN))
            .when(nw.col("school_urn").is_null())
            .then(nw.lit(NO_SCHOOL_RECORDED))
            .when((nw.col("child_school_working") == 1).fill_null(False))
            .then(nw.lit(WORKING_LINK))
            .otherwise(nw.lit(NO_WORKING_LINK))
        )
    if "social_care" in wanted:
        frame = with_social_care(ctx, frame)
        levels["social_care"] = nw.col("social_care")
    if "thrive" in wanted:
        known = nw.lit(NO_GROUPING)
        if "groupings" in ctx.tables:
            frame = frame.join(thrive_of_children(ctx), on="person_id", how="left")
            known = nw.col("thrive_level").fill_null(NO_GROUPING)
        levels["thrive"] = (
            nw.when(nw.col("person_id").is_null()).then(nw.lit(UNKNOWN)).otherwise(known)
        )
    if "by" in wanted:
        levels["by"] = nw.col("by_level").fill_null(UNKNOWN)
    referral_codes = [name for name in REFERRAL_CODES if name in wanted]
    if referral_codes:
        record_type = frame.collect_schema()["record"]
        codes = ctx["referrals"].select(
            nw.col("referral_id").cast(record_type).alias("record"),
            *(nw.col(REFERRAL_CODES[name]).alias(f"referral_{name}") for name in referral_codes),
        )
        frame = frame.join(codes, on="record", how="left")
        for name in referral_codes:
            levels[name] = person_text(f"referral_{name}", key="record")
    if not levels:
        return frame
    return frame.with_columns(**{f"level_{name}": expr for name, expr in levels.items()})


def _latest_groupings(ctx: FrameContext) -> Frame:
    """Each child's grouping records in force at the period end (``grouping``, ``source``).

    :func:`cypmh.thrive.grouping_in_force` on frames: the groupings table as
    at the period end, without the suggestions dated on or after the child's
    first agreed grouping, then the latest record (more than one only where
    tables not checked as an area's hold two for a child on one day).
    """
    records = ctx["groupings"]
    agreed = nw.col("source") == GroupingSource.AGREED.value
    first_agreed = (
        records.filter(agreed)
        .group_by("person_id")
        .agg(nw.col("from_date").min().alias("first_agreed"))
    )
    effective = records.join(first_agreed, on="person_id", how="left").filter(
        agreed | nw.col("first_agreed").is_null() | (nw.col("from_date") < nw.col("first_agreed"))
    )
    latest = effective.group_by("person_id").agg(nw.col("from_date").max().alias("latest"))
    return effective.join(latest, on="person_id", how="inner").filter(
        nw.col("from_date") == nw.col("latest")
    )


def thrive_of_children(ctx: FrameContext) -> Frame:
    """Each child's ``thrive`` level at the period end (``thrive_level``), one row per child.

    The record in force (:func:`_latest_groupings`); where two are, the first level
    in alphabetical order is taken (an area refuses such records).
    """
    chain: Any = nw
    for grouping in Grouping:
        for source in GroupingSource:
            chain = chain.when(
                (nw.col("grouping") == grouping.value) & (nw.col("source") == source.value)
            ).then(nw.lit(level_of(grouping, source)))
    level: nw.Expr = chain.otherwise(nw.lit(NO_GROUPING))
    return fs.settle(
        _latest_groupings(ctx)
        .with_columns(level.alias("thrive_level"))
        .group_by("person_id")
        .agg(nw.col("thrive_level").min())
    )


def grouping_of_children(ctx: FrameContext) -> Frame:
    """Each child's THRIVE grouping in force at the period end (``thrive_grouping``), if any.

    The grouping's value (:class:`~cypmh.codes.groupings.Grouping`), agreed or
    suggested, of the record :func:`thrive_of_children` reads.
    """
    return (
        _latest_groupings(ctx)
        .group_by("person_id")
        .agg(nw.col("grouping").min().alias("thrive_grouping"))
    )
