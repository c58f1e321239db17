"""Hotspots and risk index runs: store, compute (in Celery), reproduce, make current."""

import json
from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from vru import permissions
from vru.models import (
    LSOA,
    AuditEvent,
    CrimeCount,
    Factor,
    Hotspot,
    Partnership,
    RiskRun,
    RiskScore,
    User,
)
from vru.services import queue
from vru.services.areas import hotspots, risk
from vru.services.areas._common import _require, copy_rows
from vru.services.areas.factors import _crime_values, crime_sums, factor_values
from vru.services.audit import audit_record

# --- Hotspots ---------------------------------------------------------------------------


@transaction.atomic
def hotspots_compute(
    *,
    actor: User | None,
    partnership: Partnership,
    factor: Factor,
    year: int,
    alpha: float = hotspots.DEFAULT_ALPHA,
    years: int = hotspots.DEFAULT_PERSISTENCE_YEARS,
) -> int:
    """Store the hotspots of a crime factor for one year. Replaces that year's; idempotent.

    Counts are the factor's crime types, unweighted (the Poisson test needs counts).
    """
    _require(actor, permissions.can_run_risk_index, partnership, "You cannot compute hotspots.")
    if factor.source != Factor.Source.CRIME:
        raise ValidationError("Hotspots are computed for crime factors.", code="factor_source")
    counted = Factor(crime_weights=dict.fromkeys(factor.crime_weights, 1))
    counts = _crime_values(
        counted,
        partnership=partnership,
        start=date(year, 1, 1),
        end=date(year, 12, 31),
        per_1000=False,
    )
    populations = dict(LSOA.objects.filter(partnership=partnership).values_list("pk", "population"))
    tests = hotspots.hotspot_tests(
        {str(k): v for k, v in counts.items()},
        {str(k): v for k, v in populations.items()},
        alpha=alpha,
    )
    earlier: dict[int, set[int]] = defaultdict(set)
    for lsoa_id, y in Hotspot.objects.filter(
        factor=factor, year__gte=year - years, year__lt=year
    ).values_list("lsoa_id", "year"):
        earlier[lsoa_id].add(y)
    Hotspot.objects.filter(factor=factor, year=year).delete()
    rows = []
    for test in tests:
        if not test.is_hotspot:
            continue
        lsoa_id = int(test.code)
        found = earlier[lsoa_id] | {year}
        rows.append(
            Hotspot(
                partnership=partnership,
                factor=factor,
                lsoa_id=lsoa_id,
                year=year,
                observed=test.observed,
                expected=test.expected,
                p_value=test.p_value,
                alpha=alpha,
                persistence=hotspots.persistence(found, year=year, years=years),
                persistence_years=years,
                is_new=hotspots.is_new_hotspot(found, year=year),
            )
        )
    Hotspot.objects.bulk_create(rows, batch_size=2000)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="hotspots.computed",
        target=factor,
        partnership=partnership,
        changes={"year": year, "alpha": alpha, "hotspots": len(rows)},
    )
    return len(rows)


def hotspots_compute_all(
    *, actor: User | None, partnership: Partnership, alpha: float = hotspots.DEFAULT_ALPHA
) -> dict[str, int]:
    """Every crime factor, every year with crime data, oldest first (persistence builds up)."""
    years = sorted(
        {
            m.year
            for m in CrimeCount.objects.filter(partnership=partnership)
            .order_by()
            .values_list("month", flat=True)
            .distinct()
        }
    )
    found = {}
    for factor in Factor.objects.filter(partnership=partnership, source=Factor.Source.CRIME):
        for year in years:
            found[f"{factor.key} {year}"] = hotspots_compute(
                actor=actor, partnership=partnership, factor=factor, year=year, alpha=alpha
            )
    return found


# --- Risk runs --------------------------------------------------------------------------


@transaction.atomic
def risk_run_create(
    *,
    actor: User | None,
    partnership: Partnership,
    weights: Mapping[str, Decimal | float | str],
    period_start: date,
    period_end: date,
    top_percent: Decimal = Decimal(5),
    label: str = "",
) -> RiskRun:
    """Record a run's inputs and schedule its computation (Celery, on commit)."""
    _require(actor, permissions.can_run_risk_index, partnership, "You cannot run the risk index.")
    factors = {f.key: f for f in Factor.objects.filter(partnership=partnership)}
    clean = {}
    for key, weight in weights.items():
        if key not in factors:
            raise ValidationError(f"No factor “{key}”.", code="factor")
        value = Decimal(str(weight))
        if value < 0:
            raise ValidationError("Weights cannot be negative.", code="weight")
        if value > 0:
            clean[key] = str(value)
    if not clean:
        raise ValidationError("Give at least one factor a weight above 0.", code="no_weights")
    run = RiskRun(
        partnership=partnership,
        label=label or f"Risk index {timezone.now():%Y-%m-%d %H:%M}",
        weights=clean,
        factors=[
            {
                "key": f.key,
                "name": f.name,
                "is_proxy": f.is_proxy,
                "source": f.source,
                "crime_weights": f.crime_weights,
            }
            for key, f in sorted(factors.items())
            if key in clean
        ],
        method=risk.METHOD,
        top_percent=top_percent,
        period_start=period_start,
        period_end=period_end,
        created_by=actor if actor is not None and actor.pk else None,
    )
    run.full_clean()
    run.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="risk_run.created",
        target=run,
        partnership=partnership,
        changes={"weights": clean, "top_percent": str(top_percent)},
    )
    queue.run_after_commit("vru.tasks.risk_run_compute", run.pk)
    return run


def _set_progress(run: RiskRun, progress: int) -> None:
    RiskRun.objects.filter(pk=run.pk).update(progress=progress)


SCORE_COLUMNS = (
    "partnership_id",
    "run_id",
    "lsoa_id",
    "inputs",
    "score",
    "rank",
    "percentile",
    "is_priority",
)


def _insert_scores(run: RiskRun, scored: list, pk_by_code: dict[str, int]) -> None:
    """Store the scores: COPY on PostgreSQL (35,000 rows in well under a second), else
    bulk_create."""
    copied = copy_rows(
        RiskScore,
        SCORE_COLUMNS,
        (
            (
                run.partnership_id,
                run.pk,
                pk_by_code[s.code],
                json.dumps(s.inputs),
                s.score,
                s.rank,
                s.percentile,
                s.is_priority,
            )
            for s in scored
        ),
    )
    if copied:
        return
    RiskScore.objects.bulk_create(
        [
            RiskScore(
                partnership_id=run.partnership_id,
                run=run,
                lsoa_id=pk_by_code[s.code],
                inputs=s.inputs,
                score=s.score,
                rank=s.rank,
                percentile=s.percentile,
                is_priority=s.is_priority,
            )
            for s in scored
        ],
        batch_size=5000,
    )


def risk_run_compute(*, run_id: int) -> RiskRun:
    """Gather the inputs, compute, store the scores. Idempotent: a finished run is left as is."""
    run = RiskRun.objects.select_related("partnership").get(pk=run_id)
    if run.status == RiskRun.Status.DONE:
        return run
    RiskRun.objects.filter(pk=run.pk).update(status=RiskRun.Status.RUNNING, progress=1)
    try:
        with transaction.atomic():
            factors = {
                f.key: f
                for f in Factor.objects.filter(partnership=run.partnership, key__in=run.weights)
            }
            lsoas = list(
                LSOA.objects.filter(partnership=run.partnership).values_list(
                    "pk", "code", "population"
                )
            )
            codes = {pk: code for pk, code, _ in lsoas}
            populations = {pk: population for pk, _, population in lsoas}
            sums = crime_sums(
                partnership=run.partnership,
                start=run.period_start,
                end=run.period_end,
                crime_types=[
                    crime_type
                    for f in factors.values()
                    if f.source == Factor.Source.CRIME
                    for crime_type in f.crime_weights
                ],
            )
            inputs: dict[str, dict[str, float | None]] = {code: {} for code in codes.values()}
            for position, key in enumerate(sorted(run.weights), start=1):
                values = factor_values(
                    partnership=run.partnership,
                    factor=factors[key],
                    start=run.period_start,
                    end=run.period_end,
                    sums=sums,
                    populations=populations,
                )
                for pk, code in codes.items():
                    inputs[code][key] = values.get(pk)
                _set_progress(run, 5 + 70 * position // len(run.weights))
            scored = risk.compute_index(inputs, run.weights, top_percent=run.top_percent)
            pk_by_code = {code: pk for pk, code in codes.items()}
            RiskScore.objects.filter(run=run).delete()
            _insert_scores(run, scored, pk_by_code)
            run.status = RiskRun.Status.DONE
            run.progress = 100
            run.lsoa_count = len(scored)
            run.priority_count = sum(1 for s in scored if s.is_priority)
            run.completed_at = timezone.now()
            run.save(
                update_fields=["status", "progress", "lsoa_count", "priority_count", "completed_at"]
            )
            audit_record(
                actor=None,
                action=AuditEvent.Action.UPDATE,
                verb="risk_run.computed",
                target=run,
                partnership=run.partnership,
                changes={"lsoas": run.lsoa_count, "priority": run.priority_count},
            )
    except Exception as exc:
        RiskRun.objects.filter(pk=run.pk).update(
            status=RiskRun.Status.FAILED, error=str(exc)[:2000]
        )
        raise
    return run


def risk_run_reproduce(*, run: RiskRun) -> list[risk.ScoredArea]:
    """Recompute a run from its own stored inputs: gives its stored ranks back exactly."""
    stored = RiskScore.objects.filter(run=run).select_related("lsoa").only("inputs", "lsoa__code")
    inputs = {s.lsoa.code: s.inputs for s in stored}
    return risk.compute_index(inputs, run.weights, top_percent=run.top_percent)


@transaction.atomic
def risk_run_make_current(*, actor: User | None, run: RiskRun) -> RiskRun:
    _require(
        actor,
        permissions.can_run_risk_index,
        run.partnership,
        "You cannot change the current risk run.",
    )
    run = RiskRun.objects.select_for_update().get(pk=run.pk)
    if run.status != RiskRun.Status.DONE:
        raise ValidationError("Only a finished run can be made current.", code="invalid_status")
    RiskRun.objects.filter(partnership_id=run.partnership_id, is_current=True).exclude(
        pk=run.pk
    ).update(is_current=False)
    run.is_current = True
    run.save(update_fields=["is_current"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="risk_run.made_current",
        target=run,
        partnership=run.partnership,
    )
    return run
