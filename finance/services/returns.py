"""The quarterly return's life: produced from the records as a draft (and produced again
while it is a draft), reviewed, then locked with who and when. A locked return is never
changed: a correction produces a new version beside it, from the records as they are then,
with the reason."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from finance import permissions
from finance.models import QuarterlyReturn
from finance.selectors.returns import compute_return
from vru.models import AuditEvent, Partnership, User
from vru.services.audit import audit_record


def _may_prepare(actor: User | None, partnership_id: int) -> None:
    if actor is not None and not (
        permissions.can_prepare_returns(actor) and actor.partnership_id == partnership_id
    ):
        raise PermissionDenied("You cannot prepare this partnership's quarterly returns.")


def _locked(quarterly_return: QuarterlyReturn) -> QuarterlyReturn:
    return QuarterlyReturn.objects.select_for_update().get(pk=quarterly_return.pk)


@transaction.atomic
def return_produce(
    *, actor: User | None, partnership: Partnership, financial_year: int, quarter: int
) -> QuarterlyReturn:
    """The first version of a quarter's return, as a draft worked out from the records."""
    _may_prepare(actor, partnership.pk)
    if quarter not in (1, 2, 3, 4):
        raise ValidationError("Choose a quarter from 1 to 4.", code="quarter")
    existing = QuarterlyReturn.objects.filter(
        partnership=partnership, financial_year=financial_year, quarter=quarter
    ).first()
    if existing is not None:
        raise ValidationError(
            f"{existing} exists: open it to produce it again while it is a draft, or to "
            "correct it once locked.",
            code="exists",
        )
    rows, published = compute_return(partnership.pk, financial_year, quarter)
    quarterly_return = QuarterlyReturn(
        partnership=partnership,
        financial_year=financial_year,
        quarter=quarter,
        rows=rows,
        published_rows=published,
        produced_by=actor,
        produced_at=timezone.now(),
    )
    quarterly_return.full_clean()
    quarterly_return.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="quarterly_return.produced",
        target=quarterly_return,
        partnership=partnership,
        changes={"rows": len(rows)},
    )
    return quarterly_return


@transaction.atomic
def return_refresh(*, actor: User | None, quarterly_return: QuarterlyReturn) -> QuarterlyReturn:
    """Work a draft's figures out again from the records (a reviewed or locked return is
    never worked out again)."""
    quarterly_return = _locked(quarterly_return)
    _may_prepare(actor, quarterly_return.partnership_id)
    if quarterly_return.status != QuarterlyReturn.Status.DRAFT:
        raise ValidationError("Only a draft return is produced again.", code="invalid_status")
    rows, published = compute_return(
        quarterly_return.partnership_id, quarterly_return.financial_year, quarterly_return.quarter
    )
    quarterly_return.rows, quarterly_return.published_rows = rows, published
    quarterly_return.produced_by, quarterly_return.produced_at = actor, timezone.now()
    quarterly_return.save(update_fields=["rows", "published_rows", "produced_by", "produced_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="quarterly_return.produced_again",
        target=quarterly_return,
        changes={"rows": len(rows)},
    )
    return quarterly_return


@transaction.atomic
def return_review(*, actor: User | None, quarterly_return: QuarterlyReturn) -> QuarterlyReturn:
    quarterly_return = _locked(quarterly_return)
    _may_prepare(actor, quarterly_return.partnership_id)
    if quarterly_return.status != QuarterlyReturn.Status.DRAFT:
        raise ValidationError("Only a draft return can be reviewed.", code="invalid_status")
    quarterly_return.status = QuarterlyReturn.Status.REVIEWED
    quarterly_return.reviewed_by, quarterly_return.reviewed_at = actor, timezone.now()
    quarterly_return.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="quarterly_return.reviewed",
        target=quarterly_return,
    )
    return quarterly_return


@transaction.atomic
def return_lock(*, actor: User | None, quarterly_return: QuarterlyReturn) -> QuarterlyReturn:
    quarterly_return = _locked(quarterly_return)
    _may_prepare(actor, quarterly_return.partnership_id)
    if quarterly_return.status != QuarterlyReturn.Status.REVIEWED:
        raise ValidationError("A return is reviewed before it is locked.", code="invalid_status")
    quarterly_return.status = QuarterlyReturn.Status.LOCKED
    quarterly_return.locked_by, quarterly_return.locked_at = actor, timezone.now()
    quarterly_return.save(update_fields=["status", "locked_by", "locked_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="quarterly_return.locked",
        target=quarterly_return,
    )
    return quarterly_return


@transaction.atomic
def return_correct(
    *, actor: User | None, quarterly_return: QuarterlyReturn, reason: str
) -> QuarterlyReturn:
    """A new version of a locked return, beside it (the locked one is kept as it was)."""
    quarterly_return = _locked(quarterly_return)
    _may_prepare(actor, quarterly_return.partnership_id)
    if quarterly_return.status != QuarterlyReturn.Status.LOCKED:
        raise ValidationError(
            "Only a locked return is corrected; a draft is produced again.",
            code="invalid_status",
        )
    if hasattr(quarterly_return, "superseded_by"):
        raise ValidationError(
            f"{quarterly_return.superseded_by} already corrects this return.",
            code="already_corrected",
        )
    if not reason.strip():
        raise ValidationError({"reason": "Say why the return is corrected."}, code="reason")
    rows, published = compute_return(
        quarterly_return.partnership_id, quarterly_return.financial_year, quarterly_return.quarter
    )
    correction = QuarterlyReturn(
        partnership_id=quarterly_return.partnership_id,
        financial_year=quarterly_return.financial_year,
        quarter=quarterly_return.quarter,
        version=quarterly_return.version + 1,
        supersedes=quarterly_return,
        correction_reason=reason.strip(),
        rows=rows,
        published_rows=published,
        produced_by=actor,
        produced_at=timezone.now(),
    )
    correction.full_clean()
    correction.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="quarterly_return.corrected",
        target=correction,
        partnership=quarterly_return.partnership,
        changes={"supersedes": quarterly_return.pk, "reason": correction.correction_reason},
    )
    return correction


def return_records_viewed(
    *, actor: User, quarterly_return: QuarterlyReturn, programme, column: str, count: int
) -> None:
    """Listing the young people (by pseudonymous reference) behind a figure is audited."""
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        verb="quarterly_return.records_viewed",
        target=quarterly_return,
        partnership=quarterly_return.partnership,
        changes={"programme": programme.pk, "column": column, "records": count},
    )
