"""Every setting that changes a number, declared once (:data:`SETTINGS`).

Each has its option, its ``cypmh.toml`` key, its default and its help.

:mod:`cypmh.cli.settings` resolves them for a run and gives them to the commands.
"""

from __future__ import annotations

from typing import Any

import attrs

from cypmh.codes.deprivation import deprivation_releases
from cypmh.metrics.disclosure import DEFAULT_POLICY, POLICIES
from cypmh.need.deprivation import NHS_ENGLAND
from cypmh.need.prevalence import FILLS

__all__ = [
    "CONFIG_FILE",
    "DIRECT_CONTACTS",
    "ENGINES",
    "SDQ_AGES",
    "SETTINGS",
    "SETTINGS_BY_NAME",
    "SEXES",
    "Setting",
]

CONFIG_FILE = "cypmh.toml"
"""The settings file an extract folder may hold (its ``[run]`` table; ``[schools]`` for GIAS)."""

ENGINES = ("auto", "reference", "polars", "duckdb", "pandas", "spark")
"""The engines on offer (``spark`` is PySpark in local mode)."""

SDQ_AGES = ("dfe_collection", "published_statistics")
RELEASES = tuple(deprivation_releases())
SEXES = ("persons", "males", "females")
DIRECT_CONTACTS = "direct_contacts"
"""``waits_from``'s choice that counts waits from direct contacts only."""


@attrs.frozen(kw_only=True)
class Setting:
    """One setting: its name (the ``cypmh.toml`` key; the option is ``--`` and dashes)."""

    name: str
    kind: str
    """``file``, ``files``, ``text``, ``texts``, ``choice`` or ``year``."""
    default: Any
    help: str
    choices: tuple[str, ...] = ()

    @property
    def option(self) -> str:
        """The command-line option, for example ``--intervention-codes``."""
        return "--" + self.name.replace("_", "-")

    @property
    def many(self) -> bool:
        """Whether the option may be given more than once (and the key be a list)."""
        return self.kind in ("files", "texts")


SETTINGS: tuple[Setting, ...] = (
    Setting(
        name="intervention_codes",
        kind="file",
        default=None,
        help="The four-week clock's intervention codes (MRS08, MRS09): SNOMED CT ids one per "
        "line, or the UK release's simple refset files (der2_Refset_Simple...txt). Default: "
        "cypmh's two codes, which undercount.",
    ),
    Setting(
        name="cohort",
        kind="file",
        default=None,
        help="The four-week cohort's filters as TOML, laid out like cypmh's own. "
        "Default: NHS England's.",
    ),
    Setting(
        name="sdq_ages",
        kind="choice",
        default="dfe_collection",
        choices=SDQ_AGES,
        help="Which ages are due an SDQ: the DfE collection's (4-16), or the published "
        "statistics' (5-16). Default: dfe_collection.",
    ),
    Setting(
        name="thrive_policy",
        kind="file",
        default=None,
        help="A THRIVE grouping policy (TOML or JSON) to run on the Current View scores in "
        "MHS606: its suggestions count apart, and never over an agreed grouping.",
    ),
    Setting(
        name="population",
        kind="files",
        default=(),
        help="The area's population by age and sex: an ONS MYE2 sheet saved as CSV, the "
        "MYEB1 long file, or age,sex,population (repeatable: a Males and a Females sheet). "
        "Default: the extract's population.csv (or a database's population table).",
    ),
    Setting(
        name="area_code",
        kind="texts",
        default=(),
        help="The LA code(s) to take from the population file (repeatable; summed).",
    ),
    Setting(
        name="population_year",
        kind="year",
        default=None,
        help="The mid-year of the population to take (default: the latest).",
    ),
    Setting(
        name="sex",
        kind="choice",
        default=None,
        choices=SEXES,
        help="The sex of an MYE2 sheet whose title does not say.",
    ),
    Setting(
        name="scheme",
        kind="text",
        default="ons_2004",
        help="The prevalence scheme: ons_2004, mhcyp_2017, mhcyp_2022, mhcyp_2023, or a CSV "
        "file laid out as prevalence.csv. Default: ons_2004.",
    ),
    Setting(
        name="fill",
        kind="choice",
        default="nearest",
        choices=FILLS,
        help="For a scheme file: what the ages its survey did not cover get. Default: nearest.",
    ),
    Setting(
        name="deprivation",
        kind="files",
        default=(),
        help="The English Indices of Deprivation as GOV.UK publishes them: File 7 (or File 1 "
        "saved as CSV) of IoD2019, on 2011 LSOAs, or of IoD2025, on 2021 LSOAs (repeatable: "
        "both). The IMD breakdowns read the MPI's LSOA2011 or LSOA2021 against it. Default: the "
        "extract's deprivation.csv.",
    ),
    Setting(
        name="population_groups",
        kind="file",
        default=None,
        help="The area's population by ethnic group and by IMD decile, each by age and sex "
        "(group,code,age,sex,population), which the standardised rates MHS95b, MHS95c, "
        "MHS95f, MHS95g and ACC03 divide by. Default: the extract's population_groups.csv "
        "(or a database's population_groups table).",
    ),
    Setting(
        name="deprivation_release",
        kind="choice",
        default=NHS_ENGLAND,
        choices=(NHS_ENGLAND, *RELEASES),
        help="Which release of the deprivation files a month reads: nhs_england (the default: "
        "the one NHS England's code reads for the month, IoD2019 to date), or a release.",
    ),
    Setting(
        name="waits_from",
        kind="choice",
        default="nhs_england",
        choices=("nhs_england", DIRECT_CONTACTS),
        help="What stops a wait: nhs_england (the default: each measure's own rule; the "
        "four-week clock, MRS08-MRS09f, also stops on indirect activity), or direct_contacts "
        "(no indirect activity stops a wait: the four-week measures are then reported as "
        "cypmh's WAIT08-WAIT09f in their place).",
    ),
    Setting(
        name="suppression",
        kind="choice",
        default=DEFAULT_POLICY,
        choices=tuple(POLICIES),
        help="Disclosure control: safe (cypmh's, protects complements and differences), or "
        f"mhsds, hes, dfe as their publishers apply them, or none (inside the data "
        f"controller). Default: {DEFAULT_POLICY}.",
    ),
    Setting(
        name="engine",
        kind="choice",
        default="auto",
        choices=ENGINES,
        help="reference: over Python objects; polars, duckdb, pandas, spark: the dataframe "
        "engine on that backend (extras of those names). auto (the default): the fastest "
        "installed that computes every metric asked for, else the reference engine.",
    ),
    Setting(
        name="kpis",
        kind="file",
        default=None,
        help="The area's own KPIs, declared in a TOML file (see `cypmh kpis --help`): "
        "computed, reported and explained beside the catalogue's metrics.",
    ),
    Setting(
        name="la",
        kind="texts",
        default=(),
        help="The DfE LA number whose schools a GIAS schools/schools.csv keeps (repeatable; "
        "default: la under [schools] in cypmh.toml).",
    ),
)
"""Every setting that changes a number, in the order the outputs describe them."""

SETTINGS_BY_NAME = {s.name: s for s in SETTINGS}
""":data:`SETTINGS` by name."""
