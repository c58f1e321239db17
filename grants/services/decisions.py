"""Decisions and their letters, and letting a reviewer off an application.

A decision waits for the youth panel (grants.models.decision_waits_for is the rule); every
door that records one (the decision page, the demo, any future import or API) calls
`decision_record` or `application_decide`, so none can decide earlier without an override
and its reason.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from grants import permissions, selectors
from grants.models import Application, Assignment, Decision
from grants.services import letters
from grants.services.awards import award_create
from vru import emails
from vru.models import AuditEvent, User
from vru.services import audit_record, outbox

DECISION_LETTER = "grants.decision_letter"


def _panel_not_finished(waits: list[str]) -> ValidationError:
    message = (
        f"The youth panel has not finished: {' '.join(waits)} Wait for it, or give the "
        "reason for deciding now."
    )
    return ValidationError({"override_reason": ValidationError(message, code="panel_not_finished")})


@transaction.atomic
def decision_record(
    *,
    actor: User,
    application: Application,
    outcome: str,
    reasons: str,
    amount: Decimal | None = None,
    conditions: str = "",
    quoted_comment_ids: Iterable[int] = (),
    override_reason: str = "",
) -> Decision:
    """Record the decision with the youth panel's moderated view (its weighted score and
    the reviewers' comments the officer chose to quote). Refused while the panel has not
    finished (grants.models.decision_waits_for) unless `override_reason` says why it
    cannot wait: the early decision then stores what it did not wait for and the reason,
    and is audited as such."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("grant_round")
        .get(pk=application.pk)
    )
    if not permissions.can_manage_application(actor, application):
        raise PermissionDenied("You cannot decide this application.")
    if application.status != Application.Status.ELIGIBLE:
        raise ValidationError(
            "Only an eligible application, not yet decided, can be decided.",
            code="invalid_status",
        )
    now = timezone.now()
    waits = selectors.decision_waits(application=application, now=now)
    override_reason = override_reason.strip() if waits else ""
    if waits and not override_reason:
        raise _panel_not_finished(waits)
    grant_round = application.grant_round
    if outcome == Decision.Outcome.NOT_FUND:
        amount = None
    elif amount is None or not (grant_round.minimum_award <= amount <= grant_round.maximum_award):
        raise ValidationError(
            {
                "amount": f"Enter an amount between £{grant_round.minimum_award:,.2f} and "
                f"£{grant_round.maximum_award:,.2f}"
            }
        )
    view = selectors.panel_view(application=application)
    chosen = {int(pk) for pk in quoted_comment_ids}
    if chosen - {comment.pk for comment in view.comments}:
        raise ValidationError(
            {"quoted_comments": "Choose only comments reviewers sent about this application"},
            code="unknown_comment",
        )
    decision = Decision(
        application=application,
        outcome=outcome,
        amount=amount,
        conditions=conditions,
        reasons=reasons,
        panel_score=None if view.score is None else Decimal(f"{view.score:.2f}"),
        panel_reviewers=view.reviewers,
        quoted_comments=[
            {"criterion": c.criterion, "comment": c.comment}
            for c in view.comments
            if c.pk in chosen
        ],
        panel_outstanding=" ".join(waits),
        override_reason=override_reason,
        decided_by=actor,
        decided_at=now,
    )
    decision.full_clean()
    decision.save()
    application.status = Application.Status.DECIDED
    application.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="application.decided",
        target=application,
        partnership=grant_round.partnership,
        changes={
            "outcome": outcome,
            "amount": str(amount) if amount else None,
            "panel_score": str(decision.panel_score) if decision.panel_score else None,
            "panel_reviewers": decision.panel_reviewers,
            "quoted_comments": sorted(chosen),
            "decided_early": bool(waits),
        },
    )
    if waits:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            verb="application.decided_before_panel_finished",
            target=application,
            partnership=grant_round.partnership,
            changes={"waiting_for": waits, "reason": override_reason},
        )
    # The letter goes through the outbox: enqueued with the decision, retried if it fails.
    outbox.enqueue(
        kind=DECISION_LETTER, target_id=decision.pk, partnership_id=grant_round.partnership_id
    )
    return decision


def decision_letter_send(*, decision_id: int) -> bool:
    """Build the letter PDF and email it to the applicant's contact. Idempotent: a letter
    already sent is not sent again (checked under the decision's row lock). The e-mail goes
    before the letter is stored and marked sent, so a refused e-mail leaves nothing behind
    and the outbox tries again. Returns whether it sent."""
    with transaction.atomic():
        decision = (
            Decision.objects.select_for_update(of=("self",))
            .select_related("application__organisation", "application__grant_round__partnership")
            .filter(pk=decision_id)
            .first()
        )
        if decision is None or decision.letter_sent_at is not None:
            return False
        pdf = letters.decision_letter_pdf(decision)
        application = decision.application
        if application.contact_email:
            emails.send_email(
                "emails/grants/decision_letter",
                {
                    "title": application.title,
                    "link": emails.absolute_url(application.get_absolute_url()),
                },
                to=[application.contact_email],
                attachments=[(f"decision-{decision.pk}.pdf", pdf, "application/pdf")],
            )
        decision.letter.save(f"decision-{decision.pk}.pdf", ContentFile(pdf), save=False)
        decision.letter_sent_at = timezone.now()
        decision.save(update_fields=["letter", "letter_sent_at"])
        audit_record(
            actor=None,
            action=AuditEvent.Action.UPDATE,
            verb="decision.letter_sent",
            target=decision,
            partnership=application.grant_round.partnership,
        )
    return True


@transaction.atomic
def application_decide(
    *,
    actor: User,
    application: Application,
    outcome: str,
    reasons: str,
    amount: Decimal | None = None,
    conditions: str = "",
    quoted_comment_ids: Iterable[int] = (),
    override_reason: str = "",
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    tranche_count: int | None = 2,
) -> Decision:
    """Record the decision and, when funded, its award, in one transaction: if the award
    cannot be made (dates, tranches), neither is saved and no letter is scheduled (the
    letter task runs on commit)."""
    decision = decision_record(
        actor=actor,
        application=application,
        outcome=outcome,
        reasons=reasons,
        amount=amount,
        conditions=conditions,
        quoted_comment_ids=quoted_comment_ids,
        override_reason=override_reason,
    )
    if decision.funded:
        award_create(
            actor=actor,
            decision=decision,
            starts_on=starts_on,
            ends_on=ends_on,
            tranche_count=tranche_count,
        )
    return decision


@transaction.atomic
def assignment_release(*, actor: User, assignment: Assignment, reason: str) -> Assignment:
    """The grants team lets a reviewer off an application they have not scored (ill, left
    the panel, cannot finish in time): the decision stops waiting for them, the application
    leaves their list and reminders, and the record (with the reason) stays. Scores they
    saved but never sent do not count."""
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("application__grant_round__partnership")
        .get(pk=assignment.pk)
    )
    if not permissions.can_manage_application(actor, assignment.application):
        raise PermissionDenied("Only grants staff of this partnership can do this.")
    if assignment.application.status != Application.Status.ELIGIBLE:
        raise ValidationError(
            "This application has been decided: reviewers no longer have it to score.",
            code="invalid_status",
        )
    if not assignment.still_to_score:
        raise ValidationError(
            "Only a reviewer who has not sent their scores can be released.",
            code="invalid_status",
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason for releasing this reviewer"})
    assignment.status = Assignment.Status.RELEASED
    assignment.release_reason = reason
    assignment.released_at = timezone.now()
    assignment.released_by = actor
    assignment.full_clean()
    assignment.save(update_fields=["status", "release_reason", "released_at", "released_by"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="assignment.released",
        target=assignment,
        partnership=assignment.application.grant_round.partnership,
        changes={"reason": reason},
    )
    return assignment
