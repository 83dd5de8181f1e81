"""Scoring for the CYP outcome measures (MHS110-MHS115): T-scores, pairing and reliable change.

Source: NHSD ``menh_bbrb/notebooks/02_Specific_Prepare/05_cyp_outcomes/cyp_outcomes_prep.py``
and ``menh_bbrb/schemas/05_create_cyp_outcomes_tables.py``.
"""

from __future__ import annotations

import enum
import functools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date

import attrs

from cypmh.codes import AssessmentTool, ScoreDirection
from cypmh.codes._tables import read_table
from cypmh.model import CodedAssessment

__all__ = ["Change", "ScoredPair", "classify", "pair_scores", "rater_outcome", "t_score"]

_SEX = {"1": "M", "2": "F"}


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
    if tool.threshold_unit != "T-score" or gender not in _SEX:
        return raw
    norm = _norms().get((tool.preferred_term, _SEX[gender], age_at_referral))
    if norm is None:
        return raw
    mean, sd = norm
    return 10 * (raw - mean) / sd + 50


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
        """Last minus first."""
        return self.last - self.first


def classify(pair: ScoredPair) -> Change:
    """Reliable change: at least the scale's threshold, in its good or bad direction.

    A *positive* scale is better when higher, a *negative* one when lower.
    """
    threshold = pair.tool.reliable_change_threshold
    if threshold is None or pair.tool.direction is None:
        raise ValueError(f"{pair.tool.scale} has no reliable-change threshold or direction")
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
