"""Sphinx configuration for the cypmh documentation."""

import doctest
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

import cli_help
import extract_pages
import layers
import metric_pages
import timelines

timelines.write_all(Path(__file__).parent / "_static" / "timelines")
metric_pages.write_all(Path(__file__).parent / "reference" / "metrics")
cli_help.write(Path(__file__).parent / "reference" / "_generated" / "cli-help.md")
extract_pages.write(Path(__file__).parent / "reference" / "extract-format.md")
layers.write(Path(__file__).parent / "explanation" / "_generated" / "layers.md")

project = "cypmh"
author = "cypmh developers"
copyright = "2026, cypmh developers"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "sphinx.ext.viewcode",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
exclude_patterns = ["_build", "reference/_generated", "explanation/_generated"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

html_theme = "furo"
html_title = "cypmh"
html_static_path = ["_static"]

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_default_options = {"members": True}

# The pages' {doctest} blocks run here; docstring examples run under pytest
# (--doctest-modules), in their own module's namespace. Each example runs once.
doctest_test_doctest_blocks = ""
doctest_default_flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
