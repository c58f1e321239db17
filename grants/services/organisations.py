"""Organisations and their members, written by grants staff."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from grants import permissions
from grants.models import (
    Organisation,
    OrganisationMembership,
)
from vru.models import AuditEvent, Partnership, User
from vru.services import audit_record


def staff_only(actor: User | None, partnership_id: int) -> None:
    if actor is not None and not (
        permissions.is_grants_staff(actor) and actor.partnership_id == partnership_id
    ):
        raise PermissionDenied("Only grants staff of this partnership can do this.")


@transaction.atomic
def organisation_create(
    *, actor: User | None, partnership: Partnership, name: str, kind: str, **fields
) -> Organisation:
    staff_only(actor, partnership.pk)
    # Organisation.clean holds every rule (a name, free whatever the capitals; a local
    # authority of the partnership), whichever door calls.
    organisation = Organisation(partnership=partnership, name=name, kind=kind, **fields)
    organisation.full_clean()
    organisation.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="organisation.created",
        target=organisation,
        partnership=partnership,
    )
    return organisation


@transaction.atomic
def organisation_member_add(
    *, actor: User | None, organisation: Organisation, user: User
) -> OrganisationMembership:
    staff_only(actor, organisation.partnership_id)
    if user.partnership_id != organisation.partnership_id:
        raise ValidationError("The user belongs to another partnership.")
    if not permissions.is_applicant(user):
        raise ValidationError(f"{user.username} does not have the applicant role.")
    existing = OrganisationMembership.objects.filter(user=user).select_related("organisation")
    if (current := existing.first()) is not None:
        raise ValidationError(f"{user.username} already acts for {current.organisation.name}.")
    membership = OrganisationMembership(user=user, organisation=organisation)
    membership.full_clean()
    membership.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="organisation.member_added",
        target=membership,
        partnership=organisation.partnership,
    )
    return membership


ORGANISATION_FIELDS = [
    "name",
    "kind",
    "charity_number",
    "company_number",
    "address",
    "postcode",
    "local_authority",
    "contact_email",
    "contact_phone",
    "safeguarding_policy_date",
]


@transaction.atomic
def organisation_update(
    *, actor: User | None, organisation: Organisation, **fields
) -> Organisation:
    staff_only(actor, organisation.partnership_id)
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown organisation fields: {', '.join(sorted(unknown))}")
    changes = {}
    for name, value in fields.items():
        before = getattr(organisation, name)
        if before != value:
            changes[name] = [str(before or ""), str(value or "")]
            setattr(organisation, name, value)
    if not changes:
        return organisation
    organisation.full_clean()
    organisation.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="organisation.updated",
        target=organisation,
        partnership=organisation.partnership,
        # Which fields changed, not their values: contact details stay out of the audit log.
        changes={"fields": sorted(changes)},
    )
    return organisation


@transaction.atomic
def organisation_member_remove(*, actor: User | None, membership: OrganisationMembership) -> None:
    """The user stops acting for the organisation; its applications stay with it."""
    organisation = membership.organisation
    staff_only(actor, organisation.partnership_id)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        verb="organisation.member_removed",
        target=organisation,
        partnership=organisation.partnership,
        changes={"user": membership.user_id},
    )
    membership.delete()
