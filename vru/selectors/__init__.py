"""Every read of the core that depends on who is asking.

Each list is scoped to the viewer's partnership and role; a viewer who may not see a kind of
record gets an empty queryset, so views turn "not yours" into a 404, never a 403.
"""

from dataclasses import dataclass

from django.db.models import Avg, Count, Min, Q, QuerySet, Sum

from vru import permissions
from vru.filters import LSOAFilter, RecommendationFilter
from vru.models import (
    LSOA,
    AuditEvent,
    CommunitySafetyPartnership,
    LocalAuthority,
    Recommendation,
    Role,
    StrategicNeedsAssessment,
    User,
)


def lsoa_list(*, viewer: User, filters: dict | None = None) -> QuerySet[LSOA]:
    if not permissions.can_view_areas(viewer):
        return LSOA.objects.none()
    qs = (
        LSOA.objects.filter(partnership_id=viewer.partnership_id)
        .select_related("local_authority", "community_safety_partnership")
        .defer("boundary")  # geometry is only needed on the LSOA's own page
    )
    if filters is not None:
        qs = LSOAFilter(filters, queryset=qs).qs
    return qs


def lsoa_get(*, viewer: User, code: str) -> LSOA | None:
    if not permissions.can_view_areas(viewer):
        return None
    return (
        LSOA.objects.filter(partnership_id=viewer.partnership_id, code=code)
        .select_related("local_authority", "community_safety_partnership")
        .first()
    )


def local_authority_list(*, viewer: User) -> QuerySet[LocalAuthority]:
    if not permissions.can_view_areas(viewer):
        return LocalAuthority.objects.none()
    return LocalAuthority.objects.filter(partnership_id=viewer.partnership_id).select_related(
        "community_safety_partnership"
    )


def community_safety_partnership_list(*, viewer: User) -> QuerySet[CommunitySafetyPartnership]:
    if not permissions.can_view_areas(viewer):
        return CommunitySafetyPartnership.objects.none()
    return CommunitySafetyPartnership.objects.filter(partnership_id=viewer.partnership_id)


def _visible_needs_assessments(viewer: User) -> QuerySet[StrategicNeedsAssessment]:
    if not permissions.can_view_strategy(viewer):
        return StrategicNeedsAssessment.objects.none()
    qs = StrategicNeedsAssessment.objects.filter(partnership_id=viewer.partnership_id)
    if not permissions.can_view_draft_strategy(viewer):
        qs = qs.filter(status=StrategicNeedsAssessment.Status.PUBLISHED)
    return qs


def needs_assessment_list(*, viewer: User) -> QuerySet[StrategicNeedsAssessment]:
    return _visible_needs_assessments(viewer).annotate(
        recommendation_count=Count("recommendations")
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


# --- Audit and home page ----------------------------------------------------------------


def audit_event_list(*, viewer: User) -> QuerySet[AuditEvent]:
    if not permissions.can_view_audit(viewer):
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(partnership_id=viewer.partnership_id).select_related("actor")


def area_summary(*, viewer: User) -> dict:
    """Headline figures about the partnership's neighbourhoods, computed in the database."""
    qs = lsoa_list(viewer=viewer)
    figures = qs.aggregate(
        lsoas=Count("pk"),
        population=Sum("population"),
        most_deprived=Count("pk", filter=Q(imd_decile__lte=2)),
        average_imd_score=Avg("imd_score"),
        local_authorities=Count("local_authority", distinct=True),
        csps=Count("community_safety_partnership", distinct=True),
    )
    return figures


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


def user_summary(*, viewer: User) -> dict:
    if not permissions.can_manage_users(viewer):
        return {}
    users = User.objects.filter(partnership_id=viewer.partnership_id)
    return {
        "active_users": users.filter(is_active=True).count(),
        "by_role": dict(
            users.filter(is_active=True)
            .values_list("role_assignments__role")
            .annotate(n=Count("pk"))
            .order_by()
        ),
        "role_labels": dict(Role.choices),
    }


# --- Areas, crime, hotspots and the risk index (vru/selectors/areas.py) ---------------------

from vru.selectors.areas import (  # noqa: E402
    LsoaRiskProfile,
    RunComparison,
    area_profile_list,
    crime_import_job_list,
    crime_import_list,
    crime_months,
    factor_list,
    harm_weight_list,
    hotspot_list,
    indicator_import_job_list,
    indicator_list,
    indicator_summary,
    lsoa_risk_profile,
    map_areas,
    police_forces_of,
    priority_lsoa_codes,
    risk_run_compare,
    risk_run_current,
    risk_run_list,
    risk_score_list,
    risk_summary,
)
from vru.selectors.measures import (  # noqa: E402
    MeasureFigures,
    MeasureRow,
    ShownComparison,
    format_change,
    measure_figures,
    partnership_success_measures,
    percent_change,
    shown_figure,
    success_measure_figures,
    success_measure_list,
    success_measure_rows,
)

__all__ = [
    "LsoaRiskProfile",
    "MeasureFigures",
    "MeasureRow",
    "RunComparison",
    "ShownComparison",
    "area_profile_list",
    "crime_import_job_list",
    "crime_import_list",
    "crime_months",
    "factor_list",
    "format_change",
    "harm_weight_list",
    "hotspot_list",
    "indicator_import_job_list",
    "indicator_list",
    "indicator_summary",
    "lsoa_risk_profile",
    "map_areas",
    "measure_figures",
    "partnership_success_measures",
    "percent_change",
    "police_forces_of",
    "priority_lsoa_codes",
    "risk_run_compare",
    "risk_run_current",
    "risk_run_list",
    "risk_score_list",
    "risk_summary",
    "shown_figure",
    "success_measure_figures",
    "success_measure_list",
    "success_measure_rows",
]
