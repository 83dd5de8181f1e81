"""Reading and writing cypmh objects: the JSON converter, the extract reader and writer.

``read_extract`` (an :class:`~cypmh.model.Area` and its data-quality report, or
with ``engine=`` a backend's frames) and ``write_extract`` are imported from their
modules on first use. ``read_extract_frames`` is a deprecated name, kept for one
release: use ``read_extract(folder, engine=...)``.
"""

from typing import TYPE_CHECKING

from cypmh._lazy import lazy_names
from cypmh.io.converter import converter, from_json, structure, to_json, unstructure

__all__ = [
    "converter",
    "from_json",
    "read_extract",
    "structure",
    "to_json",
    "unstructure",
    "write_extract",
]

_HOMES = {
    "cypmh.io.readers": ("read_extract",),
    "cypmh.io.frames": ("read_extract_frames",),
    "cypmh.io.extract": ("write_extract",),
}

__getattr__, __dir__ = lazy_names(
    "cypmh.io",
    _HOMES,
    globals(),
    {"read_extract_frames": 'read_extract(folder, engine="polars")'},
)


if TYPE_CHECKING:
    from cypmh.io.extract import write_extract
    from cypmh.io.frames import read_extract_frames as read_extract_frames
    from cypmh.io.readers import read_extract
