"""cypmh: one shared, tested definition of CYP mental health data and KPIs in England.

The names below are imported from their modules on first use, so that
``import cypmh`` (and the ``cypmh`` command's start) stays quick:
``cypmh.Area`` loads the model, ``cypmh.to_json`` the serializer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cypmh._lazy import lazy_names
from cypmh._moved import install

__all__ = [
    "Area",
    "AreaError",
    "AssessmentFactor",
    "CareEpisode",
    "CarePlan",
    "Child",
    "CodedAssessment",
    "Contact",
    "CypmhError",
    "IndirectActivity",
    "InvalidValueError",
    "LinkContact",
    "MetricOptions",
    "Month",
    "NotInAreaError",
    "Referral",
    "School",
    "SdqReturn",
    "Service",
    "SocialWorkInvolvement",
    "StructureError",
    "UnknownCodeError",
    "WellbeingAssessment",
    "compute",
    "compute_series",
    "from_json",
    "members",
    "read_deprivation",
    "read_extract",
    "read_population",
    "structure",
    "to_frame",
    "to_json",
    "uniq_month_id",
    "unstructure",
    "why",
]


_HOMES = {
    "cypmh.errors": (
        "AreaError",
        "CypmhError",
        "InvalidValueError",
        "NotInAreaError",
        "StructureError",
        "UnknownCodeError",
    ),
    "cypmh.io": ("from_json", "structure", "to_json", "unstructure"),
    "cypmh.model": (
        "Area",
        "AssessmentFactor",
        "CareEpisode",
        "CarePlan",
        "Child",
        "CodedAssessment",
        "Contact",
        "IndirectActivity",
        "LinkContact",
        "Referral",
        "School",
        "SdqReturn",
        "Service",
        "SocialWorkInvolvement",
        "WellbeingAssessment",
    ),
    "cypmh.periods": ("Month", "uniq_month_id"),
    "cypmh.metrics.api": ("compute", "compute_series", "members", "why"),
    "cypmh.metrics.frames.engine": ("compute_frames",),
    "cypmh.metrics.options": ("MetricOptions",),
    "cypmh.metrics.table": ("to_frame",),
    "cypmh.metrics.drilldown": ("members_frames",),
    "cypmh.io.readers": ("read_extract",),
    "cypmh.io.frames": ("read_extract_frames",),
    "cypmh.need.population_files": ("read_population",),
    "cypmh.need.deprivation": ("read_deprivation",),
}


DEPRECATED = {
    "compute_frames": 'compute(tables) or compute(area, ..., engine="polars")',
    "members_frames": 'members(tables, ...) or members(area, ..., engine="polars")',
    "read_extract_frames": 'read_extract(folder, engine="polars")',
}
"""The names with the engine in them, kept for one release (see the changelog)."""

_name, __dir__ = lazy_names("cypmh", _HOMES, globals(), DEPRECATED)


def __getattr__(name: str) -> object:
    if name == "__version__":
        # Imported on first use, for start-up time. The version is written once, in
        # pyproject.toml, and read from the installed package's metadata.
        from importlib.metadata import version

        return version("cypmh")
    return _name(name)


install()  # the old names of moved modules (cypmh._moved)
del install


if TYPE_CHECKING:
    from cypmh.errors import (
        AreaError,
        CypmhError,
        InvalidValueError,
        NotInAreaError,
        StructureError,
        UnknownCodeError,
    )
    from cypmh.io import from_json, structure, to_json, unstructure
    from cypmh.io.frames import read_extract_frames as read_extract_frames
    from cypmh.io.readers import read_extract
    from cypmh.metrics.api import compute, compute_series, members, why
    from cypmh.metrics.drilldown import members_frames as members_frames
    from cypmh.metrics.frames.engine import compute_frames as compute_frames
    from cypmh.metrics.options import MetricOptions
    from cypmh.metrics.table import to_frame
    from cypmh.model import (
        Area,
        AssessmentFactor,
        CareEpisode,
        CarePlan,
        Child,
        CodedAssessment,
        Contact,
        IndirectActivity,
        LinkContact,
        Referral,
        School,
        SdqReturn,
        Service,
        SocialWorkInvolvement,
        WellbeingAssessment,
    )
    from cypmh.need.deprivation import read_deprivation
    from cypmh.need.population_files import read_population
    from cypmh.periods import Month, uniq_month_id
