"""The register of duty holders: who holds the Serious Violence Duty in a partnership, kept by
analysts and administrators, read by staff and commissioners, every change audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from duty import selectors, services
from duty.models import DutyHolder
from tests.factories import DutyHolderFactory
from vru.models import AuditEvent, Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "duty"),
    [
        ("police", "Specified authority"),
        ("youth_offending", "Specified authority"),
        ("prison", "Relevant authority"),
        ("education", "Relevant authority"),
        ("policing_body", "Partner"),
        ("voluntary", "Partner"),
    ],
)
def test_the_kind_of_organisation_decides_how_the_duty_applies_to_it(kind, duty):
    assert DutyHolder(kind=kind).duty == duty


def test_an_analyst_adds_an_organisation_from_the_page_and_it_is_audited(
    client, partnership, user_with_role
):
    analyst = user_with_role(Role.ANALYST)
    client.force_login(analyst)

    response = client.post(
        "/duty/organisations/new/",
        {"name": "Essex Police", "kind": "police", "lead_name": "DCI Lee", "on_board": "on"},
    )

    assert response.status_code == 302
    holder = DutyHolder.objects.get(partnership=partnership)
    assert (holder.name, holder.kind, holder.lead_name, holder.on_board) == (
        "Essex Police",
        "police",
        "DCI Lee",
        True,
    )
    assert AuditEvent.objects.filter(verb="duty_holder.created", actor=analyst).count() == 1


def test_the_form_names_each_missing_field(client, user_with_role):
    client.force_login(user_with_role(Role.ANALYST))

    response = client.post("/duty/organisations/new/", {"name": "", "kind": ""})

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"name", "kind"}
    assert not DutyHolder.objects.exists()


def test_the_same_organisation_cannot_be_listed_twice_in_a_partnership(partnership):
    DutyHolderFactory(partnership=partnership, name="Thurrock Council")

    with pytest.raises(ValidationError) as refused:
        services.duty_holder_save(
            actor=None, partnership=partnership, name="Thurrock Council", kind="local_authority"
        )

    assert "already lists an organisation with this name" in str(refused.value)


def test_a_change_is_audited_with_what_it_was_and_what_it_became(partnership, user_with_role):
    analyst = user_with_role(Role.ANALYST)
    holder = DutyHolderFactory(partnership=partnership, lead_name="Sam")

    services.duty_holder_save(
        actor=analyst,
        partnership=partnership,
        holder=holder,
        name=holder.name,
        kind=holder.kind,
        lead_name="Jo",
    )

    event = AuditEvent.objects.get(verb="duty_holder.changed")
    assert event.changes == {"lead_name": {"before": "Sam", "after": "Jo"}}


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.PRACTITIONER, Role.PROGRAMME_MANAGER])
def test_only_analysts_and_administrators_keep_the_register(partnership, user_with_role, role):
    with pytest.raises(PermissionDenied):
        services.duty_holder_save(
            actor=user_with_role(role), partnership=partnership, name="X", kind="police"
        )


def test_nobody_sees_or_changes_another_partnerships_register(
    partnership, other_partnership, user_with_role
):
    theirs = DutyHolderFactory(partnership=other_partnership)
    analyst = user_with_role(Role.ANALYST)

    assert selectors.duty_holder_get(viewer=analyst, pk=theirs.pk) is None
    with pytest.raises(PermissionDenied):
        services.duty_holder_save(
            actor=analyst, partnership=partnership, holder=theirs, name="Mine now", kind="police"
        )


def test_the_overview_groups_the_register_by_how_the_duty_applies(
    client, partnership, user_with_role
):
    DutyHolderFactory(partnership=partnership, name="Essex Police", kind="police")
    DutyHolderFactory(partnership=partnership, name="HMP Chelmsford", kind="prison")
    client.force_login(user_with_role(Role.COMMISSIONER))

    response = client.get("/duty/")

    groups = dict(response.context["overview"].holders)
    assert [h.name for h in groups["Specified authorities (under the Duty)"]] == ["Essex Police"]
    assert [h.name for h in groups["Relevant authorities (co-operate when asked)"]] == [
        "HMP Chelmsford"
    ]
    assert b"Add an organisation" not in response.content  # a commissioner only reads
