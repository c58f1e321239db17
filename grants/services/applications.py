"""Organisations, rounds and the applicant's side: drafts, submission, eligibility."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from grants import permissions
from grants.models import (
    Application,
    Attachment,
    BudgetLine,
    Criterion,
    EligibilityAnswer,
    EligibilityQuestion,
    GrantRound,
    Organisation,
    OrganisationMembership,
)
from grants.models.applications import APPLICATION_FIELDS
from grants.models.rounds import GRANT_ROUND_FIELDS
from vru.models import LSOA, AuditEvent, Partnership, User
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


def _staff_only(actor: User | None, partnership_id: int) -> None:
    if actor is not None and not (
        permissions.is_grants_staff(actor) and actor.partnership_id == partnership_id
    ):
        raise PermissionDenied("Only grants staff of this partnership can do this.")


@transaction.atomic
def organisation_create(
    *, actor: User | None, partnership: Partnership, name: str, kind: str, **fields
) -> Organisation:
    _staff_only(actor, partnership.pk)
    # Organisation.clean holds every rule (a name, free whatever the capitals; a local
    # authority of the partnership), whichever door calls.
    organisation = Organisation(partnership=partnership, name=name, kind=kind, **fields)
    organisation.full_clean()
    organisation.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="organisation.created",
        target=organisation,
        partnership=partnership,
    )
    return organisation


@transaction.atomic
def organisation_member_add(
    *, actor: User | None, organisation: Organisation, user: User
) -> OrganisationMembership:
    _staff_only(actor, organisation.partnership_id)
    if user.partnership_id != organisation.partnership_id:
        raise ValidationError("The user belongs to another partnership.")
    if not permissions.is_applicant(user):
        raise ValidationError(f"{user.username} does not have the applicant role.")
    existing = OrganisationMembership.objects.filter(user=user).select_related("organisation")
    if (current := existing.first()) is not None:
        raise ValidationError(f"{user.username} already acts for {current.organisation.name}.")
    membership = OrganisationMembership(user=user, organisation=organisation)
    membership.full_clean()
    membership.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="organisation.member_added",
        target=membership,
        partnership=organisation.partnership,
    )
    return membership


ORGANISATION_FIELDS = [
    "name",
    "kind",
    "charity_number",
    "company_number",
    "address",
    "postcode",
    "local_authority",
    "contact_email",
    "contact_phone",
    "safeguarding_policy_date",
]


@transaction.atomic
def organisation_update(
    *, actor: User | None, organisation: Organisation, **fields
) -> Organisation:
    _staff_only(actor, organisation.partnership_id)
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown organisation fields: {', '.join(sorted(unknown))}")
    changes = {}
    for name, value in fields.items():
        before = getattr(organisation, name)
        if before != value:
            changes[name] = [str(before or ""), str(value or "")]
            setattr(organisation, name, value)
    if not changes:
        return organisation
    organisation.full_clean()
    organisation.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="organisation.updated",
        target=organisation,
        partnership=organisation.partnership,
        # Which fields changed, not their values: contact details stay out of the audit log.
        changes={"fields": sorted(changes)},
    )
    return organisation


@transaction.atomic
def organisation_member_remove(*, actor: User | None, membership: OrganisationMembership) -> None:
    """The user stops acting for the organisation; its applications stay with it."""
    organisation = membership.organisation
    _staff_only(actor, organisation.partnership_id)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        verb="organisation.member_removed",
        target=organisation,
        partnership=organisation.partnership,
        changes={"user": membership.user_id},
    )
    membership.delete()


def _round_targets(partnership_id: int, target_lsoas, recommendations) -> None:
    if any(lsoa.partnership_id != partnership_id for lsoa in target_lsoas):
        raise ValidationError(
            {"target_lsoas": "Target neighbourhoods must be in the partnership's area."}
        )
    if any(r.needs_assessment.partnership_id != partnership_id for r in recommendations):
        raise ValidationError(
            {"recommendations": "Recommendations must come from the partnership's SNA."}
        )


@transaction.atomic
def grant_round_create(
    *,
    actor: User | None,
    partnership: Partnership,
    criteria: list[dict],
    eligibility_questions: list[dict] = (),
    target_lsoas=(),
    recommendations=(),
    **fields,
) -> GrantRound:
    """A round with its rubric and eligibility questions. Target LSOAs are chosen by the
    grants officer (the risk index of issue 3 will suggest them). The round's rules are
    GrantRound's (grants.models.rounds), as at every door."""
    _staff_only(actor, partnership.pk)
    if not criteria:
        raise ValidationError("A round needs at least one rubric criterion.")
    grant_round = GrantRound(partnership=partnership, **fields)
    grant_round.full_clean()
    _round_targets(partnership.pk, target_lsoas, recommendations)
    grant_round.save()
    grant_round.target_lsoas.set(target_lsoas)
    grant_round.recommendations.set(recommendations)
    for position, data in enumerate(criteria):
        criterion = Criterion(grant_round=grant_round, position=position, **data)
        criterion.full_clean()
        criterion.save()
    for position, data in enumerate(eligibility_questions):
        question = EligibilityQuestion(grant_round=grant_round, position=position, **data)
        question.full_clean()
        question.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="grant_round.created",
        target=grant_round,
        partnership=partnership,
    )
    return grant_round


@transaction.atomic
def grant_round_update(
    *,
    actor: User | None,
    grant_round: GrantRound,
    target_lsoas=None,
    recommendations=None,
    **fields,
) -> GrantRound:
    """Change a round's fields (GRANT_ROUND_FIELDS) and, when given, its target
    neighbourhoods and recommendations: the same rules as when it was made, audited with the
    names of the fields changed. (Its rubric is changed in the admin until the round opens.)"""
    _staff_only(actor, grant_round.partnership_id)
    unknown = set(fields) - set(GRANT_ROUND_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown grant round fields: {', '.join(sorted(unknown))}")
    grant_round = GrantRound.objects.select_for_update().get(pk=grant_round.pk)
    changed = []
    for name, value in fields.items():
        if getattr(grant_round, name) != value:
            setattr(grant_round, name, value)
            changed.append(name)
    grant_round.full_clean()
    _round_targets(grant_round.partnership_id, target_lsoas or (), recommendations or ())
    if changed:
        grant_round.save()
    for name, chosen in (("target_lsoas", target_lsoas), ("recommendations", recommendations)):
        if chosen is not None:
            manager = getattr(grant_round, name)
            if {item.pk for item in chosen} != set(manager.values_list("pk", flat=True)):
                manager.set(chosen)
                changed.append(name)
    if not changed:
        return grant_round
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="grant_round.updated",
        target=grant_round,
        partnership=grant_round.partnership,
        changes={"fields": sorted(changed)},
    )
    return grant_round


def _applicant_organisation(actor: User) -> Organisation:
    membership = getattr(actor, "grant_membership", None)
    if not permissions.is_applicant(actor) or membership is None:
        raise PermissionDenied("Only members of an applicant organisation can apply.")
    return membership.organisation


@transaction.atomic
def application_create(*, actor: User, grant_round: GrantRound) -> Application:
    organisation = _applicant_organisation(actor)
    if organisation.partnership_id != grant_round.partnership_id:
        raise PermissionDenied("This round is not open to your organisation.")
    if not grant_round.is_open(timezone.now()):
        raise ValidationError("This round is not open for applications.", code="closed")
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
