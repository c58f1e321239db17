"""The one rule for disclosing personal data to a partner organisation: an agreement of the
viewer's partnership, in force today, with the recipient as a party, covering the kind of
data. Every export door and the API ask here (through sharing.doors); nothing else decides."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from sharing import permissions
from sharing.models import Agreement, AgreementStatus, Organisation
from sharing.selectors import status_q
from vru.data_kinds import DataKind
from vru.models import User


@dataclass(frozen=True)
class Record:
    """A record that leaves: its model label ("programmes.referral"), its id, and the young
    person it is about (if any)."""

    label: str
    id: int
    young_person_id: int | None = None


def agreements_for_disclosure(
    *, viewer: User, recipient: Organisation | None, kind: str, today: date | None = None
) -> list[Agreement]:
    """The agreements the viewer may name to send ``kind`` to ``recipient`` (all recipients
    when None): in force on ``today`` and covering that kind. Nothing for a viewer who may
    not disclose."""
    if not permissions.can_disclose(viewer) or str(kind) not in DataKind.values:
        return []
    today = today or timezone.localdate()
    live = status_q(AgreementStatus.IN_FORCE, today) | status_q(
        AgreementStatus.REVIEW_OVERDUE, today
    )
    agreements = Agreement.objects.for_viewer(viewer).filter(live).exclude(direction="receive")
    if recipient is not None:
        agreements = agreements.filter(parties=recipient)
    return [
        agreement
        for agreement in agreements.prefetch_related("parties").order_by("title", "pk").distinct()
        if agreement.covers(kind)
    ]


def check_disclosure(
    *,
    viewer: User,
    agreement: Agreement | None,
    recipient: Organisation | None,
    kind: str,
    today: date | None = None,
) -> None:
    """Refuse (ValidationError naming the field) a disclosure the rule does not allow."""
    today = today or timezone.localdate()
    if not permissions.can_disclose(viewer):
        raise ValidationError({"recipient": "You cannot share personal data with partners"})
    if recipient is None or recipient.partnership_id != viewer.partnership_id:
        raise ValidationError({"recipient": "Select the partner organisation it is for"})
    if agreement is None or agreement.partnership_id != viewer.partnership_id:
        raise ValidationError(
            {"disclosure_agreement": "Select the information-sharing agreement it is shared under"}
        )
    if not agreement.allows_sharing_on(today):
        status = agreement.status_on(today)
        why = "has ended" if status == AgreementStatus.ENDED else "is not in force yet"
        raise ValidationError(
            {"disclosure_agreement": f"{agreement.title} {why}: it allows no sharing"}
        )
    if agreement.direction == "receive":
        raise ValidationError(
            {"disclosure_agreement": f"Under {agreement.title} we receive data; we do not send it"}
        )
    if not agreement.parties.filter(pk=recipient.pk).exists():
        raise ValidationError(
            {"disclosure_agreement": f"{recipient.name} is not a party to {agreement.title}"}
        )
    if not agreement.covers(kind):
        label = DataKind(kind).label.lower() if kind in DataKind.values else kind
        raise ValidationError({"disclosure_agreement": f"{agreement.title} does not cover {label}"})
