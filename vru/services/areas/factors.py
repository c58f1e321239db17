"""Factor sets, area indicators and the values of a factor per LSOA."""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date

from django.db import transaction
from django.db.models import Sum

from vru.models import (
    LSOA,
    AreaIndicator,
    AuditEvent,
    CrimeCount,
    Factor,
    Hotspot,
    Partnership,
    User,
)
from vru.services.areas._common import ASB
from vru.services.audit import audit_record

# --- Factor sets ------------------------------------------------------------------------

ESSEX_FACTORS = [
    {
        "key": "sv-suspects",
        "name": "Serious violence suspects' home hotspots",
        "source": Factor.Source.INDICATOR,
    },
    {
        "key": "multi-deprived-households",
        "name": "Households deprived in 2+ dimensions (over 25%)",
        "source": Factor.Source.INDICATOR,
    },
    {
        "key": "da-persistence",
        "name": "Domestic abuse hotspot persistence (years of the last 5)",
        "source": Factor.Source.INDICATOR,
    },
    {
        "key": "disorganisation",
        "name": "Neighbourhood disorganisation",
        "description": "ASB weighted 1, deliberate fires 2, arson not endangering life 3, "
        "arson endangering life 5 (police and fire service data).",
        "source": Factor.Source.CRIME,
        "crime_weights": {
            ASB: 1,
            "Deliberate fire": 2,
            "Arson not endangering life": 3,
            "Arson endangering life": 5,
        },
    },
    {
        "key": "class-a-suspects",
        "name": "Class A possession and supply suspects' hotspots",
        "source": Factor.Source.INDICATOR,
    },
    {"key": "unemployment", "name": "Unemployment", "source": Factor.Source.INDICATOR},
]

PROXY_FACTORS = [
    {
        "key": "violence",
        "name": "Violence and sexual offences per 1,000 residents",
        "description": "Public proxy for serious-violence suspects' home hotspots (police.uk).",
        "source": Factor.Source.CRIME,
        "crime_weights": {"Violence and sexual offences": 1},
    },
    {
        "key": "weapons",
        "name": "Possession of weapons per 1,000 residents",
        "description": "Public proxy for knife-carrying (police.uk).",
        "source": Factor.Source.CRIME,
        "crime_weights": {"Possession of weapons": 1},
    },
    {
        "key": "drugs",
        "name": "Drug offences per 1,000 residents",
        "description": "Public proxy for Class A possession and supply suspects (police.uk).",
        "source": Factor.Source.CRIME,
        "crime_weights": {"Drugs": 1},
    },
    {
        "key": "robbery",
        "name": "Robbery per 1,000 residents",
        "description": "Public proxy for street violence (police.uk).",
        "source": Factor.Source.CRIME,
        "crime_weights": {"Robbery": 1},
    },
    {
        "key": "disorder",
        "name": "ASB (x1) and criminal damage and arson (x2) per 1,000 residents",
        "description": "Public proxy for neighbourhood disorganisation (police.uk has no "
        "split of deliberate fires and arson).",
        "source": Factor.Source.CRIME,
        "crime_weights": {ASB: 1, "Criminal damage and arson": 2},
    },
    {
        "key": "violence-persistence",
        "name": "Violence hotspot persistence (years of the last 5)",
        "description": "Public proxy for domestic-abuse hotspot persistence.",
        "source": Factor.Source.PERSISTENCE,
        "base": "violence",
    },
    {
        "key": "income",
        "name": "IMD 2025 income domain score",
        "description": "Public proxy for households deprived in 2+ dimensions (MHCLG IoD2025).",
        "source": Factor.Source.INDICATOR,
    },
    {
        "key": "employment",
        "name": "IMD 2025 employment domain score",
        "description": "Public proxy for unemployment (MHCLG IoD2025).",
        "source": Factor.Source.INDICATOR,
    },
]
FACTOR_SETS = {"essex": (ESSEX_FACTORS, False), "proxies": (PROXY_FACTORS, True)}


@transaction.atomic
def factor_set_install(
    *, actor: User | None, partnership: Partnership, factor_set: str = "essex"
) -> list[Factor]:
    """Create (or leave as they are) the factors of a named set. Idempotent."""
    definitions, is_proxy = FACTOR_SETS[factor_set]
    made: dict[str, Factor] = {}
    for position, definition in enumerate(definitions):
        base = made.get(definition.get("base", ""))
        factor, created = Factor.objects.get_or_create(
            partnership=partnership,
            key=definition["key"],
            defaults={
                "name": definition["name"],
                "description": definition.get("description", ""),
                "source": definition["source"],
                "crime_weights": definition.get("crime_weights", {}),
                "is_proxy": is_proxy,
                "base_factor": base,
                "position": position,
            },
        )
        made[factor.key] = factor
        if created:
            audit_record(
                actor=actor,
                action=AuditEvent.Action.CREATE,
                verb="factor.created",
                target=factor,
                partnership=partnership,
            )
    return list(made.values())


# --- Factor values ----------------------------------------------------------------------


def crime_sums(
    *, partnership: Partnership, start: date, end: date, crime_types: Iterable[str]
) -> dict[tuple[int, str], int]:
    """(LSOA id, crime type) -> count over the period: one GROUP BY in the database."""
    return {
        (lsoa_id, crime_type): n
        for lsoa_id, crime_type, n in CrimeCount.objects.filter(
            partnership=partnership,
            month__gte=start,
            month__lte=end,
            crime_type__in=sorted(set(crime_types)),
        )
        .order_by()
        .values_list("lsoa_id", "crime_type")
        .annotate(n=Sum("count"))
    }


def _crime_values(
    factor: Factor,
    *,
    partnership: Partnership,
    start: date,
    end: date,
    per_1000: bool = True,
    sums: Mapping[tuple[int, str], int] | None = None,
    populations: Mapping[int, int | None] | None = None,
) -> dict[int, float]:
    weights = {k: float(v) for k, v in factor.crime_weights.items() if float(v) > 0}
    if sums is None:
        sums = crime_sums(partnership=partnership, start=start, end=end, crime_types=weights)
    totals: dict[int, float] = defaultdict(float)
    for (lsoa_id, crime_type), n in sums.items():
        if crime_type in weights:
            totals[lsoa_id] += weights[crime_type] * n
    if not per_1000:
        return dict(totals)
    if populations is None:
        populations = dict(
            LSOA.objects.filter(partnership=partnership).values_list("pk", "population")
        )
    return {pk: totals.get(pk, 0.0) * 1000 / pop for pk, pop in populations.items() if pop}


def factor_values(
    *,
    partnership: Partnership,
    factor: Factor,
    start: date,
    end: date,
    sums: Mapping[tuple[int, str], int] | None = None,
    populations: Mapping[int, int | None] | None = None,
) -> dict[int, float]:
    """One factor's value per LSOA id for a period (aggregated in the database).

    `sums` and `populations` may be passed in when several factors share them (one query).
    """
    if factor.source == Factor.Source.CRIME:
        return _crime_values(
            factor,
            partnership=partnership,
            start=start,
            end=end,
            sums=sums,
            populations=populations,
        )
    if factor.source == Factor.Source.PERSISTENCE:
        values = dict.fromkeys(
            LSOA.objects.filter(partnership=partnership).values_list("pk", flat=True), 0.0
        )
        values.update(
            Hotspot.objects.filter(factor_id=factor.base_factor_id, year=end.year).values_list(
                "lsoa_id", "persistence"
            )
        )
        return {pk: float(v) for pk, v in values.items()}
    # An indicator's latest value at or before the period's end; failing that, its earliest
    # later one (deprivation indices are published years apart).
    latest: dict[int, float] = {}
    for lsoa_id, value in (
        AreaIndicator.objects.filter(factor=factor, period_start__lte=end)
        .order_by("lsoa_id", "-period_start")
        .values_list("lsoa_id", "value")
    ):
        latest.setdefault(lsoa_id, value)
    for lsoa_id, value in (
        AreaIndicator.objects.filter(factor=factor, period_start__gt=end)
        .order_by("lsoa_id", "period_start")
        .values_list("lsoa_id", "value")
    ):
        latest.setdefault(lsoa_id, value)
    return latest
