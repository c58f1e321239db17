"""Services leave an audit trail: who did what to which record, from which address."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import LSOAFactory, RecommendationFactory, StrategicNeedsAssessmentFactory
from vru import services
from vru.models import AuditEvent, ImportJob, Role, StrategicNeedsAssessment

pytestmark = pytest.mark.django_db


def test_creating_a_user_is_audited_with_the_roles(user_with_role, partnership):
    admin = user_with_role(Role.ADMINISTRATOR)

    user = services.user_create(
        actor=admin,
        username="new.analyst",
        partnership=partnership,
        roles=[Role.ANALYST, Role.COMMISSIONER],
    )

    event = AuditEvent.objects.get(verb="user.created")
    assert event.action == AuditEvent.Action.CREATE
    assert event.actor == admin
    assert event.partnership == partnership
    assert (event.target_type, event.target_id) == ("vru.user", str(user.pk))
    assert event.changes == {"roles": ["analyst", "commissioner"]}
    assert user.is_staff is True  # analysts use the admin site
    assert user.role_names == {"analyst", "commissioner"}


def test_a_user_cannot_be_created_by_someone_who_does_not_manage_users(user_with_role, partnership):
    with pytest.raises(PermissionDenied):
        services.user_create(
            actor=user_with_role(Role.ANALYST),
            username="sneaky",
            partnership=partnership,
            roles=[Role.ADMINISTRATOR],
        )

    assert not AuditEvent.objects.filter(verb="user.created").exists()


def test_changing_roles_is_audited_with_before_and_after(user_with_role):
    admin = user_with_role(Role.ADMINISTRATOR)
    user = user_with_role(Role.PRACTITIONER)

    services.user_roles_set(actor=admin, user=user, roles=[Role.ANALYST])

    event = AuditEvent.objects.get(verb="user.roles_changed")
    assert event.changes == {"before": ["practitioner"], "after": ["analyst"]}
    user.refresh_from_db()
    assert user.is_staff is True


def test_publishing_a_needs_assessment_is_audited(user_with_role, partnership):
    # given a draft with a recommendation
    analyst = user_with_role(Role.ANALYST)
    sna = StrategicNeedsAssessmentFactory(partnership=partnership)
    RecommendationFactory(needs_assessment=sna)

    # when
    services.needs_assessment_publish(
        actor=analyst, needs_assessment=sna, published_on=datetime.date(2023, 10, 2)
    )

    # then
    sna.refresh_from_db()
    assert sna.status == StrategicNeedsAssessment.Status.PUBLISHED
    assert sna.published_on == datetime.date(2023, 10, 2)
    event = AuditEvent.objects.get(verb="sna.published")
    assert event.action == AuditEvent.Action.UPDATE
    assert event.actor == analyst
    assert event.partnership == partnership
    assert event.target_id == str(sna.pk)


def test_a_needs_assessment_without_recommendations_cannot_be_published(
    user_with_role, partnership
):
    sna = StrategicNeedsAssessmentFactory(partnership=partnership)

    with pytest.raises(ValidationError) as error:
        services.needs_assessment_publish(actor=user_with_role(Role.ANALYST), needs_assessment=sna)

    assert error.value.code == "no_recommendations"
    assert not AuditEvent.objects.filter(verb="sna.published").exists()


def test_an_import_is_audited_with_its_totals(user_with_role, partnership):
    analyst = user_with_role(Role.ANALYST)
    lsoa = LSOAFactory(partnership=partnership, population=1)
    dataset = services.read_table(
        file_name="lsoas.csv",
        content=(
            "code,name,local_authority_code,population\n"
            f"{lsoa.code},{lsoa.name},{lsoa.local_authority.code},1500\n"
            f"E01099999,New 001A,{lsoa.local_authority.code},1200\n"
        ).encode(),
    )

    services.import_rows(
        actor=analyst, partnership=partnership, kind=ImportJob.Kind.LSOAS, dataset=dataset
    )

    event = AuditEvent.objects.get(action=AuditEvent.Action.IMPORT)
    assert event.verb == "import.lsoas"
    assert event.actor == analyst
    assert event.partnership == partnership
    assert event.changes == {"new": 1, "updated": 1, "unchanged": 0, "rows_with_errors": 0}


def test_exporting_neighbourhoods_from_the_page_is_audited_with_actor_and_address(
    client, user_with_role, partnership
):
    # given
    LSOAFactory.create_batch(3, partnership=partnership)
    commissioner = user_with_role(Role.COMMISSIONER)
    client.force_login(commissioner)

    # when
    response = client.get(
        "/neighbourhoods/",
        {"format": "csv", "imd_decile": "5"},
        REMOTE_ADDR="203.0.113.7",
        HTTP_USER_AGENT="Firefox test",
    )

    # then
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.verb == "lsoa.exported"
    assert event.actor == commissioner
    assert event.partnership == partnership
    assert event.ip_address == "203.0.113.7"
    assert event.user_agent == "Firefox test"
    assert event.request_path == "/neighbourhoods/"
    assert event.changes == {"rows": 3, "format": "csv", "query": "format=csv&imd_decile=5"}


def test_a_refused_export_is_not_audited(client, user_with_role, partnership):
    LSOAFactory(partnership=partnership)
    client.force_login(user_with_role(Role.APPLICANT))

    response = client.get("/neighbourhoods/", {"format": "xlsx"})

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_a_service_called_outside_a_request_records_no_address(user_with_role, partnership):
    services.user_create(
        actor=user_with_role(Role.ADMINISTRATOR),
        username="batch.user",
        partnership=partnership,
        roles=[Role.PRACTITIONER],
    )

    event = AuditEvent.objects.get(verb="user.created")
    assert (event.ip_address, event.user_agent, event.request_path) == (None, "", "")


def test_saving_in_the_admin_is_audited(client, user_with_role, partnership):
    # given an analyst editing a neighbourhood's population in the admin
    lsoa = LSOAFactory(partnership=partnership, population=1000)
    analyst = user_with_role(Role.ANALYST)
    client.force_login(analyst)

    # when
    response = client.post(
        f"/admin/vru/lsoa/{lsoa.pk}/change/",
        {
            "code": lsoa.code,
            "name": lsoa.name,
            "lsoa11_code": lsoa.lsoa11_code,
            "local_authority": lsoa.local_authority_id,
            "population": 1234,
            "imd_score": "21.5",
            "imd_decile": 5,
        },
        REMOTE_ADDR="198.51.100.9",
    )

    # then
    assert response.status_code == 302
    lsoa.refresh_from_db()
    assert lsoa.population == 1234
    event = AuditEvent.objects.get(verb="lsoa.updated")
    assert event.actor == analyst
    assert event.ip_address == "198.51.100.9"
    assert event.changes == {"population": 1234}
