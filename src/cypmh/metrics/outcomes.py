"""Scoring for the CYP outcome measures (MHS110-MHS115): T-scores, pairing and reliable change.

Source: NHSD ``menh_bbrb/notebooks/02_Specific_Prepare/05_cyp_outcomes/cyp_outcomes_prep.py``
and ``menh_bbrb/schemas/05_create_cyp_outcomes_tables.py``.

Scores are single-precision, as NHS England's tables hold them: the schema declares
``RawScore``, ``TScore``, ``Score_Change`` and ``Threshold`` ``float`` (Spark's 32-bit
FLOAT), so a raw score, a T-score, a change and a threshold are each rounded to single
precision (:func:`single`) before the change is compared with the threshold. An ORS change
from 3.3 to 9.9 is 6.5999994 in single precision, under the threshold 6.6 (6.5999999): no
reliable change, as the publication counts it, where exact arithmetic would give one.
"""

from __future__ import annotations

import enum
import functools
import struct
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

import attrs

from cypmh.codes import AssessmentTool, ScoreDirection
from cypmh.codes._tables import read_table
from cypmh.model import CodedAssessment
from cypmh.pathways.lazy import fx, nw

if TYPE_CHECKING:
    from cypmh.codes import Rater
    from cypmh.pathways.lazy import Frame

__all__ = [
    "Change",
    "ScoredPair",
    "by_tool",
    "classify",
    "norm_frame",
    "ordinal",
    "pair_scores",
    "pair_scores_frame",
    "rater_outcome",
    "rater_outcome_frame",
    "score_values_frame",
    "single",
    "t_score",
]

_SEX = {"1": "M", "2": "F"}


def single(value: float) -> float:
    """``value`` rounded to single precision (a 32-bit float, Spark's FLOAT), as a float.

    >>> single(9.9) - single(3.3) == 6.6
    False
    >>> single(single(9.9) - single(3.3)) < single(6.6)
    True
    """
    return float(struct.unpack("f", struct.pack("f", value))[0])


@functools.cache
def _norms() -> Mapping[tuple[str, str, int], tuple[float, float]]:
    """(preferred term, sex, age) -> (mean, sd), one entry per single year of age."""
    table: dict[tuple[str, str, int], tuple[float, float]] = {}
    for row in read_table("rcads_norms"):
        for age in range(int(row["age_from"]), int(row["age_to"]) + 1):
            table[(row["nhs_assessment_name"], row["sex"], age)] = (
                float(row["mean"]),
                float(row["sd"]),
            )
    return table


def t_score(tool: AssessmentTool, raw: float, age_at_referral: int, gender: str | None) -> float:
    """The score on the scale's threshold unit: RCADS subscales become T-scores.

    T = 10 * (raw - mean) / sd + 50 with the norms for the scale, sex (MHSDS
    gender 1 = M, 2 = F) and age at referral (``rcads_norms.csv``). As in NHS
    England's code, a score stays raw when no norm applies (age outside 8-17,
    another gender) although the threshold is in T-score units; cypmh keeps
    that so its numbers match the publication.

    >>> from cypmh.codes import assessment_tool
    >>> rcads = assessment_tool("958231000000102")  # RCADS depression, self-rated
    >>> round(t_score(rcads, 12, 10, "1"), 2)  # boys 10-11: mean 7.07, sd 3.64
    63.54
    """
    raw = single(raw)  # RawScore is a FLOAT
    if tool.threshold_unit != "T-score" or gender not in _SEX:
        return raw
    norm = _norms().get((tool.preferred_term, _SEX[gender], age_at_referral))
    if norm is None:
        return raw
    mean, sd = norm
    # As the source writes it, in double (a FLOAT with a DECIMAL), then stored as a FLOAT.
    return single((raw - mean) / sd * 10 + 50)


class Change(enum.Enum):
    """The reliable-change classification of one paired score."""

    IMPROVEMENT = "improvement"
    DETERIORATION = "deterioration"
    NO_CHANGE = "no_change"


@attrs.frozen(kw_only=True)
class ScoredPair:
    """The first and last scores of one scale on one referral."""

    tool: AssessmentTool
    first: float
    last: float

    @property
    def change(self) -> float:
        """Last minus first, in single precision (``Score_Change`` is a FLOAT)."""
        return single(self.last - self.first)


def classify(pair: ScoredPair) -> Change:
    """Reliable change: at least the scale's threshold, in its good or bad direction.

    A *positive* scale is better when higher, a *negative* one when lower.
    """
    threshold = pair.tool.reliable_change_threshold
    if threshold is None or pair.tool.direction is None:
        raise ValueError(f"{pair.tool.scale} has no reliable-change threshold or direction")
    threshold = single(threshold)  # Threshold is a FLOAT
    change = pair.change if pair.tool.direction is ScoreDirection.POSITIVE else -pair.change
    if change >= threshold:
        return Change.IMPROVEMENT
    if change <= -threshold:
        return Change.DETERIORATION
    return Change.NO_CHANGE


def pair_scores(
    scores: Iterable[tuple[CodedAssessment, float]], first_contact: date, second_contact: date
) -> list[ScoredPair]:
    """Pair each scale's scores (already converted to their threshold unit).

    First: the earliest score on or after the first contact. Last: the latest
    score after the first, dated on or after the second contact.

    Scores are grouped by the scale's preferred term. Where several fall on
    one day, cypmh orders them by value and then SNOMED code, so the first
    is the lowest and the last the highest of that day. The source orders by
    date alone, which leaves such ties to the order the rows happen to be
    in; without this rule the same records could give a different outcome
    when read in another order, or on another engine. (Two codes of one
    preferred term can differ in rater: RCADS depression is self- and
    parent-rated under one term; the pair takes the first score's tool.)
    """
    by_scale: defaultdict[str, list[tuple[date, float, AssessmentTool]]] = defaultdict(list)
    for assessment, value in scores:
        if assessment.date >= first_contact:
            by_scale[assessment.tool.preferred_term].append(
                (assessment.date, value, assessment.tool)
            )
    pairs = []
    for entries in by_scale.values():
        entries.sort(key=lambda e: (e[0], e[1], e[2].snomed_code))
        first_day, first_value, tool = entries[0]
        later = [e for e in entries if e[0] > first_day and e[0] >= second_contact]
        if later:
            pairs.append(ScoredPair(tool=tool, first=first_value, last=later[-1][1]))
    return pairs


def rater_outcome(changes: Iterable[Change]) -> Change:
    """One referral's outcome for one rater.

    Deterioration if any scale deteriorated; else improvement if any improved;
    else no change.
    """
    seen = set(changes)
    if Change.DETERIORATION in seen:
        return Change.DETERIORATION
    if Change.IMPROVEMENT in seen:
        return Change.IMPROVEMENT
    return Change.NO_CHANGE


# The same over frames, for the dataframe engine: the T-scores (:func:`t_score`),
# the pairs and their change (:func:`pair_scores`, :func:`classify`) and each rater's
# outcome (:func:`rater_outcome`), clause by clause.


def by_tool(
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
        condition = fx.in_list(code, members)
        chain = (nw.when(condition) if chain is None else chain.when(condition)).then(nw.lit(value))
    result: nw.Expr = nw.lit(None) if chain is None else chain
    return result


def norm_frame(part: str, term: nw.Expr, sex: nw.Expr, age: nw.Expr) -> nw.Expr:
    """The RCADS norm's ``mean`` or ``sd`` for a preferred term, sex and age (``rcads_norms``)."""
    chain: Any = None
    for row in read_table("rcads_norms"):
        condition = (
            (term == row["nhs_assessment_name"])
            & (sex == row["sex"])
            & fx.in_range(age, int(row["age_from"]), int(row["age_to"]))
        ).fill_null(False)
        chain = (nw.when(condition) if chain is None else chain.when(condition)).then(
            nw.lit(float(row[part]))
        )
    result: nw.Expr = chain
    return result


def _raw() -> nw.Expr:
    """A score as a FLOAT (``RawScore``), held as a double (exact)."""
    return nw.col("score").cast(nw.Float32).cast(nw.Float64)


def score_values_frame(tables: Mapping[str, Frame], tools: list[AssessmentTool]) -> Frame:
    """Every valid outcome score with its scale, rater and value (RCADS as a T-score)."""
    code = nw.col("tool_code")
    low = by_tool(code, tools, lambda t: t.outcome_range[0])
    high = by_tool(code, tools, lambda t: t.outcome_range[1])
    term = by_tool(code, tools, lambda t: t.preferred_term)
    sex = (
        nw.when(nw.col("gender") == "1")
        .then(nw.lit("M"))
        .when(nw.col("gender") == "2")
        .then(nw.lit("F"))
    )
    age = (nw.col("received_date_ymd") - nw.col("birth_date_ymd")) // 10000
    is_t = fx.in_list(code, [t.snomed_code for t in tools if t.threshold_unit == "T-score"])
    children = tables["children"].select("person_id", "birth_date_ymd", "gender")
    referrals = tables["referrals"].select("referral_id", "person_id", "received_date_ymd")
    return (
        tables["assessments"]
        .filter(fx.in_list(code, [t.snomed_code for t in tools]))
        .select("referral_id", "tool_code", "score", "date")
        .filter(fx.in_range(nw.col("score"), low, high))
        .join(referrals, on="referral_id", how="inner")
        .join(children, on="person_id", how="inner")
        .with_columns(
            term.alias("term"),
            by_tool(code, tools, lambda t: t.rater.value if t.rater else None).alias("rater"),
            sex.alias("sex"),
            age.alias("age"),
        )
        .with_columns(
            norm_frame("mean", nw.col("term"), nw.col("sex"), nw.col("age")).alias("norm_mean"),
            norm_frame("sd", nw.col("term"), nw.col("sex"), nw.col("age")).alias("norm_sd"),
        )
        .select(
            "referral_id",
            "tool_code",
            "date",
            "rater",
            "term",
            # Single precision, as t_score: the raw score, and the T-score worked out in
            # double from it and stored as a FLOAT.
            nw.when(is_t & ~nw.col("norm_mean").is_null())
            .then(
                (
                    (_raw() - nw.col("norm_mean")) / nw.col("norm_sd") * nw.lit(10.0) + nw.lit(50.0)
                ).cast(nw.Float32)
            )
            .otherwise(_raw().cast(nw.Float32))
            .cast(nw.Float64)
            .alias("value"),
        )
    )


def ordinal(keys: list[str], order: list[str], *, reverse: bool = False) -> nw.Expr:
    """1 for the first row of each group in ``order`` (with ``reverse``: the last), 2 next."""
    return nw.col("one").cum_sum(reverse=reverse).over(*keys, order_by=order)


def pair_scores_frame(scores: Frame, tools: list[AssessmentTool]) -> Frame:
    """Each referral's pair per scale (first and last counted scores), improved or worse."""
    keys, order = ["referral_id", "term"], ["date", "value", "tool_code"]
    counted_scores = scores.filter(nw.col("date") >= nw.col("first_contact"))
    firsts = (
        counted_scores.with_columns(ordinal(keys, order).alias("n"))
        .filter(nw.col("n") == 1)
        .select(
            *keys,
            nw.col("date").alias("first_day"),
            nw.col("value").alias("first_value"),
            nw.col("tool_code").alias("first_tool"),
            nw.col("rater").alias("pair_rater"),
        )
    )
    lasts = (
        counted_scores.join(firsts, on=keys, how="inner")
        .filter(nw.col("date") > nw.col("first_day"), nw.col("date") >= nw.col("second_contact"))
        .with_columns(ordinal(keys, order, reverse=True).alias("n"))
        .filter(nw.col("n") == 1)
        .select(*keys, nw.col("value").alias("last_value"))
    )
    first_tool = nw.col("first_tool")
    positive = fx.in_list(
        first_tool, [t.snomed_code for t in tools if t.direction is ScoreDirection.POSITIVE]
    )
    threshold = by_tool(
        first_tool,
        tools,
        lambda t: (
            None if t.reliable_change_threshold is None else single(t.reliable_change_threshold)
        ),
    )
    # In double, exact for two single-precision values, then rounded once to single.
    change = (nw.col("last_value") - nw.col("first_value")).cast(nw.Float32).cast(nw.Float64)
    signed = nw.when(positive).then(change).otherwise(-change)
    return firsts.join(lasts, on=keys, how="inner").with_columns(
        (signed >= threshold).fill_null(False).cast(nw.Int64).alias("improved"),
        (signed <= -threshold).fill_null(False).cast(nw.Int64).alias("worse"),
    )


def rater_outcome_frame(pairs: Frame, rater: Rater) -> Frame:
    """Each referral's outcome by ``rater``'s pairs: deterioration, else improvement, else none."""
    return (
        pairs.filter((nw.col("pair_rater") == rater.value).fill_null(False))
        .group_by("referral_id")
        .agg(nw.col("improved").max(), nw.col("worse").max())
        .select(
            "referral_id",
            nw.when(nw.col("worse") == 1)
            .then(nw.lit(Change.DETERIORATION.value))
            .when(nw.col("improved") == 1)
            .then(nw.lit(Change.IMPROVEMENT.value))
            .otherwise(nw.lit(Change.NO_CHANGE.value))
            .alias(f"outcome_{rater.value.lower()}"),
        )
    )
