"""The shapes the synthetic records follow: age curves, repeats, areas, ethnicity, and the spec of a programme."""

from dataclasses import dataclass, field

# Serious violence by age in the Essex SNA 2023 (section 11): "begins a steep incline at the
# age of 12 and peaks at 15, it begins to reduce and then we see a sharp rise again at 17.
# This is followed by a reduction until the age of 21 where it reaches a plateau at around
# 23". Relative weights read from that description (the SNA prints the curve as a chart).
AGE_CURVE = {
    8: 0.5,
    9: 1,
    10: 2,
    11: 4,
    12: 9,
    13: 13,
    14: 16,
    15: 21,
    16: 14,
    17: 20,
    18: 15,
    19: 11,
    20: 8,
    21: 6,
    22: 5.5,
    23: 5,
    24: 5,
}


# Bedfordshire SNA: "The greatest proportion of violence related hospital admissions was in
# 20-29 year olds": its hospital youth workers see older young people.
HOSPITAL_AGE_CURVE = {
    age: weight * (1 + max(0, age - 17) * 0.25) for age, weight in AGE_CURVE.items()
}


# Early help in schools and families (Team Around the Family, the Respect Project) comes
# before the peak: referrals there are most common around the move to secondary school and
# fall away by 16, when young people leave school.
EARLY_HELP_AGE_CURVE = {9: 4, 10: 7, 11: 11, 12: 13, 13: 12, 14: 9, 15: 6, 16: 3}


# Share of young people referred more than once: the Essex SNA reports 12.5% of suspects
# again within the year and 20% within five years; the demo holds two years.
REPEAT_SHARE = 0.15


THIRD_REFERRAL_SHARE = 0.02


# How many years of records the demo holds, back from the day it is loaded.
HISTORY_DAYS = 730


@dataclass(frozen=True)
class SessionPlan:
    kind: str  # "group" or "detached"
    per_week: float
    size: tuple[int, int]  # young people counted at a session
    bands: dict[str, float]  # age band -> share
    places: tuple[str, ...]
    term_time: bool = False
    female_share: float = 0.35
    contacts: tuple[int, int] = (0, 0)  # anonymous contacts a session (detached)


@dataclass(frozen=True)
class ProgrammeSpec:
    name: str
    kind: str
    description: str
    delivering_organisation: str
    prevention_stage: str
    yef_approach: str
    recommendations: tuple[int, ...]
    budget: int
    min_age: int
    max_age: int
    family: str  # which notes fit: custody, hospital, family, school, exploitation, group
    target_hours: int = 24
    per_year: int = 0  # named referrals a year
    case_weeks: tuple[int, int] = (8, 16)
    sources: dict[str, int] = field(default_factory=dict)
    reasons: dict[str, int] = field(default_factory=dict)
    eligible_reasons: tuple[str, ...] = ()
    eligible_areas: tuple[str, ...] = ()  # local authority names
    male_share: float = 0.7
    parents_consent_under: int = 13  # parents consent below this age (16 for family work)
    on_time: float = 0.88  # share of first contacts within the target time
    outcomes: dict[str, float] = field(default_factory=dict)  # of completed cases
    risk_factors: tuple[str, ...] = ()
    protective_factors: tuple[str, ...] = ()
    age_curve: dict[int, float] = field(default_factory=lambda: AGE_CURVE)
    sessions: SessionPlan | None = None
    takes_detached_contacts: bool = False  # anonymous street contacts referred on to it


TEEN_BANDS = {"10-13": 0.2, "14-17": 0.6, "18-24": 0.2}


# Luton "generally has a younger population" and a higher crime rate per 1,000 (Bedfordshire
# SNA): more of the young people referred live there.
AREA_WEIGHTS = {"Luton": 1.5}


# Ethnic groups by local authority. Bedfordshire's from its SNA summary (Luton: 45% from
# a Black, Asian or minority ethnic group, 3 in 10 Asian or Asian British; Central
# Bedfordshire: 94 in every 100 white; the county: 77.5% white, 13.9% Asian, 4.8% Black,
# 3.0% mixed, 0.8% other). Essex's are synthetic (its SNA gives none).
ETHNICITY = {
    "Luton": {"white": 55, "asian": 30, "black": 8, "mixed": 5, "other": 2},
    "Bedford": {"white": 79, "asian": 11, "black": 5, "mixed": 4, "other": 1},
    "Central Bedfordshire": {"white": 94, "asian": 2, "black": 1.5, "mixed": 2, "other": 0.5},
    "default": {"white": 84, "black": 6, "asian": 4, "mixed": 4, "other": 1, "not_said": 1},
}


EDUCATION = {
    "under16": {"school": 70, "excluded": 18, "unknown": 12},
    "16to17": {"school": 20, "college": 40, "neet": 25, "employed": 5, "unknown": 10},
    "adult": {"college": 15, "employed": 30, "neet": 45, "unknown": 10},
}
