"""The strategy is reviewed on a cycle (Bedfordshire: first by 31 January 2025, then every
year); each review is recorded with what changed, and the strategy's lead is reminded by
e-mail, once per due date, before a review falls due."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from duty import services
from tests.factories import StrategyFactory, UserFactory
from vru.models import OutboxMessage, Role
from vru.services import outbox

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 1, 10)


@pytest.fixture
def lead(partnership):
    return UserFactory(
        partnership=partnership, roles=[Role.ADMINISTRATOR], email="lead@example.org"
    )


@pytest.fixture
def strategy(partnership, lead):
    return StrategyFactory(
        partnership=partnership,
        title="Bedfordshire Serious Violence Strategy",
        published_on=datetime.date(2020, 4, 1),
        next_review_on=datetime.date(2025, 1, 31),
        lead=lead,
    )


def test_a_review_moves_the_next_one_a_period_later(strategy, lead):
    services.strategy_review_record(
        actor=lead,
        strategy=strategy,
        reviewed_on=datetime.date(2025, 1, 28),
        what_changed="Added exploitation and county lines to the priorities.",
    )

    strategy.refresh_from_db()
    assert strategy.next_review_on == datetime.date(2026, 1, 28)
    assert strategy.reviews.get().what_changed.startswith("Added exploitation")


@pytest.mark.parametrize(
    ("reviewed_on", "field", "words"),
    [
        (datetime.date(2099, 1, 1), "reviewed_on", "today or in the past"),
        (datetime.date(2019, 1, 1), "reviewed_on", "on or after the strategy was published"),
    ],
)
def test_a_review_dated_in_the_future_or_before_publication_is_refused(
    strategy, lead, reviewed_on, field, words
):
    with pytest.raises(ValidationError) as refused:
        services.strategy_review_record(
            actor=lead, strategy=strategy, reviewed_on=reviewed_on, what_changed="x"
        )

    assert words in " ".join(refused.value.message_dict[field])
    assert not strategy.reviews.exists()


def test_the_review_page_names_the_missing_fields(client, strategy, lead):
    client.force_login(lead)

    response = client.post(f"/duty/strategies/{strategy.pk}/review/", {})

    assert response.status_code == 200
    assert {"reviewed_on", "what_changed"} <= set(response.context["form"].errors)


def test_the_lead_is_reminded_once_within_the_notice_period(strategy, settings):
    settings.VRU_STRATEGY_REVIEW_NOTICE_DAYS = 30

    made = services.strategy_review_reminders_enqueue(today=TODAY)
    again = services.strategy_review_reminders_enqueue(today=TODAY + datetime.timedelta(days=1))
    outbox.relay()

    assert (made, again) == (1, 0)
    assert OutboxMessage.objects.filter(kind=services.STRATEGY_REVIEW_DUE).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lead@example.org"]
    assert "31 January 2025" in mail.outbox[0].body


def test_no_reminder_before_the_notice_period(strategy, settings):
    settings.VRU_STRATEGY_REVIEW_NOTICE_DAYS = 7

    assert services.strategy_review_reminders_enqueue(today=TODAY) == 0


def test_after_a_review_the_next_due_date_is_reminded_again(strategy, lead, settings):
    settings.VRU_STRATEGY_REVIEW_NOTICE_DAYS = 30
    services.strategy_review_reminders_enqueue(today=TODAY)
    services.strategy_review_record(
        actor=lead, strategy=strategy, reviewed_on=TODAY, what_changed="Nothing changed."
    )

    next_year = services.strategy_review_reminders_enqueue(today=datetime.date(2025, 12, 20))

    assert next_year == 1
    assert OutboxMessage.objects.filter(kind=services.STRATEGY_REVIEW_DUE).count() == 2


def test_only_the_current_version_is_reminded(strategy, partnership, lead, settings):
    settings.VRU_STRATEGY_REVIEW_NOTICE_DAYS = 30
    StrategyFactory(
        partnership=partnership,
        published_on=datetime.date(2024, 12, 1),
        next_review_on=datetime.date(2025, 12, 1),
        lead=lead,
    )

    assert services.strategy_review_reminders_enqueue(today=TODAY) == 0
