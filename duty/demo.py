"""The Duty demo, per partnership (duty.demo_data), loaded through the services where they
hold a rule. Idempotent: a partnership with a governing board is left alone."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from duty import services
from duty.demo_data import ACTION_RATINGS, ACTION_VERBS, STORIES, DutyStory
from duty.models import (
    DefinitionItem,
    DutyHolder,
    GoverningBoard,
    PartnerMember,
    ReadinessAssessment,
    Strategy,
    ViolenceDefinition,
)
from vru.models import LocalAuthority, Partnership, StrategicNeedsAssessment, User


def load_demo() -> list[str]:
    lines = []
    for slug, (prefix, story) in STORIES.items():
        partnership = Partnership.objects.filter(slug=slug).first()
        if partnership is None:
            continue
        if GoverningBoard.objects.filter(partnership=partnership).exists():
            lines.append(f"Duty demo already loaded for {partnership.short_name}.")
        else:
            lines.append(_load(partnership, prefix, story))
        lines.append(_partners(partnership, prefix, story))
    return lines


@transaction.atomic
def _partners(partnership: Partnership, prefix: str, story: DutyStory) -> str:
    """Each organisation's areas (a council: its own; Essex County Council: the districts;
    a CSP: its local authority; the others: the whole partnership), and the demo partner
    user signing in for one council. Left alone where already set."""
    areas = list(LocalAuthority.objects.filter(partnership=partnership))
    for holder in DutyHolder.objects.filter(partnership=partnership).prefetch_related("areas"):
        if holder.areas.all():
            continue
        if holder.kind in (DutyHolder.Kind.LOCAL_AUTHORITY, DutyHolder.Kind.COMMUNITY_SAFETY):
            covered = [
                area
                for area in areas
                if holder.name.startswith(area.name)
                or (holder.name == "Essex County Council" and area.code.startswith("E07"))
            ]
        else:
            covered = areas
        holder.areas.set(covered)
    user = User.objects.filter(username=f"{prefix}.partner", partnership=partnership).first()
    holder = DutyHolder.objects.filter(partnership=partnership, name=story.partner_of).first()
    if user is None or holder is None:
        return f"No demo partner for {partnership.short_name}."
    member, _ = PartnerMember.objects.get_or_create(user=user, defaults={"holder": holder})
    member.full_clean()
    return f"Demo partner {user.username} signs in for {member.holder}."


@transaction.atomic
def _load(partnership: Partnership, prefix: str, story: DutyStory) -> str:
    GoverningBoard.objects.create(
        partnership=partnership, name=story.board, remit=story.board_remit
    )
    for name, kind, on_board, commitment in story.holders:
        services.duty_holder_save(
            actor=None,
            partnership=partnership,
            name=name,
            kind=kind,
            on_board=on_board,
            commitment=commitment,
            lead_name="",
        )
    if story.definition:
        definition = ViolenceDefinition.objects.create(
            partnership=partnership,
            summary=story.definition,
            source=story.definition_source,
            **story.factors,
        )
        DefinitionItem.objects.bulk_create(
            [
                DefinitionItem(
                    definition=definition, kind=kind, text=text, reason=reason, position=n
                )
                for kind, items in (("included", story.included), ("excluded", story.excluded))
                for n, (text, reason) in enumerate(items)
            ]
        )
    if story.strategy:
        title, version = story.strategy
        lead = User.objects.filter(username=f"{prefix}.admin").first()
        strategy = Strategy(
            partnership=partnership,
            title=title,
            version=version,
            published_on=date(*story.strategy_published),
            next_review_on=date(*story.first_review),
            lead=lead,
        )
        strategy.full_clean()
        strategy.save()
    if story.readiness:
        services.readiness_assessment_record(
            actor=None,
            partnership=partnership,
            assessed_on=date(2023, 6, 30),
            kind=ReadinessAssessment.Kind.EXTERNAL,
            scores=story.readiness,
            note=story.readiness_note,
        )
    actions = _action_plan(partnership)
    return (
        f"Duty demo for {partnership.short_name}: {story.board}, {len(story.holders)} "
        f"organisations{', a definition' if story.definition else ''}"
        f"{', a strategy' if story.strategy else ''}"
        f"{', a readiness assessment' if story.readiness else ''}, {actions} actions."
    )


def _action_plan(partnership: Partnership) -> int:
    holders = list(
        DutyHolder.objects.filter(partnership=partnership, kind__in=DutyHolder.SPECIFIED).order_by(
            "pk"
        )
    )
    sna = (
        StrategicNeedsAssessment.objects.filter(
            partnership=partnership, status=StrategicNeedsAssessment.Status.PUBLISHED
        )
        .order_by("-period_start")
        .first()
    )
    if sna is None or not holders:
        return 0
    today = timezone.localdate()
    made = 0
    for n, recommendation in enumerate(sna.recommendations.order_by("number")):
        rag, reason = ACTION_RATINGS[n % len(ACTION_RATINGS)]
        services.action_create(
            actor=None,
            recommendation=recommendation,
            title=f"{ACTION_VERBS[n % len(ACTION_VERBS)]} recommendation {recommendation.number}",
            owner=holders[n % len(holders)],
            owner_name="Named lead (demo)",
            due_on=today + timedelta(days=60 + 45 * n),
            rag=rag,
            rag_reason=reason,
        )
        made += 1
    return made
