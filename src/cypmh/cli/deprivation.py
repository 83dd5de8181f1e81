"""The deprivation a command reads: whether its IMD breakdowns can be read, and the gradient.

:func:`with_deprivation` gives the breakdowns a ``report`` or ``trend`` computes
(the IMD quintile by default where a deprivation file is read), and
:func:`gradient_for` the board's deprivation panel
(:mod:`cypmh.report.deprivation_panel`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from cypmh.cli.need import panel_rows
from cypmh.cli.support import Source, covered_by
from cypmh.periods import Month

if TYPE_CHECKING:
    from cypmh.metrics import MetricOptions
    from cypmh.metrics.inputs import Coverage
    from cypmh.report.deprivation_panel import GradientPanel

__all__ = [
    "deprivation_unusable",
    "gradient_for",
    "unmatched_warning",
    "warn_unmatched",
    "with_deprivation",
]


def deprivation_unusable(options: MetricOptions, covered: Coverage | None) -> str | None:
    """Why the IMD breakdowns cannot be read (no file, or the MPI lacks its LSOA column)."""
    from cypmh.metrics.files import mpi_column  # when run: keeps --help quick
    from cypmh.metrics.inputs import lacking

    if not options.deprivation:
        return (
            "the IMD breakdowns need the English Indices of Deprivation: give --deprivation "
            "FILE (GOV.UK's File 7 CSV), or put deprivation.csv in the extract"
        )
    for lookup in options.deprivation:
        column = lookup.about.lsoa_column
        if covered is not None and lacking([mpi_column(column)], covered):
            return (
                f"the IMD breakdowns of {lookup.release} read each child's {column}, and "
                f"MHS001MPI.csv has no {column} column"
            )
    return None


def with_deprivation(
    breakdowns: Sequence[str],
    default: Sequence[str],
    options: MetricOptions,
    covered: Coverage | None,
    *,
    add: bool = True,
) -> list[str]:
    """The breakdowns a run computes; a usage error for an IMD breakdown it cannot read.

    Those asked for, else ``default`` and (``add``), where the IMD breakdowns can be
    read (:func:`deprivation_unusable`), the IMD quintile.
    """
    from cypmh.metrics.joint import needs_deprivation  # when run: keeps --help quick

    asked = [b for b in breakdowns if needs_deprivation(b)]
    unusable = deprivation_unusable(options, covered)
    if asked and unusable:
        raise click.UsageError(f"--breakdown {asked[0]}: {unusable}")
    if breakdowns:
        return list(breakdowns)
    return [*default, *(["imd_quintile"] if add and not unusable else [])]


def gradient_for(
    source: Source, month: Month, options: MetricOptions, suppression: str
) -> GradientPanel | None:
    """The deprivation gradient of ``month`` (``None`` without a deprivation file)."""
    # Imported when the command runs, so that `cypmh --help` stays quick.
    from cypmh.report.deprivation_panel import (
        GRADIENT_BREAKDOWNS,
        GRADIENT_METRICS,
        STANDARDISED_METRICS,
        gradient_panel,
    )

    chosen, why = options.deprivation_choice(month.last_day)
    if chosen is None or deprivation_unusable(options, covered_by(source)):
        return None
    metrics: tuple[str, ...] = GRADIENT_METRICS
    if (
        options.population_groups is not None
        and "imd_core20" in options.population_groups.breakdowns
    ):
        metrics = (*GRADIENT_METRICS, *STANDARDISED_METRICS)
    rows = panel_rows(source, month, options, suppression, metrics, GRADIENT_BREAKDOWNS)
    return gradient_panel(rows, str(month), why)


def unmatched_warning(source: Source, options: MetricOptions, month: Month) -> str | None:
    """A warning naming how many children's LSOAs the release read does not hold.

    Those children are ``UNKNOWN`` in the IMD breakdowns, as in NHS England's
    figures. The LSOAs themselves are not shown (a neighbourhood is near to naming
    a child), and nor are the MPI's lines: the children are counted, not listed.
    """
    lookup = options.deprivation_for(month.last_day)
    if lookup is None:
        return None
    column = lookup.about.lsoa_column
    if source.area is not None:
        field = "lsoa" if column == "LSOA2011" else "lsoa2021"
        given = [getattr(child, field) for child in source.area.children]
    elif source.tables is not None and "children" in source.tables:
        import narwhals as nw  # when run: an optional extra

        name = "lsoa" if column == "LSOA2011" else "lsoa2021"
        frame = nw.from_native(source.tables["children"])
        if name not in frame.columns:
            return None
        table = frame.select(name)
        eager = table.collect() if isinstance(table, nw.LazyFrame) else table
        given = list(eager[name].to_list())
    else:
        return None
    unmatched = sum(1 for lsoa in given if lsoa and lsoa not in lookup.deciles)
    if not unmatched:
        return None
    return (
        f"MHS001MPI.csv: {unmatched} child(ren) have a {column} that the deprivation file "
        f"({lookup.release}) does not hold; they are UNKNOWN in the IMD breakdowns. Is the "
        f"file the release the {column} codes are of?"
    )


def warn_unmatched(
    source: Source, options: MetricOptions, month: Month, breakdowns: Sequence[str]
) -> None:
    """:func:`unmatched_warning` on standard error, where an IMD breakdown is computed."""
    from cypmh.metrics.joint import needs_deprivation  # when run: keeps --help quick

    if any(needs_deprivation(b) for b in breakdowns):
        said = unmatched_warning(source, options, month)
        if said:
            click.echo(f"Warning: {said}", err=True)
