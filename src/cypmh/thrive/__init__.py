"""THRIVE: needs-based groupings, needs profiles, local grouping policies, groupings over time.

cypmh suggests and counts groupings; it does not decide them. A grouping is
agreed with the child and family, and any rule that suggests one is a local
policy (see :mod:`cypmh.thrive.policy`).
"""

from cypmh.thrive.groupings import Grouping
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
from cypmh.thrive.timeline import (
    FlowMatrix,
    GroupingEpisode,
    GroupingRecord,
    GroupingSource,
    ServiceOffer,
    children_with_open_referral,
    distribution,
    flow_matrix,
    grouping_episodes,
    grouping_on,
    services_offering,
)

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
    "grouping_on",
    "profile_from_assessments",
    "services_offering",
]
