"""One rule for every door: the date a young person's questionnaire score was completed
(at the start, a midway review, the end or a follow-up).

Scores are recorded on the referral's scores page and by the service (the demo, commands);
nothing else writes them (the admin and the API have none). A date in the future, or before
the referral, is refused on the date field in the same words at both doors: the rule is
OutcomeScore's (clean), not the service's alone.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from evaluation import services
from evaluation.models import OutcomeScore
from tests.evaluation.factories import instrument, past_referral
from tests.factories import ProgrammeFactory, govuk_date, programme_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(client, partnership):
    programme = ProgrammeFactory(partnership=partnership, name="ReRoute")
    practitioner = programme_staff(programme, "practitioner")
    referral = past_referral(programme, days_ago=30, assigned_to=practitioner)
    client.force_login(practitioner)
    return {"client": client, "practitioner": practitioner, "referral": referral}


def by_page(world, scored_on) -> dict:
    url = reverse("evaluation:referral_scores", kwargs={"referral_pk": world["referral"].pk})
    response = world["client"].post(
        url,
        {
            "instrument": instrument("wemwbs").pk,
            "time_point": "mid",
            **govuk_date("scored_on", scored_on.isoformat()),
            "total": "40",
        },
    )
    if response.status_code == 302:
        return {}
    return {k: list(v) for k, v in response.context["form"].errors.items()}


def by_service(world, scored_on) -> dict:
    try:
        services.outcome_score_record(
            actor=world["practitioner"],
            referral=world["referral"],
            instrument=instrument("wemwbs"),
            time_point="mid",
            scored_on=scored_on,
            total=40,
        )
    except ValidationError as error:
        return error.message_dict
    return {}


DOORS = {"page": by_page, "service": by_service}
TODAY = timezone.localdate()
CASES = [
    ("completed tomorrow", TODAY + datetime.timedelta(days=1), "The date cannot be in the future."),
    (
        "completed before the referral",
        TODAY - datetime.timedelta(days=60),
        "The date cannot be before the referral.",
    ),
]


@pytest.mark.parametrize("door", list(DOORS))
@pytest.mark.parametrize(
    ("scored_on", "refusal"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_every_door_refuses_a_score_dated_outside_the_referral_the_same_way(
    world, door, scored_on, refusal
):
    errors = DOORS[door](world, scored_on)

    assert errors == {"scored_on": [refusal]}
    assert not OutcomeScore.objects.exists()


def test_a_score_checked_without_a_service_is_held_to_the_same_dates(world):
    score = OutcomeScore(
        referral=world["referral"],
        instrument=instrument("wemwbs"),
        time_point="mid",
        scored_on=TODAY + datetime.timedelta(days=1),
        total=40,
    )

    with pytest.raises(ValidationError) as refused:
        score.full_clean()

    assert refused.value.message_dict == {"scored_on": ["The date cannot be in the future."]}
