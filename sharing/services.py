"""Writes of the sharing register (organisations, agreements) and the disclosure log; the
review reminder told to an agreement's owner through the outbox."""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from sharing import permissions, rules, selectors
from sharing.models import Agreement, DisclosedRecord, DisclosureLog, Organisation, PartnerToken
from vru import emails
from vru.models import AuditEvent, Partnership, Role, User
from vru.services import outbox
from vru.services.audit import audit_record

REVIEW_DUE = "sharing.agreement_review_due"

ORGANISATION_FIELDS = ("name", "kind", "contact_name", "contact_email")
AGREEMENT_FIELDS = (
    "title",
    "purpose",
    "lawful_basis",
    "criminal_offence_condition",
    "includes_health_data",
    "special_category_condition",
    "kinds",
    "direction",
    "frequency",
    "recipient_retention",
    "dpia_reference",
    "signatories",
    "starts_on",
    "review_on",
    "ends_on",
    "owner",
)


def _may_manage(actor: User | None, partnership_id: int) -> None:
    if actor is not None and not (
        permissions.can_manage_agreements(actor) and actor.partnership_id == partnership_id
    ):
        raise PermissionDenied("You cannot change this partnership's sharing agreements.")


def _value(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, date):
        return value.isoformat()
    return value


@transaction.atomic
def organisation_save(
    *,
    actor: User | None,
    partnership: Partnership,
    organisation: Organisation | None = None,
    **values,
) -> Organisation:
    unknown = set(values) - set(ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown organisation fields: {', '.join(sorted(unknown))}")
    _may_manage(actor, partnership.pk)
    creating = organisation is None
    if creating:
        organisation = Organisation(partnership=partnership)
    elif organisation.partnership_id != partnership.pk:
        raise PermissionDenied("This organisation belongs to another partnership.")
    for name, value in values.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE if creating else AuditEvent.Action.UPDATE,
        verb="sharing_organisation.created" if creating else "sharing_organisation.changed",
        target=organisation,
        partnership=partnership,
    )
    return organisation


@transaction.atomic
def agreement_save(
    *,
    actor: User | None,
    partnership: Partnership,
    parties: list[Organisation],
    agreement: Agreement | None = None,
    **values,
) -> Agreement:
    """Make an agreement, or change one. Its owner defaults to the partnership's data
    protection lead."""
    unknown = set(values) - set(AGREEMENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown agreement fields: {', '.join(sorted(unknown))}")
    _may_manage(actor, partnership.pk)
    creating = agreement is None
    if creating:
        agreement = Agreement(partnership=partnership)
    elif agreement.partnership_id != partnership.pk:
        raise PermissionDenied("This agreement belongs to another partnership.")
    before = {name: _value(getattr(agreement, name)) for name in AGREEMENT_FIELDS}
    for name, value in values.items():
        setattr(agreement, name, value)
    if agreement.owner_id is None:
        agreement.owner_id = partnership.data_protection_lead_id
    errors = {}
    try:
        agreement.full_clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    if not parties:
        errors["parties"] = ["Choose the partner organisations party to the agreement"]
    elif any(party.partnership_id != partnership.pk for party in parties):
        errors["parties"] = ["Choose organisations of this partnership"]
    if agreement.owner is not None and agreement.owner.partnership_id != partnership.pk:
        errors["owner"] = ["Choose someone of this partnership"]
    if errors:
        raise ValidationError(errors)
    agreement.save()
    agreement.parties.set(parties)
    after = {name: _value(getattr(agreement, name)) for name in AGREEMENT_FIELDS}
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE if creating else AuditEvent.Action.UPDATE,
        verb="sharing_agreement.created" if creating else "sharing_agreement.changed",
        target=agreement,
        partnership=partnership,
        changes={
            name: {"before": before[name], "after": after[name]}
            for name in AGREEMENT_FIELDS
            if not creating and before[name] != after[name]
        },
    )
    return agreement


@transaction.atomic
def agreement_end(*, actor: User | None, agreement: Agreement, on: date | None = None) -> Agreement:
    """End an agreement (from ``on``, default today): from that day it allows no sharing."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    _may_manage(actor, agreement.partnership_id)
    on = on or timezone.localdate()
    if agreement.ends_on is not None and agreement.ends_on <= on:
        raise ValidationError({"ends_on": "This agreement has already ended"})
    before = agreement.ends_on
    agreement.ends_on = on
    if agreement.starts_on is not None and agreement.ends_on <= agreement.starts_on:
        # ended before it started: it never comes into force
        agreement.starts_on = None
    agreement.save(update_fields=["ends_on", "starts_on"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="sharing_agreement.ended",
        target=agreement,
        partnership=agreement.partnership,
        changes={"ends_on": {"before": _value(before), "after": on.isoformat()}},
    )
    return agreement


@transaction.atomic
def record_disclosure(
    *,
    viewer: User,
    agreement: Agreement | None,
    recipient: Organisation | None,
    kind: str,
    records: list[rules.Record],
    fields: list[str],
    purpose: str,
    door: str,
) -> DisclosureLog:
    """Record a disclosure of personal data to a partner: refused (ValidationError naming the
    field) unless the rule allows it (sharing.rules.check_disclosure)."""
    rules.check_disclosure(viewer=viewer, agreement=agreement, recipient=recipient, kind=kind)
    purpose = (purpose or "").strip() or agreement.purpose
    log = DisclosureLog.objects.create(
        partnership_id=viewer.partnership_id,
        agreement=agreement,
        recipient=recipient,
        kind=kind,
        by=viewer,
        purpose=purpose,
        door=door[:100],
        fields=[str(name) for name in fields],
        record_count=len(records),
    )
    DisclosedRecord.objects.bulk_create(
        [
            DisclosedRecord(
                log=log,
                model_label=record.label,
                record_id=record.id,
                young_person_id=record.young_person_id,
            )
            for record in records
        ],
        batch_size=1000,
    )
    audit_record(
        actor=viewer,
        action=AuditEvent.Action.EXPORT,
        verb="personal_data.disclosed",
        target=log,
        partnership=agreement.partnership,
        changes={
            "agreement": agreement.pk,
            "recipient": recipient.pk,
            "kind": kind,
            "records": len(records),
            "door": door,
        },
    )
    return log


def review_reminders_enqueue(*, today: date | None = None) -> int:
    """For the daily beat task: an outbox message for each agreement past its review date,
    once per review date."""
    today = today or timezone.localdate()
    made = 0
    for agreement in selectors.agreements_due_for_review(today=today):
        with transaction.atomic():
            outbox.enqueue(
                kind=REVIEW_DUE,
                target_id=agreement.pk,
                partnership_id=agreement.partnership_id,
                key=f"{REVIEW_DUE}:{agreement.pk}:{agreement.review_on.isoformat()}",
            )
            Agreement.objects.filter(pk=agreement.pk).update(reminded_for=agreement.review_on)
            made += 1
    return made


def review_owners(agreement: Agreement) -> list[User]:
    """Who hears about the review: the owner; else the data protection lead; else the
    partnership's administrators."""
    for person in (agreement.owner, agreement.partnership.data_protection_lead):
        if person is not None and person.is_active and person.email:
            return [person]
    return list(
        get_user_model()
        .objects.filter(
            partnership_id=agreement.partnership_id,
            is_active=True,
            role_assignments__role=Role.ADMINISTRATOR,
        )
        .exclude(email="")
        .distinct()
    )


def review_reminder_send(*, agreement_id: int) -> int:
    """E-mail the owner that the agreement's review is overdue (the outbox calls this once)."""
    agreement = Agreement.objects.select_related("owner", "partnership__data_protection_lead").get(
        pk=agreement_id
    )
    sent = 0
    for person in review_owners(agreement):
        emails.send_email(
            "emails/sharing/agreement_review_due",
            {
                "name": person.first_name or person.username,
                "agreement": agreement.title,
                "partnership": agreement.partnership.name,
                "due": agreement.review_on,
                "link": emails.absolute_url("sharing:agreement_detail", agreement.pk),
            },
            to=[person.email],
        )
        sent += 1
    return sent


@transaction.atomic
def partner_token_issue(
    *,
    actor: User,
    agreement: Agreement,
    recipient: Organisation,
    name: str,
    days: int | None = None,
) -> tuple[PartnerToken, str]:
    """Issue a read-only API token for a partner organisation's system under one agreement
    (administrators and the data protection lead): the agreement must allow sharing today with
    that recipient as a party. The token belongs to the actor (it sees what they see, read
    only) and every pull of personal data with it is recorded against the agreement
    (sharing.api). Returns it with its key, which is not kept: show it once."""
    from vru.services import api_token_create

    if not permissions.can_manage_agreements(actor):
        raise PermissionDenied("Only an administrator or the data protection lead may do this.")
    kinds = list(agreement.kinds or [])
    rules.check_disclosure(
        viewer=actor, agreement=agreement, recipient=recipient, kind=kinds[0] if kinds else ""
    )
    token, key = api_token_create(
        actor=actor,
        name=name or f"{recipient.name}: {agreement.title}",
        scope="read_only",
        days=days,
    )
    bound = PartnerToken.objects.create(token=token, recipient=recipient, agreement=agreement)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="sharing.partner_token_issued",
        target=agreement,
        changes={"token": token.pk, "recipient": recipient.pk},
    )
    return bound, key


@transaction.atomic
def partner_token_revoke(*, actor: User, partner_token: PartnerToken) -> PartnerToken:
    """Revoke a token issued for a partner under an agreement, whoever issued it
    (administrators and the data protection lead of the agreement's partnership): it answers
    401 from then on. Idempotent; audited against the agreement."""
    agreement = partner_token.agreement
    if not (
        permissions.can_manage_agreements(actor)
        and actor.partnership_id == agreement.partnership_id
    ):
        raise PermissionDenied("Only an administrator or the data protection lead may do this.")
    token = type(partner_token.token).objects.select_for_update().get(pk=partner_token.token_id)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            verb="sharing.partner_token_revoked",
            target=agreement,
            changes={"token": token.pk, "recipient": partner_token.recipient_id},
        )
    partner_token.token = token
    return partner_token
