"""Reads of the sharing register and the disclosure log, as a viewer may see them: every read
starts from their partnership, and a viewer who may not see it gets nothing."""

import contextlib
from datetime import date

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from sharing import permissions
from sharing.models import Agreement, AgreementStatus, DisclosureLog, Organisation, PartnerToken
from vru.data_kinds import DataKind
from vru.models import User

AGREEMENT_SORTS = {
    "title": "title",
    "review": "review_on",
    "start": "starts_on",
    "end": "ends_on",
}


def status_q(status: str, today: date) -> Q:
    """The agreements of a status on ``today``, as the database can find them (the same
    rule as Agreement.status_on)."""
    ended = Q(ends_on__isnull=False, ends_on__lte=today)
    draft = ~ended & (Q(starts_on__isnull=True) | Q(starts_on__gt=today) | Q(signatories=""))
    live = ~ended & ~draft
    return {
        AgreementStatus.ENDED: ended,
        AgreementStatus.DRAFT: draft,
        AgreementStatus.REVIEW_OVERDUE: live & Q(review_on__lt=today),
        AgreementStatus.IN_FORCE: live & Q(review_on__gte=today),
    }[AgreementStatus(status)]


def organisation_list(*, viewer: User) -> QuerySet[Organisation]:
    if not permissions.can_view_register(viewer):
        return Organisation.objects.none()
    return Organisation.objects.for_viewer(viewer)


def organisation_get(*, viewer: User, pk) -> Organisation | None:
    return organisation_list(viewer=viewer).filter(pk=pk).first()


def agreement_list(
    *, viewer: User, filters=None, sort: str | None = None, today: date | None = None
) -> QuerySet[Agreement]:
    """``filters``: ``status`` (a status), ``party`` (an organisation id), ``kind``."""
    if not permissions.can_view_register(viewer):
        return Agreement.objects.none()
    today = today or timezone.localdate()
    filters = filters or {}
    agreements = (
        Agreement.objects.for_viewer(viewer).select_related("owner").prefetch_related("parties")
    )
    status = filters.get("status")
    if status in AgreementStatus.values:
        agreements = agreements.filter(status_q(status, today))
    party = filters.get("party")
    if party and str(party).isdigit():
        agreements = agreements.filter(parties=int(party))
    kind = filters.get("kind")
    if kind in DataKind.values:
        # kinds is a JSON list; SQLite cannot look inside it, so match the few candidates
        ids = [a.pk for a in agreements.only("pk", "kinds") if kind in (a.kinds or [])]
        agreements = agreements.filter(pk__in=ids)
    key = (sort or "").lstrip("-")
    if key in AGREEMENT_SORTS:
        field = AGREEMENT_SORTS[key]
        agreements = agreements.order_by(f"-{field}" if sort.startswith("-") else field, "pk")
    else:
        agreements = agreements.order_by("title", "pk")
    return agreements.distinct()


def agreement_get(*, viewer: User, pk) -> Agreement | None:
    return agreement_list(viewer=viewer).filter(pk=pk).first()


def partner_tokens(*, viewer: User, agreement: Agreement) -> QuerySet[PartnerToken]:
    """The API tokens issued for partners under the agreement, newest first, with who
    issued each (those who keep the register; anyone else gets none)."""
    if not permissions.can_manage_agreements(viewer):
        return PartnerToken.objects.none()
    return PartnerToken.objects.filter(
        agreement__in=agreement_list(viewer=viewer), agreement=agreement
    ).select_related("token__owner", "recipient")


def partner_token_get(*, viewer: User, agreement: Agreement, pk) -> PartnerToken | None:
    return partner_tokens(viewer=viewer, agreement=agreement).filter(pk=pk).first()


def disclosure_log_list(*, viewer: User, filters=None) -> QuerySet[DisclosureLog]:
    """``filters``: ``agreement``, ``recipient`` (ids), ``kind``, ``since``/``until`` (dates)."""
    if not permissions.can_view_disclosure_log(viewer):
        return DisclosureLog.objects.none()
    filters = filters or {}
    logs = DisclosureLog.objects.for_viewer(viewer).select_related("agreement", "recipient", "by")
    for name in ("agreement", "recipient"):
        value = filters.get(name)
        if value and str(value).isdigit():
            logs = logs.filter(**{f"{name}_id": int(value)})
    if filters.get("kind") in DataKind.values:
        logs = logs.filter(kind=filters["kind"])
    for name, lookup in (("since", "at__date__gte"), ("until", "at__date__lte")):
        value = filters.get(name)
        if value:
            with contextlib.suppress(ValueError):
                logs = logs.filter(**{lookup: date.fromisoformat(str(value))})
    return logs


def disclosure_log_get(*, viewer: User, pk) -> DisclosureLog | None:
    return disclosure_log_list(viewer=viewer).filter(pk=pk).first()


def disclosures_about(*, viewer: User, young_person_id: int) -> list[DisclosureLog]:
    """What has been shared about a young person with partners, newest first. The page that
    shows it has already checked that the viewer may see the young person's record."""
    if not permissions.can_view_register(viewer):
        return []
    return list(
        DisclosureLog.objects.for_viewer(viewer)
        .filter(records__young_person_id=young_person_id)
        .select_related("agreement", "recipient", "by")
        .distinct()
        .order_by("-at", "-pk")
    )


def agreements_due_for_review(*, today: date) -> QuerySet[Agreement]:
    """Agreements in force past their review date whose owner has not been told for this
    review date (the daily reminder)."""
    return (
        Agreement.objects.filter(status_q(AgreementStatus.REVIEW_OVERDUE, today))
        .exclude(reminded_for=F("review_on"))
        .select_related("partnership", "owner")
    )
