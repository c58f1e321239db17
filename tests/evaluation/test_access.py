"""Who can open which listening-project door, and nothing of another partnership."""

import pytest

from evaluation.selectors import exercise_summary
from tests.evaluation.factories import FeedbackResponseFactory, ListeningExerciseFactory
from tests.factories import govuk_date
from tests.published import published, until_published_small
from vru.models import Role

pytestmark = pytest.mark.django_db

READERS = {Role.ADMINISTRATOR, Role.ANALYST, Role.PROGRAMME_MANAGER, Role.GRANTS_OFFICER}
SUMMARY = READERS | {Role.COMMISSIONER}
MANAGERS = {Role.ADMINISTRATOR, Role.ANALYST}


@pytest.fixture
def exercise(partnership):
    exercise = ListeningExerciseFactory(partnership=partnership)
    FeedbackResponseFactory(exercise=exercise, words="Secret words about my street")
    return exercise


@pytest.mark.parametrize("role", list(Role))
def test_each_role_gets_what_it_may_see(client, user_with_role, exercise, role):
    client.force_login(user_with_role(role))
    base = f"/evaluation/listening/{exercise.pk}"
    expected = {
        "/evaluation/listening/": 200 if role in SUMMARY else 404,
        f"{base}/": 200 if role in SUMMARY else 404,
        f"{base}/responses/": 200 if role in READERS else 404,
        f"{base}/responses/?format=csv": 200 if role in READERS else 404,
        f"{base}/responses/new/": 200 if role in MANAGERS else 404,
        f"{base}/responses/import/": 200 if role in MANAGERS else 404,
        f"{base}/actions/new/": 200 if role in MANAGERS else 404,
        "/evaluation/safeguarding/": 200 if role == Role.ADMINISTRATOR else 404,
    }
    for url, status in expected.items():
        assert client.get(url).status_code == status, (role, url)


@pytest.mark.parametrize("role", list(Role))
def test_no_role_sees_another_partnerships_exercise(
    client, user_with_role, other_partnership, role
):
    theirs = ListeningExerciseFactory(partnership=other_partnership)
    client.force_login(user_with_role(role))

    for url in [
        f"/evaluation/listening/{theirs.pk}/",
        f"/evaluation/listening/{theirs.pk}/responses/",
    ]:
        assert client.get(url).status_code == 404
    assert theirs.name not in client.get("/evaluation/listening/").text


def test_commissioners_see_counts_not_words(client, user_with_role, exercise):
    # one response (more while the control counts them as none): a published count of 1 to 4
    responses = until_published_small(
        lambda: FeedbackResponseFactory(exercise=exercise),
        "feedback_response",
        list(exercise.responses.all()),
    )
    client.force_login(user_with_role(Role.COMMISSIONER))

    page = client.get(f"/evaluation/listening/{exercise.pk}/")

    assert page.status_code == 200
    assert "Secret words" not in page.text
    # the number of responses is suppressed: shown as "<5", never as the count
    assert exercise_summary(exercise=exercise, suppress=True).responses.shown == "<5"
    assert exercise_summary(exercise=exercise, suppress=False).responses.count == len(responses)
    assert '<span class="vru-figure__value">&lt;5</span>' in page.text


def test_the_public_page_shows_themes_and_actions_but_no_words_and_only_when_published(
    client, exercise, user_with_role
):
    # one response about trusted adults (more while the control counts them as none)
    theme = exercise.themes.get(name="Trusted adults")
    response = exercise.responses.get()
    response.themes.set([theme])
    until_published_small(
        lambda: FeedbackResponseFactory(exercise=exercise, themes=[theme]),
        "feedback_response",
        [response],
    )
    url = f"/evaluation/you-said-we-did/{exercise.public_slug}/"
    assert client.get(url).status_code == 404  # not published yet

    exercise.is_public = True
    exercise.save()
    page = client.get(url)

    assert page.status_code == 200
    assert "Trusted adults" in page.text
    assert "Secret words" not in page.text
    # the count of responses and of the theme are shown as "<5", never as the number
    assert "&lt;5 times young people told us" in page.text
    assert "Raised in &lt;5 conversation" in page.text
    assert 'name="csrfmiddlewaretoken"' not in page.text


def test_a_manager_publishes_the_public_page(client, user_with_role, exercise):
    client.force_login(user_with_role(Role.ANALYST))

    response = client.post(f"/evaluation/listening/{exercise.pk}/publish/", {"public": "yes"})

    assert response.status_code == 302
    exercise.refresh_from_db()
    assert exercise.is_public


def test_the_response_form_keeps_what_was_typed_when_it_is_wrong(client, user_with_role, exercise):
    client.force_login(user_with_role(Role.ANALYST))

    page = client.post(
        f"/evaluation/listening/{exercise.pk}/responses/new/",
        {
            **govuk_date("responded_on", "2024-06-01"),
            "age_band": "14_15",
            "question": "Q",
            "words": "Words I typed carefully",
        },
    )

    assert page.status_code == 200
    assert "Words I typed carefully" in page.text
    assert "within the exercise" in page.text


@pytest.mark.parametrize("rows", [1, 50])
def test_the_response_list_runs_a_fixed_number_of_queries(
    client, user_with_role, partnership, rows, django_assert_max_num_queries
):
    exercise = ListeningExerciseFactory(partnership=partnership)
    theme = exercise.themes.first()
    for _ in range(rows):
        FeedbackResponseFactory(exercise=exercise, themes=[theme])
    client.force_login(user_with_role(Role.ANALYST))

    # session, user, roles, exercise, count, page of responses, their themes, themes for the
    # filter, local authorities, partnership in the header, plus savepoints
    with django_assert_max_num_queries(13):
        assert client.get(f"/evaluation/listening/{exercise.pk}/responses/").status_code == 200


@pytest.mark.parametrize("role", list(Role))
def test_only_the_allowed_roles_can_use_the_listening_write_doors(
    client, user_with_role, partnership, exercise, role
):
    # given a flagged response with its alert, and a theme
    from evaluation.models import ListeningAction, SafeguardingAlert

    response = exercise.responses.get()
    alert = SafeguardingAlert.objects.create(response=response)
    theme = exercise.themes.first()
    client.force_login(user_with_role(role))
    base = f"/evaluation/listening/{exercise.pk}"

    # when each write door is posted to
    publish = client.post(f"{base}/publish/", {"public": "yes"})
    code = client.post(f"{base}/responses/{response.pk}/themes/", {"themes": [theme.pk]})
    action = client.post(
        f"{base}/actions/new/",
        {"theme": theme.pk, "what": "Lights", "who": "Council", "status": "planned"},
    )
    handled = client.post(f"/evaluation/safeguarding/{alert.pk}/handled/")

    # then managers change things, everyone else gets a 404 and nothing changes
    exercise.refresh_from_db()
    alert.refresh_from_db()
    manager = role in MANAGERS
    assert publish.status_code == (302 if manager else 404)
    assert exercise.is_public is manager
    assert code.status_code == (302 if manager else 404)
    assert response.themes.exists() is manager
    assert action.status_code == (302 if manager else 404)
    assert ListeningAction.objects.exists() is manager
    assert handled.status_code == (302 if role == Role.ADMINISTRATOR else 404)
    assert (alert.acknowledged_at is not None) is (role == Role.ADMINISTRATOR)


@pytest.mark.parametrize("role", list(Role))
def test_no_role_can_write_to_another_partnerships_exercise(
    client, user_with_role, other_partnership, role
):
    theirs = ListeningExerciseFactory(partnership=other_partnership)
    client.force_login(user_with_role(role))

    response = client.post(f"/evaluation/listening/{theirs.pk}/publish/", {"public": "yes"})

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert not theirs.is_public


def test_the_listening_list_hides_small_response_counts_at_the_configured_threshold(
    client, partnership, user_with_role, settings
):
    from tests.evaluation.factories import FeedbackResponseFactory, ListeningExerciseFactory

    settings.VRU_SMALL_NUMBER_THRESHOLD = 10
    # 7 responses (fewer once their published count reaches 8, more while the control counts
    # them as none), so their published count is from 1 to 9
    exercise = ListeningExerciseFactory(partnership=partnership)
    responses = until_published_small(
        lambda: FeedbackResponseFactory(exercise=exercise), "feedback_response", at_least=7
    )
    n = published("feedback_response", responses)
    assert 0 < n < 10
    client.force_login(user_with_role(Role.COMMISSIONER))

    page = client.get("/evaluation/listening/").text

    assert "&lt;10" in page
    assert f">{n}<" not in page
    assert f">{len(responses)}<" not in page
