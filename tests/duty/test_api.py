"""The Duty's API reads what the pages show, scoped to the caller's partnership, and writes
nothing."""

import datetime

import pytest

from duty import services
from duty.models import ReadinessArea
from tests.factories import DutyHolderFactory, StrategyFactory
from vru.models import Role

pytestmark = pytest.mark.django_db


def test_the_register_lists_only_the_callers_partnership(
    api_client, partnership, other_partnership, user_with_role
):
    DutyHolderFactory(partnership=partnership, name="Essex Police", kind="police")
    DutyHolderFactory(partnership=other_partnership, name="Bedfordshire Police", kind="police")
    api_client.force_authenticate(user_with_role(Role.COMMISSIONER))

    body = api_client.get("/api/duty-holders/").json()

    assert [(h["name"], h["duty"]) for h in body["results"]] == [
        ("Essex Police", "Specified authority")
    ]


def test_an_assessment_comes_with_its_eight_scores(api_client, partnership, user_with_role):
    services.readiness_assessment_record(
        actor=None,
        partnership=partnership,
        assessed_on=datetime.date(2025, 6, 30),
        kind="external",
        scores={area.value: 4 for area in ReadinessArea},
    )
    api_client.force_authenticate(user_with_role(Role.ANALYST))

    assessment = api_client.get("/api/readiness-assessments/").json()["results"][0]

    assert assessment["assessed_by"] == "external"
    assert len(assessment["scores"]) == 8
    assert {s["rating"] for s in assessment["scores"]} == {"Advanced"}


def test_a_strategy_comes_with_its_reviews(api_client, partnership, user_with_role):
    analyst = user_with_role(Role.ANALYST)
    strategy = StrategyFactory(partnership=partnership)
    services.strategy_review_record(
        actor=analyst,
        strategy=strategy,
        reviewed_on=datetime.date(2025, 1, 20),
        what_changed="Nothing changed.",
    )
    api_client.force_authenticate(analyst)

    body = api_client.get(f"/api/duty-strategies/{strategy.pk}/").json()

    assert body["next_review_on"] == "2026-01-20"
    assert body["reviews"] == [{"reviewed_on": "2025-01-20", "what_changed": "Nothing changed."}]


def test_the_api_changes_nothing(api_client, partnership, user_with_role):
    holder = DutyHolderFactory(partnership=partnership)
    api_client.force_authenticate(user_with_role(Role.ADMINISTRATOR))

    assert api_client.post("/api/duty-holders/", {"name": "X"}).status_code == 405
    assert api_client.delete(f"/api/duty-holders/{holder.pk}/").status_code == 405


def test_roles_without_the_duty_get_nothing(api_client, partnership, user_with_role):
    DutyHolderFactory(partnership=partnership)
    api_client.force_authenticate(user_with_role(Role.APPLICANT))

    response = api_client.get("/api/duty-holders/")

    assert response.status_code == 200
    assert response.json()["results"] == []
