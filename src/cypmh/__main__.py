"""``python -m cypmh``: the cypmh command (needs the ``cli`` extra: click)."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``cypmh`` command; return its exit status."""
    try:
        from cypmh.cli import run
    except ImportError as exc:  # pragma: no cover - depends on what is installed
        if getattr(exc, "name", None) != "click":
            raise
        print("The cypmh command needs click: pip install 'cypmh[cli]'", file=sys.stderr)
        return 2
    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
