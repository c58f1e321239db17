"""What the Duty demo is made of, from each partnership's published documents.

- Essex: the SNA 2023 (sections 5 and 6): the VVP Board, chaired by the Police, Fire and
  Crime Commissioner; the specified authorities it names; the definition of serious violence
  used for the SNA with its exclusions and reasons; the eight areas of the Home Office
  readiness assessment of 2023 (the SNA prints its scores only as a picture, so the demo's
  scores are synthetic and say so).
- Bedfordshire: the VERU's web page: the Serious Harm Partnership Board with the VERU and the
  three Community Safety Partnerships; the 2020-2025 strategy, first reviewed by 31 January
  2025 and then annually.
Named leads and contacts are synthetic.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DutyStory:
    board: str
    board_remit: str
    holders: list[tuple[str, str, bool, str]]  # name, kind, on the board, committed to
    partner_of: str = ""  # the organisation the demo partner user signs in for
    definition: str = ""
    definition_source: str = ""
    factors: dict[str, str] = field(default_factory=dict)
    included: list[tuple[str, str]] = field(default_factory=list)
    excluded: list[tuple[str, str]] = field(default_factory=list)
    strategy: tuple[str, str] | None = None  # title, version
    strategy_published: tuple[int, int, int] | None = None
    first_review: tuple[int, int, int] | None = None
    readiness: dict[str, int] = field(default_factory=dict)
    readiness_note: str = ""


ESSEX = DutyStory(
    board="VVP Board",
    partner_of="Thurrock Council",
    board_remit="The Violence and Vulnerability Partnership, chaired by the Police, Fire and "
    "Crime Commissioner; it commissioned the SNA for partner organisations and the 14 "
    "Community Safety Partnerships.",
    holders=[
        (
            "Essex Police",
            "police",
            True,
            "Data for the SNA; focused deterrence; custody referrals to ReRoute.",
        ),
        (
            "Essex County Fire and Rescue Service",
            "fire_rescue",
            True,
            "Deliberate-fire and arson data; prevention work in schools.",
        ),
        (
            "Mid and South Essex Integrated Care Board",
            "health",
            True,
            "Hospital navigators; A&E data sharing.",
        ),
        (
            "Essex County Council",
            "local_authority",
            True,
            "Children's services; education data; the Violence and Vulnerability Unit's host.",
        ),
        (
            "Southend-on-Sea City Council",
            "local_authority",
            True,
            "Community safety and youth services.",
        ),
        ("Thurrock Council", "local_authority", True, "Community safety and youth services."),
        (
            "Essex Youth Justice Service",
            "youth_offending",
            True,
            "Out-of-court disposals and diversion.",
        ),
        (
            "Probation Service (East of England)",
            "probation",
            True,
            "Integrated offender management.",
        ),
        (
            "Police, Fire and Crime Commissioner for Essex",
            "policing_body",
            True,
            "Chairs the VVP; holds the Home Office grant.",
        ),
        (
            "Essex Council for Voluntary Youth Services",
            "voluntary",
            False,
            "Represents youth clubs; the Voice of Community group.",
        ),
    ],
    definition="Serious violence in public spaces: offences with weapons, and areas of "
    "criminality where serious violence or its threat is inherent, such as county lines "
    "drug dealing; serious youth violence, violence against the person and knife crime "
    "outside the home.",
    definition_source="the Essex Serious Violence Strategic Needs Assessment 2023, section 5",
    factors={
        "maximum_penalty": "Homicide, violence with injury and robbery where a knife, bladed "
        "article, firearm or other weapon was used, or linked to county lines or gangs.",
        "impact_on_victims": "Weighted by the Cambridge High Harm Index: serious violence is "
        "on average 13 times more harmful than crime in general (950 against 73).",
        "prevalence": "About 0.6% of crime reported to the police in Essex (year ending June "
        "2023): 1,100 offences in 2023.",
        "impact_on_community": "Offences outside the home, in public spaces, where communities "
        "feel the effect most.",
    },
    included=[
        ("Public space youth violence, including homicide", ""),
        ("Knife crime and gun crime", ""),
        ("County lines drug dealing and gang-related violence", ""),
    ],
    excluded=[
        (
            "Domestic and familial abuse",
            "There is already a co-ordinated statutory response for this type of violence and abuse.",
        ),
        (
            "Violence against women and girls outside the definition",
            "There is already a partnership approach to VAWG, with its own needs assessment.",
        ),
        (
            "Other violence pertaining to sexual offences",
            "It requires a different response and presents a different offender typology; a "
            "partnership across Essex considers these issues.",
        ),
    ],
    strategy=("Essex Violence and Vulnerability Work Programme", "2024 refresh"),
    strategy_published=(2024, 4, 1),
    first_review=(2025, 3, 31),
    readiness={
        "definition": 5,
        "response": 4,
        "change": 4,
        "collaboration": 5,
        "co_production": 3,
        "data": 4,
        "counter_narrative": 3,
        "consensus": 4,
    },
    readiness_note="The areas and the scale are those of the external readiness assessment "
    "commissioned by the Home Office in 2023 (Essex SNA, section 6). Its scores are printed "
    "only as a picture, so these are synthetic demo scores.",
)

BEDFORDSHIRE = DutyStory(
    board="Serious Harm Partnership Board",
    partner_of="Bedford Borough Council",
    board_remit="Agreed to deliver the Duty in Bedfordshire, with the VERU and the three "
    "local authority Community Safety Partnerships as members.",
    holders=[
        ("Bedfordshire Police", "police", True, ""),
        ("Bedfordshire Fire and Rescue Service", "fire_rescue", True, ""),
        ("Bedfordshire, Luton and Milton Keynes Integrated Care Board", "health", True, ""),
        ("Luton Borough Council", "local_authority", True, ""),
        ("Bedford Borough Council", "local_authority", True, ""),
        ("Central Bedfordshire Council", "local_authority", True, ""),
        ("Bedfordshire Youth Justice Services", "youth_offending", True, ""),
        ("Probation Service (Bedfordshire)", "probation", True, ""),
        ("Luton Community Safety Partnership", "community_safety", True, ""),
        ("Bedford Community Safety Partnership", "community_safety", True, ""),
        ("Central Bedfordshire Community Safety Partnership", "community_safety", True, ""),
    ],
    strategy=("Bedfordshire Serious Violence Strategy", "2020-2025"),
    strategy_published=(2020, 4, 1),
    first_review=(2025, 1, 31),
)

# The action plan is synthetic: one action per recommendation of the latest needs assessment,
# owned in turn by the specified authorities, due over the next two years, mostly green.
ACTION_VERBS = [
    "Agree a lead and a delivery plan for",
    "Commission work towards",
    "Report to the board on progress with",
    "Share the data needed for",
]
ACTION_RATINGS = [
    ("green", ""),
    ("green", ""),
    ("amber", "Waiting for partners' data."),
    ("red", "No lead agreed yet."),
]

STORIES = {"essex-vvp": ("essex", ESSEX), "bedfordshire-veru": ("beds", BEDFORDSHIRE)}
