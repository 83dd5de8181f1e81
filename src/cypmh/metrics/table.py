"""Result rows as a table: one call to a pandas or Polars frame, with every level named.

>>> from cypmh.synth.examples import example_area
>>> from cypmh.metrics import compute
>>> rows = compute(example_area(), "2025-03", metrics=["REJ01a"], breakdowns=["sex"])
>>> [(r["metric_id"], r["breakdown"], r["level"], r["level_label"]) for r in to_records(rows)]
[('REJ01a', 'Total', 'Total', 'Total'), ('REJ01a', 'sex', '2', 'Female')]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from cypmh.codes import CodeSet, gender_codes, referral_reasons, referral_sources, team_types
from cypmh.errors import InvalidValueError
from cypmh.metrics.catalogue import definitions
from cypmh.metrics.joint import CROSS_SEPARATOR, CROSSED
from cypmh.metrics.results import WHOLE_AREA, ResultRow

__all__ = ["COLUMNS", "level_label", "to_frame", "to_records"]

COLUMNS = (
    "metric_id",
    "name",
    "breakdown",
    "level",
    "level_label",
    "value",
    "numerator",
    "denominator",
    "lower_ci",
    "upper_ci",
    "shown",
    "suppressed",
    "unit",
)
"""The columns of :func:`to_frame`, in order."""


_CODE_TABLES: dict[str, Callable[[], CodeSet]] = {
    "sex": gender_codes,
    "team_type": team_types,
    "referral_source": referral_sources,
    "referral_reason": referral_reasons,
}


def level_label(breakdown: str, level: str) -> str:
    """A breakdown level's name, from the code tables where the level is a code.

    - ``sex``: the gender code's name (:func:`cypmh.codes.gender_codes`);
    - ``team_type``: the service or team type's name (:func:`cypmh.codes.team_types`);
    - ``referral_reason``: the primary reason's name (:func:`cypmh.codes.referral_reasons`);
    - ``referral_source``: the source's name where the table's label is verified
      against NHS England's sources, otherwise its group with the code, so no
      unchecked name reaches a report (:func:`cypmh.codes.referral_sources`);
    - ``social_care``: the status in words;
    - a crossed breakdown (``social_care_imd``): each part's name, joined.

    Age bands, upper ethnicity groups, school-link levels and THRIVE groupings
    are names already; providers keep their ODS codes. A code the table does
    not hold, or holds without a name, keeps its code.

    >>> level_label("sex", "1"), level_label("sex", "X")
    ('Male', 'X')
    >>> level_label("team_type", "C10"), level_label("referral_source", "A1")
    ('Community Eating Disorder Service', 'GP')
    >>> level_label("referral_source", "C2")
    'Local Authority Services (C2)'
    >>> level_label("referral_reason", "12")
    'Eating disorders'
    >>> level_label("social_care", "child_in_need")
    'Child in need'
    >>> level_label("social_care_imd", "looked_after / 01 Most deprived")
    'Looked after / 01 Most deprived'

    """
    if breakdown in _CODE_TABLES:
        table = _CODE_TABLES[breakdown]()
        if level not in table:
            return level
        entry = table.entry(level)
        if breakdown == "referral_source" and entry.attributes.get("label_verified") != "yes":
            return f"{entry.group} ({level})" if entry.group else level
        return entry.description or level
    if breakdown == "social_care":
        return level.replace("_", " ").capitalize()
    if breakdown in CROSSED:
        parts = level.split(CROSS_SEPARATOR)
        if len(parts) == len(CROSSED[breakdown]):
            names = zip(CROSSED[breakdown], parts, strict=True)
            return CROSS_SEPARATOR.join(level_label(part, value) for part, value in names)
    return level


def to_records(rows: Iterable[ResultRow]) -> list[dict[str, Any]]:
    """One dict per row with the :data:`COLUMNS` (``suppressed``: the value is shown ``*``)."""
    records = []
    for row in rows:
        definition = definitions().get(row.metric_id)
        records.append(
            {
                "metric_id": row.metric_id,
                "name": definition.name if definition is not None else "",
                "breakdown": row.breakdown,
                "level": row.level,
                "level_label": row.level
                if row.breakdown == WHOLE_AREA
                else level_label(row.breakdown, row.level),
                "value": row.value,
                "numerator": row.numerator,
                "denominator": row.denominator,
                "lower_ci": row.lower_ci,
                "upper_ci": row.upper_ci,
                "shown": row.shown,
                "suppressed": row.shown == "*",
                "unit": row.unit.value,
            }
        )
    return records


def to_frame(rows: Iterable[ResultRow], backend: str = "pandas") -> Any:
    """The rows as a pandas or Polars data frame with the :data:`COLUMNS`.

    The values are the exact ones; ``shown`` and ``suppressed`` say what
    disclosure control lets be published. Needs the ``pandas`` or ``polars``
    extra; a missing one is an :class:`~cypmh.errors.InvalidValueError`
    that says what to install.
    """
    records = to_records(rows)
    columns = {name: [r[name] for r in records] for name in COLUMNS}
    if backend == "pandas":
        try:
            # Imported here: an optional extra.
            import pandas as pd
        except ImportError:
            raise InvalidValueError(
                "to_frame", "backend", backend, "needs pandas: pip install 'cypmh[pandas]'"
            ) from None
        types = {"value": "Float64", "lower_ci": "Float64", "upper_ci": "Float64"}
        types |= {"numerator": "Int64", "denominator": "Int64", "suppressed": "boolean"}
        return pd.DataFrame(columns).astype(types)
    if backend == "polars":
        try:
            # Imported here: an optional extra.
            import polars as pl
        except ImportError:
            raise InvalidValueError(
                "to_frame", "backend", backend, "needs Polars: pip install 'cypmh[polars]'"
            ) from None
        schema = {
            "value": pl.Float64,
            "numerator": pl.Int64,
            "denominator": pl.Int64,
            "lower_ci": pl.Float64,
            "upper_ci": pl.Float64,
        }
        return pl.DataFrame(columns, schema_overrides=schema)
    raise InvalidValueError("to_frame", "backend", backend, "must be pandas or polars")
