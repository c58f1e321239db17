"""Demo evaluations, outcome scores and benefit assumptions for both demo partnerships.

Everything here is synthetic and says so: the findings, the effect sizes and the scores are
made up to show how the pages and the impact report work, not results of real programmes.
The unit costs are the real Home Office figures (seeded by the migration).
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from evaluation import services
from evaluation.models import Evaluation, Instrument, UnitCost
from evaluation.services.reference_data import ensure_reference_data
from grants.models import Award
from programmes.models import Programme, Referral
from vru.models import Partnership

PARTNERSHIPS = [
    ("essex-vvp", "University of Essex"),
    ("bedfordshire-veru", "University of Bedfordshire"),
]
DEMO_NOTE = "Demo data: synthetic findings for illustration, not a real evaluation."


def _clip(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def _score_pairs(
    rng: random.Random,
    referrals: list[Referral],
    instrument: Instrument,
    *,
    baseline: tuple[float, float],
    change: tuple[float, float],
) -> int:
    today = timezone.localdate()
    recorded = 0
    for referral in referrals:
        start = timezone.localdate(referral.referred_at) + timedelta(days=7)
        end = start + timedelta(days=84)
        if end > today:
            continue
        first = _clip(rng.gauss(*baseline), instrument.min_total, instrument.max_total)
        last = _clip(first + rng.gauss(*change), instrument.min_total, instrument.max_total)
        for time_point, scored_on, total in [("baseline", start, first), ("exit", end, last)]:
            services.outcome_score_record(
                actor=None,
                referral=referral,
                instrument=instrument,
                time_point=time_point,
                scored_on=scored_on,
                total=total,
            )
        recorded += 1
    return recorded


def _referrals(programme: Programme | None, count: int) -> list[Referral]:
    if programme is None:
        return []
    cutoff = timezone.now() - timedelta(days=100)
    return list(
        Referral.objects.filter(
            programme=programme, referred_at__lte=cutoff, anonymised_at__isnull=True
        ).order_by("referred_at", "pk")[:count]
    )


def _load_partnership(partnership: Partnership, evaluator: str) -> str:
    rng = random.Random(f"evaluations-{partnership.slug}")  # noqa: S311 - synthetic demo
    today = timezone.localdate()
    programmes = {p.name: p for p in Programme.objects.filter(partnership=partnership)}
    reroute = programmes.get("ReRoute")
    family = programmes.get("Team Around the Family")
    schools = programmes.get("Respect (schools)")
    made = []
    if reroute is not None:
        evaluation = services.evaluation_save(
            actor=None,
            partnership=partnership,
            programme=reroute,
            title="ReRoute: outcomes against a matched comparison group",
            kind="independent",
            method="comparison",
            evaluator=evaluator,
            status="reported",
            starts_on=today - timedelta(days=365),
            ends_on=today - timedelta(days=30),
            reported_on=today - timedelta(days=7),
            findings=f"{DEMO_NOTE} Young people supported within 24 hours of arrest were "
            "re-arrested for violence less often over six months than a matched group from "
            "the year before; wellbeing (WEMWBS) rose on average.",
            evidence_rating=3,
            assumptions="Effect sizes from the comparison-group difference in six-month "
            "re-arrest (demo figures). Benefits counted for one year only, no discounting; "
            "costs are the programme budget.",
        )
        for offence, averted in [("Violence with injury", "0.03"), ("Robbery (personal)", "0.01")]:
            services.benefit_assumption_add(
                actor=None,
                evaluation=evaluation,
                unit_cost=UnitCost.objects.get(partnership=None, offence=offence),
                offences_averted_per_participant=Decimal(averted),
                basis=f"{DEMO_NOTE} Difference in re-arrest rates, comparison vs supported.",
            )
        made.append(evaluation)
    if family is not None:
        made.append(
            services.evaluation_save(
                actor=None,
                partnership=partnership,
                programme=family,
                title="Team Around the Family: difficulties before and after (SDQ)",
                kind="internal",
                method="pre_post",
                evaluator="VRU analysts",
                status="in_progress",
                starts_on=today - timedelta(days=300),
                findings=f"{DEMO_NOTE} Early scores suggest fewer difficulties at exit.",
                evidence_rating=2,
            )
        )
    if schools is not None:
        made.append(
            services.evaluation_save(
                actor=None,
                partnership=partnership,
                programme=schools,
                title="Respect: pupils' and teachers' views",
                kind="independent",
                method="qualitative",
                evaluator="Youth research partner",
                status="planned",
                starts_on=today + timedelta(days=30),
            )
        )
    award = (
        Award.objects.filter(decision__application__grant_round__partnership=partnership)
        .order_by("pk")
        .first()
    )
    if award is not None:
        made.append(
            services.evaluation_save(
                actor=None,
                partnership=partnership,
                award=award,
                title="Community grant: what young people said about the project",
                kind="internal",
                method="qualitative",
                evaluator="Grants team with the youth panel",
                status="reported",
                starts_on=award.starts_on,
                reported_on=today - timedelta(days=14),
                findings=f"{DEMO_NOTE} Young people valued a safe place on Friday nights.",
                evidence_rating=1,
            )
        )
    wemwbs = Instrument.objects.get(partnership=None, code="wemwbs")
    sdq = Instrument.objects.get(partnership=None, code="sdq-total")
    scored = _score_pairs(
        rng, _referrals(reroute, 40), wemwbs, baseline=(41, 7), change=(3.5, 6)
    ) + _score_pairs(rng, _referrals(family, 25), sdq, baseline=(17, 5), change=(-2.5, 4))
    return (
        f"Evaluations demo for {partnership.short_name or partnership}: {len(made)} "
        f"evaluations, {scored} young people scored at start and end."
    )


@transaction.atomic
def load_demo() -> list[str]:
    lines = []
    ensure_reference_data()  # in case the database was flushed since it was migrated
    for slug, evaluator in PARTNERSHIPS:
        partnership = Partnership.objects.filter(slug=slug).first()
        if partnership is None:
            continue
        if Evaluation.objects.filter(partnership=partnership).exists():
            lines.append(f"Evaluations demo already loaded for {partnership}.")
            continue
        lines.append(_load_partnership(partnership, evaluator))
    return lines
