"""Strategies for THRIVE: needs profiles, policy conditions and policies, grouping records."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from hypothesis import strategies as st

from cypmh import thrive
from cypmh.model import Referral
from cypmh.testing.values import (
    LATEST,
    dates_from,
    given_or_drawn,
    identifiers,
    labels,
)

__all__ = ["conditions", "grouping_records", "needs_profiles", "policies"]


def _item_keys() -> st.SearchStrategy[str]:
    return st.deferred(lambda: st.sampled_from(list(thrive.current_view_items())))


_LEVELS = [thrive.Rating.NONE, thrive.Rating.MILD, thrive.Rating.MODERATE, thrive.Rating.SEVERE]


@st.composite
def needs_profiles(draw: st.DrawFn) -> thrive.NeedsProfile:
    """Needs profiles: some Current View items rated, some complexity factors, some risk flags."""
    ratings = draw(st.dictionaries(_item_keys(), st.sampled_from(_LEVELS), max_size=12))
    complexity = draw(
        st.dictionaries(
            st.sampled_from(
                ["looked after", "young carer", "learning disability", "refugee", "in need"]
            ),
            st.sampled_from([thrive.Answer.YES, thrive.Answer.NO]),
            max_size=3,
        )
    )
    risks = draw(
        st.frozensets(
            st.sampled_from(["risk to self", "risk from others", "risk to others"]), max_size=2
        )
    )
    return thrive.NeedsProfile.build(ratings=ratings, complexity=complexity, risks=risks)


def conditions(max_depth: int = 2) -> st.SearchStrategy[thrive.Condition]:
    """Policy conditions of every kind, nested up to ``max_depth`` levels of any_of/all_of."""
    levels = st.sampled_from(_LEVELS[1:])
    leaves: st.SearchStrategy[thrive.Condition] = st.one_of(
        st.builds(thrive.ItemAtLeast, _item_keys(), levels),
        st.builds(
            thrive.CountAtLeast,
            st.integers(1, 5),
            levels,
            st.sampled_from(list(thrive.Among)),
        ),
        st.builds(thrive.ComplexityAtLeast, st.integers(1, 3)),
        st.builds(thrive.RiskFlag, st.sampled_from(["risk to self", "risk to others"])),
    )
    if max_depth <= 0:
        return leaves
    inner = conditions(max_depth - 1)
    return st.one_of(
        leaves,
        st.builds(thrive.AnyOf, st.lists(inner, min_size=1, max_size=3).map(tuple)),
        st.builds(thrive.AllOf, st.lists(inner, min_size=1, max_size=3).map(tuple)),
    )


@st.composite
def policies(draw: st.DrawFn, max_rules: int = 5) -> thrive.Policy:
    """Valid grouping policies: unique rule ids, and a last rule that always holds."""
    count = draw(st.integers(0, max_rules - 1))
    groupings = st.sampled_from(list(thrive.Grouping))
    rules = [
        thrive.Rule(
            id=f"rule-{i}",
            description=draw(labels()),
            grouping=draw(groupings),
            when=draw(conditions()),
        )
        for i in range(count)
    ]
    rules.append(
        thrive.Rule(
            id="otherwise", description="Fallback", grouping=draw(groupings), when=thrive.Always()
        )
    )
    return thrive.Policy(
        name=draw(labels()), description=draw(st.text(max_size=40)), rules=tuple(rules)
    )


@st.composite
def grouping_records(
    draw: st.DrawFn,
    person_id: str | None = None,
    *,
    after: date = date(2016, 1, 1),
    until: date | None = None,
    referrals: Sequence[Referral] = (),
) -> thrive.GroupingRecord:
    """Grouping records from ``after`` on (up to ``until``), agreed or suggested.

    With ``referrals`` (the child's), the record names one of them, dated from
    its receipt, or none.
    """
    referral = draw(st.none() | st.sampled_from(list(referrals))) if referrals else None
    if referral is not None:
        after = max(after, referral.received_date)
    return thrive.GroupingRecord(
        person_id=given_or_drawn(draw, person_id, identifiers()),
        grouping=draw(st.sampled_from(list(thrive.Grouping))),
        from_date=draw(dates_from(after, until or LATEST)),
        source=draw(st.sampled_from(list(thrive.GroupingSource))),
        referral_id=None if referral is None else referral.referral_id,
    )
