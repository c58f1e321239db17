"""Fair reach (equality monitoring): whom the partnership's programmes reach by ethnic group
and by sex, against the population of the same area and, where the figures allow, the same
ages (docs/finance.md, "Fair reach").

For a financial year or one of its quarters, and one programme or all:

- **Referred**: distinct young people with a referral made in the period (people, not
  referrals); their age band is their latest such referral's age at referral, their sex and
  ethnic group from their record.
- **Share of referrals**: a group's young people over those whose group is known and has a
  population to compare with (the five ONS 2021 high-level groups; for sex, female and male,
  the two Census 2021 recorded). "Prefer not to say" and "Not known" are counted and shown,
  with their share of everyone referred, and left out of every ratio; so are non-binary and
  other for sex (the census has no population for them).
- **Share of population**: the group's people over everyone in the population used
  (`population_used`).
- **Ratio** (disproportionality ratio, or relative rate): share of referrals / share of
  population; 1 is reach in proportion, above 1 more than the group's share, below 1 less.
- **95% confidence interval**, Katz's log method for a ratio of two proportions (Katz et al.,
  Biometrics 1978), with a referred of n in the group and P_g of P in the population:

      R = (a / n) / (P_g / P)
      SE(ln R) = sqrt(1/a - 1/n + 1/P_g - 1/P)
      R x exp(-1.96 SE)  to  R x exp(+1.96 SE)

  (1.96 is the standard normal's 97.5% quantile.) A census count is near exact, so its terms
  are tiny; the interval is mostly the referrals' own uncertainty.
- **Too few to say**: a group with fewer than MIN_REFERRED young people referred gets no share
  and no ratio ("too few to say"), whoever reads it: the interval would be too wide to mean
  anything. Outside the partnership (commissioners) every count goes through the disclosure
  control first (each person's fixed adjustment, the same as the quarterly return's, then
  small numbers and secondary suppression), and the rule reads the published count. The
  groups compared, their sum (the shares' denominator), the rest and everyone are protected
  as lines of their own (disclosure.protect_lines): a share or ratio reveals its
  denominator, so when that sum is withheld, or a group is withheld to protect another,
  there is no share and no ratio ("withheld so that a small group cannot be worked out").
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from statistics import NormalDist

from django.utils import timezone

from finance import permissions
from finance.models import (
    ALL_AGES,
    COMPARED_GROUPS,
    PopulationFigure,
    PopulationSex,
    compared_group,
    financial_year_label,
    quarter_dates,
)
from finance.selectors.return_records import PERSON_KIND
from programmes.models import Ethnicity, Gender, Programme, Referral
from vru import periods
from vru.age_bands import AgeBand, band_of
from vru.age_bands import label as band_label
from vru.models import User
from vru.selectors import disclosure

MIN_REFERRED = 10  # fewer young people in a group than this: "too few to say"
LEVEL = 0.95
Z = NormalDist().inv_cdf(1 - (1 - LEVEL) / 2)  # 1.959963...
TOO_FEW = "Too few to say"
WITHHELD = "Withheld so that a small group cannot be worked out"
NOT_COMPARED = "No census population to compare with"
EXCLUDED = "Not known: left out of the ratios"
ETHNICITY_UNKNOWN = [Ethnicity.NOT_SAID.value, Ethnicity.NOT_KNOWN.value]
SEX_COMPARED = [Gender.FEMALE.value, Gender.MALE.value]
SEX_NOT_COMPARED = [Gender.NON_BINARY.value, Gender.OTHER.value]
SEX_UNKNOWN = [Gender.NOT_SAID.value]


def katz_interval(
    a: int, n: int, group_population: int, population: int, *, z: float = Z
) -> tuple[float, float, float]:
    """(ratio, low, high): (a/n) / (P_g/P) with Katz's log interval (module docstring).
    Needs a, P_g > 0 and a <= n, P_g <= P."""
    ratio = (a / n) / (group_population / population)
    se = math.sqrt(max(0.0, 1 / a - 1 / n + 1 / group_population - 1 / population))
    return ratio, ratio * math.exp(-z * se), ratio * math.exp(z * se)


def period_bounds(year: int, quarter: int | None) -> tuple[datetime, datetime, str]:
    """A whole quarter or financial year (vru.periods: whole periods only, so that two
    outputs cannot be set against each other by a day), as aware datetimes and its name
    ("2025/26 Q1 (April to June 2025)")."""
    kind = periods.PeriodKind.QUARTER if quarter else periods.PeriodKind.FINANCIAL_YEAR
    first = quarter_dates(year, quarter)[0] if quarter else date(year, 4, 1)
    last = periods.period_end_of(kind, first)
    name = financial_year_label(year)
    if quarter:
        name += f" Q{quarter} ({periods.period_name(kind, first, last)})"
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(first, time.min, tzinfo=tz),
        datetime.combine(last, time.max, tzinfo=tz),
        name,
    )


@dataclass(frozen=True)
class PopulationUsed:
    description: str  # where, which ages, source and year
    sources: list[str]
    year: int
    same_ages: bool
    synthetic: bool
    by_ethnicity: dict[str, int]
    by_sex: dict[str, int] | None  # None: the figures have no split by sex
    total: int


def _figures(partnership_id: int, programme: Programme | None):
    figures = PopulationFigure.objects.filter(partnership_id=partnership_id)
    by_area = figures.filter(local_authority__isnull=False)
    where = "the partnership's local authorities"
    if programme is not None:
        areas = list(programme.eligible_local_authorities.all())
        if areas:
            by_area = by_area.filter(local_authority__in=areas)
            where = "the programme's local authorities (" + ", ".join(a.name for a in areas) + ")"
    if by_area.exists():
        chosen = by_area
    else:
        chosen, where = figures.filter(local_authority__isnull=True), "the whole partnership"
    latest = chosen.order_by("-year").values_list("year", flat=True).first()
    if latest is None:
        return [], where, None
    return list(chosen.filter(year=latest).select_related("local_authority")), where, latest


def population_used(
    partnership_id: int, programme: Programme | None, bands: set[str]
) -> PopulationUsed | None:
    """The population a period's referrals are compared with: local authorities' figures
    (those the programme is for, if it names any) when there are any, else the partnership's
    own; the latest year; the age bands the referred young people fall in when every figure
    is by band, else all ages (and the page says they are not the same ages)."""
    figures, where, year = _figures(partnership_id, programme)
    if not figures:
        return None
    if any(f.age_band == ALL_AGES for f in figures):
        # an area with an all-ages figure counts with it; an area with only bands, with all
        # of them: the same thing, all ages
        with_totals = {f.local_authority_id for f in figures if f.age_band == ALL_AGES}
        figures = [
            f for f in figures if f.age_band == ALL_AGES or f.local_authority_id not in with_totals
        ]
        same_ages, ages = False, "all ages (not the same ages as the young people referred)"
    else:
        wanted = bands or set(AgeBand.values)
        figures = [f for f in figures if f.age_band in wanted]
        same_ages = True
        ages = "aged " + ", ".join(band_label(b) for b in AgeBand.values if b in wanted)
    by_ethnicity: dict[str, int] = defaultdict(int)
    by_sex: dict[str, int] = defaultdict(int)
    for f in figures:
        by_ethnicity[compared_group(f.ethnic_group)] += f.people
        by_sex[f.sex] += f.people
    split = PopulationSex.ALL not in by_sex and by_sex
    sources = sorted({f.source for f in figures})
    return PopulationUsed(
        description=f"{'; '.join(sources)}, {year}: {where}, {ages}",
        sources=sources,
        year=year,
        same_ages=same_ages,
        synthetic=any(f.synthetic for f in figures),
        by_ethnicity=dict(by_ethnicity),
        by_sex=dict(by_sex) if split else None,
        total=sum(by_ethnicity.values()),
    )


@dataclass
class GroupLine:
    key: str
    label: str
    referred: int  # true count (staff) or the published count (outside the partnership)
    shown: str  # the count as shown: "12", "<5", "[c]"
    compared: bool  # a group the ratios are about
    share_of_referrals: float | None = None  # percent
    population: int | None = None
    share_of_population: float | None = None  # percent
    ratio: float | None = None
    low: float | None = None
    high: float | None = None
    verdict: str = ""  # why there is no ratio ("" when there is one)


@dataclass
class FairReach:
    period: str
    programme: Programme | None
    suppressed: bool
    people: int
    people_shown: str
    ethnicity_compared_shown: str  # young people in the ethnicity ratios (group known)
    sex_compared_shown: str  # in the sex ratios (female or male)
    population: PopulationUsed | None
    ethnicity: list[GroupLine] = field(default_factory=list)
    sex: list[GroupLine] = field(default_factory=list)
    ethnicity_unknown_percent: float | None = None
    sex_unknown_percent: float | None = None
    min_referred: int = MIN_REFERRED
    level: float = LEVEL


def _people(partnership_id: int, start, end, programme: Programme | None) -> dict[int, dict]:
    """Each young person referred in the period, from their latest referral in it."""
    referrals = Referral.objects.filter(
        programme__partnership_id=partnership_id, referred_at__range=(start, end)
    )
    if programme is not None:
        referrals = referrals.filter(programme=programme)
    people = {}
    for row in referrals.order_by("young_person_id", "referred_at", "pk").values(
        "young_person_id", "age_at_referral", "young_person__gender", "young_person__ethnicity"
    ):
        people[row["young_person_id"]] = row
    return people


N, REST, ALL = "_compared", "_rest", "_all"


def _published(breakdowns: dict[str, tuple[list, list, dict]], suppress: bool) -> dict:
    """Every count shown, keyed (breakdown, group), with each breakdown's sums: N, the groups
    compared (the denominator of every share of referrals, so it is published with them),
    REST, the others, and ALL, everyone (the same for every breakdown). Outside the
    partnership they are protected together as lines of sums (disclosure.protect_lines);
    when a line needs one more value hidden, everyone's count goes first, as the figure the
    ratios can best do without."""
    values: dict = {}
    lines = []
    for name, (compared, rest, counts) in breakdowns.items():
        for key in [*compared, *rest]:
            values[(name, key)] = counts.get(key, 0)
        values[(name, N)] = sum(counts.get(k, 0) for k in compared)
        values[(name, REST)] = sum(counts.get(k, 0) for k in rest)
        values[ALL] = values[(name, N)] + values[(name, REST)]
        lines += [
            [*((name, k) for k in compared), (name, N)],
            [*((name, k) for k in rest), (name, REST)],
            [(name, N), (name, REST), ALL],
        ]
    if not suppress:
        return {key: f"{value:,}" for key, value in values.items()}
    totals = {key for key in values if key == ALL or key[1] in {N, REST}}
    return disclosure.protect_lines(values, lines, totals=totals, hide_first={ALL})


def _lines(name, keys, labels, counts, shown) -> list[GroupLine]:
    return [
        GroupLine(
            key=k,
            label=labels[k],
            referred=counts.get(k, 0),
            shown=shown[(name, k)],
            compared=False,
        )
        for k in keys
    ]


def _is_shown(count: int, shown: str) -> bool:
    return shown == f"{count:,}"


def _compare(
    lines: list[GroupLine], population: dict[str, int] | None, keys: list[str], n_shown: str
) -> None:
    compared = [line for line in lines if line.key in keys]
    n = sum(line.referred for line in compared)
    total = sum((population or {}).get(k, 0) for k in keys)
    for line in compared:
        line.compared = True
        group_population = (population or {}).get(line.key, 0)
        if population is None or not total:
            line.verdict = NOT_COMPARED
            continue
        line.population = group_population
        line.share_of_population = 100 * group_population / total
        if line.shown == disclosure.SECONDARY_MARK or not _is_shown(n, n_shown):
            line.verdict = WITHHELD  # a share would give a hidden group away
            continue
        if not _is_shown(line.referred, line.shown) or line.referred < MIN_REFERRED:
            line.verdict = TOO_FEW
            continue
        if not group_population:
            line.verdict = NOT_COMPARED
            continue
        line.share_of_referrals = 100 * line.referred / n
        line.ratio, line.low, line.high = katz_interval(line.referred, n, group_population, total)


def _unknown_percent(lines, unknown_keys, people: int, people_shown: str, suppress: bool):
    unknown = [line for line in lines if line.key in unknown_keys]
    part = sum(line.referred for line in unknown)
    if not people or not all(_is_shown(line.referred, line.shown) for line in unknown):
        return None
    if suppress and (
        not _is_shown(people, people_shown) or disclosure.shown_percent(part, people) is None
    ):
        return None
    return 100 * part / people


def fair_reach(
    *, viewer: User, year: int, quarter: int | None = None, programme: Programme | None = None
) -> FairReach | None:
    """Fair reach for a period and programme (None: all), as the viewer may see it; None for
    a viewer who may not see it or a programme of another partnership."""
    if not permissions.can_view_fair_reach(viewer):
        return None
    if programme is not None and programme.partnership_id != viewer.partnership_id:
        return None
    suppress = not permissions.sees_true_fair_reach_counts(viewer)
    start, end, name = period_bounds(year, quarter)
    people = _people(viewer.partnership_id, start, end, programme)
    ethnicity: dict[str, int] = defaultdict(int)
    sex: dict[str, int] = defaultdict(int)
    bands = set()
    for person_id, row in people.items():
        weight = 1 + disclosure.adjustment(PERSON_KIND, person_id) if suppress else 1
        ethnicity[row["young_person__ethnicity"] or Ethnicity.NOT_KNOWN.value] += weight
        sex[row["young_person__gender"] or Gender.NOT_SAID.value] += weight
        band = band_of(row["age_at_referral"])
        if band is not None:
            bands.add(band)
    total = sum(ethnicity.values())
    population = population_used(viewer.partnership_id, programme, bands)
    sex_rest = [*SEX_NOT_COMPARED, *SEX_UNKNOWN]
    shown = _published(
        {
            "ethnicity": (COMPARED_GROUPS, ETHNICITY_UNKNOWN, ethnicity),
            "sex": (SEX_COMPARED, sex_rest, sex),
        },
        suppress,
    )
    ethnicity_lines = _lines(
        "ethnicity",
        [*COMPARED_GROUPS, *ETHNICITY_UNKNOWN],
        dict(Ethnicity.choices),
        ethnicity,
        shown,
    )
    _compare(
        ethnicity_lines,
        population and population.by_ethnicity,
        COMPARED_GROUPS,
        shown[("ethnicity", N)],
    )
    sex_lines = _lines("sex", [*SEX_COMPARED, *sex_rest], dict(Gender.choices), sex, shown)
    _compare(sex_lines, population and population.by_sex, SEX_COMPARED, shown[("sex", N)])
    for line in ethnicity_lines + sex_lines:
        if line.key in ETHNICITY_UNKNOWN or line.key in SEX_UNKNOWN:
            line.verdict = EXCLUDED
        elif not line.compared:
            line.verdict = NOT_COMPARED
    people_shown = shown[ALL]
    return FairReach(
        period=name,
        programme=programme,
        suppressed=suppress,
        people=total,
        people_shown=people_shown,
        ethnicity_compared_shown=shown[("ethnicity", N)],
        sex_compared_shown=shown[("sex", N)],
        population=population,
        ethnicity=ethnicity_lines,
        sex=sex_lines,
        ethnicity_unknown_percent=_unknown_percent(
            ethnicity_lines, ETHNICITY_UNKNOWN, total, people_shown, suppress
        ),
        sex_unknown_percent=_unknown_percent(sex_lines, SEX_UNKNOWN, total, people_shown, suppress),
    )
