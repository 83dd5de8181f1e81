"""How a published figure is written: the suppression mark, numbers as text, and a policy's shape.

Shared by :mod:`cypmh.metrics.disclosure` and :mod:`cypmh.metrics.disclosure_need`.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from cypmh.metrics.results import Unit
from cypmh.metrics.stats import round_half_away

__all__ = ["SUPPRESSED", "Cell", "Policy", "count_text", "format_number", "round_to", "text_of"]

SUPPRESSED = "*"

Cell = tuple[str, str, str, str]
"""(population, quantity, breakdown, level); quantity is ``count``, ``hits`` or ``values``."""


def format_number(value: float) -> str:
    """A value as published: whole numbers without a decimal point, others to at most 6 places.

    >>> format_number(12.0), format_number(33.3333333), format_number(2.5)
    ('12', '33.333333', '2.5')
    """
    if float(value).is_integer():
        return str(int(value))
    return f"{round_half_away(value, 6):.6f}".rstrip("0").rstrip(".")


def round_to(value: float, digits: int | None) -> float:
    """``value`` to ``digits`` places, half away from zero (``None``: unrounded)."""
    return value if digits is None else round_half_away(value, digits)


@attrs.frozen(kw_only=True)
class Policy:
    """A named disclosure policy.

    ``count(n, national)`` is the published form of a count (``None`` to
    suppress it), where ``national`` says the row is a national figure;
    ``hides(base)`` says whether a derived value resting on ``base`` people is
    suppressed; ``digits(unit, national)`` is the number of decimal places of a
    derived value (``None`` for unrounded). ``safe_cells`` switches on the
    ``safe`` policy's protections (complements, differences, one fate per
    count, values from published counts).
    """

    name: str
    count: Callable[[int, bool], int | None]
    hides: Callable[[int | None], bool]
    digits: Callable[[Unit, bool], int | None]
    safe_cells: bool = False


def text_of(value: float | None, digits: int | None) -> str:
    """A derived value as published at ``digits`` places; ``None`` is suppressed."""
    if value is None:
        return SUPPRESSED
    return format_number(round_to(value, digits))


def count_text(count: int | None, published: int | None, hidden: bool) -> str:
    """A count's published text: ``""`` if there is none, ``*`` if hidden or suppressed."""
    if count is None:
        return ""
    return SUPPRESSED if hidden or published is None else str(published)
