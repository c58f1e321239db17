"""The admin door, the Celery tasks and the reminders command."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from grants import tasks
from grants.admin import rubric_locked
from grants.models import PanelMember, Score
from tests.factories import (
    AssignmentFactory,
    GrantRoundFactory,
    OrganisationFactory,
    UserFactory,
)
from vru.models import Role

pytestmark = pytest.mark.django_db

ALL_ROLES = list(Role)


@pytest.mark.parametrize("role", ALL_ROLES, ids=[r.value for r in ALL_ROLES])
def test_only_administrators_open_the_grants_admin(client, user_with_role, partnership, role):
    mine = OrganisationFactory(partnership=partnership)
    client.force_login(user_with_role(role))
    response = client.get(reverse("admin:grants_organisation_changelist"))
    if role == Role.ADMINISTRATOR:
        assert response.status_code == 200
        assert mine.name in response.content.decode()
    else:
        assert response.status_code in (302, 403, 404)


def test_the_admin_hides_other_partnerships_organisations(
    client, user_with_role, other_partnership
):
    theirs = OrganisationFactory(partnership=other_partnership)
    client.force_login(user_with_role(Role.ADMINISTRATOR))
    url = reverse("admin:grants_organisation_change", args=[theirs.pk])
    assert client.get(url).status_code in (302, 404)


def test_the_reminder_tasks_are_scheduled_by_beat():
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "grants.tasks.send_panel_reminders",
        "grants.tasks.send_overdue_return_reminders",
    } <= names
    assert tasks.send_panel_reminders() == 0
    assert tasks.send_overdue_return_reminders() == 0


def test_the_reminders_command_runs_the_services(capsys):
    from django.core.management import call_command

    call_command("grants_reminders")
    assert "0 panel reminders, 0 overdue-return reminders sent." in capsys.readouterr().out


ORGANISATION_CSV = (
    "name,kind,charity_number,postcode,safeguarding_policy_date\n"
    "Riverside Youth Club,charity,1123456,SS14 1AA,2026-01-01\n"
    "Northside Boxing,cic,,SS15 2BB,\n"
)


@pytest.mark.parametrize("role", ALL_ROLES, ids=[r.value for r in ALL_ROLES])
def test_only_administrators_open_the_organisation_import(client, user_with_role, role):
    client.force_login(user_with_role(role))
    response = client.get(reverse("admin:grants_organisation_import"))
    if role == Role.ADMINISTRATOR:
        assert response.status_code == 200
    elif role == Role.ANALYST:  # signs in to the admin site, may not import organisations
        assert response.status_code == 403
    else:  # not an admin-site user: sent to the admin's sign-in
        assert response.status_code == 302


def test_importing_organisations_adds_them_to_the_importers_partnership_only(
    partnership, other_partnership
):
    import tablib

    from grants.models import Organisation
    from grants.resources import OrganisationResource

    OrganisationFactory(partnership=other_partnership, name="Riverside Youth Club")
    dataset = tablib.Dataset().load(ORGANISATION_CSV, format="csv")
    result = OrganisationResource(partnership=partnership).import_data(dataset, dry_run=False)
    assert not result.has_errors()
    assert not result.has_validation_errors()
    assert set(
        Organisation.objects.filter(partnership=partnership).values_list("name", flat=True)
    ) == {"Riverside Youth Club", "Northside Boxing"}
    # the other partnership's namesake is untouched
    assert Organisation.objects.get(partnership=other_partnership).charity_number != "1123456"


def test_an_organisation_row_with_a_bad_type_is_refused(partnership):
    import tablib

    from grants.resources import OrganisationResource

    dataset = tablib.Dataset().load("name,kind\nSome Group,pirates\n", format="csv")
    result = OrganisationResource(partnership=partnership).import_data(dataset, dry_run=True)
    assert result.has_validation_errors()


# Admin scoping of panel members and the rubric ----------------------------------------


def test_the_panel_member_admin_offers_only_the_partnerships_youth_reviewers(
    client, user_with_role, partnership, other_partnership
):
    # given
    reviewer = UserFactory(partnership=partnership, roles=[Role.YOUTH_REVIEWER])
    officer = UserFactory(partnership=partnership, roles=[Role.GRANTS_OFFICER])
    theirs = UserFactory(partnership=other_partnership, roles=[Role.YOUTH_REVIEWER])
    client.force_login(user_with_role(Role.ADMINISTRATOR))

    # when
    response = client.get(reverse("admin:grants_panelmember_add"))

    # then: a choice among our youth reviewers, no raw id box
    assert response.status_code == 200
    choices = {str(pk) for pk, _ in response.context["adminform"].form.fields["user"].choices}
    assert str(reviewer.pk) in choices
    assert str(officer.pk) not in choices
    assert str(theirs.pk) not in choices
    assert "vForeignKeyRawIdAdminField" not in response.content.decode()


def test_the_panel_member_admin_refuses_a_user_who_is_not_a_youth_reviewer(
    client, user_with_role, partnership
):
    officer = UserFactory(partnership=partnership, roles=[Role.GRANTS_OFFICER])
    client.force_login(user_with_role(Role.ADMINISTRATOR))
    response = client.post(
        reverse("admin:grants_panelmember_add"),
        {"user": officer.pk, "date_of_birth": "2009-01-01", "active": "on"},
    )
    assert response.status_code == 200  # the form again, with an error
    assert not PanelMember.objects.filter(user=officer).exists()


def _inline_permissions(response):
    return {
        formset.opts.model._meta.model_name: (
            formset.has_add_permission,
            formset.has_change_permission,
            formset.has_delete_permission,
        )
        for formset in response.context["inline_admin_formsets"]
    }


def test_the_rubric_of_a_round_not_yet_open_is_editable_in_the_admin(
    client, user_with_role, partnership
):
    future = timezone.now() + datetime.timedelta(days=5)
    grant_round = GrantRoundFactory(
        partnership=partnership,
        opens_at=future,
        closes_at=future + datetime.timedelta(days=10),
    )
    client.force_login(user_with_role(Role.ADMINISTRATOR))
    response = client.get(reverse("admin:grants_grantround_change", args=[grant_round.pk]))
    assert _inline_permissions(response)["criterion"] == (True, True, True)


def test_the_rubric_of_an_open_round_is_read_only_in_the_admin(client, user_with_role, partnership):
    grant_round = GrantRoundFactory(partnership=partnership)  # opened 10 days ago
    client.force_login(user_with_role(Role.ADMINISTRATOR))
    response = client.get(reverse("admin:grants_grantround_change", args=[grant_round.pk]))
    permissions = _inline_permissions(response)
    assert permissions["criterion"] == (False, False, False)
    assert permissions["eligibilityquestion"] == (False, False, False)


def test_a_scored_rubric_is_locked_even_before_the_round_opens(partnership):
    future = timezone.now() + datetime.timedelta(days=5)
    grant_round = GrantRoundFactory(
        partnership=partnership,
        opens_at=future,
        closes_at=future + datetime.timedelta(days=10),
    )
    assert not rubric_locked(grant_round)
    assignment = AssignmentFactory(application__grant_round=grant_round)
    Score.objects.create(assignment=assignment, criterion=grant_round.criteria.first(), score=3)
    assert rubric_locked(grant_round)
