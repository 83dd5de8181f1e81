"""Write the help of every ``cypmh`` command into a page, from the command itself."""

from __future__ import annotations

from pathlib import Path

import click

from cypmh.cli.main import cli


def write(path: Path) -> None:
    """Write ``path`` with one section per command, its help in a code block."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sections = []
    with click.Context(cli, info_name="cypmh") as parent:
        sections.append(f"## cypmh\n\n```text\n{cli.get_help(parent)}\n```\n")
        for name, command in cli.commands.items():
            with click.Context(command, info_name=name, parent=parent) as ctx:
                sections.append(f"## cypmh {name}\n\n```text\n{command.get_help(ctx)}\n```\n")
    path.write_text("\n".join(sections), encoding="utf-8")
