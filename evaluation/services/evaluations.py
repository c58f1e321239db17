"""Every write to evaluations, outcome scores and benefit assumptions: keyword-only, one
transaction each, permission checked, cleaned, audited."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from evaluation import permissions, selectors
from evaluation.models import BenefitAssumption, Evaluation, Instrument, OutcomeScore, UnitCost
from grants.models import Award
from programmes import services as programme_services
from programmes.models import Programme, Referral
from vru.models import AuditEvent, Partnership, User
from vru.services import audit_record
from vru.services.batches import Progress, updated_in_batches

EVALUATION_FIELDS = [
    "title",
    "programme",
    "award",
    "kind",
    "method",
    "evaluator",
    "status",
    "starts_on",
    "ends_on",
    "reported_on",
    "findings",
    "evidence_rating",
    "cost",
    "participants",
    "assumptions",
]


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _check_subject(actor: User | None, programme: Programme | None, award: Award | None) -> None:
    if (programme is None) == (award is None):
        raise ValidationError(
            "Choose either a programme or a grant award to evaluate.", code="subject"
        )
    if actor is None:
        return
    if programme is not None and not (
        selectors.programmes_for_evaluation(viewer=actor).filter(pk=programme.pk).exists()
    ):
        raise ValidationError({"programme": "Choose a programme you manage."}, code="programme")
    if award is not None and not (
        selectors.awards_for_evaluation(viewer=actor).filter(pk=award.pk).exists()
    ):
        raise ValidationError({"award": "Choose an award of your partnership."}, code="award")


@transaction.atomic
def evaluation_save(
    *,
    actor: User | None,
    partnership: Partnership,
    evaluation: Evaluation | None = None,
    title: str,
    kind: str,
    method: str,
    evaluator: str,
    starts_on: date,
    programme: Programme | None = None,
    award: Award | None = None,
    status: str = Evaluation.Status.PLANNED,
    ends_on: date | None = None,
    reported_on: date | None = None,
    findings: str = "",
    evidence_rating: int | None = None,
    cost: Decimal | None = None,
    participants: int | None = None,
    assumptions: str = "",
) -> Evaluation:
    """Create an evaluation (evaluation=None) or change one. A reported evaluation needs its
    report date and findings; a rating is on the Maryland SMS (1 to 5)."""
    if actor is not None:
        if evaluation is None:
            _require(
                permissions.can_create_evaluations(actor)
                and actor.partnership_id == partnership.pk,
                "You cannot add evaluations to this partnership.",
            )
        else:
            _require(
                permissions.can_edit_evaluation(actor, evaluation),
                "You cannot change this evaluation.",
            )
    if (programme is not None and programme.partnership_id != partnership.pk) or (
        award is not None
        and award.decision.application.grant_round.partnership_id != partnership.pk
    ):
        raise ValidationError("Choose a programme or award of your partnership.")
    _check_subject(actor, programme, award)
    if status == Evaluation.Status.REPORTED and not findings.strip():
        raise ValidationError({"findings": "Write the findings of a reported evaluation."})
    creating = evaluation is None
    if creating:
        evaluation = Evaluation(partnership=partnership, created_by=actor)
    values = {
        "title": title,
        "programme": programme,
        "award": award,
        "kind": kind,
        "method": method,
        "evaluator": evaluator,
        "status": status,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "reported_on": reported_on,
        "findings": findings,
        "evidence_rating": evidence_rating,
        "cost": cost,
        "participants": participants,
        "assumptions": assumptions,
    }
    changed = [name for name, value in values.items() if getattr(evaluation, name) != value]
    for name, value in values.items():
        setattr(evaluation, name, value)
    evaluation.full_clean()
    if creating:
        evaluation.save()
    else:
        evaluation.save(update_fields=[*EVALUATION_FIELDS, "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE if creating else AuditEvent.Action.UPDATE,
        verb="evaluation.created" if creating else "evaluation.changed",
        target=evaluation,
        partnership=partnership,
        changes={"fields": changed},
    )
    return evaluation


@transaction.atomic
def benefit_assumption_add(
    *,
    actor: User | None,
    evaluation: Evaluation,
    unit_cost: UnitCost,
    offences_averted_per_participant: Decimal,
    basis: str,
) -> BenefitAssumption:
    """Say how many offences of one kind the programme averts per participant, and why."""
    if actor is not None:
        _require(
            permissions.can_edit_evaluation(actor, evaluation),
            "You cannot change this evaluation.",
        )
    if unit_cost.partnership_id not in (None, evaluation.partnership_id):
        raise ValidationError({"unit_cost": "Choose a published unit cost or one of yours."})
    assumption = BenefitAssumption(
        evaluation=evaluation,
        unit_cost=unit_cost,
        offences_averted_per_participant=offences_averted_per_participant,
        basis=basis,
    )
    assumption.full_clean()
    assumption.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="benefit_assumption.added",
        target=evaluation,
        partnership=evaluation.partnership,
        changes={"unit_cost": unit_cost.offence, "averted": str(offences_averted_per_participant)},
    )
    return assumption


@transaction.atomic
def benefit_assumption_remove(*, actor: User, assumption: BenefitAssumption) -> None:
    evaluation = assumption.evaluation
    _require(
        permissions.can_edit_evaluation(actor, evaluation), "You cannot change this evaluation."
    )
    offence = assumption.unit_cost.offence
    assumption.delete()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        verb="benefit_assumption.removed",
        target=evaluation,
        partnership=evaluation.partnership,
        changes={"unit_cost": offence},
    )


@transaction.atomic
def outcome_score_record(
    *,
    actor: User | None,
    referral: Referral,
    instrument: Instrument,
    time_point: str,
    scored_on: date,
    total: int | None = None,
    items: list[int] | None = None,
) -> OutcomeScore:
    """Record a young person's score at a time point: from the item answers (the total is
    worked out, reverse-scored items turned round) or as a total within the instrument's
    range. Practitioners for their own caseload, managers for their programmes."""
    if actor is not None:
        _require(
            permissions.can_record_outcome_score(actor, referral),
            "You cannot record scores for this young person.",
        )
    if instrument.partnership_id not in (None, referral.partnership_id):
        raise ValidationError({"instrument": "Choose a standard instrument or one of yours."})
    if items:
        try:
            total = instrument.total_of(list(items))
        except ValueError as exc:
            raise ValidationError({"items": str(exc)}, code="items") from exc
    if total is None:
        raise ValidationError({"total": "Give the total or every item's answer."}, code="total")
    if not instrument.min_total <= total <= instrument.max_total:
        raise ValidationError(
            {
                "total": f"A {instrument.name} total is from {instrument.min_total} "
                f"to {instrument.max_total}."
            },
            code="total_range",
        )
    score = OutcomeScore(
        referral=referral,
        instrument=instrument,
        time_point=time_point,
        scored_on=scored_on,
        total=total,
        items=list(items or []),
        recorded_by=actor,
    )
    score.clean()  # its dates (OutcomeScore's rule) before whether it is there already
    if OutcomeScore.objects.filter(
        referral=referral, instrument=instrument, time_point=time_point
    ).exists():
        raise ValidationError(
            {"time_point": "This young person already has a score at this time point."},
            code="duplicate",
        )
    score.full_clean()
    score.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="outcome_score.recorded",
        target=referral,
        partnership=referral.partnership,
        changes={"instrument": instrument.code, "time_point": time_point},
    )
    return score


@transaction.atomic
def outcome_score_delete(*, actor: User, score: OutcomeScore) -> None:
    """Remove a score entered by mistake (then record it again); whoever may record it."""
    referral = score.referral
    _require(
        permissions.can_record_outcome_score(actor, referral),
        "You cannot change scores for this young person.",
    )
    changes = {"instrument": score.instrument.code, "time_point": score.time_point}
    score.delete()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        verb="outcome_score.deleted",
        target=referral,
        partnership=referral.partnership,
        changes=changes,
    )


def outcome_scores_expire(*, now, months: int, progress: Progress | None = None) -> int:
    """Outcome scores on cases closed more than ``months`` ago (bounded by the programme's
    own period; programmes.services.cases_past_retention): the answers item by item and who
    recorded them go; the total, instrument, time point and day stay on the pseudonymous case
    for the evaluation's before-and-after aggregates. A committed batch at a time
    (vru.services.batches: not to be called inside a transaction). Returns the number of
    scores cleared."""
    cases = programme_services.cases_past_retention(now=now, months=months).values("pk")
    held = OutcomeScore.objects.filter(referral_id__in=cases).exclude(
        items=[], recorded_by__isnull=True
    )
    return sum(updated_in_batches(held, items=[], recorded_by=None, progress=progress))
