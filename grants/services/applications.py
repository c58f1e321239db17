"""The applicant's side: drafts, submission, eligibility and attachments."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from grants import permissions
from grants.models import (
    Application,
    Attachment,
    BudgetLine,
    EligibilityAnswer,
    GrantRound,
    Organisation,
)
from grants.models.applications import APPLICATION_FIELDS
from vru.models import LSOA, AuditEvent, User
from vru.services import audit_record

DRAFT_FIELDS = list(APPLICATION_FIELDS)  # what an applicant writes (grants.models.rounds)
REQUIRED_TO_SUBMIT = {
    "title": "Enter a project title",
    "summary": "Enter a project summary",
    "amount_requested": "Enter the amount you are asking for",
    "young_people_expected": "Enter how many young people you expect to reach",
    "contact_name": "Enter a contact name",
    "contact_email": "Enter a contact email address",
}


def _applicant_organisation(actor: User) -> Organisation:
    membership = getattr(actor, "grant_membership", None)
    if not permissions.is_applicant(actor) or membership is None:
        raise PermissionDenied("Only members of an applicant organisation can apply.")
    return membership.organisation


@transaction.atomic
def application_start(*, actor: User, grant_round: GrantRound) -> tuple[Application, bool]:
    """The organisation's draft for this round: the one it has, or a new one. An
    organisation has at most one draft per round, whichever door starts it (a constraint
    holds it in the database too). Returns (draft, whether it was made now)."""
    organisation = _applicant_organisation(actor)
    if organisation.partnership_id != grant_round.partnership_id:
        raise PermissionDenied("This round is not open to your organisation.")
    if not grant_round.is_open(timezone.now()):
        raise ValidationError("This round is not open for applications.", code="closed")
    # two clicks at once: the second waits here, then finds the first one's draft
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    existing = (
        Application.objects.filter(
            grant_round=grant_round,
            organisation=organisation,
            status=Application.Status.DRAFT,
        )
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return existing, False
    application = Application.objects.create(
        grant_round=grant_round,
        organisation=organisation,
        created_by=actor,
        contact_name=actor.get_full_name(),
        contact_email=actor.email,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="application.created",
        target=application,
        partnership=grant_round.partnership,
    )
    return application, True


def application_create(*, actor: User, grant_round: GrantRound) -> Application:
    """Start an application: the organisation's draft for the round (application_start)."""
    application, _ = application_start(actor=actor, grant_round=grant_round)
    return application


@transaction.atomic
def application_update(
    *,
    actor: User,
    application: Application,
    data: dict,
    lsoa_codes: list[str] | None = None,
    recommendation_ids: list[int] | None = None,
    budget_lines: list[tuple[str, Decimal]] | None = None,
    answers: dict[int, bool] | None = None,
) -> Application:
    """Save the draft as it stands: nothing is required until submission.

    `lsoa_codes` must name neighbourhoods of the round's partnership, and
    `recommendation_ids` recommendations the round responds to; anything else is refused
    (ValidationError) and nothing is saved."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("grant_round")
        .get(pk=application.pk)
    )
    if not permissions.can_edit_application(actor, application):
        raise PermissionDenied("You cannot edit this application.")
    if not application.grant_round.is_open(timezone.now()):
        raise ValidationError("This round closed; the application can no longer change.")
    changed = [name for name in DRAFT_FIELDS if name in data]
    if "themes" in data and (
        not isinstance(data["themes"], list)
        or set(data["themes"]) - set(application.grant_round.listening_themes)
    ):
        # the form offers only the round's themes; the service holds the rule for any caller
        raise ValidationError(
            {"themes": "Choose only listening-project themes this round responds to"},
            code="unknown_theme",
        )
    for name in changed:
        setattr(application, name, data[name])
    application.full_clean()
    application.save(update_fields=[*changed, "updated_at"])
    grant_round = application.grant_round
    if lsoa_codes is not None:
        codes = {code.strip().upper() for code in lsoa_codes if code.strip()}
        lsoas = list(LSOA.objects.filter(partnership_id=grant_round.partnership_id, code__in=codes))
        missing = sorted(codes - {lsoa.code for lsoa in lsoas})
        if missing:
            raise ValidationError(
                {"lsoa_codes": f"Not in this area: {', '.join(missing)}"}, code="unknown_lsoa"
            )
        application.lsoas.set(lsoas)
    if recommendation_ids is not None:
        wanted = {int(pk) for pk in recommendation_ids}
        recommendations = list(grant_round.recommendations.filter(pk__in=wanted))
        if len(recommendations) != len(wanted):
            raise ValidationError(
                {"recommendations": "Choose only recommendations this round responds to"},
                code="unknown_recommendation",
            )
        application.recommendations.set(recommendations)
    if budget_lines is not None:
        application.budget_lines.all().delete()
        lines = [
            BudgetLine(application=application, description=d, amount=a) for d, a in budget_lines
        ]
        for line in lines:
            line.full_clean()
        BudgetLine.objects.bulk_create(lines)
    if answers is not None:
        questions = set(application.grant_round.eligibility_questions.values_list("pk", flat=True))
        for question_id, answer in answers.items():
            if question_id in questions and answer is not None:
                EligibilityAnswer.objects.update_or_create(
                    application=application,
                    question_id=question_id,
                    defaults={"answer": answer},
                )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="application.saved",
        target=application,
        partnership=application.grant_round.partnership,
        changes={"fields": changed},
    )
    return application


def submission_problems(application: Application) -> dict[str, str]:
    """What stops a draft being submitted, by field (the error summary lists them)."""
    problems = {
        name: message
        for name, message in REQUIRED_TO_SUBMIT.items()
        if getattr(application, name) in (None, "")
    }
    grant_round = application.grant_round
    amount = application.amount_requested
    if amount is not None and not (
        grant_round.minimum_award <= amount <= grant_round.maximum_award
    ):
        problems["amount_requested"] = (
            f"The amount must be between £{grant_round.minimum_award:,.2f} and "
            f"£{grant_round.maximum_award:,.2f}"
        )
    lines = list(application.budget_lines.all())
    if not lines:
        problems["budget"] = "Add at least one budget line"
    elif amount is not None and sum(line.amount for line in lines) != amount:
        total = sum(line.amount for line in lines)
        problems["budget"] = (
            f"The budget lines add up to £{total:,.2f}, not the £{amount:,.2f} you ask for"
        )
    if not application.lsoas.exists():
        problems["lsoas"] = "Choose at least one neighbourhood you will work in"
    answered = set(application.eligibility_answers.values_list("question_id", flat=True))
    if any(q.pk not in answered for q in grant_round.eligibility_questions.all()):
        problems["eligibility"] = "Answer every eligibility question"
    return problems


@transaction.atomic
def application_submit(*, actor: User, application: Application) -> Application:
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("grant_round")
        .get(pk=application.pk)
    )
    if not permissions.can_edit_application(actor, application):
        raise PermissionDenied("You cannot submit this application.")
    now = timezone.now()
    if not application.grant_round.is_open(now):
        raise ValidationError(
            "The deadline has passed: this round closed at "
            f"{timezone.localtime(application.grant_round.closes_at):%-d %B %Y, %H:%M}.",
            code="closed",
        )
    problems = submission_problems(application)
    if problems:
        raise ValidationError(problems)
    application.status = Application.Status.SUBMITTED
    application.submitted_at = now
    application.full_clean()
    application.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="application.submitted",
        target=application,
        partnership=application.grant_round.partnership,
    )
    return application


@transaction.atomic
def application_check_eligibility(
    *, actor: User, application: Application, eligible: bool, notes: str = ""
) -> Application:
    """Staff check first: ineligible applications never reach the youth panel. An
    application whose answers fail a pass/fail question cannot be found eligible."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("grant_round")
        .get(pk=application.pk)
    )
    if not permissions.can_manage_application(actor, application):
        raise PermissionDenied("You cannot check this application's eligibility.")
    if application.status != Application.Status.SUBMITTED:
        raise ValidationError(
            "Only a submitted application can be checked for eligibility.",
            code="invalid_status",
        )
    if eligible:
        failing = [
            a.question.text
            for a in application.eligibility_answers.select_related("question")
            if not a.passes
        ]
        if failing:
            raise ValidationError(
                "The answers fail the eligibility rules: " + "; ".join(failing),
                code="fails_rules",
            )
    elif not notes.strip():
        raise ValidationError({"notes": "Say why the application is not eligible"})
    application.status = Application.Status.ELIGIBLE if eligible else Application.Status.INELIGIBLE
    application.eligibility_checked_by = actor
    application.eligibility_checked_at = timezone.now()
    application.eligibility_notes = notes
    application.full_clean()
    application.save(
        update_fields=[
            "status",
            "eligibility_checked_by",
            "eligibility_checked_at",
            "eligibility_notes",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="application.eligibility_checked",
        target=application,
        partnership=application.grant_round.partnership,
        changes={"eligible": eligible},
    )
    return application


@transaction.atomic
def attachment_add(*, actor: User, application: Application, title: str, file) -> Attachment:
    if not permissions.can_edit_application(actor, application):
        raise PermissionDenied("You cannot add files to this application.")
    attachment = Attachment(application=application, title=title, file=file, uploaded_by=actor)
    attachment.full_clean()
    attachment.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="application.attachment_added",
        target=attachment,
        partnership=application.grant_round.partnership,
    )
    return attachment
