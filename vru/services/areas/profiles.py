"""Harm weights and the monthly area profiles per CSP and local authority."""

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from vru import permissions
from vru.models import (
    LSOA,
    AreaProfile,
    AuditEvent,
    CrimeCount,
    HarmWeight,
    Partnership,
    User,
)
from vru.services.areas._common import ASB, _require
from vru.services.audit import audit_record

# --- Harm weights and area profiles -----------------------------------------------------


@transaction.atomic
def harm_weights_load(
    *, actor: User | None, partnership: Partnership, rows: Iterable[Mapping[str, str]]
) -> int:
    """Rows of crime_type, weight, source. Replaces the partnership's weights."""
    _require(actor, permissions.can_import_area_data, partnership, "You cannot load harm weights.")
    weights = []
    for number, row in enumerate(rows, start=2):
        try:
            weight = float(row["weight"])
        except (KeyError, ValueError) as exc:
            raise ValidationError(f"Row {number}: enter a number of days.") from exc
        if weight < 0 or not row.get("crime_type", "").strip():
            raise ValidationError(f"Row {number}: a crime type and a weight of 0 or more.")
        weights.append(
            HarmWeight(
                partnership=partnership,
                crime_type=row["crime_type"].strip(),
                weight=weight,
                source=(row.get("source") or "")[:300],
            )
        )
    HarmWeight.objects.filter(partnership=partnership).delete()
    HarmWeight.objects.bulk_create(weights)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.IMPORT,
        verb="harm_weights.loaded",
        partnership=partnership,
        changes={"rows": len(weights)},
    )
    return len(weights)


def _previous_month(month: date) -> date:
    return date(month.year - 1, 12, 1) if month.month == 1 else date(month.year, month.month - 1, 1)


@transaction.atomic
def area_profiles_generate(*, actor: User | None, partnership: Partnership, month: date) -> int:
    """Profiles of every CSP and local authority for one month. Replaces that month's.

    Offences exclude anti-social behaviour (an incident, not a crime). Rank 1 is the highest
    rate of offences per 1,000 residents among the partnership's areas of the same kind.
    """
    _require(
        actor, permissions.can_run_risk_index, partnership, "You cannot generate area profiles."
    )
    month = month.replace(day=1)
    harm = dict(
        HarmWeight.objects.filter(partnership=partnership).values_list("crime_type", "weight")
    )
    previous = {
        (p.kind, p.area_name): p.rate_per_1000
        for p in AreaProfile.objects.filter(partnership=partnership, month=_previous_month(month))
    }
    populations = {
        row[0]: row[1:]
        for row in LSOA.objects.filter(partnership=partnership).values_list(
            "pk", "local_authority_id", "community_safety_partnership_id", "population"
        )
    }
    counts = (
        CrimeCount.objects.filter(partnership=partnership, month=month)
        .exclude(crime_type=ASB)
        .order_by()
        .values_list("lsoa_id", "crime_type")
        .annotate(n=Sum("count"))
    )
    areas = {
        AreaProfile.Kind.LOCAL_AUTHORITY: {
            la.pk: la.name for la in partnership.local_authorities.all()
        },
        AreaProfile.Kind.CSP: {
            csp.pk: csp.name for csp in partnership.community_safety_partnerships.all()
        },
    }
    offences: dict[tuple, int] = Counter()
    harm_total: dict[tuple, float] = defaultdict(float)
    population: dict[tuple, int] = Counter()
    for la_id, csp_id, pop in populations.values():
        population[(AreaProfile.Kind.LOCAL_AUTHORITY, la_id)] += pop or 0
        population[(AreaProfile.Kind.CSP, csp_id)] += pop or 0
    for lsoa_id, crime_type, n in counts:
        la_id, csp_id, _ = populations[lsoa_id]
        for key in ((AreaProfile.Kind.LOCAL_AUTHORITY, la_id), (AreaProfile.Kind.CSP, csp_id)):
            offences[key] += n
            harm_total[key] += n * harm.get(crime_type, 0.0)
    AreaProfile.objects.filter(partnership=partnership, month=month).delete()
    made = []
    for kind, names in areas.items():
        rates = {
            pk: offences[(kind, pk)] * 1000 / population[(kind, pk)]
            for pk in names
            if population[(kind, pk)]
        }
        ordered = sorted(rates, key=lambda pk: (-rates[pk], names[pk]))
        for rank, pk in enumerate(ordered, start=1):
            made.append(
                AreaProfile(
                    partnership=partnership,
                    kind=kind,
                    local_authority_id=pk if kind == AreaProfile.Kind.LOCAL_AUTHORITY else None,
                    community_safety_partnership_id=pk if kind == AreaProfile.Kind.CSP else None,
                    area_name=names[pk],
                    month=month,
                    offences=offences[(kind, pk)],
                    population=population[(kind, pk)],
                    rate_per_1000=round(rates[pk], 3),
                    rank=rank,
                    previous_rate_per_1000=previous.get((kind, names[pk])),
                    harm=round(harm_total[(kind, pk)], 1),
                )
            )
    AreaProfile.objects.bulk_create(made)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="area_profiles.generated",
        partnership=partnership,
        changes={"month": month.isoformat(), "profiles": len(made)},
    )
    return len(made)


def area_profiles_generate_latest() -> int:
    """For Celery beat: every partnership's latest month of crime data (and the one before,
    so its trend is there)."""
    made = 0
    for partnership in Partnership.objects.all():
        months = sorted(
            set(
                CrimeCount.objects.filter(partnership=partnership)
                .order_by()
                .values_list("month", flat=True)
                .distinct()
            )
        )[-2:]
        for month in months:
            made += area_profiles_generate(actor=None, partnership=partnership, month=month)
    return made
