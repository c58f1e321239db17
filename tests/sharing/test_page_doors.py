"""The other export doors of personal data (outcome scores, listening responses, applicant
organisations) ask the same rule: refused without an agreement in force covering their kind
of data, nothing exported and nothing logged; logged under one."""

import pytest
from django.urls import reverse

from sharing import services
from sharing.models import DisclosureLog
from tests.evaluation.factories import (
    FeedbackResponseFactory,
    ListeningExerciseFactory,
    past_referral,
    scores,
)
from tests.factories import OrganisationFactory, ProgrammeFactory
from tests.sharing.conftest import make_agreement
from vru.data_kinds import DataKind
from vru.models import AuditEvent

pytestmark = pytest.mark.django_db


def _outcome_scores(partnership):
    referral = past_referral(ProgrammeFactory(partnership=partnership))
    (score,) = scores(referral, "wemwbs", 40)[:1]
    return reverse("evaluation:outcome_score_list"), (
        "evaluation.outcomescore",
        score.pk,
        referral.young_person_id,
    )


def _listening(partnership):
    response = FeedbackResponseFactory(exercise=ListeningExerciseFactory(partnership=partnership))
    url = reverse("evaluation:response_list", args=[response.exercise.pk])
    return url, ("evaluation.feedbackresponse", response.pk, None)


def _applicants(partnership):
    organisation = OrganisationFactory(partnership=partnership)
    return reverse("grants:organisation_list"), ("grants.organisation", organisation.pk, None)


DOORS = [
    ("outcome scores", DataKind.OUTCOME_SCORES, _outcome_scores),
    ("listening responses", DataKind.LISTENING, _listening),
    ("applicant organisations", DataKind.APPLICANT, _applicants),
]
IDS = [name for name, _, _ in DOORS]


def _download(client, url, **params):
    return client.get(url, {"format": "csv", **params})


def _exported(response) -> bool:
    return "attachment" in response.get("Content-Disposition", "")


@pytest.mark.parametrize(("door", "kind", "setup"), DOORS, ids=IDS)
def test_refused_without_an_agreement_in_force_covering_the_kind(
    client, administrator, partnership, police, door, kind, setup
):
    url, _ = setup(partnership)
    referrals_only = make_agreement(partnership, [police], title="Referrals only")
    covering = make_agreement(partnership, [police], title="Covering", kinds=[kind])
    services.agreement_end(actor=None, agreement=covering)
    client.force_login(administrator)
    exports_before = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count()

    for params in (
        {"shared_with": "partner", "recipient": police.pk},
        {"recipient": police.pk, "disclosure_agreement": referrals_only.pk},
        {"recipient": police.pk, "disclosure_agreement": covering.pk},
    ):
        response = _download(client, url, **params)
        assert response.status_code == 302, params
        assert not _exported(response)

    assert not DisclosureLog.objects.exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count() == exports_before


@pytest.mark.parametrize(("door", "kind", "setup"), DOORS, ids=IDS)
def test_logged_under_an_agreement_covering_the_kind(
    client, administrator, partnership, police, door, kind, setup
):
    url, record = setup(partnership)
    agreement = make_agreement(partnership, [police], kinds=[kind])
    client.force_login(administrator)

    chooser = client.get(client.get(url).context["sharing"])
    response = _download(client, url, recipient=police.pk, disclosure_agreement=agreement.pk)

    assert chooser.context["choice"].sharing["agreements"] == [agreement]
    assert chooser.context["choice"].path == url
    assert _exported(response)
    log = DisclosureLog.objects.get()
    assert (log.kind, log.recipient, log.agreement) == (kind, police, agreement)
    assert list(log.records.values_list("model_label", "record_id", "young_person_id")) == [record]


@pytest.mark.parametrize(("door", "kind", "setup"), DOORS, ids=IDS)
def test_our_own_work_needs_no_agreement(client, administrator, partnership, door, kind, setup):
    url, _ = setup(partnership)
    client.force_login(administrator)

    assert _exported(_download(client, url))
    assert not DisclosureLog.objects.exists()
