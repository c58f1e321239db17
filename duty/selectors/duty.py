"""The Duty's record as a viewer may see it: every read starts from their partnership, and a
viewer who may not see the Duty gets nothing (the doors answer 404)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import F, OuterRef, Prefetch, QuerySet, Subquery

from duty import permissions
from duty.models import (
    SCALE,
    DefinitionItem,
    DutyHolder,
    GoverningBoard,
    ReadinessArea,
    ReadinessAssessment,
    Strategy,
    ViolenceDefinition,
)
from vru.models import User


def duty_holder_list(*, viewer: User) -> QuerySet[DutyHolder]:
    if not permissions.can_view_duty(viewer):
        return DutyHolder.objects.none()
    return DutyHolder.objects.for_viewer(viewer)


def duty_holder_get(*, viewer: User, pk: int) -> DutyHolder | None:
    return duty_holder_list(viewer=viewer).filter(pk=pk).first()


def strategy_list(*, viewer: User) -> QuerySet[Strategy]:
    if not permissions.can_view_duty(viewer):
        return Strategy.objects.none()
    return Strategy.objects.for_viewer(viewer).select_related("lead").prefetch_related("reviews")


def strategy_get(*, viewer: User, pk: int) -> Strategy | None:
    return strategy_list(viewer=viewer).filter(pk=pk).first()


def readiness_assessment_list(*, viewer: User) -> QuerySet[ReadinessAssessment]:
    if not permissions.can_view_duty(viewer):
        return ReadinessAssessment.objects.none()
    return ReadinessAssessment.objects.for_viewer(viewer).prefetch_related("scores")


@dataclass(frozen=True)
class AreaRow:
    area: str  # the area's label
    score: int | None
    label: str
    previous: int | None
    evidence: str

    @property
    def change(self) -> int | None:
        if self.score is None or self.previous is None:
            return None
        return self.score - self.previous

    @property
    def percent(self) -> int:
        """The bar's length in the chart: the score out of 5."""
        return (self.score or 0) * 20


@dataclass(frozen=True)
class ReadinessComparison:
    assessment: ReadinessAssessment
    previous: ReadinessAssessment | None
    rows: list[AreaRow]


def readiness_comparison(
    *, viewer: User, assessment: ReadinessAssessment | None = None
) -> ReadinessComparison | None:
    """An assessment (the latest by default), area by area, beside the one before it."""
    assessments = list(readiness_assessment_list(viewer=viewer))
    if assessment is None:
        assessment = assessments[0] if assessments else None
    if assessment is None:
        return None
    earlier = [
        a for a in assessments if (a.assessed_on, a.pk) < (assessment.assessed_on, assessment.pk)
    ]
    previous = earlier[0] if earlier else None
    now = {s.area: s for s in assessment.scores.all()}
    before = {s.area: s.score for s in previous.scores.all()} if previous else {}
    rows = []
    for area in ReadinessArea:
        score = now.get(area.value)
        rows.append(
            AreaRow(
                area=area.label,
                score=score.score if score else None,
                label=SCALE[score.score] if score else "Not scored",
                previous=before.get(area.value),
                evidence=score.evidence if score else "",
            )
        )
    return ReadinessComparison(assessment=assessment, previous=previous, rows=rows)


HOLDER_GROUPS = {
    "Specified authority": "Specified authorities (under the Duty)",
    "Relevant authority": "Relevant authorities (co-operate when asked)",
    "Partner": "Other partners",
}


@dataclass(frozen=True)
class DutyOverview:
    board: GoverningBoard | None
    holders: list[tuple[str, list[DutyHolder]]]  # by how the Duty applies
    definition: ViolenceDefinition | None
    strategy: Strategy | None  # the current version
    earlier_strategies: list[Strategy]
    readiness: ReadinessComparison | None


def duty_overview(*, viewer: User) -> DutyOverview | None:
    if not permissions.can_view_duty(viewer):
        return None
    groups: dict[str, list[DutyHolder]] = {name: [] for name in HOLDER_GROUPS.values()}
    for holder in duty_holder_list(viewer=viewer):
        groups[HOLDER_GROUPS[holder.duty]].append(holder)
    definition = (
        ViolenceDefinition.objects.for_viewer(viewer)
        .prefetch_related(
            Prefetch("items", queryset=DefinitionItem.objects.order_by("kind", "position", "pk"))
        )
        .first()
    )
    strategies = list(strategy_list(viewer=viewer))
    return DutyOverview(
        board=GoverningBoard.objects.for_viewer(viewer).first(),
        holders=[(name, rows) for name, rows in groups.items() if rows],
        definition=definition,
        strategy=strategies[0] if strategies else None,
        earlier_strategies=strategies[1:],
        readiness=readiness_comparison(viewer=viewer),
    )


def strategies_due_for_reminder(*, today: date, notice_days: int) -> QuerySet[Strategy]:
    """Current strategies (the latest of each partnership) whose review falls due within
    ``notice_days`` and whose lead has not been reminded of that due date. For the beat task,
    which has no viewer."""
    current = (
        Strategy.objects.filter(partnership=OuterRef("partnership"))
        .order_by("-published_on", "-pk")
        .values("pk")[:1]
    )
    return (
        Strategy.objects.filter(
            pk=Subquery(current),
            next_review_on__lte=today + timedelta(days=notice_days),
            lead__isnull=False,
            lead__is_active=True,
        )
        .exclude(reminded_for=F("next_review_on"))
        .select_related("lead", "partnership")
    )
