"""Every write to listening projects: keyword-only, one transaction each, audited."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

import tablib
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from evaluation import permissions
from evaluation.models import (
    DEFAULT_THEMES,
    CodebookTheme,
    FeedbackResponse,
    ListeningAction,
    ListeningExercise,
    SafeguardingAlert,
    SafeguardingContact,
)
from evaluation.resources import FeedbackResponseResource
from vru import emails
from vru.models import LSOA, AuditEvent, LocalAuthority, Partnership, User
from vru.services import audit_record, outbox
from vru.services import imports as core_imports
from vru.services.batches import Progress, deleted_in_batches

SAFEGUARDING_ALERT = "evaluation.safeguarding_alert"


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


@transaction.atomic
def exercise_create(
    *,
    actor: User | None,
    partnership: Partnership,
    name: str,
    period_start: date,
    period_end: date,
    public_slug: str,
    delivery_partner: str = "",
    venues: str = "",
    themes: Iterable[tuple[str, str]] = DEFAULT_THEMES,
) -> ListeningExercise:
    """A listening exercise, with the Essex codebook as its starting themes by default."""
    if actor is not None:
        _require(
            permissions.can_manage_listening(actor) and actor.partnership_id == partnership.pk,
            "You cannot add listening exercises to this partnership.",
        )
    exercise = ListeningExercise(
        partnership=partnership,
        name=name,
        period_start=period_start,
        period_end=period_end,
        public_slug=public_slug,
        delivery_partner=delivery_partner,
        venues=venues,
    )
    exercise.full_clean()
    exercise.save()
    CodebookTheme.objects.bulk_create(
        CodebookTheme(exercise=exercise, name=name, description=description, position=i)
        for i, (name, description) in enumerate(themes)
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="listening_exercise.created",
        target=exercise,
    )
    return exercise


@transaction.atomic
def exercise_set_public(
    *, actor: User, exercise: ListeningExercise, is_public: bool
) -> ListeningExercise:
    _require(
        permissions.can_manage_listening(actor) and actor.partnership_id == exercise.partnership_id,
        "You cannot publish this exercise.",
    )
    exercise.is_public = is_public
    exercise.save(update_fields=["is_public"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="listening_exercise.published" if is_public else "listening_exercise.unpublished",
        target=exercise,
    )
    return exercise


def _check_places(
    exercise: ListeningExercise, local_authority: LocalAuthority | None, lsoa: LSOA | None
) -> None:
    if local_authority and local_authority.partnership_id != exercise.partnership_id:
        raise ValidationError({"local_authority": "Choose a local authority in your area."})
    if lsoa and lsoa.partnership_id != exercise.partnership_id:
        raise ValidationError({"lsoa": "Choose a neighbourhood in your area."})


@transaction.atomic
def response_record(
    *,
    actor: User | None,
    exercise: ListeningExercise,
    responded_on: date,
    age_band: str,
    question: str,
    words: str,
    venue: str = "",
    local_authority: LocalAuthority | None = None,
    lsoa: LSOA | None = None,
    gender: str = "",
    may_be_quoted: bool = False,
    safeguarding_concern: bool = False,
    themes: Iterable[CodebookTheme] = (),
) -> FeedbackResponse:
    """Record what a young person said. A safeguarding concern creates its alert in the same
    transaction, and the alert is sent once this commits."""
    if actor is not None:
        _require(
            permissions.can_record_feedback(actor)
            and actor.partnership_id == exercise.partnership_id,
            "You cannot record feedback for this exercise.",
        )
    _check_places(exercise, local_authority, lsoa)
    if lsoa is not None and local_authority is None:
        local_authority = lsoa.local_authority
    response = FeedbackResponse(
        exercise=exercise,
        responded_on=responded_on,
        venue=venue,
        local_authority=local_authority,
        lsoa=lsoa,
        age_band=age_band,
        gender=gender,
        question=question,
        words=words,
        may_be_quoted=may_be_quoted,
        safeguarding_concern=safeguarding_concern,
        created_by=actor,
    )
    response.full_clean()
    if not exercise.period_start <= responded_on <= exercise.period_end:
        raise ValidationError({"responded_on": "The date must be within the exercise's period."})
    response.save()
    theme_list = list(themes)
    if any(theme.exercise_id != exercise.pk for theme in theme_list):
        raise ValidationError({"themes": "Choose themes from this exercise's codebook."})
    response.themes.set(theme_list)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="feedback_response.recorded",
        target=response,
        partnership=exercise.partnership,
        changes={"safeguarding_concern": safeguarding_concern},
    )
    if safeguarding_concern:
        raise_safeguarding_alert(response)
    return response


def raise_safeguarding_alert(response: FeedbackResponse) -> SafeguardingAlert:
    """A flagged response's alert (once; every door that records one calls this). The alert and its outbox message commit with the response, so neither a broker outage
    nor a worker's death loses it; the outbox sends it (and retries a failed send)."""
    alert, created = SafeguardingAlert.objects.get_or_create(response=response)
    if created:
        outbox.enqueue(
            kind=SAFEGUARDING_ALERT,
            target_id=alert.pk,
            partnership_id=response.exercise.partnership_id,
        )
    return alert


@transaction.atomic
def response_code(
    *, actor: User, response: FeedbackResponse, themes: Iterable[CodebookTheme]
) -> FeedbackResponse:
    """Code a response to one or more of its exercise's themes."""
    _require(
        permissions.can_manage_listening(actor)
        and actor.partnership_id == response.exercise.partnership_id,
        "You cannot code this response.",
    )
    theme_list = list(themes)
    if any(theme.exercise_id != response.exercise_id for theme in theme_list):
        raise ValidationError({"themes": "Choose themes from this exercise's codebook."})
    before = sorted(response.themes.values_list("name", flat=True))
    response.themes.set(theme_list)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="feedback_response.coded",
        target=response,
        partnership=response.exercise.partnership,
        changes={"before": before, "after": sorted(t.name for t in theme_list)},
    )
    return response


def responses_import(
    *,
    actor: User | None,
    exercise: ListeningExercise,
    dataset: tablib.Dataset,
    skip_invalid_rows: bool = False,
) -> core_imports.ImportOutcome:
    """Import responses from the delivery partner's spreadsheet: all rows or none."""
    if actor is not None:
        _require(
            permissions.can_record_feedback(actor)
            and actor.partnership_id == exercise.partnership_id,
            "You cannot import feedback for this exercise.",
        )
    with transaction.atomic():
        outcome = core_imports.import_with_resource(
            actor=actor,
            partnership=exercise.partnership,
            make_resource=lambda: FeedbackResponseResource(exercise=exercise),
            dataset=dataset,
            verb="import.feedback_responses",
            target=exercise,
            skip_invalid_rows=skip_invalid_rows,
        )
        # Imported concerns raise their alerts like typed ones.
        for response in FeedbackResponse.objects.filter(
            exercise=exercise, safeguarding_concern=True, safeguarding_alert__isnull=True
        ):
            raise_safeguarding_alert(response)
    return outcome


@transaction.atomic
def action_save(
    *,
    actor: User,
    theme: CodebookTheme,
    what: str,
    who: str,
    status: str = ListeningAction.Status.PLANNED,
    due_on: date | None = None,
    delivered_on: date | None = None,
    spend: Decimal | None = None,
    delivered_through: str = "",
    action: ListeningAction | None = None,
) -> ListeningAction:
    """Create or change a "we did" action answering a theme."""
    _require(
        permissions.can_manage_listening(actor)
        and actor.partnership_id == theme.exercise.partnership_id,
        "You cannot change actions for this exercise.",
    )
    created = action is None
    action = action or ListeningAction()
    if action.theme_id and action.theme.exercise_id != theme.exercise_id:
        raise ValidationError("An action stays with its exercise.")
    action.theme = theme
    action.what = what
    action.who = who
    action.status = status
    action.due_on = due_on
    action.delivered_on = delivered_on
    action.spend = spend
    action.delivered_through = delivered_through
    if status == ListeningAction.Status.DELIVERED and delivered_on is None:
        raise ValidationError({"delivered_on": "Give the date it was delivered."})
    action.full_clean()
    action.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        verb="listening_action.created" if created else "listening_action.updated",
        target=action,
        partnership=theme.exercise.partnership,
        changes={"status": status},
    )
    return action


def safeguarding_alert_send(*, alert_id: int) -> SafeguardingAlert:
    """Email the designated safeguarding leads. Idempotent: an alert is sent once."""
    with transaction.atomic():
        alert = (
            SafeguardingAlert.objects.select_for_update(of=("self",))
            .select_related("response__exercise__partnership")
            .get(pk=alert_id)
        )
        if alert.notified_at is not None:
            return alert
        partnership = alert.response.exercise.partnership
        recipients = sorted(
            email
            for email in SafeguardingContact.objects.filter(
                partnership=partnership, user__is_active=True
            ).values_list("user__email", flat=True)
            if email
        )
        if recipients:
            # No words, names or places in the email: the lead opens the record to read it.
            link = emails.absolute_url("evaluation:safeguarding_alerts") + f"#alert-{alert.pk}"
            emails.send_email(
                "emails/evaluation/safeguarding_alert",
                {"exercise": str(alert.response.exercise), "link": link},
                to=recipients,
            )
        alert.notified_at = timezone.now()
        alert.notified_to = recipients
        alert.save(update_fields=["notified_at", "notified_to"])
        audit_record(
            actor=None,
            action=AuditEvent.Action.UPDATE,
            verb="safeguarding_alert.sent",
            target=alert,
            partnership=partnership,
            changes={"recipients": len(recipients)},
        )
    return alert


@transaction.atomic
def safeguarding_alert_acknowledge(*, actor: User, alert: SafeguardingAlert) -> SafeguardingAlert:
    alert = (
        SafeguardingAlert.objects.select_for_update(of=("self",))
        .select_related("response__exercise")
        .get(pk=alert.pk)
    )
    _require(
        permissions.can_handle_safeguarding_alerts(actor)
        and actor.partnership_id == alert.response.exercise.partnership_id,
        "You cannot acknowledge this alert.",
    )
    if alert.acknowledged_at is None:
        alert.acknowledged_by = actor
        alert.acknowledged_at = timezone.now()
        alert.save(update_fields=["acknowledged_by", "acknowledged_at"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            verb="safeguarding_alert.acknowledged",
            target=alert,
            partnership=actor.partnership,
        )
    return alert


def listening_responses_expire(*, now, months: int, progress: Progress | None = None) -> int:
    """Delete the responses of listening projects that closed more than ``months`` ago (the
    published themes and actions stay), a committed batch at a time (vru.services.batches:
    not to be called inside a transaction). Returns the number of responses deleted."""
    from dateutil.relativedelta import relativedelta

    cutoff = timezone.localdate(now) - relativedelta(months=months)
    expired = FeedbackResponse.objects.filter(exercise__period_end__lte=cutoff)
    return sum(deleted_in_batches(expired, progress))
