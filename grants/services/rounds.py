"""Grant rounds: created and changed by grants staff, with their target areas and recommendations."""

from django.core.exceptions import ValidationError
from django.db import transaction

from grants.models import (
    Criterion,
    EligibilityQuestion,
    GrantRound,
)
from grants.models.rounds import GRANT_ROUND_FIELDS
from grants.services.organisations import staff_only
from vru.models import AuditEvent, Partnership, User
from vru.services import audit_record


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
    staff_only(actor, partnership.pk)
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
    staff_only(actor, grant_round.partnership_id)
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
