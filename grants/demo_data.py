"""What the grants demo is made of: each partnership's community grants, its own groups and
rounds.

From the partnerships' published documents (README, "The demo"): the Essex SNA 2023 says its
community grants reach into communities in response to the listening projects, that young
people review the applications, and that 11,000 children and young people were supported
through grants to 20 community groups in 2022-23, from youth clubs and boxing to after-school
sport, employment projects and safe spaces for LGBTQ+ young people. Bedfordshire's web page
shows the VERU's community lead at local community events.

Synthetic: every organisation (fictional names; invented charity numbers, different in the
two partnerships; any likeness to a real group is accidental), application, score, comment,
decision, award and monitoring return, and every date (relative to the day the demo is
loaded).
"""

from dataclasses import dataclass
from decimal import Decimal

from vru.age_bands import AgeBand

CRITERIA = [
    {
        "title": "Helps young people stay safe",
        "guidance": "Will this project help young people feel and be safer? Think about "
        "whether it reaches young people who most need it, in the places that need it.",
        "worked_example": "A project running football on Friday nights in a park where fights "
        "happen, with youth workers there, would score well. A one-off assembly in a school "
        "far from the area would score lower.",
        "weight": Decimal("2"),
        "descriptor_1": "Does not really help young people stay safe",
        "descriptor_2": "Helps a little, but it is not clear how",
        "descriptor_3": "Helps, and explains how",
        "descriptor_4": "Helps a lot, with a clear plan",
        "descriptor_5": "Helps a lot, with a clear plan, in the places that need it most",
    },
    {
        "title": "Young people have a say",
        "guidance": "Did young people help plan this project, and will they help run it?",
        "worked_example": "A group that asked young people what they wanted and has a youth "
        "committee choosing activities would score 4 or 5.",
        "weight": Decimal("1"),
        "descriptor_1": "Young people are not involved",
        "descriptor_2": "Young people are asked once",
        "descriptor_3": "Young people give ideas",
        "descriptor_4": "Young people help plan it",
        "descriptor_5": "Young people plan and help run it",
    },
    {
        "title": "Good use of money",
        "guidance": "Is the money spent sensibly? Do the costs look right for what they will do?",
        "worked_example": "£3,000 for 40 weekly sessions with two trained coaches is good "
        "value; £3,000 for one trip is not.",
        "weight": Decimal("1"),
        "descriptor_1": "Costs look wrong or too high",
        "descriptor_2": "Some costs are unclear",
        "descriptor_3": "Costs are OK",
        "descriptor_4": "Costs are clear and fair",
        "descriptor_5": "Excellent value for money",
    },
]
QUESTIONS = [
    {
        "text": "Is your organisation based in or working in the partnership's area?",
        "pass_answer": True,
    },
    {
        "text": "Do you have a safeguarding policy reviewed in the last 12 months?",
        "pass_answer": True,
    },
    {"text": "Is this project for profit?", "pass_answer": False},
]

# Reviewers' comments by criterion (position) and how they scored it (low 1-2, mid 3, high 4-5).
COMMENTS = {
    0: {
        "low": [
            "I can't see how this keeps anyone safer.",
            "It's not in the places where things actually happen.",
        ],
        "mid": [
            "It would help, but they don't say which young people it's for.",
            "Good idea, but the sessions finish before it gets dark.",
        ],
        "high": [
            "This is exactly where young people need somewhere to go.",
            "Friday nights are when it kicks off, so this is the right time.",
            "They already know the young people who are most at risk.",
        ],
    },
    1: {
        "low": ["Nobody asked young people what they wanted.", "Adults have decided it all."],
        "mid": [
            "They asked young people once, but there's no youth group running it.",
            "Young people give ideas but don't really decide anything.",
        ],
        "high": [
            "Young people designed this themselves, which is good.",
            "There is a youth committee choosing the activities.",
        ],
    },
    2: {
        "low": ["I am not sure the costs add up.", "A lot of the money is for equipment."],
        "mid": ["The costs are OK but the coach's rate seems high.", "Mostly fair."],
        "high": ["Lots of sessions for the money.", "Clear budget and good value."],
    },
}


@dataclass(frozen=True)
class Group:
    """A community organisation and the project it asks the partnership to fund."""

    name: str
    kind: str  # grants.models.Organisation.Kind
    charity_number: str
    area: str  # local authority name
    postcode: str  # outward code only (fictional address)
    project: str
    summary: str
    amount: int
    young_people: int  # a year
    bands: dict[str, float]  # monitoring-return age bands -> share
    recommendations: tuple[int, ...]  # SNA recommendation numbers the project serves
    themes: tuple[str, ...]  # listening themes it answers
    quality: float  # how the youth panel will see it, 1 to 5


TEEN = {"10-13": 0.3, "14-17": 0.55, "18-24": 0.15}
# Shares of the young people reached, in the core's reach bands (vru.age_bands).
YOUNGER = {AgeBand.UNDER_10: 0.1, AgeBand.AGE_10_13: 0.5, AgeBand.AGE_14_17: 0.4}
OLDER = {AgeBand.AGE_14_17: 0.45, AgeBand.AGE_18_24: 0.55}


@dataclass(frozen=True)
class RoundPlan:
    """A grant round's dates in days from the day the demo is loaded, in the order they
    happen: open, close, panel deadline, decision (and award), project start and end."""

    key: str
    opens: int
    closes: int
    panel: int
    decided: int | None = None
    starts: int | None = None
    ends: int | None = None
    tranches: int = 2
    budget: int = 0


@dataclass(frozen=True)
class GrantsStory:
    title: str  # "{season}": when the round opened, e.g. "autumn 2026"
    fund: str
    description: str
    minimum: int
    maximum: int
    rounds: tuple[RoundPlan, ...]
    round_recommendations: tuple[int, ...]
    listening_themes: tuple[str, ...]
    groups: tuple[Group, ...]
    # first name, age today, training completed (days ago), still on the panel
    reviewers: tuple[tuple[str, int, int | None, bool], ...]


ESSEX = GrantsStory(
    title="VV Community Grants, {season}",
    fund="Home Office Violence Reduction Unit funding",
    description="Grants for community groups responding to what young people told the "
    "listening project, chosen with our youth panel.",
    minimum=2_000,
    maximum=25_000,
    rounds=(
        RoundPlan("older", -820, -790, -770, -762, -735, -400, tranches=3, budget=160_000),
        RoundPlan("past", -455, -420, -400, -392, -365, -60, tranches=3, budget=180_000),
        RoundPlan("current", -200, -170, -150, -142, -120, 215, tranches=3, budget=200_000),
        RoundPlan("open", -14, 16, 37, budget=200_000),
    ),
    round_recommendations=(5, 7),
    listening_themes=(
        "Youth facilities and safe spaces",
        "Trusted adults",
        "Street lighting and CCTV",
    ),
    groups=(
        Group(
            "Ringside Youth Boxing CIC", "cic", "", "Basildon", "SS14",
            "Box Clever Fridays",
            "Boxing on Friday nights with a talk each week on conflict, knives and where "
            "to get help, run by coaches who grew up on the estate.",
            14_500, 160, TEEN, (5, 7), ("Youth facilities and safe spaces",), 4.4,
        ),
        Group(
            "Harbourside Detached Youth Project", "charity", "1231857", "Southend-on-Sea",
            "SS1", "Seafront nights",
            "Detached youth workers on the seafront and in the town centre on summer "
            "evenings, where young people gather after dark.",
            22_000, 1400, TEEN, (5,), ("Trusted adults",), 4.6,
        ),
        Group(
            "Tendring Coast Youth Trust", "cio", "1240662", "Tendring", "CO15",
            "Youth club nights in Jaywick and Clacton",
            "Reopens two youth club nights a week with a hot meal, sport and a youth worker "
            "young people already trust.",
            18_000, 320, YOUNGER, (5, 7), ("Youth facilities and safe spaces",), 4.3,
        ),
        Group(
            "Prism Youth Colchester", "cio", "1236014", "Colchester", "CO1",
            "Safe space for LGBTQ+ young people",
            "A weekly safe space and one-to-one support for LGBTQ+ young people across "
            "Colchester and Tendring.",
            12_000, 140, TEEN, (7,), ("Trusted adults",), 4.1,
        ),
        Group(
            "Workbench Harlow", "charity", "1228340", "Harlow", "CM20",
            "Carpentry pathway",
            "A twelve-week carpentry course leading to work experience for young people "
            "who have been arrested, referred by the partnership's custody programme.",
            20_000, 45, OLDER, (9,), ("Targeted education and support",), 4.0,
        ),
        Group(
            "Thurrock Girls' Football Network", "group", "", "Thurrock", "RM17",
            "Girls' football after school",
            "Free after-school football for girls aged 11 to 16 with female coaches and a "
            "walk-home buddy scheme.",
            6_500, 90, YOUNGER, (7,), ("Youth facilities and safe spaces",), 3.6,
        ),
        Group(
            "Canvey Arts and Film Collective", "group", "", "Castle Point", "SS8",
            "Our stories: films about knife harm",
            "Young people write and film short stories about knife harm to show in "
            "schools and online.",
            8_000, 60, TEEN, (6,), ("Awareness raising",), 3.4,
        ),
        Group(
            "Chelmsford Street Mentors", "charity", "1233509", "Chelmsford", "CM1",
            "Mentors for young people at risk of exclusion",
            "Trained volunteer mentors meet young people at risk of exclusion weekly for "
            "six months.",
            16_000, 70, TEEN, (3, 7), ("Trusted adults",), 3.8,
        ),
        Group(
            "Grays Parents Together", "group", "", "Thurrock", "RM17",
            "Parents' nights on exploitation",
            "Evening workshops for parents and carers on county lines, grooming online and "
            "how to talk to their children about knives.",
            5_500, 120, YOUNGER, (2, 4), ("Awareness raising",), 3.2,
        ),
        Group(
            "Braintree Youth Café", "charity", "1229976", "Braintree", "CM7",
            "After-school café",
            "A warm place open until eight on school days with homework help and a youth "
            "worker.",
            9_000, 210, YOUNGER, (5,), ("Youth facilities and safe spaces",), 3.5,
        ),
        Group(
            "Uttlesford Rural Youth Bus", "cio", "1244120", "Uttlesford", "CB11",
            "Youth bus for the villages",
            "A converted bus visits six villages with no youth provision, one evening each "
            "a week.",
            15_000, 260, TEEN, (5,), ("Youth facilities and safe spaces",), 3.9,
        ),
        Group(
            "Maldon Estuary Sailing Trust", "charity", "1227418", "Maldon", "CM9",
            "Sailing for young people at risk",
            "Sailing and water safety on Saturdays for young people referred by schools.",
            11_000, 48, YOUNGER, (7,), ("Targeted education and support",), 2.9,
        ),
        Group(
            "Southend Safe Havens", "group", "", "Southend-on-Sea", "SS2",
            "Safe places in shops",
            "Shops and cafés sign up as places a young person can go if they feel unsafe, "
            "with staff trained and window stickers.",
            4_000, 500, TEEN, (2,), ("Street lighting and CCTV",), 3.0,
        ),
        Group(
            "Epping Forest Youth Sport", "group", "", "Epping Forest", "CM16",
            "Multi-sport nights",
            "Futsal and basketball on Thursday nights in the leisure centre.",
            7_500, 110, TEEN, (7,), ("Youth facilities and safe spaces",), 2.7,
        ),
    ),
    reviewers=(
        ("Riley", 16, 520, True),
        ("Jordan", 15, 520, True),
        ("Sam", 19, 900, True),
        ("Alex", 17, 900, True),
        ("Kai", 14, None, True),  # training not done yet: cannot score
        ("Amira", 18, 170, True),
        ("Josh", 21, 1000, False),  # scored the first rounds, has since left the panel
    ),
)  # fmt: skip

BEDFORDSHIRE = GrantsStory(
    title="VERU Community Fund, {season}",
    fund="Home Office Violence Reduction Unit funding",
    description="Small grants for Bedfordshire community groups working with young people "
    "at risk of violence and exploitation, chosen with young reviewers.",
    minimum=1_000,
    maximum=8_000,
    rounds=(
        RoundPlan("older", -840, -810, -795, -788, -765, -430, tranches=3, budget=55_000),
        RoundPlan("past", -470, -440, -425, -418, -395, -75, tranches=3, budget=60_000),
        RoundPlan("current", -230, -200, -185, -178, -160, 190, tranches=3, budget=65_000),
        RoundPlan("open", -9, 21, 42, budget=70_000),
    ),
    round_recommendations=(9,),
    listening_themes=("Safe places to go", "Being targeted by older people"),
    groups=(
        Group(
            "Bury Park Youth Hub", "cio", "1238815", "Luton", "LU1",
            "Listening cafés",
            "Monthly cafés where young people and parents tell the VERU and the council "
            "what they need, with a youth-led report back.",
            6_000, 180, TEEN, (9,), ("Safe places to go",), 4.5,
        ),
        Group(
            "Marsh Farm Boxing and Fitness", "cic", "", "Luton", "LU3",
            "Fight Night Fridays",
            "Boxing and fitness on Friday evenings with mentoring from coaches with lived "
            "experience.",
            7_500, 95, TEEN, (), ("Safe places to go",), 4.2,
        ),
        Group(
            "Lewsey Girls Circle", "group", "", "Luton", "LU4",
            "Girls' circle",
            "A weekly group for girls aged 12 to 17 on healthy relationships, exploitation "
            "and staying safe online.",
            4_500, 40, TEEN, (4,), ("Being targeted by older people",), 4.4,
        ),
        Group(
            "Riverside Youth Theatre Bedford", "charity", "1232290", "Bedford", "MK40",
            "Drop it: a play about knives",
            "Young people write and tour a short play about carrying knives to Bedford "
            "schools.",
            6_800, 900, YOUNGER, (), ("Knives and feeling safe",), 3.6,
        ),
        Group(
            "Kempston Street Football", "group", "", "Bedford", "MK42",
            "Street football league",
            "A free evening football league on the estate with youth workers on the "
            "touchline.",
            3_500, 120, TEEN, (), ("Safe places to go",), 3.9,
        ),
        Group(
            "Dunstable Youth Café", "charity", "1241736", "Central Bedfordshire", "LU6",
            "Open late on Fridays",
            "Keeps the café open until ten on Fridays with a youth worker and food.",
            5_000, 150, TEEN, (), ("Safe places to go",), 3.3,
        ),
        Group(
            "Parents Against Knife Harm Luton", "group", "", "Luton", "LU2",
            "Parents talking",
            "Parent-led sessions in community centres and mosques on knife harm and "
            "exploitation, and how to talk about them at home.",
            2_500, 200, YOUNGER, (4,), ("Knives and feeling safe",), 3.1,
        ),
        Group(
            "Biggleswade Youth Shed", "cio", "1243358", "Central Bedfordshire", "SG18",
            "Youth shed",
            "Bike repair and woodwork after school for young people excluded or at risk "
            "of exclusion.",
            4_000, 35, YOUNGER, (), ("Safe places to go",), 2.8,
        ),
    ),
    reviewers=(
        ("Riley", 17, 900, True),
        ("Tia", 15, 540, True),
        ("Zain", 18, 900, True),
        ("Maya", 16, 200, True),
        ("Kai", 14, None, True),  # training not done yet: cannot score
        ("Ellie", 20, 1000, False),  # scored the first rounds, has since left the panel
    ),
)  # fmt: skip

CASE_STUDIES = [
    "A 15-year-old who had been suspended twice now helps coach the younger group on Fridays.",
    "Two girls who had stopped going out after dark now come every week with friends.",
    "A young man referred after an arrest finished the course and has a trial shift.",
    "Young people chose the activities for the summer and ran the last event themselves.",
    "A parent said it was the first time their son had talked about what happened.",
    "Attendance doubled after the youth workers started walking young people home.",
]
