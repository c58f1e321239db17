"""Demo listening projects: Essex's 2022-23 youth-club conversations, with synthetic
responses (the real words are not public) spread over the real areas and themes."""

import random
from datetime import date, timedelta

from django.db import transaction

from evaluation import services
from evaluation.models import ListeningAction, ListeningExercise
from vru.models import LocalAuthority, Partnership

SAYINGS = {
    "Youth facilities and safe spaces": [
        "There's nowhere to go after school so we just hang about.",
        "The youth club closed, we want somewhere warm that's ours.",
        "A place with sport and music where older lads don't take over.",
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
ACTIONS = [
    (
        "Youth facilities and safe spaces",
        "Funded three youth clubs to open on Friday nights.",
        "Community grants",
        "delivered",
        18000,
    ),
    (
        "Street lighting and CCTV",
        "Asked the council to light the station path; work is booked.",
        "Community safety partnership",
        "in_progress",
        None,
    ),
    (
        "Trusted adults",
        "Detached youth workers now visit the parks young people named.",
        "Detached Youth Work programme",
        "delivered",
        42000,
    ),
    (
        "Awareness raising",
        "A campaign written with young people about carrying knives.",
        "VVP communications",
        "planned",
        6000,
    ),
]


@transaction.atomic
def load_demo() -> list[str]:
    lines = []
    partnership = Partnership.objects.filter(slug="essex-vvp").first()
    if partnership is None:
        return lines
    exercise = ListeningExercise.objects.filter(public_slug="essex-listening-2023").first()
    if exercise is not None:
        return [f"Listening demo already loaded: {exercise}."]
    exercise = services.exercise_create(
        actor=None,
        partnership=partnership,
        name="Youth club listening project 2022-23",
        period_start=date(2022, 12, 1),
        period_end=date(2023, 3, 31),
        public_slug="essex-listening-2023",
        delivery_partner="Essex youth service",
        venues="Youth clubs across Essex, Southend and Thurrock",
    )
    themes = {theme.name: theme for theme in exercise.themes.all()}
    areas = list(LocalAuthority.objects.filter(partnership=partnership))
    rng = random.Random(2023)  # noqa: S311 - the same synthetic demo every time
    bands = ["11_13", "14_15", "14_15", "16_17", "16_17", "18_21"]
    for _ in range(300):
        theme_name = rng.choice(list(SAYINGS))
        services.response_record(
            actor=None,
            exercise=exercise,
            responded_on=date(2022, 12, 1) + timedelta(days=rng.randrange(121)),
            venue="Youth club",
            local_authority=rng.choice(areas),
            age_band=rng.choice(bands),
            gender=rng.choice(["girl", "boy", "boy", "not_said", ""]),
            question="What would make you feel safer where you live?",
            words=rng.choice(SAYINGS[theme_name]),
            may_be_quoted=rng.random() < 0.4,
            themes=[themes[theme_name]] if rng.random() < 0.9 else [],
        )
    for theme_name, what, who, status, spend in ACTIONS:
        ListeningAction.objects.create(
            theme=themes[theme_name],
            what=what,
            who=who,
            status=status,
            delivered_on=date(2023, 9, 1) if status == "delivered" else None,
            due_on=date(2024, 3, 31) if status != "delivered" else None,
            spend=spend,
            delivered_through=who,
        )
    exercise.is_public = True
    exercise.save(update_fields=["is_public"])
    lines.append(
        f"Listening demo: {exercise} with 300 synthetic responses "
        f"(public page /evaluation/you-said-we-did/{exercise.public_slug}/)."
    )
    return lines
