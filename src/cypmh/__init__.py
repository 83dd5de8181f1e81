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
    "compute_frames",
    "compute_series",
    "from_json",
    "members",
    "members_frames",
    "read_extract",
    "read_extract_frames",
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
    "cypmh.metrics.engine": ("compute",),
    "cypmh.metrics.frames.engine": ("compute_frames",),
    "cypmh.metrics.series": ("compute_series",),
    "cypmh.metrics.options": ("MetricOptions",),
    "cypmh.metrics.table": ("to_frame",),
    "cypmh.metrics.drilldown": ("members", "members_frames"),
    "cypmh.metrics.why": ("why",),
    "cypmh.io.readers": ("read_extract",),
    "cypmh.io.frames": ("read_extract_frames",),
    "cypmh.need.population_files": ("read_population",),
}


_name, __dir__ = lazy_names("cypmh", _HOMES, globals())


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
    from cypmh.io.frames import read_extract_frames
    from cypmh.io.readers import read_extract
    from cypmh.metrics.drilldown import members, members_frames
    from cypmh.metrics.engine import compute
    from cypmh.metrics.frames.engine import compute_frames
    from cypmh.metrics.options import MetricOptions
    from cypmh.metrics.series import compute_series
    from cypmh.metrics.table import to_frame
    from cypmh.metrics.why import why
    from cypmh.model import (
        Area,
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
    from cypmh.need.population_files import read_population
    from cypmh.periods import Month, uniq_month_id
