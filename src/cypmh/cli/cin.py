"""``cypmh cin-census``: the Children in Need census XML as ``ssda903/social_work.csv``."""

from __future__ import annotations

from pathlib import Path

import click

from cypmh.cli.support import write_out

__all__ = ["cin_census"]

_SHOWN = 50
"""At most this many problems are listed one by one; the rest are counted."""


@click.command("cin-census")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the periods here (the extract's ssda903/social_work.csv) instead of to "
    "standard output.",
)
def cin_census(files: tuple[Path, ...], out: Path | None) -> None:
    """Read Children in Need census FILES (XML, as submitted to DfE) into social-care periods.

    Writes ssda903/social_work.csv: a child-in-need period for each referral that did
    not end in no further action, and a child-protection-plan period for each plan,
    by the LAchildID (the SSDA903 CHILD). Several years' files are read together; where
    two give the same period, the later reference date gives its end. Every element left
    out is listed on standard error with its file, line and rule.
    """
    # Imported when the command runs, so that `cypmh --help` stays quick.
    from cypmh.io.cin_census import (
        CinCensusError,
        combine,
        read_cin_census,
        social_work_text,
    )

    if out is not None:
        if out.is_dir():
            raise click.ClickException(f"--out {out}: is a folder")
        for file in files:
            if out.exists() and file.exists() and out.samefile(file):
                raise click.ClickException(f"--out {out}: is one of the files read")
    censuses = []
    for file in files:
        try:
            censuses.append(read_cin_census(file))
        except CinCensusError as exc:
            raise click.ClickException(str(exc)) from None
    periods = combine(censuses)
    problems = [p for census in censuses for p in census.problems]
    for problem in problems[:_SHOWN]:
        click.echo(f"Left out: {problem}", err=True)
    if len(problems) > _SHOWN:
        click.echo(f"Left out: {len(problems) - _SHOWN} more, as above", err=True)
    for census in censuses:
        when = census.reference_date.isoformat() if census.reference_date else "no reference date"
        click.echo(
            f"{census.file} ({when}): {census.children} children, {census.referrals} "
            f"referrals ({census.no_further_action} ended in no further action, so no period), "
            f"{len(census.periods)} periods, {len(census.problems)} left out",
            err=True,
        )
    text = social_work_text(periods)
    if out is None:
        click.echo(text, nl=False)
    else:
        write_out(out, text)
    children = len({p.child for p in periods})
    click.echo(f"{len(periods)} periods of {children} children.", err=True)
