"""What the programmes demo is made of: each partnership's programmes as its own documents
describe them, and the shapes the synthetic records follow.

From the partnerships' published documents (README, "The demo"):
- Essex: the programmes the Essex SNA 2023 names (ReRoute, the Respect Project, Team Around
  the Family, hospital navigators, detached youth work in the top 5% of neighbourhoods,
  sports, mentoring and group work, focused deterrence, the Knife Harm Campaign), each
  linked to the SNA recommendations it serves; the age curve of serious violence ("a steep
  incline at the age of 12 and peaks at 15 ... a sharp rise again at 17"); repeats (12.5%
  of suspects again within the year, 20% within five years); yearly volumes near its
  outputs for 2022-23 (189 young people supported in hospitals, 20 back into education or
  work after an arrest, 77 diverted from arrest, 3,000 met by detached youth work, 5,305
  in sports, mentoring and group work).
- Bedfordshire: the VERU's own offer as far as its SNA summary and web page describe it
  (the "Just Drop It" knife campaign; the evidence review's family therapy, mentoring and
  A&E approaches; exploitation and county lines; Luton's younger, more diverse population).

Synthetic: every young person, referral, contact, note, session and the budgets, caseloads
and timings (relative to the day the demo is loaded).
"""

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

ESSEX = [
    ProgrammeSpec(
        name="ReRoute",
        kind="referral",
        description="Young people arrested for knife or drug offences are referred from "
        "custody, aiming for within 24 hours, and offered support and positive activities "
        "(Essex SNA 2023).",
        delivering_organisation="Violence and Vulnerability Unit youth workers",
        prevention_stage="tertiary",
        yef_approach="Formal pre-court diversion",
        recommendations=(9, 10),
        budget=385_000,
        min_age=10,
        max_age=24,
        family="custody",
        per_year=320,
        case_weeks=(8, 16),
        sources={"custody": 9, "youth_justice": 1},
        reasons={"knife": 4, "drug_possession": 4, "drug_supply": 2},
        eligible_reasons=("knife", "drug_possession", "drug_supply"),
        male_share=0.86,
        on_time=0.8,
        outcomes={"diverted": 0.38, "eet": 0.1, "no_arrest_6m": 0.35, "safety_plan": 0.2},
        risk_factors=("Carrying a knife", "Drug use", "Peer offending", "Excluded from school"),
        protective_factors=("Trusted adult", "Positive activities", "Family support"),
    ),
    ProgrammeSpec(
        name="Focused deterrence",
        kind="referral",
        description="Young adults already involved in serious violence are offered support "
        "alongside enforcement if required, the 'focussed deterrence' approach the Essex "
        "SNA 2023 describes.",
        delivering_organisation="Essex Police, probation and youth justice with VVU mentors",
        prevention_stage="tertiary",
        yef_approach="Focused deterrence",
        recommendations=(10,),
        budget=165_000,
        min_age=16,
        max_age=24,
        family="custody",
        target_hours=72,
        per_year=45,
        case_weeks=(16, 30),
        sources={"youth_justice": 3, "custody": 1},
        reasons={"violence": 4, "knife": 3, "exploitation": 2},
        male_share=0.92,
        outcomes={"eet": 0.25, "no_arrest_6m": 0.4, "onward": 0.2},
        risk_factors=("Previously perpetrated violence", "Gang membership", "Peer offending"),
        protective_factors=("Employment or training", "Trusted adult"),
    ),
    ProgrammeSpec(
        name="Hospital youth navigators",
        kind="referral",
        description="Youth workers in emergency departments reach young people injured by "
        "violence at a 'reachable moment' (189 supported in 2022-23, Essex SNA 2023).",
        delivering_organisation="Youth charity in the three acute hospitals",
        prevention_stage="secondary",
        yef_approach="A and E navigators",
        recommendations=(7, 8),
        budget=150_000,
        min_age=11,
        max_age=24,
        family="hospital",
        per_year=190,
        case_weeks=(4, 10),
        sources={"hospital": 1},
        reasons={"violence": 7, "knife": 3},
        male_share=0.74,
        outcomes={"safety_plan": 0.5, "onward": 0.3, "eet": 0.1},
        risk_factors=("Victim of violence", "Substance misuse"),
        protective_factors=("Trusted adult", "Health and wellbeing support"),
    ),
    ProgrammeSpec(
        name="Team Around the Family",
        kind="referral",
        description="Helps the workforce in identified schools find the right professional "
        "support for young people and their families, to prevent issues escalating "
        "(Essex SNA 2023).",
        delivering_organisation="Essex early help with partner schools",
        prevention_stage="primary",
        yef_approach="",
        recommendations=(3, 4),
        budget=210_000,
        min_age=9,
        max_age=16,
        family="family",
        target_hours=120,
        per_year=140,
        case_weeks=(12, 26),
        sources={"school": 6, "social_care": 3, "self": 1},
        reasons={"exploitation": 3, "missing": 2, "violence": 2, "other": 3},
        male_share=0.56,
        parents_consent_under=16,
        outcomes={"onward": 0.35, "safety_plan": 0.4, "eet": 0.1},
        age_curve=EARLY_HELP_AGE_CURVE,
        risk_factors=("Family breakdown", "Missing episodes", "Domestic abuse at home"),
        protective_factors=("Warm parent relationship", "Connected to school"),
        takes_detached_contacts=True,
    ),
    ProgrammeSpec(
        name="Respect Project",
        kind="group",
        description="Supports young people at risk of falling out of education in schools "
        "in Basildon, Maldon, Tendring and Uttlesford, including learning outdoors "
        "(Essex SNA 2023).",
        delivering_organisation="Respect Project youth workers in partner schools",
        prevention_stage="secondary",
        yef_approach="Interventions to prevent school exclusion",
        recommendations=(3, 7),
        budget=95_000,
        min_age=11,
        max_age=16,
        family="school",
        target_hours=120,
        per_year=110,
        case_weeks=(10, 14),
        sources={"school": 1},
        reasons={"other": 3, "violence": 2},
        eligible_areas=("Basildon", "Maldon", "Tendring", "Uttlesford"),
        male_share=0.62,
        outcomes={"eet": 0.45, "safety_plan": 0.15, "onward": 0.1},
        age_curve=EARLY_HELP_AGE_CURVE,
        risk_factors=("Persistent absence", "Suspended from school", "Low commitment to school"),
        protective_factors=("Positive relationship with a teacher", "Connected to school"),
        sessions=SessionPlan(
            kind="group",
            per_week=2,
            size=(6, 12),
            bands={"10-13": 0.45, "14-17": 0.55},
            places=("Outdoor learning site", "School library", "School sports hall"),
            term_time=True,
        ),
    ),
    ProgrammeSpec(
        name="Detached youth work",
        kind="detached",
        description="Local youth organisations funded to meet young people where they "
        "spend time in the top 5% of neighbourhoods by the risk index (3,000 young people "
        "engaged in 2022-23, Essex SNA 2023).",
        delivering_organisation="Local youth organisations funded by the VVU",
        prevention_stage="secondary",
        yef_approach="",
        recommendations=(5, 7),
        budget=240_000,
        min_age=10,
        max_age=24,
        family="group",
        sessions=SessionPlan(
            kind="detached",
            per_week=3,
            size=(10, 28),
            bands=TEEN_BANDS,
            places=(
                "Park",
                "Skate park",
                "Shopping parade",
                "Recreation ground",
                "Bus station",
                "Seafront",
                "High street",
                "Fast food restaurant car park",
                "Playing fields",
                "Estate green",
            ),
            female_share=0.33,
            contacts=(0, 4),
        ),
    ),
    ProgrammeSpec(
        name="Sports, mentoring and group work",
        kind="group",
        description="Sport, mentoring and group work for 'higher risk' children and young "
        "people (5,305 supported in 2022-23, Essex SNA 2023).",
        delivering_organisation="Community sports and mentoring partners",
        prevention_stage="secondary",
        yef_approach="Sports programmes",
        recommendations=(7,),
        budget=260_000,
        min_age=10,
        max_age=19,
        family="group",
        target_hours=120,
        per_year=90,
        case_weeks=(12, 20),
        sources={"school": 3, "community": 4, "social_care": 2, "self": 1},
        reasons={"violence": 3, "other": 4, "exploitation": 1},
        male_share=0.7,
        outcomes={"eet": 0.2, "safety_plan": 0.2, "onward": 0.1},
        risk_factors=("Anti-social behaviour", "Lack of positive activities"),
        protective_factors=("Positive activities", "Pro-social peers", "Trusted adult"),
        sessions=SessionPlan(
            kind="group",
            per_week=7,
            size=(8, 22),
            bands={"10-13": 0.35, "14-17": 0.55, "18-24": 0.1},
            places=("Boxing gym", "Sports hall", "3G pitch", "Community centre", "Youth club"),
        ),
        takes_detached_contacts=True,
    ),
    ProgrammeSpec(
        name="Knife Harm Campaign",
        kind="group",
        description="Films and resources, designed with young people on ReRoute, that help "
        "parents and carers talk about knife harm, with workshops in schools (films watched "
        "43,000 times, campaign viewed 536,000 times, Essex SNA 2023).",
        delivering_organisation="VVU communications with schools",
        prevention_stage="primary",
        yef_approach="Knife crime education programmes",
        recommendations=(2, 6),
        budget=60_000,
        min_age=10,
        max_age=18,
        family="group",
        sessions=SessionPlan(
            kind="group",
            per_week=1.5,
            size=(40, 160),
            bands={"10-13": 0.5, "14-17": 0.5},
            places=("Secondary school assembly", "Year 7 workshop", "Year 9 workshop"),
            term_time=True,
            female_share=0.49,
        ),
    ),
]

BEDFORDSHIRE = [
    ProgrammeSpec(
        name="Exploitation and county lines support",
        kind="referral",
        description="Specialist youth workers give one-to-one support to children at risk of "
        "criminal and sexual exploitation and county lines, working with the three CSPs and "
        "academic partners on what protects them (Bedfordshire SNA recommendations).",
        delivering_organisation="Voluntary-sector partner commissioned by the VERU",
        prevention_stage="secondary",
        yef_approach="Mentoring",
        recommendations=(4, 10),
        budget=195_000,
        min_age=10,
        max_age=19,
        family="exploitation",
        target_hours=72,
        per_year=120,
        case_weeks=(16, 30),
        sources={"social_care": 4, "school": 2, "youth_justice": 2, "community": 2},
        reasons={"exploitation": 6, "missing": 3, "drug_supply": 1},
        male_share=0.6,
        outcomes={"safety_plan": 0.5, "onward": 0.25, "eet": 0.15},
        risk_factors=("Missing episodes", "Older peers", "Drug supply", "Excluded from school"),
        protective_factors=("Trusted adult", "Safe and stable housing", "Connected to school"),
        takes_detached_contacts=True,
    ),
    ProgrammeSpec(
        name="Hospital youth work",
        kind="referral",
        description="Youth workers in the emergency departments at Luton and Bedford meet "
        "young people injured by violence; anonymised injury data is shared with the VERU.",
        delivering_organisation="Youth charity in the two acute hospitals",
        prevention_stage="secondary",
        yef_approach="A and E navigators",
        recommendations=(5, 8),
        budget=120_000,
        min_age=11,
        max_age=24,
        family="hospital",
        per_year=110,
        case_weeks=(4, 10),
        sources={"hospital": 1},
        reasons={"violence": 6, "knife": 3, "other": 1},
        male_share=0.72,
        outcomes={"safety_plan": 0.5, "onward": 0.3},
        risk_factors=("Victim of violence", "Substance misuse", "Poor mental health"),
        protective_factors=("Trusted adult", "Health and wellbeing support"),
        age_curve=HOSPITAL_AGE_CURVE,
    ),
    ProgrammeSpec(
        name="Custody diversion",
        kind="referral",
        description="Children arrested in Bedfordshire are seen in custody and offered a "
        "diversion plan instead of prosecution where it is safe; custody data is shared "
        "with the VERU daily.",
        delivering_organisation="Bedfordshire youth justice services with the VERU",
        prevention_stage="tertiary",
        yef_approach="Formal pre-court diversion",
        recommendations=(4, 8),
        budget=145_000,
        min_age=10,
        max_age=17,
        family="custody",
        per_year=140,
        case_weeks=(8, 12),
        sources={"custody": 1},
        reasons={"knife": 3, "drug_possession": 3, "drug_supply": 2, "violence": 2},
        eligible_reasons=("knife", "drug_possession", "drug_supply", "violence"),
        male_share=0.84,
        on_time=0.84,
        outcomes={"diverted": 0.45, "eet": 0.15, "no_arrest_6m": 0.3},
        risk_factors=("Drug use", "Carrying a knife", "Peer offending"),
        protective_factors=("Family support", "Positive activities"),
    ),
    ProgrammeSpec(
        name="Family therapy",
        kind="referral",
        description="Functional Family Therapy for young people at risk of violence and "
        "their families: the SNA's evidence review rates family therapy among the "
        "strongest evidence.",
        delivering_organisation="Licensed FFT team",
        prevention_stage="secondary",
        yef_approach="Functional Family Therapy (FFT)",
        recommendations=(10,),
        budget=230_000,
        min_age=11,
        max_age=17,
        family="family",
        target_hours=120,
        per_year=45,
        case_weeks=(12, 20),
        sources={"social_care": 5, "youth_justice": 3, "school": 2},
        reasons={"violence": 5, "other": 3, "missing": 2},
        male_share=0.68,
        parents_consent_under=16,
        outcomes={"safety_plan": 0.4, "onward": 0.2, "eet": 0.2},
        risk_factors=("Inconsistent parental discipline", "Parental substance misuse"),
        protective_factors=("Warm parent relationship", "Parents set consistent limits"),
    ),
    ProgrammeSpec(
        name="Street-based youth work",
        kind="detached",
        description="Youth workers meet young people on the streets and in the parks of the "
        "priority neighbourhoods in Luton and Bedford, on weekday and weekend evenings.",
        delivering_organisation="Community youth organisations funded by the VERU",
        prevention_stage="secondary",
        yef_approach="",
        recommendations=(),
        budget=110_000,
        min_age=10,
        max_age=24,
        family="group",
        sessions=SessionPlan(
            kind="detached",
            per_week=2,
            size=(6, 20),
            bands=TEEN_BANDS,
            places=(
                "Park",
                "Shopping parade",
                "Playing fields",
                "Community centre steps",
                "Retail park",
                "Town centre",
                "Recreation ground",
                "Estate green",
            ),
            female_share=0.3,
            contacts=(0, 3),
        ),
    ),
    ProgrammeSpec(
        name="Just Drop It",
        kind="group",
        description="The VERU's knife crime campaign (named on its web page): assemblies and "
        "workshops in schools and youth settings.",
        delivering_organisation="VERU community team",
        prevention_stage="primary",
        yef_approach="Knife crime education programmes",
        recommendations=(),
        budget=35_000,
        min_age=10,
        max_age=18,
        family="group",
        sessions=SessionPlan(
            kind="group",
            per_week=1,
            size=(30, 150),
            bands={"10-13": 0.55, "14-17": 0.45},
            places=("Secondary school assembly", "Youth club workshop", "Year 8 workshop"),
            term_time=True,
            female_share=0.48,
        ),
    ),
]

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
FIRST_NAMES = {
    "male": [
        "Alfie", "Bilal", "Callum", "Daniel", "Ethan", "Harvey", "Ibrahim", "Jayden",
        "Kai", "Leon", "Mason", "Nathan", "Owen", "Reece", "Tyler", "Zain",
    ],
    "female": [
        "Amelia", "Bella", "Chloe", "Demi", "Ella", "Grace", "Hana", "Isla",
        "Jasmine", "Leah", "Maya", "Nia", "Poppy", "Sofia", "Tia", "Zara",
    ],
    "other": ["Alex", "Charlie", "Frankie", "Jordan", "Morgan", "Riley", "Sam", "Sky"],
}  # fmt: skip

CONTACT_METHODS = {
    "custody": {"in_person": 6, "phone": 3, "home_visit": 2, "message": 1},
    "hospital": {"in_person": 7, "phone": 3, "message": 2},
    "family": {"home_visit": 6, "in_person": 3, "phone": 2},
    "school": {"in_person": 8, "phone": 1},
    "exploitation": {"in_person": 5, "home_visit": 3, "phone": 2, "message": 2},
    "group": {"in_person": 7, "phone": 2, "message": 1},
}

# Case notes: synthetic, no names; each says what a practitioner would write.
FIRST_CONTACT_NOTES = {
    "custody": [
        "Saw YP in custody with the appropriate adult; explained the programme and what happens next.",
        "Phoned after release; mum answered and passed the phone to YP. Agreed to meet at the youth centre.",
        "Met YP at the police station before interview; quiet, said they carried it 'for protection'.",
        "First visit at home with a parent present; talked about the night of the arrest and who was there.",
        "Met in custody; YP worried about what school will say. Agreed to talk again tomorrow.",
    ],
    "hospital": [
        "Met YP on the ward after the wound was dressed; did not want to talk about who did it.",
        "Spoke in A&E with an older sibling present; YP agreed we could call once home.",
        "Brief chat in the cubicle; YP says it was a fight over something online.",
        "Met in the emergency department; YP frightened of going back to the same area.",
    ],
    "family": [
        "First home visit: parent and young person; talked through what the school has noticed.",
        "Met the family at school with the head of year; agreed a plan around attendance.",
        "Phoned the parent to introduce the service; home visit booked for next week.",
        "Home visit: younger siblings present; mum worried about the older friends YP has made.",
    ],
    "school": [
        "Met in school with the pastoral lead; talked about what has been going wrong in lessons.",
        "First session in school; keen on the outdoor day, less keen on talking.",
        "Introductory meeting with the pupil and head of year about attendance and suspensions.",
    ],
    "exploitation": [
        "Met YP after a return-home interview; had been missing two nights. Did not say where.",
        "Joint visit with the social worker; talked about the new phone and who bought it.",
        "Met at school; YP said older boys pay them to 'hold things'. Shared with the safeguarding lead.",
        "Phoned YP after the referral; agreed to meet at a café away from their area.",
    ],
    "group": [
        "Met YP at the session; came along with two friends from the estate.",
        "First one-to-one after the group session; wants help getting on a course.",
        "Referred by the youth worker who met YP on the street; first proper chat today.",
    ],
}
FOLLOW_UP_NOTES = [
    "Went to the boxing session together; stayed for the whole hour.",
    "Talked about college options and filled in the application form.",
    "Missed the appointment; followed up by text and rebooked for Thursday.",
    "Reviewed the safety plan: avoids the park after dark, knows who to call.",
    "Met with mum; things calmer at home this week.",
    "Went through what happens at court and who will be there.",
    "Talked about anger and what helps YP calm down; practised the steps.",
    "Caught up at school; attendance up this half term.",
    "YP quiet today; said a friend had been stabbed. Gave space and checked in later.",
    "Helped with a CV and a trial shift at the café.",
    "Joint meeting with the social worker to agree next steps.",
    "Talked about the people YP spends time with and which of them they trust.",
    "Did not want to meet in person; short phone call, agreed to try again next week.",
    "Took part in the outdoor learning day; worked well with the group.",
    "Checked in after the weekend; no new incidents reported.",
    "Spoke about music production; signed up to the studio sessions.",
    "Worked on a plan for getting to college on time.",
    "Discussed the risks of carrying and what to do if offered a knife.",
]
NEXT_STEPS = [
    "Meet again next week",
    "Book college open day",
    "Call mum on Friday",
    "Check in after the weekend",
    "Go to the boxing session together",
    "Refer on to the mentoring project",
    "Review the safety plan in two weeks",
    "Meet at school on Tuesday",
]
CLOSING_NOTES = {
    "completed": "Closing review: goals met; knows how to get back in touch.",
    "declined": "Did not want support at this time; information about the service left with the family.",
    "disengaged": "No response to calls, texts or visits for four weeks; case closed with a letter.",
    "moved": "Family moved out of the area; details passed to the local service.",
    "escalated": "Concerns escalated to children's social care; strategy meeting held.",
}

DETACHED_ISSUES = [
    "Nowhere to go in the evenings since the youth club closed.",
    "Older lads hanging around the station; younger ones feel pushed out.",
    "Talk about a fight after school last week; some say people are carrying.",
    "Complaints about the streetlights being out along the path by the shops.",
    "Group asked about football on Friday nights; we said we would ask the council.",
    "Vapes and cannabis being sold near the park; some of the group are 13.",
    "Police moved the group on twice tonight; they feel they are always blamed.",
    "Girls said they do not feel safe walking home through the underpass.",
    "A lot of talk about a video shared online; tension between two estates.",
    "Quiet night; cold, small group. Handed out information about the boxing club.",
    "Some of the group are not in school; asked about college courses.",
    "Young people asked for somewhere warm that is theirs; the café closes at six.",
    "Heard that a younger boy has been running errands for older teenagers.",
    "Good conversation about knives and what happens if you get caught.",
    "Group upset about a friend who was arrested; talked about the support offered after an arrest.",
    "New faces tonight: they have just moved to the area and know nobody.",
    "Rain; only a few about. Checked the bus station and the parade.",
    "Lots of questions about jobs; gave out details of the apprenticeships fair.",
    "Asked about the skate park lights staying on later in the winter.",
    "Mental health came up a lot: exams, home, money worries.",
]
DETACHED_CONTACT_SUMMARIES = [
    "Talked about being excluded and having nothing to do in the day.",
    "Worried about a friend who has gone quiet and has new clothes and money.",
    "Asked how to get on a boxing course.",
    "Said they were threatened on the way home last week.",
    "Wants help with a CV and finding work.",
    "Has been missing school; arguments at home.",
    "Said older boys offered lifts and gifts; gave information about staying safe.",
    "Asked what happens if you are caught with cannabis.",
    "Looking for somewhere to play football in the evenings.",
    "Talked about feeling down and not sleeping; gave details of the youth counselling service.",
    "Friend was stabbed last month; still angry and scared.",
    "Asked if we could help a younger brother who has been hanging around with older lads.",
]
