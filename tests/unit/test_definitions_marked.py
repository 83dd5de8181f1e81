"""Every part of a definition is a clause or marked as prose that explains a derived part.

A family's named clauses (its module's constants) and its declared populations are
read by both engines, ``cypmh why`` and the metric pages. What they read is either a
column of the tables (``cypmh.tables.schema.TABLES``) or a derived column, worked out in
code, that the family marks with the prose explaining it (``Family.derived``). These
tests find every column a family's clauses read and hold the two lists to each other.
"""

import pytest

from cypmh import clauses as cl
from cypmh.clauses import nodes
from cypmh.metrics.catalogue import CATALOGUE
from cypmh.metrics.families import MODULES
from cypmh.metrics.kpis import BASES, EXAMPLE, read_kpis
from cypmh.metrics.options import MetricOptions
from cypmh.tables.schema import TABLES

TABLE_COLUMNS = {name for table in TABLES.values() for name in table}


def clauses_of(module):
    """The family's named clauses and its populations' member and numerator clauses."""
    found = [
        value
        for name, value in vars(module).items()
        if name.isupper() and not name.startswith("_") and isinstance(value, cl.Clause.__args__)
    ]
    declared = getattr(module, "POPULATIONS", None)
    if declared is None and callable(getattr(module, "populations", None)):
        declared = module.populations(MetricOptions())
    for population in (declared or {}).values():
        found.append(population.member)
        if population.numerator is not None:
            found.append(population.numerator)
    return found


def columns_read(clauses):
    return {n.name for c in clauses for n in nodes.walk(c) if isinstance(n, nodes.Column)}


@pytest.mark.parametrize("family", sorted(MODULES))
def test_every_column_a_family_reads_is_a_table_s_or_marked_derived(family):
    module = MODULES[family]
    read = columns_read(clauses_of(module))
    unmarked = read - TABLE_COLUMNS - set(module.FAMILY.derived)
    assert not unmarked, f"{family} reads {sorted(unmarked)}: give each its prose in derived"


@pytest.mark.parametrize("family", sorted(MODULES))
def test_every_derived_column_marked_is_read_by_a_clause(family):
    """A derived name written as a column (no spaces) is one the clauses read: none is stale."""
    module = MODULES[family]
    read = columns_read(clauses_of(module))
    stale = {name for name in module.FAMILY.derived if " " not in name} - read
    assert not stale, f"{family} marks {sorted(stale)}, which no clause reads"


def test_each_metric_carries_its_family_s_derived_parts_in_its_words():
    for definition in CATALOGUE.values():
        module = MODULES.get(definition.family)
        if module is None:  # NEED01: the population alone
            continue
        assert dict(definition.derived) == dict(module.FAMILY.derived), definition.id
        for name, about in definition.derived:
            assert about.strip(), (definition.id, name)
            assert about[0].islower(), (definition.id, name)


def test_the_families_whose_code_works_out_a_derived_table_say_so():
    """MHS95's earliest contact, LINK01's open schools, SDQ eligibility, the ED wait groups,
    the outcome pairs, the spells' clock and the periods of care are code, not clauses."""
    marked = {family for family, module in MODULES.items() if module.FAMILY.derived}
    assert marked >= {
        "access",
        "school_links",
        "sdq",
        "eating_disorders",
        "outcomes",
        "four_week_waits",
        "looked_after",
        "first_contact_waits",
    }


def test_a_declared_kpi_names_the_derived_columns_it_reads():
    """JNT02 reads care_start and assessment_date, both worked out by cypmh, and no other."""
    (jnt02,) = [k for k in read_kpis(EXAMPLE) if k.id == "JNT02"]
    children = BASES["children"]
    assert dict(jnt02.definition.derived) == {
        "care_start": children.column("care_start").about,
        "assessment_date": children.column("assessment_date").about,
    }
