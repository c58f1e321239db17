"""The action plan: each recommendation's actions, with an owning organisation and a named
owner, a due date, a status and a RAG rating (a reason for amber or red), progress updates,
and the owner told when an action is overdue or turns red, once each."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from duty import selectors, services
from duty.models import Action
from tests.factories import (
    DutyHolderFactory,
    RecommendationFactory,
    StrategicNeedsAssessmentFactory,
    govuk_date,
)
from vru.models import AuditEvent, OutboxMessage, Role, StrategicNeedsAssessment
from vru.services import outbox

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def recommendation(partnership):
    sna = StrategicNeedsAssessmentFactory(
        partnership=partnership, status=StrategicNeedsAssessment.Status.PUBLISHED
    )
    return RecommendationFactory(needs_assessment=sna, number=3)


@pytest.fixture
def police(partnership):
    return DutyHolderFactory(
        partnership=partnership,
        name="Essex Police",
        kind="police",
        contact_email="svd@police.example",
    )


def add(recommendation, owner, **values):
    return services.action_create(
        actor=None,
        recommendation=recommendation,
        title=values.pop("title", "Share custody data monthly"),
        owner=owner,
        owner_name="DCI Lee",
        due_on=values.pop("due_on", datetime.date(2026, 9, 30)),
        **values,
    )


def test_an_analyst_adds_an_action_to_a_recommendation(
    client, recommendation, police, user_with_role
):
    analyst = user_with_role(Role.ANALYST)
    client.force_login(analyst)

    response = client.post(
        "/duty/actions/new/",
        {
            "recommendation": recommendation.pk,
            "title": "Share custody data monthly",
            "owner": police.pk,
            "owner_name": "DCI Lee",
            **govuk_date("due_on", "2026-09-30"),
            "rag": "green",
        },
    )

    action = Action.objects.get()
    assert response["Location"] == f"/duty/actions/{action.pk}/"
    assert (action.recommendation, action.owner, action.status) == (
        recommendation,
        police,
        "not_started",
    )
    assert AuditEvent.objects.filter(verb="duty_action.created", actor=analyst).exists()


def test_amber_or_red_needs_a_reason(recommendation, police):
    with pytest.raises(ValidationError) as refused:
        add(recommendation, police, rag="red")

    assert "reason for an amber or red rating" in str(refused.value)
    assert not Action.objects.exists()


def test_an_owner_from_another_partnership_is_refused(recommendation, other_partnership):
    theirs = DutyHolderFactory(partnership=other_partnership)

    with pytest.raises(ValidationError) as refused:
        add(recommendation, theirs)

    assert "owner" in refused.value.message_dict


def test_a_progress_update_sets_the_actions_status_and_rating(
    recommendation, police, user_with_role
):
    analyst = user_with_role(Role.ANALYST)
    action = add(recommendation, police)

    services.action_update_record(
        actor=analyst,
        action=action,
        note="Data-sharing agreement drafted.",
        status="under_way",
        rag="amber",
        rag_reason="Waiting for the ICB's sign-off.",
    )

    action.refresh_from_db()
    assert (action.status, action.rag) == ("under_way", "amber")
    assert action.updates.get().note == "Data-sharing agreement drafted."


def test_the_plan_counts_open_actions_by_rating_per_recommendation_and_per_owner(
    recommendation, police, partnership, user_with_role
):
    council = DutyHolderFactory(partnership=partnership, name="Thurrock Council")
    add(recommendation, police)
    add(recommendation, police, rag="red", rag_reason="No lead.")
    add(recommendation, council, rag="amber", rag_reason="Late data.")
    done = add(recommendation, council)
    services.action_update_record(actor=None, action=done, note="Done.", status="done", rag="green")
    viewer = user_with_role(Role.COMMISSIONER)

    (row,) = selectors.action_plan(viewer=viewer)
    holders = {r.holder.name: r for r in selectors.rag_by_holder(viewer=viewer)}

    assert (row.green, row.amber, row.red, row.done) == (1, 1, 1, 1)
    assert (holders["Essex Police"].green, holders["Essex Police"].red) == (1, 1)
    assert (holders["Thurrock Council"].total, holders["Thurrock Council"].amber) == (2, 1)


def test_the_plan_can_show_one_organisations_actions(
    client, recommendation, police, partnership, user_with_role
):
    add(recommendation, police, title="Police action")
    add(recommendation, DutyHolderFactory(partnership=partnership), title="Council action")
    client.force_login(user_with_role(Role.PROGRAMME_MANAGER))

    page = client.get(f"/duty/action-plan/?owner={police.pk}").content.decode()

    assert "Police action" in page
    assert "Council action" not in page


def test_an_overdue_action_is_told_to_its_owner_once(recommendation, police):
    add(recommendation, police, due_on=TODAY - datetime.timedelta(days=1))

    made = services.action_notices_enqueue(today=TODAY)
    again = services.action_notices_enqueue(today=TODAY + datetime.timedelta(days=1))
    outbox.relay()

    assert (made, again) == (1, 0)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["svd@police.example"]
    assert "was due on 31 May 2026" in mail.outbox[0].body


def test_each_turn_to_red_is_told_again(recommendation, police):
    action = add(recommendation, police, rag="red", rag_reason="No lead.")
    services.action_notices_enqueue(today=TODAY)
    services.action_update_record(
        actor=None, action=action, note="Lead found.", status="under_way", rag="green"
    )
    services.action_update_record(
        actor=None,
        action=action,
        note="Lead left.",
        status="under_way",
        rag="red",
        rag_reason="Lead left.",
    )

    assert services.action_notices_enqueue(today=TODAY) == 1
    assert OutboxMessage.objects.filter(kind=services.ACTION_NOTICE).count() == 2


def test_a_done_action_is_never_overdue(recommendation, police):
    action = add(recommendation, police, due_on=TODAY - datetime.timedelta(days=10))
    services.action_update_record(
        actor=None, action=action, note="Done.", status="done", rag="green"
    )

    assert services.action_notices_enqueue(today=TODAY) == 0


def test_only_analysts_and_administrators_record_progress(
    client, recommendation, police, user_with_role
):
    action = add(recommendation, police)
    client.force_login(user_with_role(Role.COMMISSIONER))

    page = client.get(f"/duty/actions/{action.pk}/")
    posted = client.post(
        f"/duty/actions/{action.pk}/", {"note": "x", "status": "done", "rag": "green"}
    )

    assert page.status_code == 200
    assert b"Record progress" not in page.content
    assert posted.status_code == 404
    assert not action.updates.exists()


def test_actions_on_a_draft_needs_assessment_are_not_shown_to_commissioners(
    partnership, police, user_with_role
):
    draft = StrategicNeedsAssessmentFactory(partnership=partnership)
    add(RecommendationFactory(needs_assessment=draft), police)

    assert not selectors.action_list(viewer=user_with_role(Role.COMMISSIONER)).exists()
    assert selectors.action_list(viewer=user_with_role(Role.ANALYST)).count() == 1


def test_a_recommendations_page_shows_its_whole_delivery_picture(
    client, recommendation, police, partnership, user_with_role
):
    from tests.factories import GrantRoundFactory, ProgrammeFactory

    add(recommendation, police, title="Share custody data monthly")
    serving = ProgrammeFactory(partnership=partnership, name="ReRoute")
    serving.recommendations.add(recommendation)
    ProgrammeFactory(partnership=partnership, name="Unrelated programme")
    grant_round = GrantRoundFactory(partnership=partnership, title="Safer Streets Fund")
    grant_round.recommendations.add(recommendation)
    client.force_login(user_with_role(Role.ADMINISTRATOR))

    page = client.get(f"/duty/recommendations/{recommendation.pk}/").content.decode()

    assert "Share custody data monthly" in page
    assert "ReRoute" in page
    assert "Unrelated programme" not in page
    assert "Safer Streets Fund" in page


def test_a_commissioner_sees_no_grant_round_on_the_delivery_picture(
    client, recommendation, partnership, user_with_role
):
    from tests.factories import GrantRoundFactory

    GrantRoundFactory(partnership=partnership, title="Safer Streets Fund").recommendations.add(
        recommendation
    )
    client.force_login(user_with_role(Role.COMMISSIONER))

    page = client.get(f"/duty/recommendations/{recommendation.pk}/").content.decode()

    assert "Safer Streets Fund" not in page  # grants pages are for grants staff and applicants
