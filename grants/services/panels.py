"""Youth panels: members, balanced assignment, conflicts, scores, reminders."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from grants import permissions
from grants.models import Application, Assignment, GrantRound, PanelMember, Score
from grants.services.assignment import pick_replacement, plan_assignments
from vru import emails
from vru.models import AuditEvent, Partnership, User
from vru.services import audit_record

REMINDER_BEFORE = datetime.timedelta(hours=48)


def _staff_of(actor: User | None, partnership_id: int) -> None:
    if actor is not None and not (
        permissions.is_grants_staff(actor) and actor.partnership_id == partnership_id
    ):
        raise PermissionDenied("Only grants staff of this partnership can do this.")


@transaction.atomic
def panel_member_create(
    *,
    actor: User | None,
    partnership: Partnership,
    user: User,
    date_of_birth: datetime.date,
    training_completed_on: datetime.date | None = None,
    guardian_consent_recorded_on: datetime.date | None = None,
) -> PanelMember:
    _staff_of(actor, partnership.pk)
    if user.partnership_id != partnership.pk:
        raise ValidationError("The reviewer belongs to another partnership.")
    member = PanelMember(
        partnership=partnership,
        user=user,
        date_of_birth=date_of_birth,
        training_completed_on=training_completed_on,
        guardian_consent_recorded_on=guardian_consent_recorded_on,
    )
    member.full_clean()
    member.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="panel_member.created",
        target=member,
        partnership=partnership,
    )
    return member


@transaction.atomic
def panel_member_update(
    *,
    actor: User,
    member: PanelMember,
    training_completed_on: datetime.date | None,
    guardian_consent_recorded_on: datetime.date | None,
    active: bool,
) -> PanelMember:
    """Record training and consent (a reviewer scores only with both, or training alone
    from 18), or stand a reviewer down."""
    _staff_of(actor, member.partnership_id)
    member = PanelMember.objects.select_for_update(of=("self",)).get(pk=member.pk)
    member.training_completed_on = training_completed_on
    member.guardian_consent_recorded_on = guardian_consent_recorded_on
    member.active = active
    member.full_clean()
    member.save(update_fields=["training_completed_on", "guardian_consent_recorded_on", "active"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="panel_member.updated",
        target=member,
        partnership=member.partnership,
        changes={
            "trained": training_completed_on is not None,
            "consent": guardian_consent_recorded_on is not None,
            "active": active,
        },
    )
    return member


def _able_reviewers(partnership_id: int) -> list[PanelMember]:
    today = timezone.localdate()
    members = PanelMember.objects.filter(partnership_id=partnership_id, active=True)
    return [m for m in members.select_related("user") if m.may_score_on(today)]


@transaction.atomic
def assignments_generate(*, actor: User | None, grant_round: GrantRound) -> dict[str, int]:
    """Give every eligible application its N reviewers, balanced, no conflicts. Running it
    again only tops up and rebalances assignments nobody has started."""
    grant_round = GrantRound.objects.select_for_update(of=("self",)).get(pk=grant_round.pk)
    _staff_of(actor, grant_round.partnership_id)
    applications = list(
        grant_round.applications.filter(status=Application.Status.ELIGIBLE).values_list(
            "pk", flat=True
        )
    )
    rows = list(
        Assignment.objects.filter(application__grant_round=grant_round).values_list(
            "application_id", "reviewer_id", "status"
        )
    )
    conflicts = [(a, r) for a, r, s in rows if s == Assignment.Status.CONFLICTED]
    existing = [(a, r) for a, r, s in rows if s != Assignment.Status.CONFLICTED]
    movable = [(a, r) for a, r, s in rows if s == Assignment.Status.AWAITING_DECLARATION]
    plan = plan_assignments(
        applications=applications,
        reviewers=[m.pk for m in _able_reviewers(grant_round.partnership_id)],
        per_application=grant_round.reviewers_per_application,
        existing=existing,
        movable=movable,
        conflicts=conflicts,
    )
    for app, reviewer in plan.remove:
        Assignment.objects.filter(
            application_id=app,
            reviewer_id=reviewer,
            status=Assignment.Status.AWAITING_DECLARATION,
        ).delete()
    Assignment.objects.bulk_create(
        Assignment(application_id=app, reviewer_id=reviewer) for app, reviewer in plan.add
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="grant_round.assignments_generated",
        target=grant_round,
        partnership=grant_round.partnership,
        changes={"added": len(plan.add), "moved": len(plan.remove)},
    )
    return {"added": len(plan.add), "removed": len(plan.remove)}


@transaction.atomic
def assignment_add(*, actor: User, application: Application, reviewer: PanelMember) -> Assignment:
    """Staff adjustment: add a reviewer to an application."""
    _staff_of(actor, application.grant_round.partnership_id)
    if reviewer.partnership_id != application.grant_round.partnership_id:
        raise ValidationError("The reviewer belongs to another partnership.")
    if application.status != Application.Status.ELIGIBLE:
        raise ValidationError("Only eligible applications go to the youth panel.")
    if not reviewer.may_score_on(timezone.localdate()):
        raise ValidationError("This reviewer has no training or consent recorded yet.")
    if Assignment.objects.filter(application=application, reviewer=reviewer).exists():
        raise ValidationError("This reviewer already has, or declared a conflict with, it.")
    assignment = Assignment.objects.create(application=application, reviewer=reviewer)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="assignment.added",
        target=assignment,
        partnership=application.grant_round.partnership,
    )
    return assignment


@transaction.atomic
def assignment_remove(*, actor: User, assignment: Assignment) -> None:
    """Staff adjustment while the round is open: take an application away from a reviewer.
    A declared conflict is a record that this reviewer must never get the application, so
    it cannot be removed (removing it would let the next balancing run assign it to them
    again). After the round closes a reviewer is released with a reason instead."""
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("application__grant_round__partnership")
        .get(pk=assignment.pk)
    )
    _staff_of(actor, assignment.application.grant_round.partnership_id)
    if assignment.status == Assignment.Status.SUBMITTED:
        raise ValidationError("Submitted scores cannot be taken away.", code="invalid_status")
    if assignment.status == Assignment.Status.RELEASED:
        raise ValidationError(
            "This reviewer was released: the record stays with its reason.",
            code="invalid_status",
        )
    if timezone.now() >= assignment.application.grant_round.closes_at:
        # Once the round has closed the decision waits for this reviewer: letting them off
        # takes a reason (assignment_release), so that no decision skips the panel unsaid.
        raise ValidationError(
            "The round has closed: release the reviewer with a reason instead.",
            code="round_closed",
        )
    if assignment.status == Assignment.Status.CONFLICTED:
        raise ValidationError(
            "This reviewer declared a conflict of interest: the record stays so that the "
            "application is never given to them.",
            code="conflicted",
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        verb="assignment.removed",
        target=assignment,
        partnership=assignment.application.grant_round.partnership,
    )
    assignment.delete()


def _reviewer_assignment(actor: User, assignment: Assignment) -> Assignment:
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("reviewer", "application__grant_round")
        .get(pk=assignment.pk)
    )
    if not permissions.can_review(actor, assignment):
        raise PermissionDenied("You cannot review this application.")
    return assignment


@transaction.atomic
def conflict_declare(*, actor: User, assignment: Assignment, reason: str) -> Assignment | None:
    """The reviewer knows someone involved: the application is closed to them and given to
    the least busy reviewer who is free. Returns the replacement, if one was found."""
    assignment = _reviewer_assignment(actor, assignment)
    if assignment.status != Assignment.Status.AWAITING_DECLARATION:
        raise ValidationError("You have already answered this question.")
    if not reason.strip():
        raise ValidationError({"reason": "Tell us in a few words how you know them"})
    assignment.status = Assignment.Status.CONFLICTED
    assignment.conflict_reason = reason
    assignment.declared_at = timezone.now()
    assignment.save(update_fields=["status", "conflict_reason", "declared_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="assignment.conflict_declared",
        target=assignment,
        partnership=assignment.application.grant_round.partnership,
    )
    return _reassign(assignment)


def _reassign(conflicted: Assignment) -> Assignment | None:
    application = conflicted.application
    partnership_id = application.grant_round.partnership_id
    taken = Assignment.objects.filter(application=application)
    reviewers = _able_reviewers(partnership_id)
    loads = dict(
        Assignment.objects.filter(
            application__grant_round=application.grant_round, reviewer__in=reviewers
        )
        .exclude(status__in=[Assignment.Status.CONFLICTED, Assignment.Status.RELEASED])
        .values_list("reviewer_id")
        .annotate(n=Count("pk"))
        .values_list("reviewer_id", "n")
    )
    choice = pick_replacement(
        application=application.pk,
        reviewers=[m.pk for m in reviewers],
        loads=loads,
        assigned=taken.values_list("reviewer_id", flat=True),
        conflicts=(),
    )
    if choice is None:
        return None
    replacement = Assignment.objects.create(application=application, reviewer_id=choice)
    audit_record(
        actor=None,
        action=AuditEvent.Action.CREATE,
        verb="assignment.reassigned",
        target=replacement,
        partnership=application.grant_round.partnership,
    )
    return replacement


@transaction.atomic
def no_conflict_declare(*, actor: User, assignment: Assignment) -> Assignment:
    assignment = _reviewer_assignment(actor, assignment)
    if assignment.status != Assignment.Status.AWAITING_DECLARATION:
        raise ValidationError("You have already answered this question.")
    assignment.status = Assignment.Status.IN_PROGRESS
    assignment.declared_at = timezone.now()
    assignment.save(update_fields=["status", "declared_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="assignment.no_conflict",
        target=assignment,
        partnership=assignment.application.grant_round.partnership,
    )
    return assignment


@transaction.atomic
def scores_save(
    *,
    actor: User,
    assignment: Assignment,
    scores: dict[int, tuple[int | None, str]],
    submit: bool = False,
    complete: bool = False,
) -> Assignment:
    """Save the reviewer's score and comment per criterion; `complete` also asks that every
    criterion is scored (before the reviewer checks their answers); `submit` sends them
    (every criterion scored), after which they cannot change. Closed after the panel
    deadline."""
    assignment = _reviewer_assignment(actor, assignment)
    if assignment.status != Assignment.Status.IN_PROGRESS:
        raise ValidationError("Answer the conflict question first, or scores were already sent.")
    grant_round = assignment.application.grant_round
    if timezone.now() >= grant_round.panel_deadline:
        raise ValidationError("The panel deadline has passed.", code="closed")
    criteria = list(grant_round.criteria.all())
    errors = {}
    for criterion in criteria:
        score, comment = scores.get(criterion.pk, (None, ""))
        if score is not None and not 1 <= score <= 5:
            errors[f"score_{criterion.pk}"] = "Choose a score from 1 to 5"
        elif (submit or complete) and score is None:
            errors[f"score_{criterion.pk}"] = f"Choose a score for “{criterion.title}”"
        Score.objects.update_or_create(
            assignment=assignment,
            criterion=criterion,
            defaults={
                "score": score if score is None or 1 <= score <= 5 else None,
                "comment": comment,
            },
        )
    if errors:
        raise ValidationError(errors)
    if submit:
        assignment.status = Assignment.Status.SUBMITTED
        assignment.submitted_at = timezone.now()
        assignment.save(update_fields=["status", "submitted_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="assignment.scores_submitted" if submit else "assignment.scores_saved",
        target=assignment,
        partnership=grant_round.partnership,
    )
    return assignment


@transaction.atomic
def scores_submit(*, actor: User, assignment: Assignment) -> Assignment:
    """Send the scores the reviewer saved and checked: every criterion scored; after this
    they cannot change. Closed after the panel deadline."""
    assignment = _reviewer_assignment(actor, assignment)
    if assignment.status != Assignment.Status.IN_PROGRESS:
        raise ValidationError("Answer the conflict question first, or scores were already sent.")
    grant_round = assignment.application.grant_round
    if timezone.now() >= grant_round.panel_deadline:
        raise ValidationError("The panel deadline has passed.", code="closed")
    scored = set(
        assignment.scores.filter(score__isnull=False).values_list("criterion_id", flat=True)
    )
    errors = {
        f"score_{criterion.pk}": f"Choose a score for “{criterion.title}”"
        for criterion in grant_round.criteria.all()
        if criterion.pk not in scored
    }
    if errors:
        raise ValidationError(errors)
    assignment.status = Assignment.Status.SUBMITTED
    assignment.submitted_at = timezone.now()
    assignment.save(update_fields=["status", "submitted_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="assignment.scores_submitted",
        target=assignment,
        partnership=grant_round.partnership,
    )
    return assignment


def panel_reminders_send() -> int:
    """Remind reviewers whose scores are not in, 48 hours before the panel deadline. Each
    assignment is reminded once (idempotent)."""
    now = timezone.now()
    due = (
        Assignment.objects.filter(
            reminder_sent_at__isnull=True,
            application__status=Application.Status.ELIGIBLE,
            application__grant_round__panel_deadline__gt=now,
            application__grant_round__panel_deadline__lte=now + REMINDER_BEFORE,
        )
        .filter(
            Q(status=Assignment.Status.AWAITING_DECLARATION)
            | Q(status=Assignment.Status.IN_PROGRESS)
        )
        .values_list("pk", flat=True)
    )
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            assignment = (
                Assignment.objects.select_for_update(of=("self",))
                .select_related("reviewer__user", "application__grant_round")
                .filter(pk=pk, reminder_sent_at__isnull=True)
                .first()
            )
            if assignment is None:
                continue
            user = assignment.reviewer.user
            deadline = timezone.localtime(assignment.application.grant_round.panel_deadline)
            assignment.reminder_sent_at = now
            assignment.save(update_fields=["reminder_sent_at"])
            audit_record(
                actor=None,
                action=AuditEvent.Action.UPDATE,
                verb="assignment.reminded",
                target=assignment,
                partnership=assignment.application.grant_round.partnership,
            )
            if user.email:
                # Sent only once the reminder is recorded: a failed commit sends nothing,
                # and a retry after a commit does not send twice.
                message = emails.build_email(
                    "emails/grants/review_reminder",
                    {
                        "name": user.first_name or user.username,
                        "deadline": deadline,
                        "link": emails.absolute_url(assignment.get_absolute_url()),
                    },
                    to=[user.email],
                )
                transaction.on_commit(message.send)
            sent += 1
    return sent


@transaction.atomic
def reviewer_comments_expire(*, now: datetime.datetime, months: int) -> int:
    """Clear youth reviewers' written comments on rounds that closed more than ``months``
    ago; the numbers stay, as the decisions rest on them. Returns the comments cleared."""
    from dateutil.relativedelta import relativedelta

    cutoff = now - relativedelta(months=months)
    expired = Score.objects.filter(
        assignment__application__grant_round__closes_at__lte=cutoff
    ).exclude(comment="")
    return expired.update(comment="")
