"""Grants staff keep the partnership's applicant organisations: list, add, change, and who
acts for each. Nobody else has these pages, and another partnership's do not exist."""

import csv
import io

import pytest
from django.urls import reverse

from grants.models import Application, Organisation, OrganisationMembership
from tests.factories import ApplicationFactory, OrganisationFactory, applicant_for, govuk_date
from vru.models import AuditEvent, Role

pytestmark = pytest.mark.django_db

OTHER_ROLES = [
    Role.ANALYST,
    Role.PROGRAMME_MANAGER,
    Role.PRACTITIONER,
    Role.YOUTH_REVIEWER,
    Role.APPLICANT,
    Role.COMMISSIONER,
]


def organisation_data(**overrides):
    data = {
        "name": "Basildon Boxing Club",
        "kind": "group",
        "charity_number": "",
        "company_number": "",
        "address": "Unit 4, Cranes Farm Road",
        "postcode": "SS14 3JA",
        "local_authority": "",
        "contact_email": "hello@boxing.example.org",
        "contact_phone": "01268 111111",
        **govuk_date("safeguarding_policy_date", "2026-03-01"),
    }
    data.update(overrides)
    return data


@pytest.fixture
def staff_client(client, officer):
    client.force_login(officer)
    return client


class TestList:
    def test_shows_the_partnerships_organisations_with_their_counts(
        self, staff_client, organisation, grant_round, other_partnership
    ):
        ApplicationFactory(
            grant_round=grant_round, organisation=organisation, status=Application.Status.SUBMITTED
        )
        ApplicationFactory(grant_round=grant_round, organisation=organisation)  # a draft
        applicant_for(organisation)
        OrganisationFactory(partnership=other_partnership, name="Luton Youth Trust")

        response = staff_client.get(reverse("grants:organisation_list"))

        assert response.status_code == 200
        rows = list(response.context["page_obj"])
        assert [o.name for o in rows] == [organisation.name]
        assert rows[0].application_count == 1
        assert rows[0].member_count == 1
        assert b"Luton Youth Trust" not in response.content

    def test_filters_by_name_and_type_and_sorts(self, staff_client, partnership):
        OrganisationFactory(partnership=partnership, name="Alpha Arts", kind="cic")
        OrganisationFactory(partnership=partnership, name="Beta Boxing", kind="group")
        OrganisationFactory(partnership=partnership, name="Gamma Girls", kind="group")
        url = reverse("grants:organisation_list")

        names = lambda response: [o.name for o in response.context["page_obj"]]  # noqa: E731
        assert names(staff_client.get(url, {"q": "boxing"})) == ["Beta Boxing"]
        assert names(staff_client.get(url, {"kind": "group"})) == ["Beta Boxing", "Gamma Girls"]
        assert names(staff_client.get(url, {"sort": "-name"}))[0] == "Gamma Girls"

    def test_says_so_when_there_are_none(self, staff_client):
        response = staff_client.get(reverse("grants:organisation_list"))
        assert b"No organisations yet" in response.content

    def test_runs_a_constant_number_of_queries(
        self, staff_client, partnership, django_assert_max_num_queries
    ):
        for organisation in OrganisationFactory.create_batch(30, partnership=partnership):
            applicant_for(organisation)
        with django_assert_max_num_queries(8):
            response = staff_client.get(reverse("grants:organisation_list"))
        assert len(response.context["page_obj"]) == 30

    def test_exports_csv_with_formulas_made_safe_and_audited(self, staff_client, partnership):
        OrganisationFactory(partnership=partnership, name="=HYPERLINK(1)")
        response = staff_client.get(reverse("grants:organisation_list"), {"format": "csv"})

        assert response.status_code == 200
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0]["name"] == "'=HYPERLINK(1)"
        assert AuditEvent.objects.filter(
            verb="organisations.exported", action=AuditEvent.Action.EXPORT
        ).exists()


class TestAdd:
    def test_adds_an_organisation_and_audits_it(self, staff_client, officer, partnership):
        response = staff_client.post(reverse("grants:organisation_create"), organisation_data())

        organisation = Organisation.objects.get(name="Basildon Boxing Club")
        assert response.status_code == 302
        assert response.url == reverse("grants:organisation_detail", args=[organisation.pk])
        assert organisation.partnership == partnership
        assert AuditEvent.objects.filter(
            verb="organisation.created", actor=officer, target_id=str(organisation.pk)
        ).exists()

    def test_keeps_what_was_typed_and_explains_errors(self, staff_client):
        response = staff_client.post(
            reverse("grants:organisation_create"),
            organisation_data(name="", contact_email="not-an-email"),
        )

        assert response.status_code == 200
        form = response.context["form"]
        assert set(form.errors) == {"name", "contact_email"}
        assert b"Unit 4, Cranes Farm Road" in response.content
        assert b"There is a problem" in response.content
        assert not Organisation.objects.exists()

    def test_refuses_a_name_already_used_whatever_the_capitals(self, staff_client, organisation):
        response = staff_client.post(
            reverse("grants:organisation_create"),
            organisation_data(name=organisation.name.upper()),
        )

        assert response.status_code == 200
        assert "already exists" in str(response.context["form"].errors["name"])
        assert Organisation.objects.count() == 1

    def test_the_database_refuses_a_capitals_only_duplicate_from_any_door(self, organisation):
        from django.core.exceptions import ValidationError
        from django.db import IntegrityError, transaction

        twin = Organisation(
            partnership=organisation.partnership, name=organisation.name.lower(), kind="charity"
        )
        with pytest.raises(ValidationError, match="already exists"):
            twin.validate_constraints()  # what the admin's form runs
        with pytest.raises(IntegrityError), transaction.atomic():
            twin.save()  # what an admin import would reach

    def test_the_same_name_is_free_in_another_partnership(self, staff_client, other_partnership):
        OrganisationFactory(partnership=other_partnership, name="Basildon Boxing Club")
        response = staff_client.post(reverse("grants:organisation_create"), organisation_data())
        assert response.status_code == 302


class TestChange:
    def test_saves_changes_and_audits_which_fields_changed_not_their_values(
        self, staff_client, organisation
    ):
        url = reverse("grants:organisation_edit", args=[organisation.pk])
        response = staff_client.post(
            url,
            organisation_data(name=organisation.name, contact_email="new@group.example.org"),
        )

        assert response.status_code == 302
        organisation.refresh_from_db()
        assert organisation.contact_email == "new@group.example.org"
        event = AuditEvent.objects.get(verb="organisation.updated")
        assert "contact_email" in event.changes["fields"]
        assert "new@group.example.org" not in str(event.changes)

    def test_the_form_starts_from_the_saved_details(self, staff_client, organisation):
        response = staff_client.get(reverse("grants:organisation_edit", args=[organisation.pk]))
        assert response.context["form"].initial["name"] == organisation.name


class TestApplicants:
    def test_adds_an_applicant_who_can_then_act_for_it(
        self, staff_client, organisation, user_with_role
    ):
        user = user_with_role(Role.APPLICANT, username="pat.applicant")
        response = staff_client.post(
            reverse("grants:organisation_detail", args=[organisation.pk]),
            {"username": "Pat.Applicant"},
        )

        assert response.status_code == 302
        assert OrganisationMembership.objects.get(user=user).organisation == organisation

    @pytest.mark.parametrize(
        ("setup", "message"),
        [
            ("nobody", "No user with that username"),
            ("not_applicant", "does not have the applicant role"),
            ("elsewhere", "already acts for"),
            ("other_partnership", "No user with that username"),
        ],
    )
    def test_refuses_with_a_reason(
        self, staff_client, organisation, user_with_role, other_partnership, setup, message
    ):
        if setup == "not_applicant":
            user_with_role(Role.PRACTITIONER, username="someone")
        elif setup == "elsewhere":
            other = OrganisationFactory(partnership=organisation.partnership)
            applicant_for(other, username="someone")
        elif setup == "other_partnership":
            user_with_role(Role.APPLICANT, username="someone", partnership=other_partnership)

        response = staff_client.post(
            reverse("grants:organisation_detail", args=[organisation.pk]), {"username": "someone"}
        )

        assert response.status_code == 200
        assert message in response.content.decode()
        assert b'value="someone"' in response.content
        assert not organisation.memberships.exists()

    def test_removing_asks_first_then_keeps_the_applications(
        self, staff_client, organisation, grant_round
    ):
        applicant = applicant_for(organisation)
        ApplicationFactory(grant_round=grant_round, organisation=organisation)
        membership = applicant.grant_membership
        url = reverse("grants:organisation_member_remove", args=[membership.pk])

        confirm = staff_client.get(url)
        assert confirm.status_code == 200
        assert b"Yes, remove them" in confirm.content
        assert OrganisationMembership.objects.filter(pk=membership.pk).exists()

        response = staff_client.post(url)
        assert response.status_code == 302
        assert not OrganisationMembership.objects.filter(pk=membership.pk).exists()
        assert organisation.applications.count() == 1
        assert AuditEvent.objects.filter(verb="organisation.member_removed").exists()


class TestWhoMaySee:
    def _doors(self, organisation, membership):
        return [
            ("get", reverse("grants:organisation_list")),
            ("get", reverse("grants:organisation_list") + "?format=csv"),
            ("get", reverse("grants:organisation_create")),
            ("post", reverse("grants:organisation_create")),
            ("get", reverse("grants:organisation_detail", args=[organisation.pk])),
            ("post", reverse("grants:organisation_detail", args=[organisation.pk])),
            ("get", reverse("grants:organisation_edit", args=[organisation.pk])),
            ("post", reverse("grants:organisation_edit", args=[organisation.pk])),
            ("post", reverse("grants:organisation_member_remove", args=[membership.pk])),
        ]

    @pytest.mark.parametrize("role", OTHER_ROLES)
    def test_other_roles_find_no_such_pages(self, client, user_with_role, organisation, role):
        membership = applicant_for(organisation).grant_membership
        client.force_login(user_with_role(role))
        for method, url in self._doors(organisation, membership):
            assert getattr(client, method)(url, organisation_data()).status_code == 404, url
        assert Organisation.objects.count() == 1
        assert OrganisationMembership.objects.filter(pk=membership.pk).exists()

    @pytest.mark.parametrize("role", [Role.GRANTS_OFFICER, Role.ADMINISTRATOR])
    def test_staff_of_another_partnership_find_nothing(
        self, client, user_with_role, organisation, other_partnership, role
    ):
        membership = applicant_for(organisation).grant_membership
        client.force_login(user_with_role(role, partnership=other_partnership))
        for method, url in self._doors(organisation, membership)[4:]:
            assert getattr(client, method)(url, organisation_data()).status_code == 404, url
        listed = client.get(reverse("grants:organisation_list"))
        assert organisation.name.encode() not in listed.content
        assert OrganisationMembership.objects.filter(pk=membership.pk).exists()

    def test_an_administrator_of_the_partnership_may(self, client, user_with_role, organisation):
        client.force_login(user_with_role(Role.ADMINISTRATOR))
        url = reverse("grants:organisation_detail", args=[organisation.pk])
        assert client.get(url).status_code == 200

    def test_signed_out_visitors_are_sent_to_sign_in(self, client, organisation):
        response = client.get(reverse("grants:organisation_list"))
        assert response.status_code == 302
        assert "login" in response.url


def test_an_organisation_cannot_be_placed_in_another_partnerships_local_authority(
    officer, organisation, other_partnership
):
    from django.core.exceptions import ValidationError

    from grants import services
    from tests.factories import LocalAuthorityFactory

    theirs = LocalAuthorityFactory(partnership=other_partnership)

    with pytest.raises(ValidationError, match="local authority in this partnership"):
        services.organisation_create(
            actor=officer,
            partnership=organisation.partnership,
            name="Elsewhere Trust",
            kind="charity",
            local_authority=theirs,
        )
    with pytest.raises(ValidationError, match="local authority in this partnership"):
        services.organisation_update(
            actor=officer, organisation=organisation, local_authority=theirs
        )
    assert not Organisation.objects.filter(local_authority=theirs).exists()
