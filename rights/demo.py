"""The rights demo: one open subject access request per partnership, made by a parent and
logged by the data protection lead (the demo administrator, when no lead is set), received
ten days ago so that its clock shows. Idempotent: a partnership with a request is left
alone."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from programmes.models import Referral
from rights import services
from rights.models import SubjectAccessRequest
from vru.models import Partnership, Role, User


def load_demo() -> list[str]:
    lines = []
    for partnership in Partnership.objects.order_by("pk"):
        if SubjectAccessRequest.objects.filter(partnership=partnership).exists():
            lines.append(f"Rights: {partnership.short_name}: already loaded.")
            continue
        lines.append(_load(partnership))
    return lines


@transaction.atomic
def _load(partnership: Partnership) -> str:
    lead = partnership.data_protection_lead
    if lead is None:
        lead = (
            User.objects.filter(
                partnership=partnership, is_active=True, role_assignments__role=Role.ADMINISTRATOR
            )
            .order_by("pk")
            .first()
        )
        if lead is None:
            return f"Rights: {partnership.short_name}: no administrator to log a request."
        Partnership.objects.filter(pk=partnership.pk).update(data_protection_lead=lead)
        partnership.refresh_from_db()
    referral = (
        Referral.objects.filter(partnership=partnership, anonymised_at__isnull=True)
        .select_related("young_person")
        .order_by("pk")
        .first()
    )
    if referral is None:
        return f"Rights: {partnership.short_name}: no young person to ask."
    services.request_create(
        actor=lead,
        young_person=referral.young_person,
        kind=SubjectAccessRequest.Kind.ACCESS,
        requester_name="Demo Parent",
        relationship=SubjectAccessRequest.Relationship.PARENT,
        identity_check=SubjectAccessRequest.IdentityCheck.PARENTAL,
        details="Asked at the front desk for copies of everything held about their child.",
        received_on=timezone.localdate() - timedelta(days=10),
    )
    return f"Rights: {partnership.short_name}: one open subject access request."
