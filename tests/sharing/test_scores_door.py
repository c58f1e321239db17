"""The youth panel's scores export is an export door of personal data (reviewers' data): for
a partner it needs an agreement in force covering reviewers' details, or nothing leaves."""

import pytest
from django.urls import reverse

from sharing.models import DisclosureLog
from tests.factories import GrantRoundFactory, UserFactory
from tests.sharing.conftest import make_agreement
from vru.models import Role

pytestmark = pytest.mark.django_db


def test_the_scores_export_for_a_partner_needs_a_reviewer_agreement(
    client, partnership, police, settings
):
    settings.VRU_REAUTH_REQUIRED = False  # the confirm-it-is-you step has its own tests
    officer = UserFactory(partnership=partnership, roles=[Role.GRANTS_OFFICER, Role.ADMINISTRATOR])
    url = reverse("grants:round_moderation", args=[GrantRoundFactory(partnership=partnership).pk])
    client.force_login(officer)
    wrong = make_agreement(partnership, [police], title="Referrals", kinds=["referral"])

    refused = client.get(
        url, {"format": "scores-csv", "recipient": police.pk, "disclosure_agreement": wrong.pk}
    )
    assert refused.status_code == 302
    assert not DisclosureLog.objects.exists()

    right = make_agreement(partnership, [police], title="Panel audit", kinds=["reviewer"])
    sent = client.get(
        url, {"format": "scores-csv", "recipient": police.pk, "disclosure_agreement": right.pk}
    )
    assert "attachment" in sent["Content-Disposition"]
    log = DisclosureLog.objects.get()
    assert (log.agreement, log.kind, log.door) == (right, "reviewer", "Youth panel scores export")
    assert "Download for a partner organisation" in client.get(url).content.decode()
