"""The Duty demo, per partnership (duty.demo_data), loaded through the services where they
hold a rule. Idempotent: a partnership with a governing board is left alone."""

from datetime import date

from django.db import transaction

from duty import services
from duty.demo_data import STORIES, DutyStory
from duty.models import (
    DefinitionItem,
    GoverningBoard,
    ReadinessAssessment,
    Strategy,
    ViolenceDefinition,
)
from vru.models import Partnership, User


def load_demo() -> list[str]:
    lines = []
    for slug, (prefix, story) in STORIES.items():
        partnership = Partnership.objects.filter(slug=slug).first()
        if partnership is None:
            continue
        if GoverningBoard.objects.filter(partnership=partnership).exists():
            lines.append(f"Duty demo already loaded for {partnership.short_name}.")
            continue
        lines.append(_load(partnership, prefix, story))
    return lines


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
    return (
        f"Duty demo for {partnership.short_name}: {story.board}, {len(story.holders)} "
        f"organisations{', a definition' if story.definition else ''}"
        f"{', a strategy' if story.strategy else ''}"
        f"{', a readiness assessment' if story.readiness else ''}."
    )
