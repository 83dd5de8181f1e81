"""Joint breakdowns: a breakdown's levels crossed with age band and gender.

The standardised rates (:mod:`cypmh.metrics.standardised`) count a level's children
by age band and gender. Both engines read such a breakdown from its parts: the
reference engine joins the parts' levels (:func:`cypmh.metrics.levels.level_reader`),
the frames engine rolls its cube up by the parts' columns
(:func:`cypmh.metrics.frames.cubes.cells`); neither has a level column of its own.
"""

from __future__ import annotations

from cypmh.metrics.results import WHOLE_AREA

__all__ = ["JOINT_SEPARATOR", "joint", "joint_parts"]

JOINT_SEPARATOR = "\x1f"
"""What joins a joint level's parts: a level, an age band and a gender code."""

_BY_AGE_SEX = "_by_age_sex"
_AGE_SEX = "age_sex"


def joint(breakdown: str) -> str:
    """The name of ``breakdown`` crossed with age band and gender (``age_sex`` for the whole area).

    >>> joint("imd_core20"), joint_parts(joint("imd_core20")), joint_parts(joint("Total"))
    ('imd_core20_by_age_sex', ('imd_core20', 'age_band', 'sex'), ('age_band', 'sex'))
    """
    return _AGE_SEX if breakdown == WHOLE_AREA else breakdown + _BY_AGE_SEX


def joint_parts(name: str) -> tuple[str, ...] | None:
    """The breakdowns a joint breakdown crosses, in order (``None``: not a joint one)."""
    if name == _AGE_SEX:
        return ("age_band", "sex")
    if name.endswith(_BY_AGE_SEX):
        return (name[: -len(_BY_AGE_SEX)], "age_band", "sex")
    return None
