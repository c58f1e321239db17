"""Demo evaluations, outcome scores and benefit assumptions for both demo partnerships, each
of its own programmes: Essex's ReRoute (compared with a matched group), Team Around the Family
and the Respect Project; Bedfordshire's exploitation support (with academic partners, as its
SNA recommends), family therapy and custody diversion; and a finished community grant each.

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

PARTNERSHIPS = ["essex-vvp", "bedfordshire-veru"]
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
    """`count` of the programme's young people who were met and could have finished (referred
    100 days ago or more), spread evenly over its history, so every year has scores."""
    if programme is None:
        return []
    cutoff = timezone.now() - timedelta(days=100)
    ids = list(
        Referral.objects.filter(
            programme=programme,
            referred_at__lte=cutoff,
            anonymised_at__isnull=True,
            first_contact_at__isnull=False,
        )
        .order_by("referred_at", "pk")
        .values_list("pk", flat=True)
    )
    step = max(1.0, len(ids) / count)
    chosen = {ids[int(i * step)] for i in range(min(count, len(ids)))}
    return list(Referral.objects.filter(pk__in=chosen).order_by("referred_at", "pk"))


def _essex(partnership: Partnership, rng: random.Random, today) -> tuple[list, int]:
    programmes = {p.name: p for p in Programme.objects.filter(partnership=partnership)}
    reroute = programmes.get("ReRoute")
    family = programmes.get("Team Around the Family")
    schools = programmes.get("Respect Project")
    made = []
    if reroute is not None:
        evaluation = services.evaluation_save(
            actor=None,
            partnership=partnership,
            programme=reroute,
            title="ReRoute: outcomes against a matched comparison group",
            kind="independent",
            method="comparison",
            evaluator="Independent evaluation partner",
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
        for offence, averted in [("Violence with injury", "0.08"), ("Robbery (personal)", "0.03")]:
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
                evaluator="VVU analysts",
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
                title="Respect Project: pupils' and teachers' views",
                kind="independent",
                method="qualitative",
                evaluator="Youth research partner",
                status="planned",
                starts_on=today + timedelta(days=30),
            )
        )
    wemwbs = Instrument.objects.get(partnership=None, code="wemwbs")
    sdq = Instrument.objects.get(partnership=None, code="sdq-total")
    scored = _score_pairs(
        rng, _referrals(reroute, 80), wemwbs, baseline=(41, 7), change=(3.5, 6)
    ) + _score_pairs(rng, _referrals(family, 40), sdq, baseline=(17, 5), change=(-2.5, 4))
    return made, scored


def _bedfordshire(partnership: Partnership, rng: random.Random, today) -> tuple[list, int]:
    programmes = {p.name: p for p in Programme.objects.filter(partnership=partnership)}
    exploitation = programmes.get("Exploitation and county lines support")
    therapy = programmes.get("Family therapy")
    custody = programmes.get("Custody diversion")
    made = []
    if exploitation is not None:
        made.append(
            services.evaluation_save(
                actor=None,
                partnership=partnership,
                programme=exploitation,
                title="Exploitation support: what protects young people (with academic partners)",
                kind="independent",
                method="pre_post",
                evaluator="Academic partner (university research team)",
                status="in_progress",
                starts_on=today - timedelta(days=420),
                findings=f"{DEMO_NOTE} Interim: wellbeing (SWEMWBS) rises for most young "
                "people who stay engaged for three months; a trusted adult and a stable home "
                "are the protective factors most often recorded.",
                evidence_rating=2,
            )
        )
    if therapy is not None:
        evaluation = services.evaluation_save(
            actor=None,
            partnership=partnership,
            programme=therapy,
            title="Family therapy: difficulties before and after (SDQ)",
            kind="internal",
            method="pre_post",
            evaluator="VERU analysts",
            status="reported",
            starts_on=today - timedelta(days=540),
            ends_on=today - timedelta(days=60),
            reported_on=today - timedelta(days=21),
            findings=f"{DEMO_NOTE} Difficulties (SDQ total) fell on average between the "
            "first and last sessions; families who completed therapy rarely returned to "
            "children's social care within six months.",
            evidence_rating=2,
            assumptions="Benefits counted for one year only, no discounting; costs are the "
            "programme budget (demo figures).",
        )
        services.benefit_assumption_add(
            actor=None,
            evaluation=evaluation,
            unit_cost=UnitCost.objects.get(partnership=None, offence="Violence with injury"),
            offences_averted_per_participant=Decimal("0.05"),
            basis=f"{DEMO_NOTE} The size of effect the YEF toolkit reports for family therapy.",
        )
        made.append(evaluation)
    if custody is not None:
        made.append(
            services.evaluation_save(
                actor=None,
                partnership=partnership,
                programme=custody,
                title="Custody diversion: reoffending against the year before",
                kind="internal",
                method="comparison",
                evaluator="VERU analysts with youth justice services",
                status="planned",
                starts_on=today + timedelta(days=45),
            )
        )
    swemwbs = Instrument.objects.get(partnership=None, code="swemwbs")
    sdq = Instrument.objects.get(partnership=None, code="sdq-total")
    scored = _score_pairs(
        rng, _referrals(exploitation, 50), swemwbs, baseline=(21, 4), change=(1.8, 3)
    ) + _score_pairs(rng, _referrals(therapy, 30), sdq, baseline=(19, 5), change=(-3.5, 4))
    return made, scored


def _load_partnership(partnership: Partnership) -> str:
    rng = random.Random(f"evaluations-{partnership.slug}")  # noqa: S311 - synthetic demo
    today = timezone.localdate()
    build = _essex if partnership.slug == "essex-vvp" else _bedfordshire
    made, scored = build(partnership, rng, today)
    award = (
        Award.objects.filter(
            decision__application__grant_round__partnership=partnership,
            ends_on__lt=today,
        )
        .order_by("-amount", "pk")
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
                ends_on=award.ends_on,
                reported_on=min(today, award.ends_on + timedelta(days=45)),
                findings=f"{DEMO_NOTE} Young people valued a safe place to go and adults "
                "they trust; several asked for it to run in the school holidays too.",
                evidence_rating=1,
            )
        )
    return (
        f"Evaluations demo for {partnership.short_name or partnership}: {len(made)} "
        f"evaluations, {scored} young people scored at start and end."
    )


@transaction.atomic
def load_demo() -> list[str]:
    lines = []
    ensure_reference_data()  # in case the database was flushed since it was migrated
    for slug in PARTNERSHIPS:
        partnership = Partnership.objects.filter(slug=slug).first()
        if partnership is None:
            continue
        if Evaluation.objects.filter(partnership=partnership).exists():
            lines.append(f"Evaluations demo already loaded for {partnership}.")
            continue
        lines.append(_load_partnership(partnership))
    return lines
