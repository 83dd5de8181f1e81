"""Reading and writing cypmh objects."""

from cypmh.io.converter import converter, from_json, structure, to_json, unstructure

__all__ = ["converter", "from_json", "structure", "to_json", "unstructure"]
