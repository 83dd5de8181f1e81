"""Joint breakdowns: a breakdown's levels crossed with age band and gender, or with another.

The standardised rates (:mod:`cypmh.metrics.standardised`) count a level's children
by age band and gender. Both engines read such a breakdown from its parts: the
reference engine joins the parts' levels (:func:`cypmh.metrics.levels.level_reader`),
the frames engine rolls its cube up by the parts' columns
(:func:`cypmh.metrics.frames.cubes.cells`); neither has a level column of its own.

A crossed breakdown (:data:`CROSSED`) is one a report shows: REJ03's social-care
status by IMD quintile. Its levels are its parts' joined by :data:`CROSS_SEPARATOR`
(``child_in_need / 01 Most deprived``), and every pair of its parts' fixed levels is
published.
"""

from __future__ import annotations

from cypmh.codes.deprivation import IMD_BREAKDOWNS
from cypmh.metrics.results import WHOLE_AREA

__all__ = [
    "CROSSED",
    "CROSS_SEPARATOR",
    "JOINT_SEPARATOR",
    "joint",
    "joint_parts",
    "joint_separator",
    "needs_deprivation",
]

JOINT_SEPARATOR = "\x1f"
"""What joins a joint level's parts: a level, an age band and a gender code."""

CROSSED: dict[str, tuple[str, ...]] = {"social_care_imd": ("social_care", "imd_quintile")}
"""The breakdowns a report shows that cross two others, each with its parts."""

CROSS_SEPARATOR = " / "
"""What joins a crossed breakdown's level parts as a report shows them."""

_BY_AGE_SEX = "_by_age_sex"
_AGE_SEX = "age_sex"


def joint(breakdown: str) -> str:
    """The name of ``breakdown`` crossed with age band and gender (``age_sex`` for the whole area).

    >>> joint("imd_core20"), joint_parts(joint("imd_core20")), joint_parts(joint("Total"))
    ('imd_core20_by_age_sex', ('imd_core20', 'age_band', 'sex'), ('age_band', 'sex'))
    """
    return _AGE_SEX if breakdown == WHOLE_AREA else breakdown + _BY_AGE_SEX


def joint_parts(name: str) -> tuple[str, ...] | None:
    """The breakdowns a joint breakdown crosses, in order (``None``: not a joint one).

    >>> joint_parts("social_care_imd"), joint_parts("imd_quintile") is None
    (('social_care', 'imd_quintile'), True)
    """
    if name in CROSSED:
        return CROSSED[name]
    if name == _AGE_SEX:
        return ("age_band", "sex")
    if name.endswith(_BY_AGE_SEX):
        return (name[: -len(_BY_AGE_SEX)], "age_band", "sex")
    return None


def joint_separator(name: str) -> str:
    """What joins the levels of joint breakdown ``name``: a crossed one's are shown."""
    return CROSS_SEPARATOR if name in CROSSED else JOINT_SEPARATOR


def needs_deprivation(name: str) -> bool:
    """Whether breakdown ``name`` reads a deprivation file (an IMD one, or a cross of one).

    >>> needs_deprivation("imd_core20"), needs_deprivation("social_care_imd")
    (True, True)
    >>> needs_deprivation("social_care")
    False
    """
    return name in IMD_BREAKDOWNS or any(p in IMD_BREAKDOWNS for p in CROSSED.get(name, ()))
