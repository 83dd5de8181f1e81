"""A KPI file's bases over the dataframe engine's tables, and each declared KPI's population.

The twin of :mod:`cypmh.metrics.kpis.rows`, written beside it: each base is a frame of
one row per record, as at the period end, whose columns are the base's
(:data:`~cypmh.metrics.kpis.bases.BASES`): the contract's names, and the derived
columns worked out here as the reference works them out. A date column holds its day
number with ``<column>_ymd`` beside it, as the clause compiler reads dates
(:mod:`cypmh.clauses.compile`). The generative agreement test holds the two equal.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import narwhals as nw

from cypmh.clauses import compile as fc
from cypmh.codes import SocialCareStatus
from cypmh.io.rules.activity import CONTACT_COLUMNS
from cypmh.io.rules.people import CHILD_COLUMNS
from cypmh.io.rules.referrals import REFERRAL_COLUMNS
from cypmh.metrics.blocks import bases as fb
from cypmh.metrics.blocks.bases import FrameContext, FrameFamily
from cypmh.metrics.definition import DeclaredKpi
from cypmh.metrics.families.first_contact_waits import first_counted_contacts
from cypmh.metrics.families.school_links import linked_on_receipt
from cypmh.metrics.kpis.bases import BASES, KpiBase
from cypmh.metrics.levels import grouping_of_children, with_social_care
from cypmh.metrics.results import NO_WORKING_LINK, WORKING_LINK
from cypmh.pathways.looked_after import periods_of_care_frame
from cypmh.tables import exprs as fx
from cypmh.tables.schema import TABLES, Kind

__all__ = ["ANCHOR", "base_frame", "frames"]

Frame = nw.LazyFrame[Any]
col = nw.col

ANCHOR = {"referrals": "referral_id", "contacts": "contact_id", "children": "person_id"}
"""The id column each base frame keeps beside the base's own (the member's record)."""


_BIRTH = (
    col("birth_date").alias("PersonBirthDate"),
    col("birth_date_ymd").alias("PersonBirthDate_ymd"),
)
"""The child's birth date, as the bases name it."""


def _renamed(table: str, names: Mapping[str, str], base: KpiBase) -> list[nw.Expr]:
    """The table's columns the base has, under the contract's names (dates with ``_ymd``)."""
    kinds = TABLES[table]
    found = []
    for field, contract in names.items():
        if field not in kinds or base.column(contract) is None:
            continue
        found.append(col(field).alias(contract))
        if kinds[field] is Kind.DATE:
            found.append(col(f"{field}_ymd").alias(f"{contract}_ymd"))
    return found


def _status(ctx: FrameContext, frame: Frame, day: str | None) -> Frame:
    """``frame`` with ``social_care_status`` on the day in column ``day`` (else the period end)."""
    marked = frame.with_columns(
        (col(day) if day is not None else nw.lit(ctx.end)).alias("status_day")
    )
    return with_social_care(ctx, marked).with_columns(
        col("social_care").fill_null(SocialCareStatus.NONE.value).alias("social_care_status")
    )


def _grouping(ctx: FrameContext, frame: Frame) -> Frame:
    """``frame`` with ``thrive_grouping``: the child's grouping in force at the period end."""
    if "groupings" not in ctx.tables:
        return frame.with_columns(nw.lit(None, dtype=nw.String).alias("thrive_grouping"))
    return frame.join(grouping_of_children(ctx), on="person_id", how="left")


def _referrals(ctx: FrameContext) -> Frame:
    base = BASES["referrals"]
    children = ctx["children"].select("person_id", "birth_date", "birth_date_ymd", "school_urn")
    referrals = ctx["referrals"].join(children, on="person_id", how="left")
    received, birth = col("received_date_ymd"), col("birth_date_ymd")
    frame = (
        referrals.join(
            first_counted_contacts(ctx, referrals, ymd=True), on="referral_id", how="left"
        )
        .join(linked_on_receipt(ctx, referrals), on="referral_id", how="left")
        .with_columns(
            nw.when(received >= birth).then(fx.age_years(birth, received)).alias("age_at_referral"),
            nw.when(col("linked").fill_null(False))
            .then(nw.lit(WORKING_LINK))
            .otherwise(nw.lit(NO_WORKING_LINK))
            .alias("school_link_kpi"),
        )
    )
    frame = _grouping(ctx, _status(ctx, frame, "received_date"))
    return frame.select(
        "referral_id",
        "person_id",
        "provider_code",
        "received_date",
        "received_date_ymd",
        *_renamed("referrals", REFERRAL_COLUMNS, base),
        *_BIRTH,
        "age_at_referral",
        col("first").alias("first_contact_date"),
        col("first_ymd").alias("first_contact_date_ymd"),
        "social_care_status",
        "thrive_grouping",
        col("school_link_kpi").alias("school_link"),
    )


def _contacts(ctx: FrameContext) -> Frame:
    base = BASES["contacts"]
    referrals = ctx["referrals"].select(
        "referral_id", col("person_id").alias("referral_person"), "provider_code"
    )
    children = ctx["children"].select(
        col("person_id").alias("referral_person"), "birth_date", "birth_date_ymd"
    )
    counted = fb.counted_contacts(ctx).select("contact_id", "counted")
    frame = (
        ctx["contacts"]
        .join(referrals, on="referral_id", how="inner")
        .join(children, on="referral_person", how="left")
        .join(counted, on="contact_id", how="left")
        .drop("person_id")
        .rename({"referral_person": "person_id"})
    )
    frame = _status(ctx, frame, "date")
    columns = {k: v for k, v in CONTACT_COLUMNS.items() if k != "procedures"}
    return frame.select(
        "contact_id",
        "person_id",
        "provider_code",
        "date",
        "date_ymd",
        *_renamed("contacts", columns, base),
        *_BIRTH,
        col("counted").fill_null(False).alias("counted"),
        "social_care_status",
    )


def _children(ctx: FrameContext) -> Frame:
    base = BASES["children"]
    periods = periods_of_care_frame(ctx["care_episodes"]).filter(col("start") <= ctx.end)
    care = periods.group_by("person_id").agg(
        col("start").max().alias("care_start"), col("start_ymd").max().alias("care_start_ymd")
    )
    assessed = (
        ctx["wellbeing_assessments"]
        .join(care, on="person_id", how="inner")
        .filter(col("date") >= col("care_start"), col("date") <= ctx.end)
        .group_by("person_id")
        .agg(
            col("date").min().alias("assessment_date"),
            col("date_ymd").min().alias("assessment_date_ymd"),
        )
    )
    frame = (
        ctx["children"]
        .join(care, on="person_id", how="left")
        .join(assessed, on="person_id", how="left")
    )
    frame = _grouping(ctx, _status(ctx, frame, None))
    return frame.select(
        "person_id",
        *_renamed("children", CHILD_COLUMNS, base),
        "social_care_status",
        "thrive_grouping",
        "care_start",
        "care_start_ymd",
        "assessment_date",
        "assessment_date_ymd",
    )


_BASES = {"referrals": _referrals, "contacts": _contacts, "children": _children}


def base_frame(ctx: FrameContext, base: str) -> Frame:
    """Every row of ``base`` as at the period end, with the base's columns (and its ids)."""
    return _BASES[base](ctx)


def _population(kpi: DeclaredKpi, ctx: FrameContext) -> fb.Population:
    anchor = ANCHOR[kpi.base]
    value: nw.Expr | None = None
    if kpi.of is not None:
        compiled = fc.value(kpi.of, ctx.month)
        if isinstance(compiled, nw.Expr):
            value = compiled
        else:  # the same on every row: a whole number, or missing
            fixed = compiled.value if isinstance(compiled.value, int | float) else None
            value = nw.lit(fixed, dtype=nw.Float64)
    return fb.Population(
        member=fc.condition(kpi.member, ctx.month, anchor=anchor),
        numerator=None
        if kpi.numerator is None
        else fc.condition(kpi.numerator, ctx.month, anchor=anchor),
        value=value,
    )


def frames(ctx: FrameContext) -> FrameFamily:
    """The declared KPIs of ``ctx``'s options over frames: a base per base and ``by`` column."""
    groups: dict[tuple[str, str | None], dict[str, fb.Population]] = {}
    for kpi in ctx.options.kpis:
        groups.setdefault((kpi.base, kpi.by), {})[kpi.id] = _population(kpi, ctx)
    made: dict[str, Frame] = {}
    found: FrameFamily = []
    for (base, by), populations in groups.items():
        if base not in made:
            made[base] = ctx.kept(f"kpi_base:{base}", functools.partial(base_frame, ctx, base))
        frame = made[base]
        by_level = None if by is None else col(by).cast(nw.String)
        if base == "referrals":
            fields = {} if by_level is None else {"by_level": by_level}
            found.append(fb.of_referral(frame, populations, **fields))
            continue
        contact = base == "contacts"
        found.append(
            fb.base(
                frame,
                populations,
                person=col("person_id"),
                provider=col("provider_code") if contact else None,
                age_ymd=col("date_ymd") if contact else None,
                status_day=col("date") if contact else None,
                record=col("contact_id") if contact else col("person_id"),
                by_level=by_level,
            )
        )
    return found
