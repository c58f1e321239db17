"""Applicants' own accounts (the people who sign in to apply for an organisation) fall under
the register's APPLICANT kind: an account whose organisation has no application in a round
still within the period, which wrote none itself, holds no other role and has not been used
within the period is anonymised by the same retention run, at the period and not a day
before. An account still needed is kept. The audit never holds the old values."""

import datetime
import json

import pytest
from allauth.usersessions.models import UserSession
from dateutil.relativedelta import relativedelta
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from grants.models import Application, OrganisationMembership
from rights import services
from tests.factories import (
    TEST_PASSWORD,
    ApplicationFactory,
    GrantRoundFactory,
    OrganisationFactory,
    applicant_for,
)
from vru import data_kinds
from vru.data_kinds import DataKind, retention_months
from vru.models import AuditEvent, Role, RoleAssignment, User

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


def applicant(organisation, *, last_login=CLOSED, **details):
    """An applicant who joined well before the round and last signed in when it closed."""
    user = applicant_for(organisation, **details)
    User.objects.filter(pk=user.pk).update(
        last_login=last_login, date_joined=CLOSED - relativedelta(months=6)
    )
    user.refresh_from_db()
    return user


def kept(user):
    user = User.objects.get(pk=user.pk)
    return user.is_active and user.email != "" and user.role_names == {Role.APPLICANT}


@pytest.fixture
def applied(partnership):
    old_round, later_round = a_round(partnership, CLOSED), a_round(partnership, LATER)
    once = OrganisationFactory(partnership=partnership, name="Applied Once")
    twice = OrganisationFactory(partnership=partnership, name="Applied Twice")
    ash = applicant(once, first_name="Ash", last_name="Applicant", email="ash@group.example.org")
    bo = applicant(twice)
    ApplicationFactory(grant_round=old_round, organisation=once, created_by=ash, status="submitted")
    ApplicationFactory(grant_round=old_round, organisation=twice, created_by=bo, status="submitted")
    # a colleague wrote the later one: bo's account is still needed, as the organisation's
    ApplicationFactory(grant_round=later_round, organisation=twice, status="submitted")
    return {"once": once, "twice": twice, "ash": ash, "bo": bo, "later": later_round}


def test_nothing_of_an_applicants_account_goes_a_day_before_the_period_ends(applied):
    run = services.retention_apply(now=end() - DAY)

    assert run.removed["applicant"] == 0
    assert kept(applied["ash"])
    assert User.objects.get(pk=applied["ash"].pk).email == "ash@group.example.org"
    assert OrganisationMembership.objects.filter(user=applied["ash"]).exists()


def test_an_account_no_application_within_the_period_needs_is_anonymised(applied):
    run = services.retention_apply(now=end())

    user = User.objects.get(pk=applied["ash"].pk)
    assert (user.first_name, user.last_name, user.email) == ("", "", "")
    assert user.username == f"anonymised-applicant-{user.pk}"
    assert not user.is_active
    assert not user.has_usable_password()
    assert not RoleAssignment.objects.filter(user=user).exists()
    assert not OrganisationMembership.objects.filter(user=user).exists()
    # the application it wrote stays, pointing at the anonymised account
    assert Application.objects.get(organisation=applied["once"]).created_by_id == user.pk
    # two applications' contacts, one organisation's and one account
    assert run.removed["applicant"] == 4


def test_the_anonymised_account_is_signed_out_everywhere_and_cannot_sign_in(applied):
    ash = applied["ash"]
    laptop = Client()
    assert (
        laptop.post("/accounts/login/", {"login": ash.username, "password": TEST_PASSWORD})
    ).status_code == 302
    User.objects.filter(pk=ash.pk).update(last_login=CLOSED)  # then never again
    assert UserSession.objects.filter(user=ash).exists()

    services.retention_apply(now=end())

    assert not UserSession.objects.filter(user=ash).exists()
    assert laptop.get("/")["Location"].startswith("/accounts/login/")
    again = Client().post("/accounts/login/", {"login": ash.username, "password": TEST_PASSWORD})
    assert again.status_code == 200  # the form again, with its error


def test_an_applicant_whose_organisation_applied_in_a_later_round_keeps_the_account_until_then(
    applied,
):
    services.retention_apply(now=end())
    assert kept(applied["bo"])

    services.retention_apply(now=end(LATER) - DAY)
    assert kept(applied["bo"])

    services.retention_apply(now=end(LATER))
    assert not User.objects.get(pk=applied["bo"].pk).is_active


def test_an_account_that_wrote_an_application_in_a_later_round_is_kept(applied, partnership):
    # cy acts for the organisation that applied only to the old round, but wrote a later
    # application for another before moving across
    cy = applicant(applied["once"])
    ApplicationFactory(
        grant_round=applied["later"],
        organisation=OrganisationFactory(partnership=partnership),
        created_by=cy,
    )

    services.retention_apply(now=end())

    assert kept(cy)
    assert not kept(applied["ash"])


def test_an_applicant_holding_another_role_is_kept(applied):
    RoleAssignment.objects.create(user=applied["ash"], role=Role.YOUTH_REVIEWER)
    superuser = applicant(applied["once"])
    User.objects.filter(pk=superuser.pk).update(is_superuser=True)

    services.retention_apply(now=end())

    assert kept(superuser)

    ash = User.objects.get(pk=applied["ash"].pk)
    assert ash.is_active
    assert ash.email == "ash@group.example.org"
    assert ash.role_names == {Role.APPLICANT, Role.YOUTH_REVIEWER}


def test_an_applicant_signing_in_or_joining_within_the_period_is_kept(applied):
    still_signing_in = applicant(applied["once"], last_login=end() - DAY)
    newcomer = applicant_for(applied["once"])  # joined today, never signed in

    services.retention_apply(now=end())

    assert kept(still_signing_in)
    assert kept(newcomer)


def test_the_audit_records_the_anonymisation_without_the_old_values(applied):
    old = User.objects.get(pk=applied["ash"].pk)

    services.retention_apply(now=end())

    event = AuditEvent.objects.get(verb="applicant.anonymised")
    assert event.target_id == str(old.pk)
    assert event.actor is None
    assert "name" in event.changes["removed"]  # which details went, never what they were
    for recorded in AuditEvent.objects.all():
        text = recorded.target_repr + json.dumps(recorded.changes)
        for value in (old.username, old.email, old.get_full_name()):
            assert value not in text


def test_a_second_run_anonymises_nothing_more(applied):
    services.retention_apply(now=end())

    assert services.retention_apply(now=end() + DAY).removed["applicant"] == 0
    assert AuditEvent.objects.filter(verb="applicant.anonymised").count() == 1


def test_the_applicants_privacy_notice_says_what_becomes_of_their_accounts(client):
    rule = data_kinds.RULES[DataKind.APPLICANT]

    page = client.get(reverse("rights:privacy_notice", args=["applicants"])).content.decode()

    assert "account with no application still within the period" in rule.staff
    assert escape(rule.staff) in page
