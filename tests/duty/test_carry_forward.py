"""A refreshed needs assessment keeps every link and action of the recommendations it carries
forward: each old recommendation maps to its successor (or is retired with a reason), and its
open actions, programmes and grant rounds then serve the successor."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from duty import services
from duty.models import Action, RecommendationSuccession
from tests.factories import (
    DutyHolderFactory,
    GrantRoundFactory,
    ProgrammeFactory,
    RecommendationFactory,
    StrategicNeedsAssessmentFactory,
)
from vru.models import AuditEvent, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def refresh(partnership):
    old = StrategicNeedsAssessmentFactory(partnership=partnership, published=True)
    new = StrategicNeedsAssessmentFactory(
        partnership=partnership,
        period_start=datetime.date(2023, 8, 1),
        period_end=datetime.date(2024, 7, 31),
    )
    kept, dropped = (RecommendationFactory(needs_assessment=old, number=n) for n in (1, 2))
    successor = RecommendationFactory(needs_assessment=new, number=1)
    return old, new, kept, dropped, successor


def action_on(recommendation, partnership, **values):
    return services.action_create(
        actor=None,
        recommendation=recommendation,
        title=values.pop("title", "Share custody data"),
        owner=DutyHolderFactory(partnership=partnership),
        owner_name="Lead",
        due_on=datetime.date(2026, 9, 30),
    )


def test_a_refresh_keeps_every_link_and_open_action_of_what_it_carries_forward(
    refresh, partnership, user_with_role
):
    old, new, kept, dropped, successor = refresh
    open_action = action_on(kept, partnership)
    done_action = action_on(kept, partnership)
    services.action_update_record(
        actor=None, action=done_action, note="Done.", status="done", rag="green"
    )
    programme = ProgrammeFactory(partnership=partnership)
    programme.recommendations.add(kept)
    grant_round = GrantRoundFactory(partnership=partnership)
    grant_round.recommendations.add(kept)
    analyst = user_with_role(Role.ANALYST)

    moved = services.recommendations_carry_forward(
        actor=analyst,
        previous=old,
        refreshed=new,
        successors={kept.pk: successor.pk, dropped.pk: None},
        retired_because={dropped.pk: "Delivered in full."},
    )

    assert moved == {"actions": 1, "programmes": 1, "grant_rounds": 1, "retired": 1}
    assert Action.objects.get(pk=open_action.pk).recommendation == successor
    assert Action.objects.get(pk=done_action.pk).recommendation == kept  # what it delivered
    assert set(programme.recommendations.all()) == {kept, successor}
    assert set(grant_round.recommendations.all()) == {kept, successor}
    assert (
        RecommendationSuccession.objects.get(previous=dropped).retired_because
        == "Delivered in full."
    )
    assert AuditEvent.objects.filter(verb="sna.carried_forward", actor=analyst).exists()


def test_every_old_recommendation_must_be_mapped_and_a_retirement_explained(refresh):
    old, new, kept, _dropped, _successor = refresh

    with pytest.raises(ValidationError) as refused:
        services.recommendations_carry_forward(
            actor=None, previous=old, refreshed=new, successors={kept.pk: None}
        )

    assert refused.value.message_dict == {
        "recommendation_1": ["Say why recommendation 1 is retired"],
        "recommendation_2": ["Choose what recommendation 2 becomes"],
    }
    assert not RecommendationSuccession.objects.exists()


def test_the_same_assessment_is_carried_forward_once(refresh):
    old, new, kept, dropped, successor = refresh
    mapping = {kept.pk: successor.pk, dropped.pk: successor.pk}
    services.recommendations_carry_forward(
        actor=None, previous=old, refreshed=new, successors=mapping
    )

    with pytest.raises(ValidationError, match="already been carried forward"):
        services.recommendations_carry_forward(
            actor=None, previous=old, refreshed=new, successors=mapping
        )


def test_an_analyst_carries_forward_from_the_page(client, refresh, partnership, user_with_role):
    _old, new, kept, _dropped, successor = refresh
    action = action_on(kept, partnership)
    client.force_login(user_with_role(Role.ANALYST))

    plan = client.get("/duty/action-plan/").content.decode()
    response = client.post(
        f"/duty/needs-assessments/{new.pk}/carry-forward/",
        {
            "recommendation_1": str(successor.pk),
            "recommendation_2": "retired",
            "recommendation_2_retired_because": "Merged into 1.",
        },
    )

    assert f"/duty/needs-assessments/{new.pk}/carry-forward/" in plan
    assert response.status_code == 302
    assert Action.objects.get(pk=action.pk).recommendation == successor
