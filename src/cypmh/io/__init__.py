"""Reading and writing cypmh objects: the JSON converter, the extract reader and writer.

``read_extract`` (an :class:`~cypmh.model.Area` and its data-quality report),
``read_extract_frames`` (the same, straight into a backend's frames) and
``write_extract`` are imported from their modules on first use.
"""

from typing import TYPE_CHECKING

from cypmh.io.converter import converter, from_json, structure, to_json, unstructure

__all__ = [
    "converter",
    "from_json",
    "read_extract",
    "read_extract_frames",
    "structure",
    "to_json",
    "unstructure",
    "write_extract",
]

_LAZY = {
    "read_extract": "cypmh.io.readers",
    "read_extract_frames": "cypmh.io.frames",
    "write_extract": "cypmh.io.extract",
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        # Imported on first use, for start-up time.
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'cypmh.io' has no attribute {name!r}")


if TYPE_CHECKING:
    from cypmh.io.extract import write_extract
    from cypmh.io.frames import read_extract_frames
    from cypmh.io.readers import read_extract
