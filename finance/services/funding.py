"""Keeping the money record: funding streams, their allocations, and spend per programme per
quarter. Each write checks the permission, validates, saves and audits in one transaction."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction

from finance import permissions
from finance.models import Allocation, FundingStream, QuarterlySpend
from grants.models import GrantRound
from programmes.models import Programme
from vru.models import AuditEvent, Partnership, User
from vru.services.audit import audit_record

STREAM_FIELDS = ("funder", "grant_name", "financial_year", "amount", "spend_type", "conditions")


def _may_keep(actor: User | None, partnership_id: int) -> None:
    if actor is not None and not (
        permissions.can_keep_funding(actor) and actor.partnership_id == partnership_id
    ):
        raise PermissionDenied("You cannot change this partnership's funding.")


@transaction.atomic
def funding_stream_save(
    *, actor: User | None, partnership: Partnership, stream: FundingStream | None = None, **values
) -> FundingStream:
    """Add a funding stream, or change one (`stream`)."""
    _may_keep(actor, partnership.pk)
    creating = stream is None
    if creating:
        stream = FundingStream(partnership=partnership)
    before = {name: getattr(stream, name) for name in STREAM_FIELDS}
    for name in STREAM_FIELDS:
        if name in values:
            setattr(stream, name, values[name])
    stream.full_clean()
    stream.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE if creating else AuditEvent.Action.UPDATE,
        verb="funding_stream.created" if creating else "funding_stream.changed",
        target=stream,
        partnership=partnership,
        changes={
            name: {"before": str(before[name]), "after": str(getattr(stream, name))}
            for name in STREAM_FIELDS
            if not creating and before[name] != getattr(stream, name)
        },
    )
    return stream


@transaction.atomic
def allocation_add(
    *,
    actor: User | None,
    stream: FundingStream,
    amount: Decimal,
    programme: Programme | None = None,
    grant_round: GrantRound | None = None,
) -> Allocation:
    """Give part of a stream to a programme or a grant round."""
    _may_keep(actor, stream.partnership_id)
    allocation = Allocation(
        stream=stream, programme=programme, grant_round=grant_round, amount=amount
    )
    allocation.full_clean()
    allocation.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="allocation.created",
        target=allocation,
        partnership=stream.partnership,
        changes={"amount": str(amount), "to": str(allocation.target)},
    )
    return allocation


@transaction.atomic
def allocation_remove(*, actor: User | None, allocation: Allocation) -> None:
    stream = allocation.stream
    _may_keep(actor, stream.partnership_id)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        verb="allocation.removed",
        target=allocation,
        partnership=stream.partnership,
        changes={"amount": str(allocation.amount), "to": str(allocation.target)},
    )
    allocation.delete()


@transaction.atomic
def spend_record(
    *,
    actor: User | None,
    programme: Programme,
    financial_year: int,
    quarter: int,
    amount: Decimal,
    note: str = "",
) -> QuarterlySpend:
    """Record (or correct) what a programme spent in a quarter: one figure per quarter."""
    if actor is not None and not permissions.can_record_spend(actor, programme):
        raise PermissionDenied("You cannot record spend for this programme.")
    spend = (
        QuarterlySpend.objects.select_for_update()
        .filter(programme=programme, financial_year=financial_year, quarter=quarter)
        .first()
    )
    creating = spend is None
    before = None if creating else str(spend.amount)
    if creating:
        spend = QuarterlySpend(programme=programme, financial_year=financial_year, quarter=quarter)
    spend.amount = amount
    spend.note = note
    spend.recorded_by = actor
    spend.full_clean()
    spend.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE if creating else AuditEvent.Action.UPDATE,
        verb="spend.recorded" if creating else "spend.corrected",
        target=spend,
        partnership=programme.partnership,
        changes={"amount": {"before": before, "after": str(amount)}},
    )
    return spend
