"""Counts the definitions make add up: the audit and the attacker both read them.

ED86 is the sum of its four bands of wait (ED86a-d), LAC01 of LAC01a, c and d, and each
rater's paired referrals of improvement, deterioration and no change
(``POPULATION_SUMS``, from each family's ``Family.sums``). A reader who knows the
definitions can subtract, so the month's audit must too.
"""

from cypmh.metrics.catalogue import CATALOGUE, POPULATION_SUMS
from cypmh.metrics.disclosure import POLICIES
from cypmh.metrics.disclosure_audit import beside, pinned, sum_cells
from cypmh.metrics.results import WHOLE_AREA

TOTAL = ("eating_disorders/ed_urgent", "count", WHOLE_AREA, WHOLE_AREA)
BANDS = tuple(
    (f"eating_disorders/ed_urgent_{band}", "count", WHOLE_AREA, WHOLE_AREA)
    for band in ("1_week", "1_to_4_weeks", "4_to_12_weeks", "over_12_weeks")
)


def test_every_sum_names_populations_the_catalogue_publishes():
    published = {f"{d.family}/{d.population}" for d in CATALOGUE.values()}
    for total, parts in POPULATION_SUMS.items():
        assert total in published, total
        assert set(parts) <= published, total


def test_a_hidden_band_that_the_total_and_the_other_bands_fix_is_pinned_then_protected():
    """By hand, national figures (unrounded): ED86 = 12 shown; bands a-d 7, 3 (hidden), 2, 0.

    12 - 7 - 2 - 0 = 3: the hidden band is fixed, and only the sum says so (the bands
    are four populations, not levels of one breakdown). The audit names it, and the
    cell it hides beside it is the smallest shown one of the sum: not the empty band (0:
    hiding it hides nothing), so ED86c's 2.
    """
    values = {TOTAL: 12, BANDS[0]: 7, BANDS[1]: 3, BANDS[2]: 2, BANDS[3]: 0}
    hidden = {BANDS[1]}
    sums = sum_cells(values, POPULATION_SUMS)
    assert sums == [(TOTAL, BANDS)]
    args = (values, hidden, POLICIES["safe"], True, {}, {}, lambda cell: values[cell] == 0)
    assert pinned(*args) == []  # without the sum nothing is known of the band
    assert pinned(*args, sums) == [BANDS[1]]
    chosen = beside(BANDS[1], {}, values, hidden, sums)
    assert chosen == BANDS[2]
    # With it hidden too, 12 - 7 - 0 = 5 is two hidden bands of at least 1: neither is fixed.
    assert pinned(values, hidden | {chosen}, *args[2:], sums) == []


def test_a_part_not_published_at_a_breakdown_gives_no_sum_there():
    """A band with no cell at a level where its population is published elsewhere at that
    breakdown has no members there (0); where it is not published at that breakdown at all,
    nothing is known and no sum is read."""
    at = [(c[0], c[1], "sex", "1") for c in (TOTAL, *BANDS[:3])]
    elsewhere = (BANDS[3][0], "count", "sex", "2")
    assert sum_cells([*at, elsewhere], POPULATION_SUMS) == [
        (at[0], tuple((b[0], "count", "sex", "1") for b in BANDS))
    ]
    assert sum_cells(at, POPULATION_SUMS) == []
