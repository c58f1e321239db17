"""The evaluation API: the same visibility and suppression as the pages."""

from decimal import Decimal

import pytest

from programmes.models import Referral
from tests.evaluation.factories import EvaluationFactory, award_for, past_referral, scores
from tests.factories import ProgrammeFactory
from tests.published import published, until_published_small
from vru.models import Role
from vru.selectors import disclosure

pytestmark = pytest.mark.django_db

READERS = {
    Role.ADMINISTRATOR,
    Role.ANALYST,
    Role.PROGRAMME_MANAGER,
    Role.PRACTITIONER,
    Role.GRANTS_OFFICER,
    Role.COMMISSIONER,
}
AGGREGATES = {Role.ADMINISTRATOR, Role.ANALYST, Role.PROGRAMME_MANAGER, Role.COMMISSIONER}


CHANGES = [(40, 48), (40, 41), (50, 52)]


@pytest.fixture
def programme(partnership):
    """A programme with 3 young people scored (fewer once their published count reaches 3,
    more while the control counts them as none), so the published count of participants is 1
    to 4 whatever the adjustments."""
    programme = ProgrammeFactory(partnership=partnership)
    changes = iter(CHANGES * 10)

    def scored():
        referral = past_referral(programme)
        scores(referral, "wemwbs", *next(changes))
        return referral

    until_published_small(scored, "referral", at_least=3)
    return programme


@pytest.fixture
def evaluation(partnership, programme):
    return EvaluationFactory(
        partnership=partnership, programme=programme, cost=Decimal("30000"), participants=3
    )


@pytest.mark.parametrize("role", list(Role))
def test_each_role_gets_what_it_may_read(api_client, user_with_role, evaluation, role):
    api_client.force_authenticate(user_with_role(role))

    listed = api_client.get("/api/evaluations/")
    one = api_client.get(f"/api/evaluations/{evaluation.pk}/")
    outcomes = api_client.get("/api/outcome-summaries/")
    value = api_client.get("/api/cost-benefit/")

    assert listed.status_code == 200
    assert [e["id"] for e in listed.json()["results"]] == (
        [evaluation.pk] if role in READERS else []
    )
    assert one.status_code == (200 if role in READERS else 404)
    assert outcomes.status_code == (200 if role in AGGREGATES else 404)
    assert value.status_code == (200 if role in READERS else 404)


@pytest.mark.parametrize("role", list(Role))
def test_nothing_of_another_partnership(
    api_client, user_with_role, other_partnership, evaluation, role
):
    api_client.force_authenticate(user_with_role(role, partnership=other_partnership))

    assert api_client.get(f"/api/evaluations/{evaluation.pk}/").status_code == 404
    assert api_client.get("/api/evaluations/").json()["results"] == []
    for url in ["/api/outcome-summaries/", "/api/cost-benefit/"]:
        response = api_client.get(url)
        assert response.status_code == 404 or response.json() == [], url


def test_commissioners_get_suppressed_aggregates(api_client, user_with_role, evaluation):
    api_client.force_authenticate(user_with_role(Role.COMMISSIONER))

    [outcome] = api_client.get("/api/outcome-summaries/").json()
    [value] = api_client.get("/api/cost-benefit/").json()

    referrals = Referral.objects.filter(programme=evaluation.programme)
    assert disclosure.is_small(published("referral", referrals))
    assert (outcome["participants"], outcome["participants_shown"]) == (None, "<5")
    assert outcome["mean_change"] is None
    assert (value["participants"], value["cost_per_participant"]) == (None, None)
    assert value["published_ratio"] == 3.5


def test_staff_get_the_figures(api_client, user_with_role, evaluation):
    api_client.force_authenticate(user_with_role(Role.ANALYST))

    [outcome] = api_client.get("/api/outcome-summaries/").json()
    [value] = api_client.get("/api/cost-benefit/").json()

    n = Referral.objects.filter(programme=evaluation.programme).count()
    assert n >= 1
    changes = [(last - first) for first, last in CHANGES * 10][:n]
    assert outcome["participants"] == n
    assert outcome["mean_change"] == pytest.approx(sum(changes) / n)
    assert value["cost_per_participant"] == "10000.00"


def test_a_bad_period_or_programme_is_a_400(api_client, user_with_role, other_partnership):
    api_client.force_authenticate(user_with_role(Role.ANALYST))
    theirs = ProgrammeFactory(partnership=other_partnership)

    assert api_client.get("/api/outcome-summaries/?start=yesterday").status_code == 400
    assert api_client.get(f"/api/outcome-summaries/?programme={theirs.pk}").status_code == 400


@pytest.mark.parametrize("count", [1, 15])
def test_the_evaluation_list_does_not_query_per_row(
    api_client, user_with_role, partnership, count, django_assert_max_num_queries
):
    programme = ProgrammeFactory(partnership=partnership)
    for _ in range(count):
        EvaluationFactory(partnership=partnership, programme=programme)
    EvaluationFactory(partnership=partnership, programme=None, award=award_for(partnership))
    api_client.force_authenticate(user_with_role(Role.ANALYST))

    # roles; COUNT; one page of evaluations (programme, award and organisation joined)
    with django_assert_max_num_queries(3):
        response = api_client.get("/api/evaluations/")
    assert response.json()["count"] == count + 1


def test_an_evaluation_without_a_programme_or_award_keeps_the_schema(
    api_client, user_with_role, partnership
):
    """An award's evaluation has no programme name and a programme's none of an award:
    the API sends null, and the published schema says those fields may be null."""
    from drf_spectacular.generators import SchemaGenerator

    award = award_for(partnership)
    EvaluationFactory(partnership=partnership, programme=None, award=award)
    api_client.force_authenticate(user_with_role(Role.ANALYST))

    (row,) = api_client.get("/api/evaluations/").json()["results"]
    fields = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"][
        "EvaluationOutput"
    ]["properties"]

    assert row["programme_name"] is None
    assert row["award_organisation"] == award.decision.application.organisation.name
    assert fields["programme_name"]["nullable"] is True
    assert fields["award_organisation"]["nullable"] is True
