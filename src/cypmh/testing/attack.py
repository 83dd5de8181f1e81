"""An attacker on published tables: how much of what disclosure control hides can be worked out.

:func:`attack` reads published records (the JSON of ``cypmh report``) as a
hostile reader would, knowing only what the documentation says: how each
policy rounds and suppresses counts, which metrics count the same population
(the catalogue), that the levels of a breakdown add up to the whole area
(levels that are not published have no members, nor has a hidden percentage
written with no interval), and how a 95% Wilson
interval is computed. It then tries to pin down every count the tables do
not show exactly:

- **differences**: a level from the whole area and the other levels, and a
  total from its levels, to a fixpoint, with each count's range from its
  published (rounded) value or from the policy's suppression rule;
- **complements**: a denominator minus its numerator;
- **intervals**: the numerators and denominators whose Wilson interval,
  printed at the precision shown, gives the published bounds;
- **values**: those whose percentage, printed at the precision shown, gives
  the published value;
- **rates**: the counts whose rate per 100,000 of the published population
  (MHS95a, REF01a) gives the published value;
- **twins**: a percentage's numerator or denominator and the count metric the
  catalogue says it is (MRS09f's numerator is MRS09e's value), read as one count;
- **parts that add up**: a count that the definitions make the sum of others (ED86
  and its four bands of wait ED86a-d; LAC01 and LAC01a, c and d), at every level
  (``POPULATION_SUMS``);
- **means** and **the data-quality table**
  (:mod:`cypmh.testing.attack_channels`): the counts a mean of whole-number
  scores can rest on, and the file counts a report prints.

Given the true rows (the same results with disclosure ``none``), it scores
itself: a *hidden cell* is a count of 1 to 4 (a population, a numerator, a
denominator, or a denominator minus its numerator) that no published field
shows exactly, and it is *recovered* when the attacker's one remaining
value for it is the true one. The test suite runs it on generated areas
(``tests/property/test_disclosure_attack.py``); an information governance
lead can run it on their own tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from cypmh.metrics.catalogue import POPULATION_SUMS, definitions
from cypmh.metrics.disclosure_audit import sum_cells
from cypmh.metrics.results import WHOLE_AREA, ResultRow, Unit
from cypmh.metrics.stats import round_half_away, wilson_interval
from cypmh.report.kpi import BREAKDOWN_NAMES
from cypmh.testing.attack_channels import MEAN_SCORES, mean_counts, quality_claims
from cypmh.testing.attack_score import AttackResult, Key, Recovery, score

__all__ = ["AttackResult", "Key", "Recovery", "Table", "attack", "read_table"]

_UNBOUNDED = 10**9
_MAX_PAIRS = 40_000


def _rounded(count: int, policy: str, national: bool) -> int | None:
    """The published form of a count, as the policy's documentation states it."""
    if policy == "none" or (national and policy in ("safe", "mhsds", "hes")):
        return count
    if policy == "dfe":
        return int(round_half_away(count / 10)) * 10 if national else count
    if policy in ("safe", "mhsds"):
        return None if count < 5 else int(round_half_away(count / 5)) * 5
    if policy == "hes":
        return None if 1 <= count <= 7 else int(round_half_away(count / 5)) * 5
    raise ValueError(f"unknown policy {policy!r}")


def _domain(text: str, policy: str, national: bool) -> tuple[int, int] | None:
    """The counts that could lie behind one published field (``None`` if it says nothing)."""
    if text == "":
        return None
    if text == "*":
        if policy == "mhsds" and not national:
            return (0, 4)
        if policy == "hes" and not national:
            return (1, 7)
        return (0, _UNBOUNDED)  # safe: a cell can also be hidden to protect another
    shown = int(float(text))
    near = [
        c for c in range(max(0, shown - 12), shown + 13) if _rounded(c, policy, national) == shown
    ]
    return (min(near), max(near)) if near else (shown, shown)


def _meet(a: tuple[int, int] | None, b: tuple[int, int]) -> tuple[int, int]:
    return b if a is None else (max(a[0], b[0]), min(a[1], b[1]))


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def _printed(value: float, like: str) -> bool:
    return round_half_away(value, _decimals(like)) == float(like)


def _fields(record: Mapping[str, Any], unit: Unit) -> list[tuple[str, str]]:
    """(quantity, published text) of the counts a record carries."""
    if unit is Unit.ESTIMATE:
        return []  # NEED01: public arithmetic, no count of the data
    if unit in (Unit.RATE, Unit.CHANGE) or (
        unit is Unit.PERCENTAGE and str(record["DENOMINATOR"]) == ""
    ):
        return [("count", str(record["NUMERATOR"]))]  # the count the value rests on
    if unit is Unit.COUNT:
        return [("count", str(record["MEASURE_VALUE"]))]
    if unit in (Unit.PERCENTAGE, Unit.RATIO):
        return [("hits", str(record["NUMERATOR"])), ("count", str(record["DENOMINATOR"]))]
    return [("values", str(record["DENOMINATOR"]))]


def attack(
    records: Sequence[Mapping[str, Any]],
    policy: str,
    *,
    truth: Iterable[ResultRow],
    national: bool = False,
    use_intervals: bool = True,
    quality: Sequence[str] = (),
) -> AttackResult:
    """Attack ``records`` published under ``policy``; score against the ``truth`` rows.

    ``use_intervals=False`` leaves the intervals unread, to measure what they add.
    ``quality`` is the report's data-quality table, its counts as printed
    (:func:`cypmh.testing.attack_channels.quality_counts`).
    """
    table = read_table(records, policy, national=national)
    table.settle(use_intervals)
    hidden, recovered = table.score(truth, quality=quality)
    return AttackResult(hidden=hidden, recovered=tuple(recovered))


@attrs.define
class Table:
    """What the attacker knows of one table: each count's range, and how it was narrowed."""

    policy: str
    domains: dict[Key, tuple[int, int]] = attrs.Factory(dict)
    owner: dict[Key, tuple[str, str, str]] = attrs.Factory(dict)
    exact: set[Key] = attrs.Factory(set)
    percentages: list[tuple[Mapping[str, Any], Key, Key]] = attrs.Factory(list)
    rates: list[tuple[Mapping[str, Any], Key]] = attrs.Factory(list)
    twins: list[tuple[Key, Key]] = attrs.Factory(list)
    routes: dict[Key, str] = attrs.Factory(dict)
    starred: set[Key] = attrs.Factory(set)
    means: list[tuple[Mapping[str, Any], Key]] = attrs.Factory(list)
    sums: list[tuple[Key, tuple[Key, ...]]] = attrs.Factory(list)

    def settle(self, use_intervals: bool = True) -> None:
        """Narrow every range by every channel the table offers, to a fixpoint."""
        domains, routes = self.domains, self.routes
        for _ in range(20):
            before = dict(domains)
            _propagate(domains, routes)
            for total, parts in self.sums:  # counts the definitions say add up
                _add_up(domains, routes, total, parts)
            for a, b in self.twins:  # one count published by two metrics
                if a in domains and b in domains:
                    both = _meet(domains[a], domains[b])
                    for key in (a, b):
                        if domains[key] != both:
                            domains[key] = both
                            routes.setdefault(key, "twin metric")
            for record, hits, count in self.percentages:
                _invert(record, self.policy, hits, count, domains, routes, use_intervals)
            for record, count in self.rates:
                _invert_rate(record, self.policy, count, domains, routes)
            for record, count in self.means:
                span = mean_counts(record, domains[count]) if count in domains else None
                if span is not None:
                    _narrow(domains, routes, count, span, "a mean's value")
            if domains == before:
                break

    def narrow(self, key: Key, span: tuple[int, int], route: str) -> None:
        """Narrow one count's range, noting the route if this pins it."""
        _narrow(self.domains, self.routes, key, span, route)

    def score(
        self, truth: Iterable[ResultRow], *, under_five: bool = False, quality: Sequence[str] = ()
    ) -> tuple[int, list[Recovery]]:
        """Hidden cells, and those recovered.

        ``under_five`` also reads a ``*`` as under 5; ``quality`` is the
        data-quality table's printed counts.
        """
        claims = {
            key: (span[0], self.routes.get(key, "published"))
            for key, span in self.domains.items()
            if span[0] == span[1]
        }
        if under_five:
            for key in self.starred:
                low, high = self.domains[key]
                if key not in claims and low == min(high, 4):
                    claims[key] = (low, self.routes.get(key, "series") + ", a * read as under 5")
        for key, n in quality_claims(quality, self.domains, self.starred, self._exact).items():
            claims.setdefault(key, (n, "data-quality table"))
        return score(truth, self.exact, claims, self.owner, definitions())

    def _exact(self, text: str) -> int | None:
        span = _domain(text, self.policy, False)
        return span[0] if span is not None and span[0] == span[1] and text != "*" else None


def read_table(
    records: Sequence[Mapping[str, Any]], policy: str, *, national: bool = False
) -> Table:
    """The attacker's first reading of one table: each count's range from its published text."""
    by_name = {v: k for k, v in BREAKDOWN_NAMES.items()}

    def key_of(record: Mapping[str, Any], quantity: str) -> Key:
        definition = definitions()[record["MEASURE_ID"]]
        if record["BREAKDOWN"] == "England":
            population = f"{definition.family}/{definition.population}"
            return (population, quantity, WHOLE_AREA, WHOLE_AREA)
        breakdown = by_name[record["BREAKDOWN"]]
        # A breakdown that counts another population (MHS95 by provider) is its own count.
        population = f"{definition.family}/{definition.population_for(breakdown)}"
        return (population, quantity, breakdown, str(record["PRIMARY_LEVEL"]))

    table = Table(policy=policy)
    for record in records:
        unit = definitions()[record["MEASURE_ID"]].unit
        is_national = national and record["BREAKDOWN"] == "England"
        for quantity, text in _fields(record, unit):
            span = _domain(text, policy, is_national)
            if span is None:
                continue
            key = key_of(record, quantity)
            table.domains[key] = _meet(table.domains.get(key), span)
            table.owner.setdefault(key, (record["MEASURE_ID"], key[2], key[3]))
            if span[0] == span[1] and text != "*":
                table.exact.add(key)
            if text == "*":
                table.starred.add(key)
        if unit is Unit.PERCENTAGE and str(record["DENOMINATOR"]) != "":
            table.percentages.append((record, key_of(record, "hits"), key_of(record, "count")))
        table.twins += _twin_keys(record, key_of, definitions())
        if unit is Unit.RATE:
            table.rates.append((record, key_of(record, "count")))
        if record["MEASURE_ID"] in MEAN_SCORES:
            table.means.append((record, key_of(record, "values")))
    table.sums = sum_cells(table.domains, POPULATION_SUMS)
    return table


def _add_up(
    domains: dict[Key, tuple[int, int]],
    routes: dict[Key, str],
    total: Key,
    parts: Sequence[Key],
) -> None:
    """Narrow by total = the sum of the parts (a part not published at the level is 0)."""
    spans = [domains.get(p, (0, 0)) for p in parts]
    low, high = sum(s[0] for s in spans), sum(s[1] for s in spans)
    _narrow(domains, routes, total, (low, high), "parts that add up")
    t_low, t_high = domains[total]
    for part, span in zip(parts, spans, strict=True):
        if part in domains:
            span_of_rest = (low - span[0], high - span[1])
            _narrow(
                domains,
                routes,
                part,
                (max(0, t_low - span_of_rest[1]), t_high - span_of_rest[0]),
                "parts that add up",
            )


def _twin_keys(
    record: Mapping[str, Any], key_of: Any, catalogue: Mapping[str, Any]
) -> list[tuple[Key, Key]]:
    """A percentage's numerator and denominator keys, each with its count twin's.

    The catalogue says which count metric a percentage's numerator (and
    denominator) is (MRS09f's numerator is MRS09e): the attacker reads them as
    one count.
    """
    definition = catalogue[record["MEASURE_ID"]]
    if definition.unit is not Unit.PERCENTAGE:
        return []
    pairs = []
    for quantity, other in (("hits", definition.numerator), ("count", definition.denominator)):
        twin = catalogue.get(other or "")
        if twin is None or twin.unit is not Unit.COUNT:
            continue
        theirs = {**record, "MEASURE_ID": other}
        pairs.append((key_of(record, quantity), key_of(theirs, "count")))
    return pairs


def _narrow(
    domains: dict[Key, tuple[int, int]],
    routes: dict[Key, str],
    key: Key,
    span: tuple[int, int],
    route: str,
) -> None:
    old = domains.get(key)
    new = _meet(old, span)
    if new != old:
        domains[key] = new
        if new[0] == new[1] and (old is None or old[0] != old[1]):
            routes[key] = route


def _propagate(domains: dict[Key, tuple[int, int]], routes: dict[Key, str]) -> None:
    """Narrow every range by the sums of breakdowns and hits <= count, to a fixpoint."""
    groups: dict[tuple[str, str, str], list[Key]] = {}
    for key in domains:
        if key[2] != WHOLE_AREA and key[1] != "complement":
            groups.setdefault(key[:3], []).append(key)
    for _ in range(50):
        before = dict(domains)
        for (population, quantity, _), levels in groups.items():
            total = (population, quantity, WHOLE_AREA, WHOLE_AREA)
            if total not in domains:
                continue
            low = sum(domains[k][0] for k in levels)
            high = sum(domains[k][1] for k in levels)
            _narrow(domains, routes, total, (low, high), "differences")
            t_low, t_high = domains[total]
            for k in levels:
                others_low = low - domains[k][0]
                others_high = high - domains[k][1]
                span = (max(0, t_low - others_high), t_high - others_low)
                _narrow(domains, routes, k, span, "differences")
        for key, (low, _high) in list(domains.items()):
            if key[1] == "hits":
                count = (key[0], "count", key[2], key[3])
                if count in domains:
                    _narrow(domains, routes, key, (0, domains[count][1]), "differences")
                    _narrow(domains, routes, count, (low, _UNBOUNDED), "differences")
        if domains == before:
            return


def _published_pair(record: Mapping[str, Any]) -> tuple[int, int] | None:
    n, d = str(record["NUMERATOR"]), str(record["DENOMINATOR"])
    if n in ("", "*", "None") or d in ("", "*", "None"):
        return None
    return int(float(n)), int(float(d))


def _invert(
    record: Mapping[str, Any],
    policy: str,
    hits: Key,
    count: Key,
    domains: dict[Key, tuple[int, int]],
    routes: dict[Key, str],
    use_intervals: bool = True,
) -> None:
    """Narrow one row's numerator, denominator and complement by its interval and value.

    The attacker knows how the policy says the value and interval are made. An
    interval (or, under ``safe``, a value) that the published counts reproduce
    says nothing more; one they do not reproduce must come from the true counts.
    """
    if hits not in domains or count not in domains:
        return
    value, low, high = (str(record[k]) for k in ("MEASURE_VALUE", "LOWER_CI", "UPPER_CI"))
    if value == "*" and not _number(low) and low != "*":
        # A hidden level with members has a hidden interval too; one with no interval at
        # all has no members, and a reader can tell it.
        _narrow(domains, routes, count, (0, 0), "empty")
        _narrow(domains, routes, hits, (0, 0), "empty")
        return
    (h_low, h_high), (c_low, c_high) = domains[hits], domains[count]
    c_high = min(c_high, max(c_low, 2000))
    h_high = min(h_high, c_high)
    if c_high < max(1, c_low) or (h_high - h_low + 1) * (c_high - c_low + 1) > _MAX_PAIRS:
        return
    pairs = [
        (n, d) for d in range(max(1, c_low), c_high + 1) for n in range(h_low, min(h_high, d) + 1)
    ]
    published = _published_pair(record)
    filters = []
    if use_intervals and _number(low) and _number(high):

        def interval(n: int, d: int) -> bool:
            return _interval_fits(n, d, low, high)

        if published is None or not interval(*published):
            filters.append(("intervals", interval))
    if _number(value):

        def percentage(n: int, d: int) -> bool:
            return _printed(100 * n / d, value)

        if policy != "safe" or published is None or not percentage(*published):
            filters.append(("values", percentage))
    route = "complements"
    for name, fits in filters:
        found = [(n, d) for n, d in pairs if fits(n, d)]
        if found:
            pairs, route = found, name
    if not pairs:
        return
    complement = (count[0], "complement", count[2], count[3])
    _narrow(domains, routes, hits, (min(n for n, _ in pairs), max(n for n, _ in pairs)), route)
    _narrow(domains, routes, count, (min(d for _, d in pairs), max(d for _, d in pairs)), route)
    gaps = [d - n for n, d in pairs]
    _narrow(domains, routes, complement, (min(gaps), max(gaps)), route)


def _invert_rate(
    record: Mapping[str, Any],
    policy: str,
    count: Key,
    domains: dict[Key, tuple[int, int]],
    routes: dict[Key, str],
) -> None:
    """Narrow the count behind a rate per 100,000 of the published population by its value."""
    value, people, shown = (str(record[k]) for k in ("MEASURE_VALUE", "DENOMINATOR", "NUMERATOR"))
    if count not in domains or not _number(value) or not _number(people) or float(people) <= 0:
        return
    size = float(people)

    def fits(n: int) -> bool:
        return _printed(100_000 * n / size, value)

    if policy == "safe" and _number(shown) and fits(int(float(shown))):
        return  # reproduced by the published count: says nothing more
    low, high = domains[count]
    found = [n for n in range(low, min(high, low + 2000) + 1) if fits(n)]
    if found:
        _narrow(domains, routes, count, (min(found), max(found)), "rates")


def _number(text: str) -> bool:
    return text not in ("", "*", "None")


def _interval_fits(n: int, d: int, low: str, high: str) -> bool:
    interval = wilson_interval(n, d)
    return (
        interval is not None
        and _printed(100 * interval[0], low)
        and _printed(100 * interval[1], high)
    )
