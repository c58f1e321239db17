"""Applicants' contact details (the register's APPLICANT kind) go after the round closes plus
the period: the application's contact at its own round's period, the organisation's contact
e-mail and phone once the last round it applied to is past the period, and the contact's name
from the decision letter kept on file. Not a day before; the organisation's own public
details (name, charity number, address) and what was decided stay."""

import datetime
import io
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from pypdf import PdfReader

from grants import services as grant_services
from grants.models import Application, Decision, Organisation
from rights import services
from tests.factories import (
    ApplicationFactory,
    GrantRoundFactory,
    OrganisationFactory,
    UserFactory,
)
from vru.data_kinds import DataKind, retention_months
from vru.models import Role

pytestmark = pytest.mark.django_db

CLOSED = datetime.datetime(2026, 1, 15, 12, tzinfo=datetime.UTC)
LATER = CLOSED + relativedelta(months=12)
DAY = datetime.timedelta(days=1)


def a_round(partnership, closes_at):
    return GrantRoundFactory(
        partnership=partnership,
        opens_at=closes_at - datetime.timedelta(days=30),
        closes_at=closes_at,
        panel_deadline=closes_at + datetime.timedelta(days=20),
    )


def end(closed=CLOSED):
    return closed + relativedelta(months=retention_months(DataKind.APPLICANT))


@pytest.fixture
def applied(partnership):
    old_round, later_round = a_round(partnership, CLOSED), a_round(partnership, LATER)
    once = OrganisationFactory(partnership=partnership, name="Applied Once")
    twice = OrganisationFactory(partnership=partnership, name="Applied Twice")
    return {
        "once": once,
        "twice": twice,
        "once_old": ApplicationFactory(
            grant_round=old_round, organisation=once, status="submitted"
        ),
        "twice_old": ApplicationFactory(
            grant_round=old_round, organisation=twice, status="submitted"
        ),
        "twice_later": ApplicationFactory(
            grant_round=later_round, organisation=twice, status="submitted"
        ),
        "never": OrganisationFactory(partnership=partnership, name="Never Applied"),
    }


def contact(application):
    application = Application.objects.get(pk=application.pk)
    return (application.contact_name, application.contact_email, application.contact_phone)


def organisation_contact(organisation):
    organisation = Organisation.objects.get(pk=organisation.pk)
    return (organisation.contact_email, organisation.contact_phone)


def test_nothing_of_an_applicant_goes_a_day_before_the_period_ends(applied):
    run = services.retention_apply(now=end() - DAY)

    assert run.removed["applicant"] == 0
    assert contact(applied["once_old"])[0] == "Pat Organiser"
    assert organisation_contact(applied["once"])[1] == "01268 000000"


def test_an_applications_contact_goes_at_its_rounds_period(applied):
    run = services.retention_apply(now=end())

    assert contact(applied["once_old"]) == ("", "", "")
    assert contact(applied["twice_old"]) == ("", "", "")
    assert contact(applied["twice_later"])[0] == "Pat Organiser"
    # two applications and the organisation that applied only to the old round
    assert run.removed["applicant"] == 3
    application = Application.objects.get(pk=applied["once_old"].pk)
    assert application.title  # the grant record stays
    assert application.amount_requested


def test_the_organisations_own_details_stay_when_its_contacts_go(applied):
    services.retention_apply(now=end())

    once = Organisation.objects.get(pk=applied["once"].pk)
    assert organisation_contact(once) == ("", "")
    assert once.name == "Applied Once"
    assert once.charity_number
    assert once.address


def test_an_organisation_with_a_later_application_keeps_its_contacts_until_that_ones_period(
    applied,
):
    services.retention_apply(now=end())
    assert organisation_contact(applied["twice"])[1] == "01268 000000"

    services.retention_apply(now=end(LATER) - DAY)
    assert organisation_contact(applied["twice"])[1] == "01268 000000"
    assert contact(applied["twice_later"])[0] == "Pat Organiser"

    run = services.retention_apply(now=end(LATER))
    assert organisation_contact(applied["twice"]) == ("", "")
    assert contact(applied["twice_later"]) == ("", "", "")
    assert run.removed["applicant"] == 2


def test_an_organisation_that_never_applied_keeps_its_contacts(applied):
    services.retention_apply(now=end(LATER))

    assert organisation_contact(applied["never"])[1] == "01268 000000"


def test_a_second_run_counts_nothing_already_removed(applied):
    services.retention_apply(now=end())

    assert services.retention_apply(now=end() + DAY).removed["applicant"] == 0


def letter_text(decision):
    decision = Decision.objects.get(pk=decision.pk)
    return " ".join(PdfReader(io.BytesIO(decision.letter.read())).pages[0].extract_text().split())


def test_the_letter_on_file_no_longer_names_the_contact_once_the_contact_goes(
    applied, django_capture_on_commit_callbacks
):
    # given a decision letter sent to the old round's contact and kept on file
    application = applied["once_old"]
    Application.objects.filter(pk=application.pk).update(status="eligible")
    officer = UserFactory(
        partnership=application.grant_round.partnership, roles=[Role.GRANTS_OFFICER]
    )
    decision = grant_services.decision_record(
        actor=officer,
        application=Application.objects.get(pk=application.pk),
        outcome=Decision.Outcome.FUND,
        amount=Decimal("2500"),
        reasons="A strong plan for the park.",
        override_reason="Decided early to set up this test.",
    )
    grant_services.decision_letter_send(decision_id=decision.pk)
    sent_on = f"{timezone.localdate():%-d %B %Y}"
    assert "Dear Pat Organiser," in letter_text(decision)

    services.retention_apply(now=end() - DAY)
    assert "Dear Pat Organiser," in letter_text(decision)

    sent_letter = Decision.objects.get(pk=decision.pk).letter

    # when the period ends
    with django_capture_on_commit_callbacks(execute=True):
        run = services.retention_apply(now=end())

    # then the letter opens with the organisation, and what was decided stays, as sent
    text = letter_text(decision)
    assert "Pat Organiser" not in text
    assert "Dear Applied Once," in text
    assert "£2,500.00" in text
    assert "A strong plan for the park." in text
    assert sent_on in text
    assert not sent_letter.storage.exists(sent_letter.name)  # the one that named them
    assert run.removed["applicant"] == 4  # as before, and the letter
    assert services.retention_apply(now=end() + DAY).removed["applicant"] == 0
    Decision.objects.get(pk=decision.pk).letter.delete(save=False)
