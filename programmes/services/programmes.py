"""Writes to programmes: creating one, setting its staff. Keyword-only, audited."""

from django.db import transaction

from programmes.models import Programme, ProgrammeStaff
from vru import viewer
from vru.models import LSOA, AuditEvent, Partnership, User
from vru.services import audit_record


@transaction.atomic
def programme_create(
    *,
    actor: User | None,
    partnership: Partnership,
    name: str,
    target_lsoas=None,
    recommendations=(),
    **fields,
) -> Programme:
    """Create a programme. Target LSOAs default to the partnership's IMD decile 1 areas
    (until the risk index names priority LSOAs)."""
    programme = Programme(partnership=partnership, name=name, **fields)
    programme.full_clean()
    programme.save()
    if target_lsoas is None:
        target_lsoas = LSOA.objects.filter(partnership=partnership, imd_decile=1)
    programme.target_lsoas.set(target_lsoas)
    programme.recommendations.set(recommendations)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="programme.created",
        target=programme,
        partnership=partnership,
    )
    return programme


@transaction.atomic
def programme_staff_set(
    *, actor: User | None, programme: Programme, user: User, role: str
) -> ProgrammeStaff:
    membership = ProgrammeStaff.objects.filter(programme=programme, user=user).first()
    membership = membership or ProgrammeStaff(programme=programme, user=user)
    membership.role = role
    membership.full_clean()  # ProgrammeStaff.clean: staff of the programme's partnership
    membership.save()
    viewer.forget(user)  # their programmes changed: this request reads them again
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="programme.staff_set",
        target=programme,
        partnership=programme.partnership,
        changes={"user": user.pk, "role": role},
    )
    return membership


@transaction.atomic
def programme_staff_remove(*, actor: User | None, programme: Programme, user: User) -> bool:
    """End a user's membership of a programme's staff; returns whether there was one."""
    removed, _ = ProgrammeStaff.objects.filter(programme=programme, user=user).delete()
    if not removed:
        return False
    viewer.forget(user)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        verb="programme.staff_removed",
        target=programme,
        partnership=programme.partnership,
        changes={"user": user.pk},
    )
    return True
