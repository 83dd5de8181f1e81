"""THRIVE: needs-based groupings, needs profiles, local grouping policies, groupings over time.

cypmh suggests and counts groupings; it does not decide them. A grouping is
agreed with the child and family, and any rule that suggests one is a local
policy (see :mod:`cypmh.thrive.policy`).

The names below are imported from their modules on first use, so that the
model (which holds a child's grouping records) can read
:class:`~cypmh.codes.groupings.Grouping` without loading the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cypmh._lazy import lazy_names

_HOMES = {
    "cypmh.codes.groupings": ("Grouping",),
    "cypmh.model.groupings": ("GroupingRecord", "GroupingSource"),
    "cypmh.thrive.policy": (
        "AllOf",
        "Always",
        "Among",
        "AnyOf",
        "ComplexityAtLeast",
        "Condition",
        "CountAtLeast",
        "Decision",
        "DecisionSource",
        "ItemAtLeast",
        "Policy",
        "RiskFlag",
        "Rule",
        "example_policy",
    ),
    "cypmh.thrive.profile": (
        "Answer",
        "CurrentViewItem",
        "ItemKind",
        "NeedsProfile",
        "Rating",
        "current_view_items",
        "profile_from_assessments",
    ),
    "cypmh.thrive.timeline": (
        "FlowMatrix",
        "GroupingEpisode",
        "ServiceOffer",
        "children_with_open_referral",
        "distribution",
        "flow_matrix",
        "grouping_episodes",
        "grouping_in_force",
        "grouping_level",
        "grouping_levels",
        "grouping_on",
        "level_of",
        "services_offering",
    ),
    "cypmh.thrive.suggest": ("suggest_groupings", "with_suggestions"),
}

__all__ = [
    "AllOf",
    "Always",
    "Among",
    "Answer",
    "AnyOf",
    "ComplexityAtLeast",
    "Condition",
    "CountAtLeast",
    "CurrentViewItem",
    "Decision",
    "DecisionSource",
    "FlowMatrix",
    "Grouping",
    "GroupingEpisode",
    "GroupingRecord",
    "GroupingSource",
    "ItemAtLeast",
    "ItemKind",
    "NeedsProfile",
    "Policy",
    "Rating",
    "RiskFlag",
    "Rule",
    "ServiceOffer",
    "children_with_open_referral",
    "current_view_items",
    "distribution",
    "example_policy",
    "flow_matrix",
    "grouping_episodes",
    "grouping_in_force",
    "grouping_level",
    "grouping_levels",
    "grouping_on",
    "level_of",
    "profile_from_assessments",
    "services_offering",
    "suggest_groupings",
    "with_suggestions",
]


__getattr__, __dir__ = lazy_names("cypmh.thrive", _HOMES, globals())


if TYPE_CHECKING:
    from cypmh.codes.groupings import Grouping
    from cypmh.model.groupings import GroupingRecord, GroupingSource
    from cypmh.thrive.policy import (
        AllOf,
        Always,
        Among,
        AnyOf,
        ComplexityAtLeast,
        Condition,
        CountAtLeast,
        Decision,
        DecisionSource,
        ItemAtLeast,
        Policy,
        RiskFlag,
        Rule,
        example_policy,
    )
    from cypmh.thrive.profile import (
        Answer,
        CurrentViewItem,
        ItemKind,
        NeedsProfile,
        Rating,
        current_view_items,
        profile_from_assessments,
    )
    from cypmh.thrive.suggest import suggest_groupings, with_suggestions
    from cypmh.thrive.timeline import (
        FlowMatrix,
        GroupingEpisode,
        ServiceOffer,
        children_with_open_referral,
        distribution,
        flow_matrix,
        grouping_episodes,
        grouping_in_force,
        grouping_level,
        grouping_levels,
        grouping_on,
        level_of,
        services_offering,
    )
