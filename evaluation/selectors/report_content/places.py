"""Reach in priority neighbourhoods against elsewhere, and the map."""

from collections import defaultdict

from django.db.models import (
    Case,
    Q,
    Value,
    When,
)

from evaluation.models import ImpactReport
from evaluation.selectors.report_content.scope import (
    ReportScope,
    table_block,
)
from programmes.models import Session
from vru.age_bands import AGE_NOT_KNOWN, AgeBand
from vru.models import LSOA
from vru.selectors import disclosure
from vru.selectors.areas import risk_run_current


def build_reach(scope: ReportScope) -> dict:
    """Reach in priority neighbourhoods against elsewhere, by age band, and a map."""
    places = [
        ("priority", "Priority LSOAs"),
        ("elsewhere", "Elsewhere"),
        ("unknown", "Not recorded"),
    ]
    bands = [*AgeBand.choices, AGE_NOT_KNOWN]
    grid: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in scope.referral_groups():
        grid[row["band"]][row["place"]] += row["n"]
    blocks: list[dict] = [
        {"type": "paragraph", "text": _priority_basis(scope.partnership_id)},
        table_block(
            id="table-reach",
            caption="Referrals received by age band and where the young person lives",
            row_labels=[label for _, label in bands],
            headers=["Age band", *[label for _, label in places]],
            counts=[[grid[b][p] for p, _ in places] for b, _ in bands],
        ),
    ]
    # Detached youth work is street-based: counted where the session took place.
    priority = scope.priority_lsoa_ids()
    session_place = Case(
        When(session__lsoa_id__isnull=True, then=Value("unknown")),
        When(session__lsoa_id__in=priority or [0], then=Value("priority")),
        default=Value("elsewhere"),
    )
    detached = defaultdict(int)
    for row in (
        scope.session_counts()
        .filter(session__kind=Session.Kind.DETACHED)
        .order_by()
        .annotate(place=session_place)
        .values("age_band", "place")
        .annotate(n=disclosure.people("session_count", count="count"))
    ):
        detached[(row["age_band"], row["place"])] = row["n"] or 0
    session_bands = AgeBand.choices
    blocks.append(
        table_block(
            id="table-detached-reach",
            caption="Young people engaged by detached youth work, by age band and where the "
            "session took place",
            row_labels=[label for _, label in session_bands],
            headers=["Age band", *[label for _, label in places]],
            counts=[[detached[(b, p)] for p, _ in places] for b, _ in session_bands],
        )
    )
    blocks.append(_referral_map(scope))
    return {"key": "reach", "title": "Reach in priority neighbourhoods", "blocks": blocks}


MAP_COLOURS = ["#f3f2f1", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"]


def map_bands(threshold: int) -> list[tuple[str, str]]:
    """(colour, label) of each band; the first counted band ends at the small-number
    threshold, so a colour never tells a hidden count apart."""
    labels = ["None", f"Fewer than {threshold}", f"{threshold} to 19", "20 to 49", "50 or more"]
    return list(zip(MAP_COLOURS, labels, strict=True))


def _map_band(n: int, threshold: int) -> int:
    if n == 0:
        return 0
    if n < threshold:
        return 1
    if n < 20:
        return 2
    if n < 50:
        return 3
    return 4


def _referral_map(scope: ReportScope) -> dict:
    """Referrals per LSOA in fixed bands (so a colour never tells a small count apart)."""
    counts = scope.referrals_by_lsoa()
    lsoas = LSOA.objects.filter(partnership_id=scope.partnership_id).filter(_lsoa_self_q(scope))
    priority = scope.priority_lsoa_ids()
    bands = map_bands(scope.threshold)
    areas = []
    for pk, code, name in lsoas.order_by("code").values_list("pk", "code", "name"):
        n = counts.get(pk, 0)
        areas.append(
            {
                "code": code,
                "name": name,
                "band": _map_band(n, scope.threshold),
                "shown": bands[_map_band(n, scope.threshold)][1],
                "is_priority": pk in priority,
            }
        )
    return {
        "type": "map",
        "id": "map-referrals",
        "caption": "Referrals received by home neighbourhood (LSOA); priority LSOAs hatched",
        "areas": areas,
        "legend": [list(b) for b in bands],
    }


def _lsoa_self_q(scope: ReportScope) -> Q:
    if scope.kind == ImpactReport.Scope.CSP:
        return Q(community_safety_partnership_id=scope.report.scope_csp_id)
    if scope.kind == ImpactReport.Scope.LOCAL_AUTHORITY:
        return Q(local_authority_id=scope.report.scope_local_authority_id)
    return Q()


def _priority_basis(partnership_id: int) -> str:
    """Say which risk run decides "priority" and the period its data covers: a report for one
    year may rest on a run over older crime data, and the reader must see that."""
    run = risk_run_current(partnership=partnership_id)
    if run is None:
        return (
            "No risk index run is current, so no neighbourhood is counted as priority. "
            "A referral is placed by the young person's home LSOA when referred."
        )
    return (
        "Priority LSOAs are the neighbourhoods flagged as priority by the current risk index "
        f"run, which uses data from {run.period_start:%B %Y} to {run.period_end:%B %Y}. "
        "A referral is placed by the young person's home LSOA when referred."
    )
