"""The catalogue of coded assessment tools (outcome and experience measures).

One :class:`AssessmentTool` per SNOMED CT concept, from the package tables
``assessment_tools`` (NHS England's ``MHSDS Assessments.xlsx`` plus the
publication's own list) and ``mhsds_publication_assessment_list`` (the list the
monthly publication code uses). The ``data/README.md`` beside the tables gives
the sources of every column.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import attrs

from cypmh.codes._tables import read_table
from cypmh.codes.enums import Rater, ScoreDirection
from cypmh.errors import UnknownCodeError

__all__ = ["AssessmentTool", "assessment_tool", "assessment_tools"]


@attrs.frozen(kw_only=True)
class AssessmentTool:
    """One scale of a coded assessment tool, identified by its SNOMED CT concept.

    ``min_score`` and ``max_score`` bound every score cypmh accepts for the scale:
    the widest of the NHS England spreadsheet's range and the publication
    list's range (they differ for a few scales, for example DIALOG items, 0-7
    in one and 1-8 in the other). ``publication_range`` is the publication's
    own range, which decides whether a score is *valid* for a national measure.

    ``preferred_term`` is the publication's name for the scale (the spreadsheet's
    where the publication has none); two SNOMED CT concepts of one scale share it.

    ``rater`` is who completes the scale as the CYP outcome measures group it
    (``publication_rater``, where GBO counts as self-rated), falling back to the
    spreadsheet's rater; ``None`` where neither list says.
    """

    snomed_code: str
    tool_name: str
    scale: str
    preferred_term: str
    category: str
    min_score: float
    max_score: float
    publication_range: tuple[float, float] | None
    rater: Rater | None
    is_cypmh: bool
    is_current_view: bool
    direction: ScoreDirection | None
    reliable_change_threshold: float | None
    threshold_unit: str | None
    in_publication_list: bool
    in_cyp_outcomes: bool

    @property
    def outcome_range(self) -> tuple[float, float]:
        """The range a score must lie in to count in the outcome measures (MHS111-MHS115).

        The publication's range for the scale where it gives one, else the
        scale's own ``min_score``..``max_score``.
        """
        return self.publication_range or (self.min_score, self.max_score)

    def accepts(self, score: float) -> bool:
        """Whether ``score`` lies inside the scale's range (``min_score``..``max_score``)."""
        return self.min_score <= score <= self.max_score


def _rater(*labels: str) -> Rater | None:
    for label in labels:
        if label in {r.value for r in Rater}:
            return Rater(label)
    return None


def _optional_float(text: str) -> float | None:
    return float(text) if text.strip() else None


@functools.cache
def assessment_tools() -> Mapping[str, AssessmentTool]:
    """Every known assessment scale, keyed by SNOMED CT concept id.

    >>> tool = assessment_tools()["987191000000101"]
    >>> tool.tool_name, tool.is_current_view, (tool.min_score, tool.max_score)
    ('Current View', True, (0.0, 3.0))
    """
    publication = {
        row["Active_Concept_ID_SNOMED"]: (float(row["Lower_Range"]), float(row["Upper_Range"]))
        for row in read_table("mhsds_publication_assessment_list")
    }
    tools: dict[str, AssessmentTool] = {}
    for row in read_table("assessment_tools"):
        code = row["snomed_code"]
        low, high = float(row["min_score"]), float(row["max_score"])
        pub = publication.get(code)
        if pub is not None:
            low, high = min(low, pub[0]), max(high, pub[1])
        tools[code] = AssessmentTool(
            snomed_code=code,
            tool_name=row["tool_name"],
            scale=row["scale"],
            preferred_term=row["nhsd_preferred_term"] or row["scale"],
            category=row["category"],
            min_score=low,
            max_score=high,
            publication_range=pub,
            rater=_rater(row["publication_rater"], row["rater"]),
            is_cypmh=row["cypmh_flag"] == "yes",
            is_current_view=row["is_current_view"] == "yes",
            direction=ScoreDirection(row["direction"]) if row["direction"] else None,
            reliable_change_threshold=_optional_float(row["reliable_change_threshold"]),
            threshold_unit=row["threshold_unit"] or None,
            in_publication_list=row["in_nhsd_mh_ass"] == "yes",
            in_cyp_outcomes=row["in_nhsd_cyp_outcomes"] == "yes",
        )
    return tools


def assessment_tool(snomed_code: str) -> AssessmentTool:
    """Return the scale with this SNOMED CT concept id.

    Raises :class:`~cypmh.errors.UnknownCodeError` for a code not in the catalogue.
    """
    try:
        return assessment_tools()[snomed_code]
    except KeyError:
        raise UnknownCodeError(
            "AssessmentTool", "snomed_code", snomed_code, "assessment_tools"
        ) from None
