"""Result rows: what the metrics engines return."""

from __future__ import annotations

import enum

import attrs

__all__ = [
    "NOT_AVAILABLE",
    "NOT_RECORDED",
    "NO_SCHOOL_RECORDED",
    "NO_WORKING_LINK",
    "POPULATION_AGGREGATES",
    "SCHOOL_LINK_LEVELS",
    "STANDARDISED_AGGREGATES",
    "WHOLE_AREA",
    "WORKING_LINK",
    "Aggregate",
    "ResultRow",
    "Unit",
]

WHOLE_AREA = "Total"
"""The breakdown (and level) name of the whole-area row; writers may relabel it."""

WORKING_LINK = "Working link"
NO_WORKING_LINK = "No working link"
NO_SCHOOL_RECORDED = "No school recorded"
SCHOOL_LINK_LEVELS = (WORKING_LINK, NO_WORKING_LINK, NO_SCHOOL_RECORDED)
"""The levels of the ``school_link`` breakdown."""

NOT_RECORDED = "Not recorded"
"""The ``thrive`` level of a child with no grouping on the day."""


class Unit(enum.Enum):
    """What a metric's value measures."""

    COUNT = "count"
    PERCENTAGE = "percentage"
    DAYS = "days"
    SCORE = "score"
    RATIO = "ratio"
    ESTIMATE = "estimate"
    RATE = "per 100,000"
    CHANGE = "percentage change"


class Aggregate(enum.Enum):
    """How a metric turns its population into a value."""

    COUNT = "count"
    PERCENTAGE = "percentage"
    WEIGHTED_PERCENTAGE = "weighted_percentage"
    """The share of the members' values (their weights: a school's pupils) held by those in
    the numerator; members without a value are left out of both."""
    MEDIAN = "median"
    PERCENTILE_90 = "percentile_90"
    MEAN = "mean"
    RATE_RATIO = "rate_ratio"
    EXPECTED = "expected"
    OF_NEED = "of_need"
    CRUDE_RATE = "crude_rate"
    CHANGE = "change"
    POPULATION_RATIO = "population_ratio"
    STANDARDISED_RATE = "standardised_rate"
    """NHS England's directly standardised rate (MHS95b), as its code works it out."""
    STANDARDISED_INTERVAL = "standardised_interval"
    """The half-width of MHS95b's 95% interval (MHS95c)."""
    STANDARDISED_GAP = "standardised_gap"
    """The difference between two levels' standardised rates (MHS95f, MHS95g)."""
    EUROPEAN_RATE = "european_rate"
    """A rate directly standardised to the 2013 European Standard Population (ACC03)."""


POPULATION_AGGREGATES = frozenset(
    {
        Aggregate.EXPECTED,
        Aggregate.OF_NEED,
        Aggregate.CRUDE_RATE,
        Aggregate.CHANGE,
        Aggregate.POPULATION_RATIO,
        Aggregate.STANDARDISED_RATE,
        Aggregate.STANDARDISED_INTERVAL,
        Aggregate.STANDARDISED_GAP,
        Aggregate.EUROPEAN_RATE,
    }
)
"""The aggregates worked out with a population (:mod:`cypmh.metrics.need`)."""

STANDARDISED_AGGREGATES = frozenset(
    {
        Aggregate.STANDARDISED_RATE,
        Aggregate.STANDARDISED_INTERVAL,
        Aggregate.STANDARDISED_GAP,
        Aggregate.EUROPEAN_RATE,
    }
)
"""The aggregates worked out with the population by group (:mod:`cypmh.metrics.standardised`)."""


NOT_AVAILABLE = "n/a"
"""The published value of a row whose inputs the extract does not cover (never 0 or ``*``)."""


@attrs.frozen(kw_only=True)
class ResultRow:
    """One value of one metric for one breakdown level.

    ``numerator`` and ``denominator`` are counts where the metric has them;
    ``base`` is the count a derived value rests on (the numerator of a
    percentage, the number of values of a median or mean), which disclosure
    control looks at. ``lower_ci``/``upper_ci`` are the 95% interval where one
    is defined. ``shown`` is the value as disclosure control lets it be
    published (``"*"`` when suppressed) and ``changed`` says whether it differs
    from the value; ``shown_numerator``, ``shown_denominator``,
    ``shown_lower_ci`` and ``shown_upper_ci`` are the other published fields
    (``""`` where the metric has none). A rate ratio's
    ``reference_numerator``/``reference_denominator`` are the counts of the
    group it is compared with. ``unavailable`` is the reason a row is *not
    available* (:func:`cypmh.metrics.inputs.mark_unavailable`): the extract
    lacks an input it rests on.
    """

    metric_id: str
    breakdown: str
    level: str
    unit: Unit
    value: float | None
    numerator: int | None = None
    denominator: int | None = None
    base: int | None = None
    lower_ci: float | None = None
    upper_ci: float | None = None
    reference_numerator: int | None = None
    reference_denominator: int | None = None
    shown: str = ""
    shown_numerator: str = ""
    shown_denominator: str = ""
    shown_lower_ci: str = ""
    shown_upper_ci: str = ""
    changed: bool = False
    unavailable: str = ""
