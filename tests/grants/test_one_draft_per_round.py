"""An organisation has one draft per grant round: "Start an application" returns to it,
whichever door starts it; and a recommendation is never cut inside a word."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from grants import services
from grants.forms import ApplicationForm
from grants.models import Application
from tests.factories import ApplicationFactory, RecommendationFactory
from vru.models import Recommendation

pytestmark = pytest.mark.django_db


def test_starting_twice_returns_to_the_draft_the_organisation_has(client, applicant, grant_round):
    client.force_login(applicant)
    url = reverse("grants:application_start", args=[grant_round.pk])

    first = client.post(url)
    second = client.post(url, follow=True)

    draft = Application.objects.get()
    assert first["Location"] == second.redirect_chain[0][0]
    assert second.redirect_chain[0][0] == reverse("grants:application_edit", args=[draft.pk])
    assert "already has a draft for this round" in second.content.decode()


def test_the_service_returns_the_existing_draft_whatever_the_door(draft, applicant):
    again, created = services.application_start(actor=applicant, grant_round=draft.grant_round)

    assert (again, created) == (draft, False)
    assert services.application_create(actor=applicant, grant_round=draft.grant_round) == draft
    assert Application.objects.filter(status="draft").count() == 1


def test_another_member_of_the_organisation_finds_the_same_draft(draft, organisation):
    from tests.factories import applicant_for

    colleague = applicant_for(organisation)

    assert services.application_create(actor=colleague, grant_round=draft.grant_round) == draft


def test_once_the_draft_is_submitted_a_new_one_may_be_started(applicant, grant_round, organisation):
    ApplicationFactory(grant_round=grant_round, organisation=organisation, status="submitted")

    application, created = services.application_start(actor=applicant, grant_round=grant_round)

    assert created
    assert application.status == Application.Status.DRAFT


def test_the_database_refuses_a_second_draft_for_the_same_round(draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(
            grant_round=draft.grant_round,
            organisation=draft.organisation,
            created_by=draft.created_by,
        )


# --- Recommendation labels --------------------------------------------------------------

LONG = (
    "Commission trauma-informed training for every professional who works with children "
    "excluded from school, delivered jointly by health and education partners."
)


def test_a_recommendation_is_offered_with_its_whole_text(grant_round):
    recommendation = RecommendationFactory(text=LONG, number=7)
    grant_round.recommendations.add(recommendation)

    form = ApplicationForm(grant_round=grant_round)

    assert dict(form.fields["recommendations"].choices)[str(recommendation.pk)] == f"7. {LONG}"


def test_a_shortened_recommendation_is_cut_between_words():
    recommendation = Recommendation(number=3, text=LONG)

    shown = str(recommendation)

    assert shown.endswith("…")
    kept = shown.removeprefix("3. ").removesuffix("…")
    assert LONG.startswith(kept)
    assert LONG[len(kept)] == " "  # the next character starts a new word
    assert len(kept) <= 80
