"""Strategic needs assessments and their recommendations, as the viewer may see them."""

from dataclasses import dataclass

from django.db.models import Count, Min, QuerySet

from vru import permissions
from vru.filters import RecommendationFilter
from vru.models import (
    Recommendation,
    StrategicNeedsAssessment,
    User,
)


def _visible_needs_assessments(viewer: User) -> QuerySet[StrategicNeedsAssessment]:
    if not permissions.can_view_strategy(viewer):
        return StrategicNeedsAssessment.objects.none()
    qs = StrategicNeedsAssessment.objects.for_viewer(viewer)
    if not permissions.can_view_draft_strategy(viewer):
        qs = qs.filter(status=StrategicNeedsAssessment.Status.PUBLISHED)
    return qs


def needs_assessment_list(*, viewer: User) -> QuerySet[StrategicNeedsAssessment]:
    # in the model's order, stated: a query that counts (GROUP BY) leaves Meta.ordering out,
    # and pages of an unordered list may repeat or skip rows; the id settles ties
    return (
        _visible_needs_assessments(viewer)
        .annotate(recommendation_count=Count("recommendations"))
        .order_by(*StrategicNeedsAssessment._meta.ordering, "pk")
    )


def recommendation_list(*, viewer: User, filters: dict | None = None) -> QuerySet[Recommendation]:
    visible = _visible_needs_assessments(viewer)
    qs = (
        Recommendation.objects.filter(needs_assessment__in=visible)
        .select_related("needs_assessment")
        .prefetch_related("themes")
    )
    if filters is not None:
        qs = RecommendationFilter(filters, queryset=qs).qs.distinct()
    return qs


@dataclass(frozen=True)
class StageGroup:
    stage: str
    stage_label: str
    recommendations: list[Recommendation]


@dataclass(frozen=True)
class ThemeGroup:
    name: str
    description: str
    stages: list[StageGroup]


def recommendations_by_theme_and_stage(
    *, needs_assessment: StrategicNeedsAssessment
) -> list[ThemeGroup]:
    """The SNA's own layout: each theme, then its recommendations by prevention stage.

    A recommendation under several themes appears under each; one under none is listed
    under "Not linked to a theme".
    """
    themes = list(needs_assessment.themes.all())
    recommendations = list(needs_assessment.recommendations.prefetch_related("themes"))
    stage_order = [
        ("primary", "Primary prevention"),
        ("secondary", "Secondary prevention"),
        ("tertiary", "Tertiary intervention"),
        ("", "Underpins every stage"),
    ]

    def grouped(items: list[Recommendation]) -> list[StageGroup]:
        return [
            StageGroup(stage, label, [r for r in items if r.prevention_stage == stage])
            for stage, label in stage_order
            if any(r.prevention_stage == stage for r in items)
        ]

    groups = [
        ThemeGroup(
            theme.name,
            theme.description,
            grouped([r for r in recommendations if theme in r.themes.all()]),
        )
        for theme in themes
    ]
    unthemed = [r for r in recommendations if not r.themes.all()]
    if unthemed:
        groups.append(ThemeGroup("Not linked to a theme", "", grouped(unthemed)))
    return groups


def strategy_summary(*, viewer: User) -> dict:
    snas = needs_assessment_list(viewer=viewer)
    latest = snas.filter(status=StrategicNeedsAssessment.Status.PUBLISHED).first()
    by_stage = (
        dict(
            recommendation_list(viewer=viewer)
            .filter(needs_assessment=latest)
            .order_by()
            .values_list("prevention_stage")
            .annotate(n=Count("pk"))
        )
        if latest
        else {}
    )
    return {
        "latest": latest,
        "needs_assessments": snas.count(),
        "drafts": snas.filter(status=StrategicNeedsAssessment.Status.DRAFT).count(),
        "recommendations_by_stage": by_stage,
        "first_period": snas.aggregate(first=Min("period_start"))["first"],
    }
