"""Every part of a definition is a clause or marked as prose that explains a derived part.

A family's named clauses (its module's constants) and its declared populations are
read by both engines, ``cypmh why`` and the metric pages. What they read is either a
column of the tables (``cypmh.tables.schema.TABLES``) or a derived column, worked out in
code, that the family marks with the prose explaining it (``Family.derived``). These
tests find every column a family's clauses read and hold the two lists to each other.
"""

import re

import pytest

from cypmh import clauses as cl
from cypmh.clauses import nodes
from cypmh.metrics.catalogue import CATALOGUE
from cypmh.metrics.families import MODULES
from cypmh.metrics.kpis import BASES, EXAMPLE, read_kpis
from cypmh.metrics.options import MetricOptions
from cypmh.metrics.results import Aggregate
from cypmh.tables.schema import TABLES

TABLE_COLUMNS = {name for table in TABLES.values() for name in table}


def clauses_of(module):
    """The family's named clauses, its cohort, and its populations' member and numerator
    clauses (the module's and those its ``FAMILY`` declares)."""
    found = [
        value
        for name, value in vars(module).items()
        if name.isupper() and not name.startswith("_") and isinstance(value, cl.Clause.__args__)
    ]
    declared = getattr(module, "POPULATIONS", None)
    if declared is None and callable(getattr(module, "populations", None)):
        declared = module.populations(MetricOptions())
    family = module.FAMILY
    if family.cohort is not None:
        found.append(family.cohort)
    for population in [*(declared or {}).values(), *family.populations.values()]:
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


# A definition sentence is written from its clauses: each clause its family declares for
# its population is in its words, or in the words of a metric it names (MHS131 is "the
# median ... over MHS130's referrals"), and what no clause backs is a derived part.


def _conjuncts(clause):
    """The parts of a clause that must each be said: an ``all`` is its parts, nested."""
    if isinstance(clause, nodes.All):
        return [part for inner in clause.clauses for part in _conjuncts(inner)]
    return [clause]


def _said(definition, known, seen=()):
    """``definition``'s words, with those of every metric of its family it names."""
    text = definition.definition
    for other in known.values():
        if (
            other.id not in seen
            and other.id != definition.id
            and other.family == definition.family
            and re.search(rf"\b{re.escape(other.id)}\b", definition.definition)
        ):
            text += " " + _said(other, known, (*seen, definition.id))
    return text


def _family_of(definition):
    from cypmh.metrics.need_catalogue import NEED

    module = MODULES.get(definition.family)
    return module.FAMILY if module is not None else NEED


@pytest.mark.parametrize("metric_id", sorted(CATALOGUE))
def test_each_definition_says_every_clause_of_its_population(metric_id):
    definition = CATALOGUE[metric_id]
    family = _family_of(definition)
    declared = family.clauses(definition.population)
    said = _said(definition, CATALOGUE)
    # A count's population may carry the numerator of the percentage over it (ED86 is
    # ED86e's denominator): only a percentage must say it.
    said_parts = (
        ("member", "numerator") if definition.aggregate is Aggregate.PERCENTAGE else ("member",)
    )
    for name in said_parts:
        if name in declared:
            for part in _conjuncts(declared[name]):
                assert cl.words(part) in said, (metric_id, name, cl.words(part))
    if "member" not in declared:
        # Its population is a derived table (MHS95's earliest contact, the score pairs,
        # SDQ eligibility, the expected need): the family marks it with its prose.
        assert family.derived, metric_id


def test_no_definition_restates_the_cyp_cohort_in_its_own_words():
    """The cohort's old hand-written phrases are gone: where a definition gives the cohort,
    it is the clause's words (``{cohort}``), so the words and the engines cannot part."""
    from cypmh.metrics.families.members import CYP_COHORT, CYP_WHEN_RECEIVED

    for definition in CATALOGUE.values():
        text = definition.definition
        assert "resident in England or unknown" not in text, definition.id
        assert "of children 0-17 when received" not in text, definition.id
        family = _family_of(definition)
        if family.cohort is not None and "cohort" in text:
            assert cl.words(family.cohort) in text, definition.id
    assert cl.words(CYP_WHEN_RECEIVED) in cl.words(CYP_COHORT)


def test_a_definition_names_only_clauses_its_family_declares():
    from cypmh.metrics.definition import Declared, Family

    family = Family(
        name="example", populations={"open": Declared(member=cl.IsNull(cl.Column("a")))}
    )
    assert family.words("Rows where {member}.", "open") == "Rows where a is missing."
    with pytest.raises(RuntimeError, match=r"names \{numerator\}"):
        family.words("Rows where {numerator}.", "open")
    with pytest.raises(RuntimeError, match=r"names \{cohort\}"):
        family.words("Rows of {cohort}.", "open")
