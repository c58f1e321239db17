"""The admin site's export of applicant organisations asks what the page's door asks: who is
it for? A partner without an agreement in force covering applicants' details is refused
(nothing exported, nothing logged, the page says why); under one, the disclosure is logged."""

import csv
import io

import pytest

from sharing import services
from sharing.models import DisclosureLog
from tests.factories import OrganisationFactory, UserFactory
from tests.sharing.conftest import make_agreement
from vru.data_kinds import DataKind
from vru.models import AuditEvent, Role

pytestmark = pytest.mark.django_db

URL = "/admin/grants/organisation/export/"


@pytest.fixture
def grants_administrator(partnership):
    return UserFactory(
        partnership=partnership, roles=[Role.ADMINISTRATOR, Role.GRANTS_OFFICER], is_staff=True
    )


@pytest.fixture
def applicant(partnership):
    return OrganisationFactory(partnership=partnership)


def _export(client, **choice):
    form = client.get(URL).context["form"]
    formats = {label: value for value, label in form.fields["format"].choices}
    data = {"format": formats["csv"], "resource": form.fields["resource"].choices[0][0]}
    data.update({n: "on" for n, f in form.fields.items() if n not in data and f.initial is True})
    return client.post(URL, {**data, **choice})


def _exported(response) -> bool:
    return "attachment" in response.get("Content-Disposition", "")


def test_the_admin_export_asks_who_it_is_for_and_offers_only_covering_agreements(
    client, grants_administrator, partnership, police
):
    covering = make_agreement(partnership, [police], title="Applicants", kinds=["applicant"])
    make_agreement(partnership, [police], title="Referrals only")
    client.force_login(grants_administrator)

    form = client.get(URL).context["form"]

    assert "shared_with" in form.fields
    offered = [value for value, _ in form.fields["disclosure_agreement"].widget.choices]
    assert offered == ["", covering.pk]


def test_the_admin_export_refuses_a_partner_without_an_agreement_covering_applicants(
    client, grants_administrator, partnership, police, applicant
):
    referrals_only = make_agreement(partnership, [police], title="Referrals only")
    ended = make_agreement(partnership, [police], title="Ended", kinds=["applicant"])
    services.agreement_end(actor=None, agreement=ended)
    client.force_login(grants_administrator)
    exports_before = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count()

    for choice in (
        {"shared_with": "partner", "recipient": police.pk},
        {"recipient": police.pk, "disclosure_agreement": referrals_only.pk},
        {"recipient": police.pk, "disclosure_agreement": ended.pk},
    ):
        response = _export(client, **choice)
        assert response.status_code == 200, choice
        assert not _exported(response)
        assert [str(m) for m in response.context["messages"]], choice  # says why

    assert not DisclosureLog.objects.exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count() == exports_before


def test_the_admin_export_to_a_partner_is_logged_under_the_agreement(
    client, grants_administrator, partnership, police, applicant
):
    agreement = make_agreement(partnership, [police], kinds=["applicant"])
    client.force_login(grants_administrator)

    response = _export(
        client, shared_with="partner", recipient=police.pk, disclosure_agreement=agreement.pk
    )

    assert _exported(response)
    log = DisclosureLog.objects.get()
    assert (log.kind, log.recipient, log.agreement) == (DataKind.APPLICANT, police, agreement)
    assert log.door == "Applicant organisations export (admin)"
    assert list(log.records.values_list("model_label", "record_id")) == [
        ("grants.organisation", applicant.pk)
    ]
    assert AuditEvent.objects.filter(verb="organisation.exported_from_admin").exists()


def test_the_admin_export_for_our_own_work_needs_no_agreement(
    client, grants_administrator, applicant
):
    client.force_login(grants_administrator)

    response = _export(client)

    assert _exported(response)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2
    assert not DisclosureLog.objects.exists()
