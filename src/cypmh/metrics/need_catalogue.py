"""The metrics that read a population: need, reach against need, rates and children in care.

They are declared here, beside :mod:`cypmh.metrics.need`, which works them out
from a family's populations and the area's population; each is declared through
its family (``ACCESS.declare``), so it carries the family's facts. The catalogue
takes them after the families' own.
Each needs :class:`~cypmh.metrics.MetricOptions` ``population`` (and takes
its ``scheme``, ``ons_2004`` unless chosen).
"""

from __future__ import annotations

from cypmh.metrics.definition import NHSD, PERSON_BREAKDOWNS, Family, MetricDefinition
from cypmh.metrics.families.access import FAMILY as ACCESS
from cypmh.metrics.families.referrals import FAMILY as REFERRALS
from cypmh.metrics.files import EPISODES
from cypmh.metrics.results import Aggregate, Unit

__all__ = ["NEED", "NEED_DEFINITIONS", "NEED_RATIO", "NEED_RATIO_SOURCE", "POPULATION_BREAKDOWNS"]

POPULATION_BREAKDOWNS = ("age_band", "sex")
"""The breakdowns a population by age and sex has (sex only where the file splits it)."""

NEED_RATIO = 4.0
"""How many times as likely children in care are as their peers to have a diagnosable condition."""

NEED_RATIO_SOURCE = (
    "at least four times as likely as their peers (the UCL / UK Trauma Council report on "
    "children in care)"
)

NEED = Family(
    name="need",
    derived={
        "expected need": "the population of each age 0-17 (and sex) times the prevalence "
        "scheme's rate for it, over 100, summed (cypmh.metrics.need)",
    },
)
"""The expected need (NEED01) reads the population file and the prevalence scheme alone."""

_EXAMPLE = "tests/spec/metrics/test_need.py"
_STANDARD = "tests/spec/metrics/test_standardised.py"
_FUNCTIONS = NHSD + "menh_bbrb/notebooks/mhsds_functions.py"
_STANDARDISED = ("ethnicity", "wnw_ethnicity", "imd_quintile", "imd_core20")
_AS_CODED = (
    "As NHS England's code works it out, the weights come from the level's own joined cells, so "
    "the rate is the level's crude rate over the age-sex cells with at least one counted child: "
    "it does not standardise the levels to one population. ACC03 does."
)
_POP = NHSD + "menh_bbrb/notebooks/01_Generic_Prepare/03_generic_population.py"
_META = NHSD + "menh_bbrb/notebooks/measure_metadata.py"
_SCHEME = (
    "The scheme (MetricOptions.scheme, or the commands' scheme option) names the survey and measure; "
    "every result states it."
)

NEED_DEFINITIONS: tuple[MetricDefinition, ...] = (
    NEED.declare(
        id="NEED01",
        name="Expected CYP aged 0-17 with a mental health need",
        population="need",
        aggregate=Aggregate.EXPECTED,
        unit=Unit.ESTIMATE,
        window="at the period end",
        numerator="the population of each age (and sex) x the scheme's rate for it",
        denominator=None,
        definition="The sum over ages 0 to 17 (and sex, where the population is split) of the population "
        "x the prevalence scheme's rate / 100. Ages the scheme's survey did not cover take the rate its "
        "fill rule says (by default the nearest band's), and the scheme states which. "
        + _SCHEME
        + " An estimate from public figures: it is never suppressed, and is shown to the whole child.",
        source="cypmh; rates from ONS 2004 and NHS England's MHCYP surveys (prevalence.csv)",
        deviation="NHS England published its access target's basis (9.6% of 5-16 year olds in 2004) but "
        "not the denominator it applied it to; ons_2004 applies the 5-10 and 11-16 rates by age.",
        breakdowns=POPULATION_BREAKDOWNS,
        example=f"{_EXAMPLE}::test_need_worked_example",
    ),
    ACCESS.declare(
        id="ACC01",
        name="CYP in contact (MHS95) as a percentage of those expected to need help (NEED01)",
        population="access",
        aggregate=Aggregate.OF_NEED,
        unit=Unit.PERCENTAGE,
        window="the 12 months ending at the period end",
        numerator="MHS95",
        denominator="NEED01",
        definition="100 x MHS95 / NEED01, on the whole area and on each age band and sex that both have: "
        "the Five Year Forward View's access rate. NEED01 is an estimate, not a count, so no interval is "
        "given; the scheme is stated with the value. " + _SCHEME,
        source="cypmh, after NHS England's CYP access target (Five Year Forward View for Mental Health)",
        deviation="NHS England's own access rate divided by an England-level need it did not publish; "
        "an area's value depends on the scheme chosen.",
        breakdowns=POPULATION_BREAKDOWNS,
        example=f"{_EXAMPLE}::test_reach_worked_example",
        improvement="increase",
        target=35.0,
        target_source=(
            "NHS England, Five Year Forward View for Mental Health: 35% of children with a "
            "diagnosable condition seen by 2020/21, on the 2004 prevalence (scheme ons_2004)"
        ),
    ),
    ACCESS.declare(
        id="MHS95a",
        name="Crude rate per 100,000 of CYP aged under 18 supported with at least one contact "
        "(12-month rolling)",
        population="access",
        aggregate=Aggregate.CRUDE_RATE,
        unit=Unit.RATE,
        window="the 12 months ending at the period end",
        numerator="MHS95",
        denominator="the mid-year population aged 0 to 17 (MHSPOPCYP)",
        definition="COALESCE(MHS95 / population aged 0-17, 0) x 100,000, on the whole area and each age "
        "band and gender: the population's males are gender 1 and females 2, as NHS England joins them. "
        "A level with no population has the rate 0, as the publication's COALESCE gives.",
        source=_META + " (MHS95a, produce_crude_rate_agg_df); " + _POP,
        deviation="NHS England takes the latest mid-year estimate whatever the month; cypmh takes the "
        "population it is given, and states its year.",
        mhsds=True,
        breakdowns=POPULATION_BREAKDOWNS,
        example=f"{_EXAMPLE}::test_reach_worked_example",
        improvement="increase",
    ),
    ACCESS.declare(
        id="MHS95b",
        name="Direct standardised rate per 100,000 of CYP aged under 18 supported with at least "
        "one contact (12-month rolling)",
        population="access",
        aggregate=Aggregate.STANDARDISED_RATE,
        unit=Unit.RATE,
        window="the 12 months ending at the period end",
        numerator="MHS95, by level, age band and gender",
        denominator="the level's population by age band and gender (population_groups.csv)",
        definition="For each level: MHS95's children counted by age band and gender (gender 1 and 2; "
        "an unknown age band or gender has no population) are inner-joined to the level's own "
        "population; each joined cell's weight is its population over the joined cells' total; the "
        "rate is the sum of count / population x weight, x 100,000. " + _AS_CODED,
        source=_FUNCTIONS
        + " (produce_direct_standardised_rate_df, lines 830-967); "
        + _META
        + " (MHS95b); "
        + _POP
        + " (age_gender_std_eth_pop, age_gender_std_imd_pop)",
        deviation="NHS England's populations are the 2021 Census (ethnicity) and ONS's LSOA "
        "estimates with the IMD (deprivation); cypmh reads the area's own, from "
        "population_groups.csv, and states it.",
        mhsds=True,
        breakdowns=_STANDARDISED,
        example=f"{_STANDARD}::test_nhs_england_rate_worked_example",
        improvement="increase",
    ),
    ACCESS.declare(
        id="MHS95c",
        name="95% confidence interval (+/-) of MHS95b, per 100,000 (12-month rolling)",
        population="access",
        aggregate=Aggregate.STANDARDISED_INTERVAL,
        unit=Unit.RATE,
        window="the 12 months ending at the period end",
        numerator="MHS95, by level, age band and gender",
        denominator="the level's population by age band and gender (population_groups.csv)",
        definition="1.96 x the square root of the variance, x 100,000: the variance is the sum over "
        "MHS95b's joined cells of weight squared x count / population squared.",
        source=_FUNCTIONS
        + " (produce_direct_standardised_rate_df, lines 830-967); "
        + _META
        + " (MHS95c)",
        mhsds=True,
        breakdowns=_STANDARDISED,
        example=f"{_STANDARD}::test_nhs_england_rate_worked_example",
    ),
    ACCESS.declare(
        id="MHS95f",
        name="Absolute difference between the White British and non-White British direct "
        "standardised rates per 100,000 of CYP supported (12-month rolling)",
        population="access",
        aggregate=Aggregate.STANDARDISED_GAP,
        unit=Unit.RATE,
        window="the 12 months ending at the period end",
        numerator="MHS95b of non-White British children",
        denominator="MHS95b of White British children",
        definition="| MHS95b (Non-white British) - MHS95b (White British) |, for the whole area; "
        "no value where either has none. A gap rests on both groups' counts and is hidden where "
        "either is.",
        source=_FUNCTIONS
        + " (produce_absolute_difference_between_two_standardised_rates_df, lines 1148-1232); "
        + _META
        + " (MHS95f)",
        mhsds=True,
        breakdowns=(),
        example=f"{_STANDARD}::test_gaps_worked_example",
        improvement="decrease",
    ),
    ACCESS.declare(
        id="MHS95g",
        name="Absolute difference between the most deprived quintile and the other quintiles' "
        "direct standardised rates per 100,000 of CYP supported (12-month rolling)",
        population="access",
        aggregate=Aggregate.STANDARDISED_GAP,
        unit=Unit.RATE,
        window="the 12 months ending at the period end",
        numerator="MHS95b of the other 4 quintiles (IMD Core20)",
        denominator="MHS95b of the most deprived quintile (IMD Core20)",
        definition="| MHS95b (Other 4 quintiles) - MHS95b (Most deprived quintile) |, on the IMD "
        "Core20 breakdown, for the whole area; no value where either has none. It needs the "
        "deprivation file as well as the population by group.",
        source=_FUNCTIONS
        + " (produce_absolute_difference_between_two_standardised_rates_df, lines 1148-1232); "
        + _META
        + " (MHS95g)",
        mhsds=True,
        breakdowns=(),
        example=f"{_STANDARD}::test_gaps_worked_example",
        improvement="decrease",
    ),
    ACCESS.declare(
        id="ACC03",
        name="CYP aged 0-17 supported with at least one contact per 100,000, standardised to the "
        "2013 European Standard Population (12-month rolling)",
        population="access",
        aggregate=Aggregate.EUROPEAN_RATE,
        unit=Unit.RATE,
        window="the 12 months ending at the period end",
        numerator="MHS95, by level, age band and gender",
        denominator="the level's population by age band and gender (population_groups.csv)",
        definition="The sum over every age band of 0 to 17 and each sex of the cell's rate (MHS95's "
        "children / population; 0 where none is counted) x the cell's share of the 2013 European "
        "Standard Population (a five-year band spread evenly over its ages, each sex half), "
        "x 100,000, with a 95% interval by Dobson's method (Byar's limits). No value where a cell "
        "has no population. The whole area's row reads the population by ethnic group, summed "
        "(by decile, where the file has no ethnic groups).",
        source="cypmh, a true direct standardisation beside NHS England's MHS95b; weights from "
        "Eurostat's 2013 European Standard Population (european_standard_population.csv)",
        deviation="MHS95b weights each level by its own population and leaves out the cells with no "
        "counted child, so it is a crude rate over those cells; ACC03 weights every level alike, "
        "so that levels and areas of different age make-up compare.",
        breakdowns=_STANDARDISED,
        example=f"{_STANDARD}::test_european_rate_worked_example",
        improvement="increase",
    ),
    REFERRALS.declare(
        id="REF01",
        name="CYP referrals received (12-month rolling)",
        population="received",
        aggregate=Aggregate.COUNT,
        unit=Unit.COUNT,
        window="the 12 months ending at the period end",
        numerator="referrals received in the window",
        denominator=None,
        definition="Referrals of the CYP cohort ({cohort}; MHS95's) where {member}.",
        source="cypmh, to follow the post-pandemic rise in referrals",
        example=f"{_EXAMPLE}::test_referral_rates_worked_example",
    ),
    REFERRALS.declare(
        id="REF01a",
        name="CYP referrals received per 100,000 population aged 0-17 (12-month rolling)",
        population="received",
        aggregate=Aggregate.CRUDE_RATE,
        unit=Unit.RATE,
        window="the 12 months ending at the period end",
        numerator="REF01",
        denominator="the population aged 0 to 17",
        definition="REF01 / population aged 0-17 x 100,000, as MHS95a is worked out; no value where the "
        "level has no population.",
        source="cypmh, after MHS95a",
        breakdowns=POPULATION_BREAKDOWNS,
        example=f"{_EXAMPLE}::test_referral_rates_worked_example",
    ),
    REFERRALS.declare(
        id="REF02",
        name="Change in CYP referrals received: the 12 months to the period end against the 12 "
        "months before (%)",
        population="received",
        aggregate=Aggregate.CHANGE,
        unit=Unit.CHANGE,
        window="the 12 months ending at the period end",
        numerator="REF01",
        denominator="REF01 for the 12 months ending a year before the period end (the base period)",
        definition="100 x (REF01 - base) / base, where the base is the same count over the 12 months "
        "ending 12 months before the period end; no value with no referrals in the base. Both years are "
        "read as the records stand at the period end. Reports name the base period with the value.",
        source="cypmh, to follow the post-pandemic rise in referrals",
        decimals=1,
        breakdowns=PERSON_BREAKDOWNS,
        also_reads=("received_prior",),
        example=f"{_EXAMPLE}::test_referral_rates_worked_example",
    ),
    ACCESS.declare(
        id="ACC02",
        name="Children looked after with a counted contact, as a percentage of children looked after "
        "(12-month rolling)",
        population="looked_after",
        aggregate=Aggregate.PERCENTAGE,
        unit=Unit.PERCENTAGE,
        window="the 12 months ending at the period end",
        numerator="children looked after in the window who are among MHS95's children",
        denominator="children looked after at any time in the window (SSDA903 episodes)",
        definition="Children with an episode of care where {member} (it overlaps the 12 months); "
        "of them, those counted in MHS95 for the same 12 months (a counted contact while aged 0-17). Age band at the period end.",
        source="cypmh; the 2025 recommendations for children with a social worker (reference 8)",
        decimals=1,
        breakdowns=("age_band", "sex", "ethnicity"),
        example=f"{_EXAMPLE}::test_looked_after_reach_worked_example",
        improvement="increase",
        inputs=(*ACCESS.inputs, EPISODES),
    ),
    ACCESS.declare(
        id="ACC02r",
        name="Reach of children looked after against all children (ACC02 / MHS95 per child)",
        population="looked_after",
        aggregate=Aggregate.POPULATION_RATIO,
        unit=Unit.RATIO,
        window="the 12 months ending at the period end",
        numerator="ACC02's proportion: children looked after reached / children looked after",
        denominator="all children's proportion: MHS95 / population aged 0-17",
        definition="ACC02's proportion divided by MHS95 / population aged 0-17, with a 95% interval by "
        "the log method (Katz et al., 1978). Children in care are "
        + NEED_RATIO_SOURCE
        + ". A ratio below that need ratio means children in care are reached less than in proportion "
        "to their need, even where it is above 1.",
        source="cypmh; the 2025 recommendations for joint CAMHS-social care KPIs (reference 8)",
        deviation="Children in care are also among all children (the comparison is with all children, "
        "as the need ratio is); the interval treats the two proportions as independent.",
        also_reads=("access",),
        breakdowns=(),
        example=f"{_EXAMPLE}::test_looked_after_reach_worked_example",
        improvement="increase",
        inputs=(*ACCESS.inputs, EPISODES),
    ),
)
