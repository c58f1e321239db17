"""Reads about places: factors, crime, hotspots, risk runs and scores, area profiles.

All of it is area-level (no person is named), so every role that may see the neighbourhoods
may see it; everything is scoped to the viewer's partnership.
"""

from dataclasses import dataclass

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet, Sum

from vru import permissions
from vru.filters import AreaProfileFilter, HotspotFilter, RiskRunFilter, RiskScoreFilter, ordered
from vru.models import (
    LSOA,
    AreaIndicator,
    AreaProfile,
    CrimeCount,
    CrimeImport,
    Factor,
    HarmWeight,
    Hotspot,
    ImportJob,
    LocalAuthority,
    Partnership,
    RiskRun,
    RiskScore,
    User,
)


def factor_list(*, viewer: User) -> QuerySet[Factor]:
    if not permissions.can_view_areas(viewer):
        return Factor.objects.none()
    return Factor.objects.for_viewer(viewer).select_related("base_factor")


def risk_run_list(*, viewer: User, filters: dict | None = None) -> QuerySet[RiskRun]:
    if not permissions.can_view_areas(viewer):
        return RiskRun.objects.none()
    # the partnership: its map's version names the risk map kept in the cache
    qs = RiskRun.objects.for_viewer(viewer).select_related("created_by", "partnership")
    if filters:
        qs = ordered(RiskRunFilter(filters, queryset=qs).qs, "-pk")
    return qs


def risk_run_current(*, partnership: Partnership | int) -> RiskRun | None:
    partnership_id = getattr(partnership, "pk", partnership)
    return (
        RiskRun.objects.filter(
            partnership_id=partnership_id, is_current=True, status=RiskRun.Status.DONE
        )
        .select_related("partnership")
        .first()
    )


def priority_lsoa_codes(partnership: Partnership | int) -> set[str]:
    """What "priority LSOA" means everywhere: the priority flag of the current run.

    For other apps (programmes, grants) to use; area data only, so no viewer is needed.
    """
    partnership_id = getattr(partnership, "pk", partnership)
    return set(
        RiskScore.objects.filter(
            run__partnership_id=partnership_id,
            run__is_current=True,
            run__status=RiskRun.Status.DONE,
            is_priority=True,
        ).values_list("lsoa__code", flat=True)
    )


def risk_score_list(
    *, viewer: User, run: RiskRun, filters: dict | None = None
) -> QuerySet[RiskScore]:
    if not permissions.can_view_areas(viewer) or run.partnership_id != viewer.partnership_id:
        return RiskScore.objects.none()
    qs = (
        RiskScore.objects.filter(run=run)
        .select_related("lsoa", "lsoa__local_authority", "lsoa__community_safety_partnership")
        .defer(*LSOA.drawing("lsoa"))
    )
    if filters:
        qs = RiskScoreFilter(filters, queryset=qs).qs
    return qs


@dataclass(frozen=True)
class RunComparison:
    entered: list[RiskScore]
    left: list[RiskScore]
    stayed: int


def risk_run_compare(*, viewer: User, run: RiskRun, other: RiskRun) -> RunComparison:
    """LSOAs that entered `run`'s priority set compared with `other`, and those that left."""
    mine = {s.lsoa_id: s for s in risk_score_list(viewer=viewer, run=run).filter(is_priority=True)}
    theirs = {
        s.lsoa_id: s for s in risk_score_list(viewer=viewer, run=other).filter(is_priority=True)
    }
    return RunComparison(
        entered=sorted((mine[k] for k in mine.keys() - theirs.keys()), key=lambda s: s.rank),
        left=sorted((theirs[k] for k in theirs.keys() - mine.keys()), key=lambda s: s.rank),
        stayed=len(mine.keys() & theirs.keys()),
    )


def map_areas(
    *,
    viewer: User,
    run: RiskRun,
    factor_key: str = "",
    boundaries: bool = True,
    paths: bool = False,
) -> list[dict]:
    """Everything the choropleth needs, in one query: code, name, boundary, value, rank.
    ``boundaries=False`` leaves the (large) boundaries out, for the page around the map:
    its key and text summary; each row then says only whether it has one. ``paths=True``
    (with ``boundaries=False``) adds each outline drawn beforehand (``LSOA.map_path``)."""
    if not permissions.can_view_areas(viewer) or run.partnership_id != viewer.partnership_id:
        return []
    scores = RiskScore.objects.filter(run=run).order_by("rank")
    if not boundaries:
        # plain tuples: the page around the map reads every row of the run on each view
        columns = ["lsoa__code", "lsoa__name", "rank", "score", "is_priority", "percentile"]
        if factor_key:
            columns.append("inputs")
        if paths:
            columns.append("lsoa__map_path")
        has_boundary = ExpressionWrapper(
            Q(lsoa__boundary__isnull=False), output_field=BooleanField()
        )
        return [
            {
                "code": row[0],
                "name": row[1],
                "boundary": None,
                "has_boundary": bool(row[-1]),
                "value": (row[6] or {}).get(factor_key) if factor_key else row[3],
                "rank": row[2],
                "score": row[3],
                "is_priority": row[4],
                "percentile": row[5],
                **({"path": row[-2]} if paths else {}),
            }
            for row in scores.annotate(has_boundary=has_boundary).values_list(
                *columns, "has_boundary"
            )
        ]
    rows = []
    for s in scores.select_related("lsoa").only(
        "rank",
        "score",
        "inputs",
        "is_priority",
        "percentile",
        "lsoa__code",
        "lsoa__name",
        "lsoa__boundary",
    ):
        value = s.inputs.get(factor_key) if factor_key else s.score
        rows.append(
            {
                "code": s.lsoa.code,
                "name": s.lsoa.name,
                "boundary": s.lsoa.boundary,
                "has_boundary": bool(s.lsoa.boundary),
                "value": value,
                "rank": s.rank,
                "score": s.score,
                "is_priority": s.is_priority,
                "percentile": s.percentile,
            }
        )
    return rows


def hotspot_list(*, viewer: User, filters: dict | None = None) -> QuerySet[Hotspot]:
    if not permissions.can_view_areas(viewer):
        return Hotspot.objects.none()
    qs = (
        Hotspot.objects.for_viewer(viewer)
        .select_related("factor", "lsoa", "lsoa__local_authority")
        .defer(*LSOA.drawing("lsoa"))
    )
    if filters:
        qs = ordered(HotspotFilter(filters, queryset=qs).qs, "lsoa__code")
    return qs


def area_profile_list(*, viewer: User, filters: dict | None = None) -> QuerySet[AreaProfile]:
    if not permissions.can_view_areas(viewer):
        return AreaProfile.objects.none()
    qs = AreaProfile.objects.for_viewer(viewer)
    if filters:
        qs = ordered(AreaProfileFilter(filters, queryset=qs).qs, "area_name")
    return qs


def crime_import_list(*, viewer: User) -> QuerySet[CrimeImport]:
    if not permissions.can_import_area_data(viewer):
        return CrimeImport.objects.none()
    return CrimeImport.objects.for_viewer(viewer).select_related("created_by", "job")


def crime_import_job_list(*, viewer: User) -> QuerySet[ImportJob]:
    """police.uk uploads (checked, waiting, imported, undone) of the viewer's partnership, for
    those who may import area data; nobody else sees any (their pages answer 404)."""
    if not permissions.can_import_area_data(viewer):
        return ImportJob.objects.none()
    return (
        ImportJob.objects.for_viewer(viewer)
        .filter(kind=ImportJob.Kind.POLICE_UK)
        .select_related("created_by", "confirmed_by", "restored_by", "crime_import")
        .defer("content")
    )


def indicator_import_job_list(*, viewer: User) -> QuerySet[ImportJob]:
    """Area-indicator uploads (checked, waiting, imported, undone) of the viewer's
    partnership, for those who may import area data; nobody else sees any (404)."""
    if not permissions.can_import_area_data(viewer):
        return ImportJob.objects.none()
    return (
        ImportJob.objects.for_viewer(viewer)
        .filter(kind=ImportJob.Kind.AREA_INDICATORS)
        .select_related("created_by", "confirmed_by", "restored_by")
        .defer("content")
    )


def police_forces_of(*, partnership: Partnership | int) -> set[str]:
    """The police forces serving a partnership: those of its local authorities, as police.uk
    names them. The one rule every police.uk door asks (empty when none is recorded)."""
    return {
        force.strip()
        for force in LocalAuthority.objects.filter(partnership=partnership).values_list(
            "police_force", flat=True
        )
        if force.strip()
    }


def harm_weight_list(*, viewer: User) -> QuerySet[HarmWeight]:
    if not permissions.can_view_areas(viewer):
        return HarmWeight.objects.none()
    return HarmWeight.objects.for_viewer(viewer)


def crime_months(*, viewer: User) -> list:
    if not permissions.can_view_areas(viewer):
        return []
    return list(
        CrimeCount.objects.for_viewer(viewer)
        .order_by("month")
        .values_list("month", flat=True)
        .distinct()
    )


@dataclass(frozen=True)
class LsoaRiskProfile:
    current: RiskScore | None
    factors: list[dict]
    rank_history: list[RiskScore]
    crime_trend: list[dict]
    hotspots: list[Hotspot]


def lsoa_risk_profile(*, viewer: User, lsoa: LSOA) -> LsoaRiskProfile:
    """An LSOA's factors in the current run, its monthly crime trend and its rank history."""
    if not permissions.can_view_areas(viewer) or lsoa.partnership_id != viewer.partnership_id:
        return LsoaRiskProfile(None, [], [], [], [])
    history = list(
        RiskScore.objects.filter(lsoa=lsoa, run__status=RiskRun.Status.DONE)
        .select_related("run")
        .order_by("run__created_at", "run__pk")
    )
    current = next((s for s in history if s.run.is_current), None)
    factors = []
    if current is not None:
        for definition in current.run.factors:
            factors.append(
                {
                    **definition,
                    "value": current.inputs.get(definition["key"]),
                    "weight": current.run.weights.get(definition["key"]),
                }
            )
    else:
        for indicator in (
            AreaIndicator.objects.filter(lsoa=lsoa)
            .select_related("factor")
            .order_by("factor__position", "-period_start")
        ):
            if not any(f["key"] == indicator.factor.key for f in factors):
                factors.append(
                    {
                        "key": indicator.factor.key,
                        "name": indicator.factor.name,
                        "is_proxy": indicator.factor.is_proxy,
                        "value": indicator.value,
                        "weight": None,
                    }
                )
    trend = list(
        CrimeCount.objects.filter(lsoa=lsoa)
        .order_by("month")
        .values("month")
        .annotate(
            total=Sum("count"),
            asb=Sum("count", filter=Q(crime_type="Anti-social behaviour")),
            types=Count("crime_type"),
        )
    )
    hotspots = list(
        Hotspot.objects.filter(lsoa=lsoa).select_related("factor").order_by("-year", "factor")
    )
    return LsoaRiskProfile(current, factors, history, trend, hotspots)


def risk_summary(*, viewer: User) -> dict:
    """The home page's figure for analysts: the current run and its priority LSOAs."""
    if not permissions.can_view_areas(viewer):
        return {}
    run = risk_run_current(partnership=viewer.partnership_id)
    return {"run": run, "priority": run.priority_count if run else 0}


def indicator_list(*, viewer: User) -> QuerySet[AreaIndicator]:
    if not permissions.can_view_areas(viewer):
        return AreaIndicator.objects.none()
    return (
        AreaIndicator.objects.for_viewer(viewer)
        .select_related("lsoa", "factor")
        .defer(*LSOA.drawing("lsoa"))
    )


def indicator_summary(*, viewer: User) -> list[dict]:
    """Per factor and period: how many LSOAs have a value (one GROUP BY)."""
    return list(
        indicator_list(viewer=viewer)
        .order_by("factor__position", "factor__name", "period_start")
        .values("factor__name", "factor__is_proxy", "period", "period_start")
        .annotate(lsoas=Count("pk"))
    )
