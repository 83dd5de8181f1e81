"""The families of :mod:`cypmh.metrics.families`, written as narwhals queries.

Each function here returns the same populations as the reference family of
the same name, as lazy frames with the columns of :data:`OBSERVATION`:
one row per member. Their docstrings name the reference; the definition
(and its source) is the reference family's docstring, which this code
follows clause by clause.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

import attrs
import narwhals as nw

from cypmh import codes
from cypmh.codes import (
    AssessmentTool,
    AttendanceClass,
    AttendStatus,
    ClinicalPriority,
    EdPriorityGroup,
    Rater,
    RejectionReason,
    ScoreDirection,
    SdqBand,
)
from cypmh.codes._tables import read_table
from cypmh.metrics.families import (
    ED_FROM,
    ED_TEAMS_EXCLUDED,
    OUTCOME_TEAMS_EXCLUDED,
    OUTCOMES_FROM,
    WAITS_FROM,
    MetricOptions,
    last_31_march,
)
from cypmh.metrics.frames.exprs import (
    aged,
    any_of,
    cyp_at,
    day_number,
    in_list,
    in_range,
    month_end_ymd,
    month_id,
    valid_code,
    with_added_months,
    ymd_number,
)
from cypmh.metrics.frames.settle import settle, store
from cypmh.metrics.outcomes import Change
from cypmh.pathways import (
    EATING_DISORDER_REASON,
    FOUR_WEEKS_DAYS,
    JOIN_WITHIN_DAYS,
    TARGET_DAYS,
    FourWeekCohort,
    InterventionCodes,
)
from cypmh.pathways.looked_after import add_months as add_calendar_months
from cypmh.periods import Month, RollingMonths

__all__ = ["FRAME_FAMILIES", "OBSERVATION", "Base", "FrameContext", "Population"]

Frame = nw.LazyFrame[Any]
FrameFamily = list["Base"]

OBSERVATION = ("person_id", "provider_code", "age_ymd", "status_day", "school_link")
"""The columns every base frame has (as in :class:`~cypmh.metrics.families.Observation`).

``age_ymd`` is the day the age band is taken on (``YYYYMMDD``),
``status_day`` the day of the social-care status (a day number); either
may be missing, meaning the period end. ``school_link`` fixes the member's
level of that breakdown where the family does.
"""


@attrs.frozen(kw_only=True)
class Population:
    """One population over a base frame: which rows are members, their value and numerator.

    The expressions are over the base frame's columns.
    """

    member: nw.Expr = attrs.field(factory=lambda: nw.lit(True))
    value: nw.Expr | None = None
    numerator: nw.Expr | None = None


@attrs.frozen(kw_only=True)
class Base:
    """A frame of candidate members (one row each) and the populations drawn from it.

    A family's populations are declared over as few bases as possible, so
    that each query runs once however many populations it feeds.
    """

    frame: Frame
    populations: Mapping[str, Population]


@attrs.frozen(kw_only=True)
class FrameContext:
    """The prepared tables, the reporting month and the options."""

    tables: Mapping[str, Frame]
    month: Month
    options: MetricOptions
    _kept: dict[str, Frame] = attrs.field(factory=dict, init=False, eq=False, repr=False)

    def kept(self, name: str, make: Callable[[], Frame]) -> Frame:
        """The part ``name`` that several families read, made and stored the first time."""
        if name not in self._kept:
            self._kept[name] = store(make())
        return self._kept[name]

    @property
    def end(self) -> int:
        """The period end's day number."""
        return day_number(self.month.last_day)

    @property
    def end_ymd(self) -> int:
        """The period end as ``YYYYMMDD``."""
        return ymd_number(self.month.last_day)

    def window(self, months: int) -> tuple[int, int]:
        """First and last day numbers of the ``months`` months ending with the month."""
        window = RollingMonths(last=self.month, months=months)
        return day_number(window.start), day_number(window.end)

    def __getitem__(self, name: str) -> Frame:
        """A prepared table by name."""
        return self.tables[name]


def col(name: str) -> nw.Expr:
    """A column (short for :func:`narwhals.col`)."""
    return nw.col(name)


def _base(
    frame: Frame,
    populations: Mapping[str, Population],
    *,
    person: nw.Expr | None,
    provider: nw.Expr | None,
    age_ymd: nw.Expr | None,
    status_day: nw.Expr | None,
    school_link: nw.Expr | None = None,
) -> Base:
    pandas = frame.implementation.is_pandas()

    def typed(expr: nw.Expr | None, dtype: Any) -> nw.Expr:
        if expr is None and pandas and dtype == nw.Int64:
            # pandas makes a missing whole-number literal a numpy integer and fails:
            # a missing float compares and joins the same.
            return nw.lit(None, dtype=nw.Float64)
        return (nw.lit(None, dtype=dtype) if expr is None else expr).cast(dtype)

    standard = frame.with_columns(
        typed(person, nw.String).alias("person_id"),
        typed(provider, nw.String).alias("provider_code"),
        typed(age_ymd, nw.Int64).alias("age_ymd"),
        typed(status_day, nw.Int64).alias("status_day"),
        typed(school_link, nw.String).alias("school_link"),
    )
    return Base(frame=standard, populations=populations)


def _of_referral(frame: Frame, populations: Mapping[str, Population], **fields: nw.Expr) -> Base:
    """A base of referrals: age and status on the day received, unless given."""
    fields.setdefault("age_ymd", col("received_date_ymd"))
    fields.setdefault("status_day", col("received_date"))
    return _base(
        frame, populations, person=col("person_id"), provider=col("provider_code"), **fields
    )


def _with_child(ctx: FrameContext) -> Frame:
    children = ctx["children"].select("person_id", "birth_date_ymd", "la_district")
    return ctx["referrals"].join(children, on="person_id", how="inner")


def _english_or_unknown() -> nw.Expr:
    district = col("la_district").fill_null("")
    return (district == "") | district.str.starts_with("E")


def _cyp_referrals(ctx: FrameContext, *, english: bool = True) -> Frame:
    """As the reference's ``_cyp_referrals``: received by the period end, 0-17 when received."""
    frame = _with_child(ctx).filter(cyp_at(col("birth_date_ymd"), col("received_date_ymd")))
    return frame.filter(_english_or_unknown()) if english else frame


def _attend_codes(*classes: AttendanceClass) -> list[str]:
    return [status.value for status in AttendStatus if status.attendance in classes]


def counted(options: MetricOptions, month: nw.Expr) -> nw.Expr:
    """A contact row (with its referral's ``provider_code``) is a counted contact.

    As :meth:`cypmh.pathways.ContactRule.counts`: attended, through a
    mechanism that counts in the contact's month (digital-only mechanisms for
    the digital providers only). ``month`` is the contact's ``UniqMonthID``.
    """
    mechanisms = codes.consultation_mechanisms()
    mechanism = col("consultation_mechanism")
    everyone = valid_code(mechanisms, mechanism, month, lambda e: e.group == "yes")
    digital = valid_code(mechanisms, mechanism, month, lambda e: e.group == "digital_only")
    providers = options.contact_rule.digital_providers
    return in_list(col("attend_status"), _attend_codes(AttendanceClass.ATTENDED)) & (
        everyone | (digital & in_list(col("provider_code"), providers))
    )


def counted_contacts(ctx: FrameContext) -> Frame:
    """Every contact, with ``counted`` (:func:`counted`): made once and stored.

    Access, first-contact waits, four-week waits and outcomes all read it,
    so the rule is worked out once per computation, over every contact. A
    contact whose referral is not in the table is not counted.
    """

    def make() -> Frame:
        providers = ctx["referrals"].select("referral_id", "provider_code")
        # The month first, as a column: the rule reads it once for each code's dates.
        return (
            _contacts(ctx)
            .join(providers, on="referral_id", how="left")
            .with_columns(month_id(col("date_ymd")).alias("month"))
            .select(
                "contact_id",
                "referral_id",
                "date",
                "date_ymd",
                counted(ctx.options, col("month")).alias("counted"),
            )
        )

    return ctx.kept("counted_contacts", make)


def _contacts(ctx: FrameContext) -> Frame:
    return ctx["contacts"].select(
        "contact_id", "referral_id", "date", "date_ymd", "attend_status", "consultation_mechanism"
    )


def access(ctx: FrameContext) -> FrameFamily:
    """MHS95, as :func:`cypmh.metrics.families.access`."""
    start, end = ctx.window(12)
    referrals = _cyp_referrals(ctx).select(
        "referral_id", "person_id", "provider_code", "received_date_ymd", "birth_date_ymd"
    )
    columns = ("person_id", "provider_code", "received_date_ymd", "referral_id")
    direct = (
        counted_contacts(ctx)
        .filter(col("counted"), in_range(col("date"), start, end))
        .join(referrals, on="referral_id", how="inner")
        .filter(cyp_at(col("birth_date_ymd"), col("date_ymd")))
        .select(*columns, col("date").alias("day"), "contact_id")
    )
    indirect = (
        ctx["indirect_activities"]
        .select("referral_id", "date", "date_ymd")
        .filter(in_range(col("date"), start, end))
        .join(referrals, on="referral_id", how="inner")
        .filter(cyp_at(col("birth_date_ymd"), month_end_ymd(col("date_ymd"))))
        .select(*columns, col("date").alias("day"), nw.lit("").alias("contact_id"))
    )
    # Each person's earliest day, then the smallest "referral/contact" on it (the
    # reference's tie-break), written only for the rows on that day.
    days = nw.concat([direct, indirect])
    on_first = days.filter(col("day") == col("day").min().over("person_id")).with_columns(
        nw.concat_str([col("referral_id"), nw.lit("/"), col("contact_id")]).alias("tie")
    )
    chosen = on_first.filter(col("tie") == col("tie").min().over("person_id")).unique(
        ["person_id"], keep="any"
    )
    return [_of_referral(chosen, {"access": Population()}, status_day=nw.lit(ctx.end))]


def first_contact_waits(ctx: FrameContext) -> FrameFamily:
    """MHS130-MHS135, as :func:`cypmh.metrics.families.first_contact_waits`."""
    start, end = ctx.window(3)
    referrals = _cyp_referrals(ctx).filter(col("received_date") >= day_number(WAITS_FROM))
    first = (
        counted_contacts(ctx)
        .filter(col("counted"))
        .join(referrals.select("referral_id", "birth_date_ymd"), on="referral_id", how="inner")
        .filter(cyp_at(col("birth_date_ymd"), col("date_ymd")))
        .group_by("referral_id")
        .agg(col("date").min().alias("first"))
    )
    joined = referrals.join(first, on="referral_id", how="left")
    discharged = ~col("discharge_date").is_null()
    not_yet = col("first").is_null()
    return [
        _of_referral(
            joined,
            {
                "first_contact": Population(
                    member=in_range(col("first"), start, end),
                    value=col("first") - col("received_date"),
                ),
                "still_waiting": Population(
                    member=not_yet & ~discharged, value=ctx.end + 1 - col("received_date")
                ),
            },
        )
    ]


def _referral_end() -> nw.Expr:
    """As :attr:`cypmh.model.Referral.end_date`: discharge, else rejection, else closure."""
    return nw.coalesce(col("discharge_date"), col("rejection_date"), col("closure_date"))


def _cohort_excluded(cohort: FourWeekCohort) -> nw.Expr:
    """Whether a referral (with its child's columns) is left out by an enabled cohort filter."""
    of_age = aged(col("birth_date_ymd"), col("received_date_ymd"), cohort.min_age, cohort.max_age)
    district = col("la_district").fill_null("")
    team, reason = col("team_type"), col("primary_reason")
    tests = {
        "age_at_referral": ~of_age,
        "residence": (district != "") & ~district.str.starts_with(cohort.residence_prefix),
        "digital_providers": in_list(col("provider_code"), cohort.digital_providers),
        "urgent_single_point_of_access": in_list(team, cohort.spa_team_types)
        & in_list(col("priority"), cohort.urgent_priorities),
        "eating_disorder_outside_spa_and_mhst": in_list(reason, cohort.eating_disorder_reasons)
        & ~in_list(team, cohort.eating_disorder_allowed_team_types),
        "first_episode_psychosis_to_eip": in_list(reason, cohort.psychosis_reasons)
        & in_list(team, cohort.eip_team_types),
        "excluded_team_types": in_list(team, cohort.excluded_team_types),
    }
    return any_of(tests[name] for name in cohort.FILTERS if name not in cohort.disabled)


def _number_runs(
    frame: Frame,
    keys: list[str],
    order: list[str],
    *,
    start: str,
    end: str,
    within: int,
    name: str,
) -> Frame:
    """``frame`` with column ``name`` numbering its runs (1, 2, ...) within ``keys``.

    In ``order``, a row starts a new run when its ``start`` is more than
    ``within`` days after the latest ``end`` of the rows before it (a running
    maximum), as referral spells and periods of care are joined.
    """
    frame = frame.with_columns(col(end).cum_max().over(*keys, order_by=order).alias("latest"))
    # As a float: narwhals' pandas backend fails to scatter a shifted nullable Int64 back
    # in place (day numbers are exact in a float, so nothing changes on other backends).
    frame = frame.with_columns(
        col("latest").cast(nw.Float64).shift(1).over(*keys, order_by=order).alias("before")
    )
    new_run = col("before").is_null() | (col(start) > col("before") + within).fill_null(False)
    frame = frame.with_columns(new_run.cast(nw.Int64).alias("new_run"))
    frame = frame.with_columns(col("new_run").cum_sum().over(*keys, order_by=order).alias(name))
    return frame.drop("latest", "before", "new_run")


SPELL_KEYS = ["person_id", "provider_code", "spell_no"]


def four_week_spells(ctx: FrameContext) -> Frame:
    """The four-week cohort's referrals and spells, as :func:`~cypmh.pathways.four_week_spells`.

    One row per kept referral, with its spell (``spell_no`` within person and
    provider) and the spell's ``start``, ``start_ymd`` and ``end``. The spells
    are NHS England's running-maximum method: within a person and provider,
    in order of receipt, a referral starts a new spell when it was received
    more than 5 days after the latest end so far.
    """
    cohort = ctx.options.cohort or FourWeekCohort.default()
    kept = _with_child(ctx).filter(~_cohort_excluded(cohort).fill_null(False))
    # An open referral (no end as at the period end) runs to the period end.
    capped = nw.coalesce(_referral_end(), nw.lit(ctx.end)).cast(nw.Int64)
    keys, order = ["person_id", "provider_code"], ["received_date", "referral_end", "referral_id"]
    frame = kept.select(
        "referral_id",
        "person_id",
        "provider_code",
        "received_date",
        "received_date_ymd",
        capped.alias("referral_end"),
    )
    frame = _number_runs(
        frame,
        keys,
        order,
        start="received_date",
        end="referral_end",
        within=JOIN_WITHIN_DAYS,
        name="spell_no",
    )
    frame = frame.with_columns(
        col("received_date").min().over(*SPELL_KEYS).alias("start"),
        col("received_date_ymd").min().over(*SPELL_KEYS).alias("start_ymd"),
        col("referral_end").max().over(*SPELL_KEYS).alias("end"),
    )
    if "spell_start" not in cohort.disabled:
        frame = frame.filter(col("start") >= day_number(cohort.earliest_spell_start))
    return frame.select("referral_id", *SPELL_KEYS, "start", "start_ymd", "end")


def _baseline_tools() -> list[str]:
    tools = codes.assessment_tools().values()
    return [t.snomed_code for t in tools if t.in_publication_list and not t.is_current_view]


def _plan_day() -> nw.Expr:
    """As :func:`~cypmh.pathways.clocks.care_plan_event_date`, for agreed plans."""
    created_inside = (
        ~col("last_updated").is_null()
        & (col("created") >= col("start"))
        & (col("created") <= col("last_updated"))
    ).fill_null(False)
    return nw.when(created_inside).then(col("created")).otherwise(col("last_updated"))


def _events(ctx: FrameContext, members: Frame, spells: Frame) -> Frame:
    """Each spell's clock-stop events, one row per event (``kind``: contact, outcome or help).

    As :func:`cypmh.pathways.clocks.clock_events`: a counted direct contact
    or any indirect activity (``contact``); a baseline outcome measure
    (``outcome``); an agreed care plan, or a contact or indirect activity
    coded with an intervention (``help``), each inside the spell.
    """
    interventions = ctx.options.interventions or InterventionCodes.default()
    coded = (
        ctx["contact_procedures"]
        .filter(in_list(col("procedure"), interventions.codes))
        .select("contact_id")
        .unique()
        .with_columns(nw.lit(True).alias("coded"))
    )
    contact_kinds = nw.when(col("counted")).then(nw.lit(1)).otherwise(nw.lit(0)) + nw.when(
        col("coded").fill_null(False)
    ).then(nw.lit(4)).otherwise(nw.lit(0))
    indirect_kinds = nw.lit(1) + nw.when(in_list(col("procedure"), interventions.codes)).then(
        nw.lit(4)
    ).otherwise(nw.lit(0))
    inside = (col("day") >= col("start")) & (col("day") <= col("end"))
    contacts = (
        counted_contacts(ctx)
        .join(coded, on="contact_id", how="left")
        .join(members, on="referral_id", how="inner")
        .select(*SPELL_KEYS, "start", "end", col("date").alias("day"), contact_kinds.alias("kinds"))
    )
    indirect = (
        ctx["indirect_activities"]
        .join(members, on="referral_id", how="inner")
        .select(
            *SPELL_KEYS, "start", "end", col("date").alias("day"), indirect_kinds.alias("kinds")
        )
    )
    outcomes = (
        ctx["assessments"]
        .filter(in_list(col("tool_code"), _baseline_tools()))
        .join(members, on="referral_id", how="inner")
        .select(*SPELL_KEYS, "start", "end", col("date").alias("day"), nw.lit(2).alias("kinds"))
    )
    on_referrals = (
        nw.concat(
            [
                frame.with_columns(col("kinds").cast(nw.Int64))
                for frame in (contacts, indirect, outcomes)
            ]
        )
        .filter(inside, col("kinds") > 0)
        .select(*SPELL_KEYS, "day", "kinds")
    )
    anchor = nw.coalesce(col("last_updated"), col("created"))
    agreed = ctx["care_plan_agreements"].select("care_plan_id").unique()
    plans = (
        ctx["care_plans"]
        .join(agreed, on="care_plan_id", how="inner")
        .select("person_id", "created", "last_updated")
        .join(spells, on="person_id", how="inner")
        .filter((anchor >= col("start")) & (anchor <= col("end")))
        .select(*SPELL_KEYS, _plan_day().alias("day"), nw.lit(4).cast(nw.Int64).alias("kinds"))
        .filter(~col("day").is_null())
    )
    return nw.concat([on_referrals, plans])


def four_week_waits(ctx: FrameContext) -> FrameFamily:
    """MRS08-MRS09, as :func:`cypmh.metrics.families.four_week_waits`."""
    members = store(four_week_spells(ctx))
    spells = members.group_by(SPELL_KEYS).agg(
        col("start").min(), col("start_ymd").min(), col("end").max()
    )
    events = _events(ctx, members, spells)

    def first_of(bit: int) -> nw.Expr:
        return nw.when(col("kinds") % (2 * bit) >= bit).then(col("day"))

    firsts = events.with_columns(
        first_of(1).alias("first_contact"),
        first_of(2).alias("first_outcome"),
        first_of(4).alias("first_help"),
    )
    names = ("first_contact", "first_outcome", "first_help")
    firsts = firsts.group_by(SPELL_KEYS).agg(*[col(name).min() for name in names])
    all_three = ~col("first_contact").is_null() & ~col("first_outcome").is_null()
    clocked = spells.join(firsts, on=SPELL_KEYS, how="left").with_columns(
        nw.when(all_three & ~col("first_help").is_null())
        .then(nw.max_horizontal(*[col(name) for name in names]))
        .alias("stop")
    )
    start, end = ctx.window(3)
    days = col("stop") - col("start")
    stopped = in_range(col("stop"), start, end)
    waiting = (col("end") >= ctx.end - JOIN_WITHIN_DAYS) & col("stop").is_null()
    waited = ctx.end - col("start")
    populations = {
        "clock_stops": Population(member=stopped, value=days, numerator=days <= FOUR_WEEKS_DAYS),
        "clock_stops_within_4_weeks": Population(
            member=stopped & (days <= FOUR_WEEKS_DAYS).fill_null(False),
            value=days,
            numerator=nw.lit(True),
        ),
        "still_waiting": Population(member=waiting, value=waited),
    }
    for weeks, limit in ((52, 364), (78, 546), (104, 728)):
        populations[f"waiting_flag_{weeks}"] = Population(
            member=waiting, value=waited, numerator=waited > limit
        )
        populations[f"waiting_over_{weeks}"] = Population(
            member=waiting & (waited > limit), value=waited, numerator=nw.lit(True)
        )
    return [
        _base(
            clocked,
            populations,
            person=col("person_id"),
            provider=col("provider_code"),
            age_ymd=col("start_ymd"),
            status_day=col("start"),
        )
    ]


def _priorities(group: EdPriorityGroup) -> list[str]:
    return [p.value for p in ClinicalPriority if p.ed_group is group]


def eating_disorders(ctx: FrameContext) -> FrameFamily:
    """ED86-ED87, as :func:`cypmh.metrics.families.eating_disorders`."""
    start, end = ctx.window(12)
    referrals = _cyp_referrals(ctx, english=False).filter(
        col("primary_reason") == EATING_DISORDER_REASON,
        ~col("priority").is_null(),
        col("received_date") >= day_number(ED_FROM),
        ~in_list(col("team_type"), ED_TEAMS_EXCLUDED),
        ~(col("discharge_date") < start).fill_null(False),
    )
    month = month_id(col("date_ymd"))
    treatment = (
        ctx["contact_procedures"]
        .join(ctx["contacts"].select("contact_id", "date_ymd"), on="contact_id", how="inner")
        .filter(valid_code(codes.ed_treatment_codes(), col("procedure"), month))
        .select("contact_id")
        .unique()
    )
    starts = (
        _contacts(ctx)
        .join(treatment, on="contact_id", how="inner")
        .filter(
            in_list(col("attend_status"), _attend_codes(AttendanceClass.ATTENDED)),
            valid_code(codes.ed_consultation_mechanisms(), col("consultation_mechanism"), month),
        )
        .join(referrals.select("referral_id", "received_date"), on="referral_id", how="inner")
        .filter(col("date") >= col("received_date"))
        .group_by("referral_id")
        .agg(col("date").min().alias("treated"))
    )
    treated = referrals.join(starts, on="referral_id", how="inner").filter(
        in_range(col("treated"), start, end)
    )
    days = col("treated") - col("received_date")
    populations = {}
    for group in EdPriorityGroup:
        member = in_list(col("priority"), _priorities(group))
        within = (days <= TARGET_DAYS[group]).fill_null(False)
        populations[f"ed_{group.value}"] = Population(member=member, value=days, numerator=within)
        populations[f"ed_{group.value}_within"] = Population(
            member=member & within, value=days, numerator=nw.lit(True)
        )
    return [_of_referral(treated, populations)]


def rejections(ctx: FrameContext) -> FrameFamily:
    """REJ01-REJ02, as :func:`cypmh.metrics.families.rejections`."""
    month_start, month_end = ctx.window(1)
    start, end = ctx.window(12)
    rejected = ~col("rejection_date").is_null()
    frame = _cyp_referrals(ctx).filter(in_range(col("received_date"), start, end))
    if ctx.options.exclude_duplicate_rejections:
        duplicate = rejected & (col("rejection_reason") == RejectionReason.DUPLICATE.value)
        frame = frame.filter(~duplicate.fill_null(False))
    in_month = in_range(col("received_date"), month_start, month_end)
    return [
        _of_referral(
            frame,
            {
                "received_month": Population(member=in_month, numerator=rejected),
                "rejected_month": Population(member=in_month & rejected, numerator=nw.lit(True)),
                "received_year": Population(numerator=rejected),
            },
        )
    ]


def attendance(ctx: FrameContext) -> FrameFamily:
    """DNA01, as :func:`cypmh.metrics.families.attendance`."""
    start, end = ctx.window(1)
    dna = _attend_codes(AttendanceClass.DNA)
    contacts = (
        _contacts(ctx)
        .join(
            _with_child(ctx).select("referral_id", "person_id", "provider_code", "birth_date_ymd"),
            on="referral_id",
            how="inner",
        )
        .filter(
            in_range(col("date"), start, end),
            cyp_at(col("birth_date_ymd"), col("date_ymd")),
            in_list(col("attend_status"), _attend_codes(AttendanceClass.ATTENDED) + dna),
        )
    )
    return [
        _base(
            contacts,
            {"contacts": Population(numerator=in_list(col("attend_status"), dna))},
            person=col("person_id"),
            provider=col("provider_code"),
            age_ymd=col("date_ymd"),
            status_day=col("date"),
        )
    ]


def _working_links(ctx: FrameContext) -> Frame:
    """Link contacts with both roles filled in (working while open)."""
    return ctx["link_contacts"].filter(
        ~col("school_lead_role").is_null(), ~col("camhs_contact_role").is_null()
    )


def working_schools(ctx: FrameContext, day: int) -> Frame:
    """The URNs (``school_urn``) of schools with a working link on ``day`` (a day number).

    As :meth:`cypmh.model.Area.has_working_link`: a link open on the day
    (both ends count) with both roles filled in.
    """
    return (
        _working_links(ctx)
        .filter(col("start") <= day, (col("end") >= day).fill_null(True))
        .select("school_urn")
        .unique()
    )


def school_links(ctx: FrameContext) -> FrameFamily:
    """LINK01-LINK02, as :func:`cypmh.metrics.families.school_links`."""
    working = working_schools(ctx, ctx.end).with_columns(nw.lit(True).alias("working"))
    schools = ctx["schools"].join(working.rename({"school_urn": "urn"}), on="urn", how="left")
    start, end = ctx.window(12)
    referrals = _cyp_referrals(ctx).filter(
        in_list(col("source"), ctx.options.school_sources),
        in_range(col("received_date"), start, end),
    )
    urns = ctx["children"].select("person_id", "school_urn")
    links = _working_links(ctx)
    linked = (
        referrals.select("referral_id", "person_id", "received_date")
        .join(urns, on="person_id", how="inner")
        .join(links.select("school_urn", "start", "end"), on="school_urn", how="inner")
        .filter(
            col("start") <= col("received_date"),
            (col("end") >= col("received_date")).fill_null(True),
        )
        .select("referral_id")
        .unique()
        .with_columns(nw.lit(True).alias("linked"))
    )
    referrals = referrals.join(linked, on="referral_id", how="left")
    link_level = (
        nw.when(col("linked").fill_null(False))
        .then(nw.lit("Working link"))
        .otherwise(nw.lit("No working link"))
    )
    return [
        _base(
            schools,
            {"schools": Population(numerator=col("working").fill_null(False))},
            person=None,
            provider=None,
            age_ymd=None,
            status_day=None,
        ),
        _of_referral(
            referrals,
            {"school_referrals": Population(numerator=~col("rejection_date").is_null())},
            school_link=link_level,
        ),
    ]


def thrive_groupings(ctx: FrameContext) -> FrameFamily:
    """THR01, as :func:`cypmh.metrics.families.thrive_groupings`."""
    open_children = ctx["referrals"].filter(_referral_end().is_null()).select("person_id").unique()
    return [
        _base(
            open_children,
            {"open_children": Population()},
            person=col("person_id"),
            provider=None,
            age_ymd=nw.lit(ctx.end_ymd),
            status_day=nw.lit(ctx.end),
        )
    ]


def _by_tool(
    code: nw.Expr, tools: list[AssessmentTool], attr: Callable[[AssessmentTool], Any]
) -> nw.Expr:
    """A tool's attribute for each row's ``code``: a chain generated from the tools table."""
    by_value: defaultdict[Any, list[str]] = defaultdict(list)
    for tool in tools:
        by_value[attr(tool)].append(tool.snomed_code)
    chain: Any = None
    for value, members in sorted(by_value.items(), key=repr):
        if value is None:
            continue
        condition = in_list(code, members)
        chain = (nw.when(condition) if chain is None else chain.when(condition)).then(nw.lit(value))
    result: nw.Expr = nw.lit(None) if chain is None else chain
    return result


def _norm(part: str, term: nw.Expr, sex: nw.Expr, age: nw.Expr) -> nw.Expr:
    """The RCADS norm's ``mean`` or ``sd`` for a preferred term, sex and age (``rcads_norms``)."""
    chain: Any = None
    for row in read_table("rcads_norms"):
        condition = (
            (term == row["nhs_assessment_name"])
            & (sex == row["sex"])
            & in_range(age, int(row["age_from"]), int(row["age_to"]))
        ).fill_null(False)
        chain = (nw.when(condition) if chain is None else chain.when(condition)).then(
            nw.lit(float(row[part]))
        )
    result: nw.Expr = chain
    return result


def _ordinal(keys: list[str], order: list[str], *, reverse: bool = False) -> nw.Expr:
    """1 for the first row of each group in ``order`` (with ``reverse``: the last), 2 next."""
    return col("one").cum_sum(reverse=reverse).over(*keys, order_by=order)


def outcomes(ctx: FrameContext) -> FrameFamily:
    """MHS110-MHS115, as :func:`cypmh.metrics.families.outcomes`.

    Scores are paired as :func:`cypmh.metrics.outcomes.pair_scores` does, with
    its order for scores of one scale on the same day (value, then code).
    """
    start, end = ctx.window(1)
    tools = [t for t in codes.assessment_tools().values() if t.in_cyp_outcomes]
    referrals = (
        _cyp_referrals(ctx)
        .filter(
            in_range(col("discharge_date"), start, end),
            col("rejection_date").is_null(),
            col("received_date") >= day_number(OUTCOMES_FROM),
            ~in_list(col("team_type"), OUTCOME_TEAMS_EXCLUDED),
        )
        .join(ctx["children"].select("person_id", "gender"), on="person_id", how="left")
    )
    ends = referrals.select("referral_id", "provider_code", "discharge_date")
    direct = (
        counted_contacts(ctx)
        .filter(col("counted"))
        .join(ends, on="referral_id", how="inner")
        .filter(col("date") <= col("discharge_date"))
        .select("referral_id", "date")
    )
    indirect = (
        ctx["indirect_activities"]
        .join(ends, on="referral_id", how="inner")
        .filter(col("date") <= col("discharge_date"))
        .select("referral_id", "date")
    )
    days = nw.concat([direct, indirect])
    first = days.group_by("referral_id").agg(
        col("date").min().alias("first_contact"), nw.len().alias("contacts")
    )
    # The second counted date: the first again if two fall on it, else the next.
    second = (
        days.join(first, on="referral_id", how="inner")
        .with_columns(
            (col("date") == col("first_contact")).cast(nw.Int64).alias("on_first"),
            nw.when(col("date") > col("first_contact")).then(col("date")).alias("after"),
        )
        .group_by("referral_id", "first_contact", "contacts")
        .agg(col("on_first").sum(), col("after").min())
        .filter(col("contacts") >= 2)
        .select(
            "referral_id",
            "first_contact",
            nw.when(col("on_first") >= 2)
            .then(col("first_contact"))
            .otherwise(col("after"))
            .alias("second_contact"),
        )
    )
    closed = referrals.join(second, on="referral_id", how="inner")

    code = col("tool_code")
    low = _by_tool(code, tools, lambda t: t.outcome_range[0])
    high = _by_tool(code, tools, lambda t: t.outcome_range[1])
    term = _by_tool(code, tools, lambda t: t.preferred_term)
    sex = (
        nw.when(col("gender") == "1").then(nw.lit("M")).when(col("gender") == "2").then(nw.lit("F"))
    )
    age = (col("received_date_ymd") - col("birth_date_ymd")) // 10000
    is_t = in_list(code, [t.snomed_code for t in tools if t.threshold_unit == "T-score"])
    scores = (
        ctx["assessments"]
        .filter(in_list(code, [t.snomed_code for t in tools]))
        .select("referral_id", "tool_code", "score", "date")
        .join(
            closed.select(
                "referral_id",
                "discharge_date",
                "first_contact",
                "second_contact",
                "received_date_ymd",
                "birth_date_ymd",
                "gender",
            ),
            on="referral_id",
            how="inner",
        )
        .filter(col("date") <= col("discharge_date"), in_range(col("score"), low, high))
        .with_columns(
            term.alias("term"),
            _by_tool(code, tools, lambda t: t.rater.value if t.rater else None).alias("rater"),
            sex.alias("sex"),
            age.alias("age"),
        )
        .with_columns(
            _norm("mean", col("term"), col("sex"), col("age")).alias("norm_mean"),
            _norm("sd", col("term"), col("sex"), col("age")).alias("norm_sd"),
        )
        .with_columns(
            nw.when(is_t & ~col("norm_mean").is_null())
            .then(nw.lit(10.0) * (col("score") - col("norm_mean")) / col("norm_sd") + 50)
            .otherwise(col("score").cast(nw.Float64))
            .alias("value"),
            nw.lit(1).alias("one"),
        )
    )
    # Stored once: the norms make a long expression, which the SQL backends would
    # otherwise carry through every later step.
    scores = settle(
        scores.select(
            "referral_id",
            "tool_code",
            "date",
            "first_contact",
            "second_contact",
            "rater",
            "term",
            "value",
            "one",
        )
    )
    raters = {r: f"scored_{r.value.lower()}" for r in Rater}
    scored = (
        scores.with_columns(
            **{
                name: (col("rater") == r.value).fill_null(False).cast(nw.Int64)
                for r, name in raters.items()
            }
        )
        .group_by("referral_id")
        .agg(*[col(name).max() for name in raters.values()])
    )

    keys, order = ["referral_id", "term"], ["date", "value", "tool_code"]
    counted_scores = scores.filter(col("date") >= col("first_contact"))
    firsts = (
        counted_scores.with_columns(_ordinal(keys, order).alias("n"))
        .filter(col("n") == 1)
        .select(
            *keys,
            col("date").alias("first_day"),
            col("value").alias("first_value"),
            col("tool_code").alias("first_tool"),
            col("rater").alias("pair_rater"),
        )
    )
    lasts = (
        counted_scores.join(firsts, on=keys, how="inner")
        .filter(col("date") > col("first_day"), col("date") >= col("second_contact"))
        .with_columns(_ordinal(keys, order, reverse=True).alias("n"))
        .filter(col("n") == 1)
        .select(*keys, col("value").alias("last_value"))
    )
    first_tool = col("first_tool")
    positive = in_list(
        first_tool, [t.snomed_code for t in tools if t.direction is ScoreDirection.POSITIVE]
    )
    threshold = _by_tool(first_tool, tools, lambda t: t.reliable_change_threshold)
    change = col("last_value") - col("first_value")
    signed = nw.when(positive).then(change).otherwise(-change)
    pairs = firsts.join(lasts, on=keys, how="inner").with_columns(
        (signed >= threshold).fill_null(False).cast(nw.Int64).alias("improved"),
        (signed <= -threshold).fill_null(False).cast(nw.Int64).alias("worse"),
    )
    per_rater = {}
    for rater in Rater:
        key = rater.value.lower()
        per_rater[rater] = (
            pairs.filter((col("pair_rater") == rater.value).fill_null(False))
            .group_by("referral_id")
            .agg(col("improved").max(), col("worse").max())
            .select(
                "referral_id",
                nw.when(col("worse") == 1)
                .then(nw.lit(Change.DETERIORATION.value))
                .when(col("improved") == 1)
                .then(nw.lit(Change.IMPROVEMENT.value))
                .otherwise(nw.lit(Change.NO_CHANGE.value))
                .alias(f"outcome_{key}"),
            )
        )
    pairs = settle(pairs)
    paired_any = pairs.select("referral_id").unique().with_columns(nw.lit(1).alias("paired_any"))
    frame = closed.join(scored, on="referral_id", how="left").join(
        paired_any, on="referral_id", how="left"
    )
    for rater in Rater:
        frame = frame.join(per_rater[rater], on="referral_id", how="left")
    scored_any = scores.select("referral_id").unique().with_columns(nw.lit(1).alias("scored_any"))
    frame = frame.join(scored_any, on="referral_id", how="left")

    populations = {
        "closed": Population(),
        "scored_any": Population(member=col("scored_any") == 1),
        "paired_any": Population(member=col("paired_any") == 1),
    }
    for rater, name in raters.items():
        key = rater.value.lower()
        flag = (col(name) == 1).fill_null(False)
        outcome = col(f"outcome_{key}")
        populations[f"scored_{key}"] = Population(member=flag)
        populations[f"scored_flag_{key}"] = Population(numerator=flag)
        populations[f"paired_{key}"] = Population(member=~outcome.is_null())
        for kind in Change:
            populations[f"paired_{key}_{kind.value}_flag"] = Population(
                member=~outcome.is_null(), numerator=(outcome == kind.value).fill_null(False)
            )
            populations[f"paired_{key}_{kind.value}"] = Population(
                member=(outcome == kind.value).fill_null(False), numerator=nw.lit(True)
            )
    return [_of_referral(frame, populations)]


OPEN_END = 10**8
"""A day number after any real date, standing for "not ended" inside running maxima."""


def periods_of_care(ctx: FrameContext) -> Frame:
    """Each child's periods of care, as :func:`cypmh.pathways.periods_of_care`.

    One row per period: ``person_id``, ``period_no``, ``start``, ``start_ymd``
    and ``end`` (missing while open). Within a child, in order of start (then
    end), an episode continues the period when it starts on or before the
    latest end so far; an open episode keeps the period open.
    """
    order = ["start", "end_or_open"]
    episodes = ctx["care_episodes"].select(
        "person_id", "start", "start_ymd", col("end").fill_null(OPEN_END).alias("end_or_open")
    )
    episodes = _number_runs(
        episodes,
        ["person_id"],
        order,
        start="start",
        end="end_or_open",
        within=0,
        name="period_no",
    )
    periods = episodes.group_by("person_id", "period_no").agg(
        col("start").min(), col("start_ymd").min(), col("end_or_open").max()
    )
    return periods.with_columns(
        nw.when(col("end_or_open") < OPEN_END).then(col("end_or_open")).alias("end")
    ).drop("end_or_open")


def sdq(ctx: FrameContext) -> FrameFamily:
    """SDQ01-SDQ03, as :func:`cypmh.metrics.families.sdq`."""
    year_end = last_31_march(ctx.month.last_day)
    year_start = add_calendar_months(year_end, -12) + timedelta(days=1)
    continuous = (
        periods_of_care(ctx)
        .filter(
            col("start") <= day_number(year_start),
            (col("end") >= day_number(year_end)).fill_null(True),
        )
        .select("person_id")
        .unique()
    )
    rule = ctx.options.sdq_age_rule
    on = {"year_start": ymd_number(year_start), "year_end": ymd_number(year_end)}
    low, high = on[rule.min_age_on], on[rule.max_age_on]
    birth = col("birth_date_ymd")
    admitted = (
        (birth <= min(low, high))
        & ((low - birth) // 10000 >= rule.min_age)
        & ((high - birth) // 10000 <= rule.max_age)
    ).fill_null(False)
    eligible = (
        ctx["children"]
        .select("person_id", "birth_date_ymd")
        .join(continuous, on="person_id", how="inner")
        .filter(admitted)
        .join(ctx["sdq_returns"].select("person_id", "score"), on="person_id", how="left")
    )
    score = col("score")
    has_score = ~score.is_null()
    populations = {
        "eligible": Population(value=score, numerator=has_score),
        "scored": Population(member=has_score, value=score, numerator=nw.lit(True)),
    }
    for band in SdqBand:
        band_low, band_high = band.score_range
        populations[f"band_{band.value}"] = Population(
            member=has_score, value=score, numerator=in_range(score, band_low, band_high)
        )
    return [
        _base(
            eligible,
            populations,
            person=col("person_id"),
            provider=None,
            age_ymd=nw.lit(ymd_number(year_end)),
            status_day=nw.lit(day_number(year_end)),
        )
    ]


def looked_after(ctx: FrameContext) -> FrameFamily:
    """LAC01, as :func:`cypmh.metrics.families.looked_after`.

    At the window's close a period's status can only be done in the window,
    done early, or due (:func:`cypmh.pathways.wellbeing_assessment_status`:
    the period covers the window's opening, so the child did not leave care
    before it, and the day is not before the window opens nor after it closes).
    """
    start, end = ctx.window(12)
    rules = ctx.options.assessment_window
    keys = ["person_id", "period_no", "start", "start_ymd"]
    periods = with_added_months(
        periods_of_care(ctx), "start_ymd", rules.opens_after_months, "opens"
    )
    periods = with_added_months(periods, "start_ymd", rules.closes_after_months, "closes")
    periods = periods.filter(
        in_range(col("closes"), start, end),
        col("start") <= col("opens"),
        (col("end") >= col("opens")).fill_null(True),
    )
    made = ctx["wellbeing_assessments"].select("person_id", col("date").alias("made"))
    counts = (col("made") >= col("start")) & (col("made") <= col("closes"))
    in_window = (counts & (col("made") >= col("opens"))).fill_null(False)
    early = (counts & (col("made") < col("opens"))).fill_null(False)
    statuses = (
        periods.join(made, on="person_id", how="left")
        .with_columns(
            in_window.cast(nw.Int64).alias("in_window"), early.cast(nw.Int64).alias("early")
        )
        .group_by(*keys)
        .agg(col("in_window").max(), col("early").max())
    )
    done = col("in_window") == 1
    done_early = ~done & (col("early") == 1)
    return [
        _base(
            statuses,
            {
                "due": Population(numerator=done),
                "assessed": Population(member=done, numerator=nw.lit(True)),
                "early": Population(member=done_early, numerator=nw.lit(False)),
                "overdue": Population(member=~done & ~done_early, numerator=nw.lit(False)),
            },
            person=col("person_id"),
            provider=None,
            age_ymd=col("start_ymd"),
            status_day=col("start"),
        )
    ]


FRAME_FAMILIES: dict[str, Callable[[FrameContext], FrameFamily]] = {
    "access": access,
    "first_contact_waits": first_contact_waits,
    "four_week_waits": four_week_waits,
    "eating_disorders": eating_disorders,
    "rejections": rejections,
    "attendance": attendance,
    "outcomes": outcomes,
    "sdq": sdq,
    "looked_after": looked_after,
    "school_links": school_links,
    "thrive": thrive_groupings,
}
"""The families the dataframe engine computes; the others are named as unsupported."""
