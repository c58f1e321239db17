"""Demo listening projects: what young people said in each partnership, and what was done.

From the partnerships' published documents (README, "The demo"): Essex's youth-club listening
project (December 2022 to March 2023, its five themes, and what the VVU did in 2022-23: £42,000
on CCTV, youth club activities and safe places; 3,000 young people met by youth work where they
hang out; 20 back into education or work after an arrest; the Knife Harm Campaign). The
Bedfordshire VERU's web page shows its community lead at local community events.

Synthetic: every young person's words (the real ones are not public), the later listening
rounds of both partnerships (relative to the day the demo is loaded), Bedfordshire's themes and
its "you said, we did".
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from evaluation import services
from evaluation.models import CodebookTheme, ListeningAction, ListeningExercise
from vru.models import LocalAuthority, Partnership

ESSEX_SAYINGS = {
    "Youth facilities and safe spaces": [
        "There's nowhere to go after school so we just hang about.",
        "The youth club closed, we want somewhere warm that's ours.",
        "A place with sport and music where older lads don't take over.",
        "Somewhere open on a Friday night that doesn't cost anything.",
    ],
    "Street lighting and CCTV": [
        "The path by the station is pitch black in winter.",
        "I walk the long way round because the park has no lights.",
        "Cameras at the bus stop would make me feel better.",
    ],
    "Trusted adults": [
        "I'd talk to a youth worker before a teacher.",
        "Someone who actually listens and doesn't judge.",
        "My coach is the only adult I'd tell.",
    ],
    "Targeted education and support": [
        "Lessons on knives should be real, not just a video.",
        "Help with college applications and jobs.",
        "Support when you get excluded, not just left at home.",
    ],
    "Awareness raising": [
        "Tell us what happens if you get caught carrying.",
        "Parents don't know what goes on online.",
        "Show us where to get help without it being a big deal.",
    ],
}
BEDFORDSHIRE_THEMES = [
    ("Safe places to go", "Somewhere to go in the evenings that feels safe and is ours."),
    ("Knives and feeling safe", "Carrying, fear of knives and getting home safely."),
    (
        "Being targeted by older people",
        "Being groomed, asked to carry or sell, county lines, debts.",
    ),
    ("Trusted adults and the police", "Who young people would talk to; trust in the police."),
    ("Online", "What happens on social media and in group chats."),
    ("School and what comes next", "Exclusions, support in school, college and jobs."),
]
BEDFORDSHIRE_SAYINGS = {
    "Safe places to go": [
        "There's nothing round here after six unless you've got money.",
        "The community centre should do a youth night again.",
        "Somewhere the older ones can't just walk in and take over.",
    ],
    "Knives and feeling safe": [
        "People say they carry because everyone else does.",
        "I don't walk through the park on my own any more.",
        "My mum makes me share my location when I go out.",
    ],
    "Being targeted by older people": [
        "Older boys offer you stuff and then say you owe them.",
        "Someone I know went missing for days and came back with a new phone.",
        "They pick the younger ones because police won't stop them.",
    ],
    "Trusted adults and the police": [
        "I'd only talk to the youth worker, not the police.",
        "The police stop us for nothing, so why would we call them?",
        "The best teacher is the one who doesn't shout.",
    ],
    "Online": [
        "Fights get filmed and it's everywhere by the morning.",
        "People show off knives on snap to look hard.",
        "Group chats are where the trouble starts.",
    ],
    "School and what comes next": [
        "Once you're excluded nobody checks on you.",
        "Help to get an apprenticeship would change things.",
        "College is far and the bus is expensive.",
    ],
}


@dataclass(frozen=True)
class Round:
    slug: str
    name: str
    start: date
    end: date
    delivery_partner: str
    venues: str
    question: str
    responses: int
    themes: list[tuple[str, str]] | None  # None: the Essex codebook (the default)
    sayings: dict[str, list[str]]
    venue_names: tuple[str, ...]
    public: bool = True


def _rounds(today: date) -> dict[str, list[Round]]:
    """The real Essex listening of 2022-23, then in each partnership last year's round
    (finished) and this year's (still listening): relative to the day the demo is loaded."""

    def span(first: int, last: int) -> tuple[date, date]:
        return today + timedelta(days=first), today + timedelta(days=last)

    def named(text: str, start: date, end: date) -> str:
        return f"{text}, {start:%B %Y} to {end:%B %Y}"

    essex = {
        "delivery_partner": "Essex Council for Voluntary Youth Services",
        "question": "What would make you feel safer where you live?",
        "themes": None,
        "sayings": ESSEX_SAYINGS,
    }
    beds = {
        "delivery_partner": "Bedfordshire VERU community team",
        "venues": "Community events, youth clubs and schools in Luton, Bedford and Central "
        "Bedfordshire",
        "question": "What would help young people around here stay safe?",
        "themes": BEDFORDSHIRE_THEMES,
        "sayings": BEDFORDSHIRE_SAYINGS,
        "venue_names": ("Community event", "Youth club", "School", "Mosque youth group"),
    }
    last_essex, now_essex = span(-430, -250), span(-120, 60)
    last_beds, now_beds = span(-480, -260), span(-110, 75)
    return {
        "essex-vvp": [
            Round(
                slug="essex-listening-2023",
                name="Youth club listening project 2022-23",
                start=date(2022, 12, 1),
                end=date(2023, 3, 31),
                venues="Youth clubs across Essex, Southend and Thurrock",
                responses=300,
                venue_names=("Youth club",),
                **essex,
            ),
            Round(
                slug="essex-listening-last",
                name=named("Youth club listening project", *last_essex),
                start=last_essex[0],
                end=last_essex[1],
                venues="Youth clubs and detached youth work sessions",
                responses=200,
                venue_names=("Youth club", "Detached youth work session"),
                **essex,
            ),
            Round(
                slug="essex-listening-now",
                name=named("Youth club listening project", *now_essex),
                start=now_essex[0],
                end=now_essex[1],
                venues="Youth clubs and detached youth work sessions",
                responses=120,
                venue_names=("Youth club", "Detached youth work session"),
                public=False,  # still listening: published once it ends
                **essex,
            ),
        ],
        "bedfordshire-veru": [
            Round(
                slug="bedfordshire-conversations-last",
                name=named("VERU community conversations", *last_beds),
                start=last_beds[0],
                end=last_beds[1],
                responses=160,
                **beds,
            ),
            Round(
                slug="bedfordshire-conversations-now",
                name=named("VERU community conversations", *now_beds),
                start=now_beds[0],
                end=now_beds[1],
                responses=90,
                public=False,
                **beds,
            ),
        ],
    }


def _actions(slug: str) -> list[tuple[str, str, str, str, int | None]]:
    """(theme, what, who, status, spend) of each "we did"."""
    if slug == "essex-listening-2023":
        return [
            (
                "Youth facilities and safe spaces",
                "Spent £42,000 on CCTV, youth club activities and safe places in 2022-23.",
                "Community grants",
                "delivered",
                42000,
            ),
            (
                "Trusted adults",
                "Youth workers met 3,000 young people in the places they choose to hang out.",
                "Detached youth work",
                "delivered",
                None,
            ),
            (
                "Targeted education and support",
                "Supported 20 young people back into education and employment after an arrest.",
                "ReRoute",
                "delivered",
                None,
            ),
            (
                "Awareness raising",
                "A Knife Harm Campaign for parents and carers, made with young people.",
                "VVU communications",
                "delivered",
                None,
            ),
            (
                "Street lighting and CCTV",
                "Asked the councils to light the routes young people named as dark.",
                "Community safety partnerships",
                "in_progress",
                None,
            ),
        ]
    if slug == "essex-listening-last":
        return [
            (
                "Youth facilities and safe spaces",
                "Youth club nights in Jaywick and Clacton and an after-school café in "
                "Braintree, paid for by community grants.",
                "Community grants",
                "delivered",
                27000,
            ),
            (
                "Trusted adults",
                "Detached youth workers now visit the parks and parades young people named.",
                "Detached youth work",
                "delivered",
                None,
            ),
            (
                "Street lighting and CCTV",
                "Lighting for the station path agreed with the council; work is booked.",
                "Community safety partnership",
                "in_progress",
                None,
            ),
        ]
    if slug == "essex-listening-now":
        return [
            (
                "Targeted education and support",
                "A careers and college drop-in at two youth clubs, starting next term.",
                "Essex Council for Voluntary Youth Services",
                "planned",
                None,
            ),
            (
                "Awareness raising",
                "Knife Harm Campaign films shown at youth clubs, with a youth worker there.",
                "VVU communications",
                "in_progress",
                None,
            ),
        ]
    if slug == "bedfordshire-conversations-now":
        return [
            (
                "Online",
                "Workshops with young people on fights filmed and shared online.",
                "VERU community team",
                "planned",
                None,
            ),
            (
                "School and what comes next",
                "Apprenticeship taster days with local employers.",
                "VERU with Luton and Bedford colleges",
                "in_progress",
                None,
            ),
        ]
    return [
        (
            "Safe places to go",
            "Friday-night boxing in Marsh Farm and street football in Kempston, paid for by "
            "the VERU Community Fund.",
            "VERU Community Fund",
            "delivered",
            11000,
        ),
        (
            "Knives and feeling safe",
            "Just Drop It workshops in secondary schools across the county.",
            "Just Drop It",
            "delivered",
            None,
        ),
        (
            "Being targeted by older people",
            "A girls' circle in Lewsey and more exploitation support workers.",
            "Exploitation and county lines support",
            "in_progress",
            None,
        ),
        (
            "Trusted adults and the police",
            "Young people to meet the police's neighbourhood teams at a youth-led event.",
            "VERU community team with Bedfordshire Police",
            "planned",
            None,
        ),
    ]


def _load_round(partnership: Partnership, spec: Round, rng: random.Random) -> str:
    exercise = services.exercise_create(
        actor=None,
        partnership=partnership,
        name=spec.name,
        period_start=spec.start,
        period_end=spec.end,
        public_slug=spec.slug,
        delivery_partner=spec.delivery_partner,
        venues=spec.venues,
        **({"themes": spec.themes} if spec.themes is not None else {}),
    )
    themes = {theme.name: theme for theme in CodebookTheme.objects.filter(exercise=exercise)}
    areas = list(LocalAuthority.objects.filter(partnership=partnership).order_by("name"))
    weights = [2 if area.name == "Luton" else 1 for area in areas]
    bands = ["11_13", "14_15", "14_15", "16_17", "16_17", "18_21"]
    today = timezone.localdate()
    days = (min(spec.end, today) - spec.start).days + 1  # nobody has answered tomorrow yet
    for _ in range(spec.responses):
        theme_name = rng.choice(list(spec.sayings))
        services.response_record(
            actor=None,
            exercise=exercise,
            responded_on=spec.start + timedelta(days=rng.randrange(days)),
            venue=rng.choice(spec.venue_names),
            local_authority=rng.choices(areas, weights=weights)[0] if areas else None,
            age_band=rng.choice(bands),
            gender=rng.choice(["girl", "boy", "boy", "not_said", ""]),
            question=spec.question,
            words=rng.choice(spec.sayings[theme_name]),
            may_be_quoted=rng.random() < 0.4,
            themes=[themes[theme_name]] if rng.random() < 0.9 else [],
        )
    # what was done comes after what was said: delivered between the end of the listening
    # and the day the demo is loaded
    for theme_name, what, who, status, spend in _actions(spec.slug):
        delivered = status == "delivered"
        ListeningAction.objects.create(
            theme=themes[theme_name],
            what=what,
            who=who,
            status=status,
            delivered_on=spec.end + (min(today, spec.end + timedelta(days=220)) - spec.end) * 0.6
            if delivered
            else None,
            due_on=None if delivered else max(spec.end, today) + timedelta(days=120),
            spend=spend,
            delivered_through=who,
        )
    ListeningExercise.objects.filter(pk=exercise.pk).update(is_public=spec.public)
    public = (
        f"public page /evaluation/you-said-we-did/{exercise.public_slug}/"
        if spec.public
        else "still listening: not yet public"
    )
    return f"Listening demo: {exercise} with {spec.responses} synthetic responses ({public})."


@transaction.atomic
def load_demo() -> list[str]:
    lines = []
    today = timezone.localdate()
    for slug, rounds in _rounds(today).items():
        partnership = Partnership.objects.filter(slug=slug).first()
        if partnership is None:
            continue
        rng = random.Random(f"listening-{slug}")  # noqa: S311 - the same synthetic demo every time
        for spec in rounds:
            if ListeningExercise.objects.filter(public_slug=spec.slug).exists():
                lines.append(f"Listening demo already loaded: {spec.slug}.")
                continue
            lines.append(_load_round(partnership, spec, rng))
    return lines
