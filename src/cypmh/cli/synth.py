"""``cypmh synth``: a synthetic extract folder, its social care in either shape."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["synth"]


@click.command()
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--people", type=click.IntRange(min=1), default=500, show_default=True)
@click.option(
    "--force", is_flag=True, help="Write into OUTDIR even if it is not empty (files are replaced)."
)
@click.option(
    "--social-care",
    type=click.Choice(["ssda903", "ssd"]),
    default="ssda903",
    show_default=True,
    help="How social care's children and periods are written: the extract's ssda903/ "
    "files, or the Standard Safeguarding Dataset's tables in ssd/.",
)
def synth(
    outdir: Path, seed: int, people: int, force: bool = False, social_care: str = "ssda903"
) -> None:
    """Write a synthetic extract folder to OUTDIR (seeded, reproducible).

    OUTDIR must be new or empty, unless --force is given: a real extract is
    never overwritten by accident.
    """
    from cypmh.synth.folder import write_synthetic  # when run: keeps --help quick

    if not force and outdir.is_dir() and any(outdir.iterdir()):
        raise click.ClickException(
            f"{outdir}: is not empty; give a new folder, or --force to write over its files"
        )
    try:
        folder = write_synthetic(outdir, seed=seed, people=people, social_care=social_care)
    except OSError as exc:
        raise click.ClickException(
            f"{outdir}: cannot write the extract there: {exc.strerror}"
        ) from None
    click.echo(f"Wrote a synthetic extract of {people} children to {folder}")
