"""Evaluation, outcome and value-for-money pages: who can open which door, what each sees,
and nothing of another partnership."""

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation.models import Evaluation, OutcomeScore
from tests.evaluation.factories import (
    EvaluationFactory,
    award_for,
    instrument,
    past_referral,
    scores,
)
from tests.factories import ProgrammeFactory, govuk_date, programme_staff
from tests.published import until_published_small
from vru.models import AuditEvent, Role

pytestmark = pytest.mark.django_db

READERS = {
    Role.ADMINISTRATOR,
    Role.ANALYST,
    Role.PROGRAMME_MANAGER,
    Role.PRACTITIONER,
    Role.GRANTS_OFFICER,
    Role.COMMISSIONER,
}
CREATORS = {Role.ADMINISTRATOR, Role.ANALYST, Role.PROGRAMME_MANAGER, Role.GRANTS_OFFICER}
EDITORS = {Role.ADMINISTRATOR, Role.ANALYST}  # of any evaluation; managers of their own below
AGGREGATES = {Role.ADMINISTRATOR, Role.ANALYST, Role.PROGRAMME_MANAGER, Role.COMMISSIONER}
# provider staff use outcome scores as practitioners do (their own cases; none here, so an
# empty list rather than a 404)
CASELOAD = {Role.ADMINISTRATOR, Role.PROGRAMME_MANAGER, Role.PRACTITIONER, Role.PROVIDER}


@pytest.fixture
def programme(partnership):
    return ProgrammeFactory(partnership=partnership, name="ReRoute")


@pytest.fixture
def evaluation(partnership, programme):
    return EvaluationFactory(partnership=partnership, programme=programme, title="ReRoute study")


@pytest.fixture
def referral(programme):
    referral = past_referral(programme)
    scores(referral, "wemwbs", 40, 47)
    return referral


@pytest.mark.parametrize("role", list(Role))
def test_each_role_gets_what_it_may_open(client, user_with_role, evaluation, referral, role):
    client.force_login(user_with_role(role))
    e = evaluation.pk
    score = OutcomeScore.objects.filter(referral=referral).first().pk
    expected = {
        "/evaluation/evaluations/": READERS,
        "/evaluation/evaluations/?format=csv": READERS,
        "/evaluation/evaluations/new/": CREATORS,
        f"/evaluation/evaluations/{e}/": READERS,
        f"/evaluation/evaluations/{e}/edit/": EDITORS,
        f"/evaluation/evaluations/{e}/benefits/new/": EDITORS,
        "/evaluation/value-for-money/": READERS,
        "/evaluation/outcomes/": AGGREGATES,
        "/evaluation/outcomes/scores/": CASELOAD,
        "/evaluation/outcomes/scores/?format=csv": CASELOAD,
        # only an administrator sees a referral not on their programme or caseload
        f"/evaluation/outcomes/referrals/{referral.pk}/": {Role.ADMINISTRATOR},
        f"/evaluation/outcomes/referrals/{referral.pk}/scores/{score}/remove/": {
            Role.ADMINISTRATOR
        },
    }
    for url, allowed in expected.items():
        assert client.get(url).status_code == (200 if role in allowed else 404), (role, url)


def test_managers_edit_evaluations_of_their_own_programmes_only(
    client, partnership, programme, evaluation
):
    manager = programme_staff(programme, "manager")
    other = EvaluationFactory(partnership=partnership)  # another programme
    client.force_login(manager)

    assert client.get(f"/evaluation/evaluations/{evaluation.pk}/edit/").status_code == 200
    assert client.get(f"/evaluation/evaluations/{other.pk}/edit/").status_code == 404


def test_grants_officers_edit_evaluations_of_awards(client, partnership, user_with_role):
    award = award_for(partnership)
    evaluation = EvaluationFactory(partnership=partnership, programme=None, award=award)
    client.force_login(user_with_role(Role.GRANTS_OFFICER))

    assert client.get(f"/evaluation/evaluations/{evaluation.pk}/edit/").status_code == 200


def test_scores_pages_follow_the_caseload(client, programme, referral):
    practitioner = programme_staff(programme, "practitioner")
    colleague = programme_staff(programme, "practitioner")
    manager = programme_staff(programme, "manager")
    referral.assigned_to = practitioner
    referral.save(update_fields=["assigned_to"])
    url = f"/evaluation/outcomes/referrals/{referral.pk}/"

    for user, status in [(practitioner, 200), (manager, 200), (colleague, 404)]:
        client.force_login(user)
        assert client.get(url).status_code == status
    client.force_login(colleague)
    assert referral.young_person.reference not in client.get("/evaluation/outcomes/scores/").text
    client.force_login(practitioner)
    assert referral.young_person.reference in client.get("/evaluation/outcomes/scores/").text


@pytest.mark.parametrize("role", list(Role))
def test_no_role_sees_another_partnerships_evaluations_or_scores(
    client, user_with_role, other_partnership, evaluation, referral, role
):
    client.force_login(user_with_role(role, partnership=other_partnership))

    for url in [
        f"/evaluation/evaluations/{evaluation.pk}/",
        f"/evaluation/evaluations/{evaluation.pk}/edit/",
        f"/evaluation/evaluations/{evaluation.pk}/benefits/new/",
        f"/evaluation/outcomes/referrals/{referral.pk}/",
        f"/evaluation/outcomes/referrals/{referral.pk}/scores/"
        f"{OutcomeScore.objects.filter(referral=referral).first().pk}/remove/",
    ]:
        assert client.get(url).status_code == 404, url
    for url in [
        "/evaluation/evaluations/",
        "/evaluation/evaluations/?format=csv",
        "/evaluation/value-for-money/",
        "/evaluation/outcomes/",
        "/evaluation/outcomes/scores/",
    ]:
        page = client.get(url)
        assert evaluation.title not in page.content.decode(), url
        assert referral.young_person.reference not in page.content.decode(), url


def test_commissioners_see_aggregates_suppressed_and_no_young_person(
    client, user_with_role, programme, evaluation, referral
):
    # one young person scored (more while the control counts them as none): 1 to 4 published
    def scored():
        another = past_referral(programme)
        scores(another, "wemwbs", 40, 47)
        return another

    until_published_small(scored, "referral", [referral])
    client.force_login(user_with_role(Role.COMMISSIONER))

    for url in ["/evaluation/outcomes/", f"/evaluation/evaluations/{evaluation.pk}/"]:
        page = client.get(url).content.decode()
        # the number scored is "<5", and neither the mean nor its interval is shown
        assert '<td class="govuk-table__cell govuk-table__cell--numeric">&lt;5</td>' in page, url
        assert "7.0" not in page, url
        assert referral.young_person.reference not in page, url


def test_the_outcomes_page_shows_staff_the_figures(client, user_with_role, programme, referral):
    client.force_login(user_with_role(Role.ANALYST))

    page = client.get("/evaluation/outcomes/").content.decode()

    assert "Warwick-Edinburgh Mental Wellbeing Scale (WEMWBS)" in page
    assert "7.0" in page  # one participant: 40 -> 47


def test_creating_an_evaluation_keeps_the_input_on_error_then_saves(
    client, user_with_role, programme
):
    client.force_login(user_with_role(Role.ANALYST))
    data = {
        "title": "Mentoring pilot",
        "subject": f"programme:{programme.pk}",
        "kind": "independent",
        "evaluator": "Anglia Ruskin University",
        "method": "comparison",
        "status": "reported",
        **govuk_date("starts_on", "2025-04-01"),
        **govuk_date("ends_on", "2025-03-01"),
        "findings": "",
        "evidence_rating": "3",
    }

    page = client.post("/evaluation/evaluations/new/", data)

    assert page.status_code == 200
    text = page.content.decode()
    assert "The end date must be on or after the start date." in text
    assert "Enter the date the evaluation reported." in text
    assert "Write the findings of a reported evaluation." in text
    assert 'value="Mentoring pilot"' in text
    assert 'value="Anglia Ruskin University"' in text
    assert not Evaluation.objects.exists()

    data |= govuk_date("ends_on", "2026-03-31") | govuk_date("reported_on", "2026-05-01")
    data["findings"] = "Fewer arrests."
    response = client.post("/evaluation/evaluations/new/", data)

    evaluation = Evaluation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == evaluation.get_absolute_url()
    assert (evaluation.programme, evaluation.evidence_rating) == (programme, 3)
    assert AuditEvent.objects.filter(verb="evaluation.created").count() == 1


def test_a_manager_cannot_post_a_programme_they_do_not_manage(client, partnership, programme):
    manager = programme_staff(programme, "manager")
    elsewhere = ProgrammeFactory(partnership=partnership)
    client.force_login(manager)

    page = client.post(
        "/evaluation/evaluations/new/",
        {
            "title": "Sneaky",
            "subject": f"programme:{elsewhere.pk}",
            "kind": "internal",
            "evaluator": "Me",
            "method": "pre_post",
            "status": "planned",
            **govuk_date("starts_on", "2025-04-01"),
        },
    )

    assert page.status_code == 200
    assert "Select what is evaluated from the list" in page.content.decode()
    assert not Evaluation.objects.exists()


def test_the_detail_page_states_the_maryland_scale(client, user_with_role, evaluation):
    client.force_login(user_with_role(Role.COMMISSIONER))
    text = client.get(evaluation.get_absolute_url()).content.decode()
    assert "Maryland Scientific Methods Scale" in text
    assert "random assignment" in text


def test_recording_a_score_on_the_page(client, programme):
    practitioner = programme_staff(programme, "practitioner")
    referral = past_referral(programme, assigned_to=practitioner)
    client.force_login(practitioner)
    url = reverse("evaluation:referral_scores", kwargs={"referral_pk": referral.pk})
    wemwbs = instrument("wemwbs")

    bad = client.post(
        url,
        {
            "instrument": wemwbs.pk,
            "time_point": "baseline",
            **govuk_date("scored_on", "2099-01-01"),
            "total": 99,
        },
    )
    assert "from 14 to 70" in bad.content.decode()

    good = client.post(
        url,
        {
            "instrument": wemwbs.pk,
            "time_point": "baseline",
            **govuk_date("scored_on", timezone.localdate().isoformat()),
            "items": "3 3 3 3 3 3 3 3 3 3 3 3 3 4",
        },
    )
    assert good.status_code == 302
    assert "43" in client.get(url).content.decode()


def test_exports_are_audited_and_formula_safe(client, user_with_role, partnership, programme):
    EvaluationFactory(partnership=partnership, programme=programme, title="=HYPERLINK(1)")
    client.force_login(user_with_role(Role.ANALYST))

    response = client.get("/evaluation/evaluations/?format=csv")

    assert "'=HYPERLINK(1)" in response.content.decode()
    assert AuditEvent.objects.filter(verb="evaluations.exported").count() == 1


def _queries(client, url, assert_max, limit) -> int:
    client.get(url)  # warm the session
    with assert_max(limit) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def test_the_evaluation_list_takes_the_same_queries_for_1_or_many(
    client, user_with_role, partnership, programme, django_assert_max_num_queries
):
    client.force_login(user_with_role(Role.ANALYST))
    EvaluationFactory(partnership=partnership, programme=None, award=award_for(partnership))
    url, limit = "/evaluation/evaluations/", 14
    one = _queries(client, url, django_assert_max_num_queries, limit)
    for _ in range(12):
        EvaluationFactory(partnership=partnership, programme=programme)

    # session, user, roles; count; one page of evaluations (programme and award joined);
    # programmes for the filter; the navigation's permission checks
    assert _queries(client, url, django_assert_max_num_queries, limit) == one


def test_the_scores_list_takes_the_same_queries_for_1_or_many(
    client, programme, django_assert_max_num_queries
):
    client.force_login(programme_staff(programme, "manager"))
    scores(past_referral(programme), "wemwbs", 40, 44)
    url, limit = "/evaluation/outcomes/scores/", 16
    one = _queries(client, url, django_assert_max_num_queries, limit)
    for _ in range(12):
        scores(past_referral(programme), "wemwbs", 40, 44)

    # session, user, roles, memberships; count; one page of scores (referral, young person,
    # programme, instrument joined); programmes and measures for the filters; navigation
    assert _queries(client, url, django_assert_max_num_queries, limit) == one


def test_the_outcomes_page_takes_the_same_queries_for_1_or_many_programmes(
    client, user_with_role, partnership, referral, django_assert_max_num_queries
):
    client.force_login(user_with_role(Role.COMMISSIONER))
    url, limit = "/evaluation/outcomes/", 14
    one = _queries(client, url, django_assert_max_num_queries, limit)
    for _ in range(4):
        programme = ProgrammeFactory(partnership=partnership)
        for _ in range(2):
            scores(past_referral(programme), "wemwbs", 40, 44)

    # session, user, roles; instruments in use; one aggregate per instrument; programmes by
    # id; programmes for the filter; the measures table; the navigation's checks
    assert _queries(client, url, django_assert_max_num_queries, limit) == one


def test_signed_out_visitors_are_sent_to_sign_in(client, api_client, evaluation, referral):
    for url in [
        "/evaluation/evaluations/",
        f"/evaluation/evaluations/{evaluation.pk}/",
        "/evaluation/outcomes/",
        "/evaluation/outcomes/scores/",
        f"/evaluation/outcomes/referrals/{referral.pk}/",
        "/evaluation/value-for-money/",
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url
    for url in ["/api/evaluations/", "/api/outcome-summaries/", "/api/cost-benefit/"]:
        assert api_client.get(url).status_code in (401, 403), url


@pytest.mark.parametrize(
    ("path", "label"),
    [("/evaluation/value-for-money/", "Running to"), ("/evaluation/outcomes/", "Scores to")],
)
def test_a_pages_period_is_typed_in_day_month_and_year_boxes(client, user_with_role, path, label):
    client.force_login(user_with_role(Role.ANALYST))

    page = client.get(
        path,
        {
            **govuk_date("start", "2025-04-01"),
            "end_day": "31",
            "end_month": "2",
            "end_year": "2026",
        },
    )

    text = page.content.decode()
    assert page.status_code == 200
    assert 'class="govuk-date-input"' in text
    assert 'type="date"' not in text
    assert 'name="start_day" value="1"' in text
    assert 'name="start_year" value="2025"' in text
    assert f"{label} must be a real date" in text
    assert 'name="end_day" value="31"' in text
