"""Value for money: cost per participant and the benefit estimate of each evaluation, read
for a viewer (commissioners get no figure that reveals fewer than 5 participants)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from evaluation import permissions
from evaluation.models import PUBLISHED_BENEFIT_COST_RATIO, BenefitAssumption, Evaluation, UnitCost
from evaluation.selectors.evaluations import evaluation_findings_for, evaluation_list
from finance import selectors as finance_selectors
from programmes.models import Programme, Referral
from vru.models import Partnership, User
from vru.selectors import disclosure
from vru.selectors.disclosure import is_hidden, shown_count


@dataclass(frozen=True)
class BenefitLine:
    unit_cost: UnitCost
    averted_per_participant: Decimal
    basis: str

    @property
    def value_per_participant(self) -> Decimal:
        return self.averted_per_participant * self.unit_cost.amount


@dataclass(frozen=True)
class CostBenefit:
    """Cost per participant and the benefit estimate of one evaluation. Figures that would
    reveal fewer than 5 participants to a commissioner are None."""

    evaluation: Evaluation
    cost: Decimal | None
    cost_source: str
    # which cost it used: "recorded" (the evaluation's own), "actual" (spend recorded in
    # finance, or grant tranches paid) or "budget" (the programme's budget, the award's amount)
    cost_basis: str
    participants: int | None
    participants_shown: str
    participants_source: str
    cost_per_participant: Decimal | None
    lines: list[BenefitLine] = field(default_factory=list)
    benefit: Decimal | None = None
    ratio: Decimal | None = None
    published: dict = field(default_factory=lambda: PUBLISHED_BENEFIT_COST_RATIO)

    @property
    def benefit_per_participant(self) -> Decimal:
        return sum((line.value_per_participant for line in self.lines), Decimal(0))


def benefit_cost_ratio(
    *, cost: Decimal, participants: int, lines: list[BenefitLine]
) -> tuple[Decimal, Decimal]:
    """(benefit, ratio): benefit = participants × Σ(offences averted per participant × unit
    cost), ratio = benefit / cost, both rounded (to pence and to 2 places)."""
    benefit = participants * sum((line.value_per_participant for line in lines), Decimal(0))
    return benefit.quantize(Decimal("0.01")), (benefit / cost).quantize(Decimal("0.01"))


def _with_counts(qs: QuerySet[Evaluation]) -> QuerySet[Evaluation]:
    referrals = Referral.objects.filter(
        programme_id=OuterRef("programme_id"),
        referred_at__date__gte=OuterRef("starts_on"),
        referred_at__date__lte=Coalesce(OuterRef("ends_on"), Value(timezone.localdate())),
    )
    grouped = referrals.order_by().values("programme_id")
    counted = grouped.annotate(c=Count("pk")).values("c")
    published = grouped.annotate(c=disclosure.people("referral")).values("c")
    return qs.annotate(
        referrals_in_period=Coalesce(Subquery(counted[:1]), 0),
        referrals_published=Coalesce(Subquery(published[:1]), 0),
    )


def cost_benefit_for(
    *,
    viewer: User,
    partnership: Partnership,
    start: date | None,
    end: date | None,
    programme: Programme | None = None,
) -> list[CostBenefit]:
    """For each evaluation `evaluation_findings_for` returns: the cost (recorded, else the
    programme's budget or the award's amount), participants (recorded, else referrals to the
    programme in the evaluation's dates, or for an award the most young people an approved
    monitoring return reports), cost per participant, and, where benefit assumptions are
    recorded, benefit = participants × Σ(offences averted per participant × Home Office unit
    cost) and the benefit-cost ratio, with the Essex published ratio beside it (never in its
    place). 4 queries whatever the number of evaluations."""
    return _cost_benefits(
        evaluation_findings_for(
            viewer=viewer, partnership=partnership, start=start, end=end, programme=programme
        ),
        suppress=permissions.sees_suppressed_outcomes(viewer),
    )


def published_cost_benefit(evaluations: QuerySet[Evaluation]) -> list[CostBenefit]:
    """As `cost_benefit_for` shows `evaluations` to a commissioner (always suppressed), for
    the impact report."""
    return _cost_benefits(evaluations, suppress=True)


def evaluation_cost_benefit(*, viewer: User, evaluation: Evaluation) -> CostBenefit | None:
    """The cost and benefit of one evaluation the viewer may read (as cost_benefit_for)."""
    visible = evaluation_list(viewer=viewer).filter(pk=evaluation.pk)
    rows = _cost_benefits(visible, suppress=permissions.sees_suppressed_outcomes(viewer))
    return rows[0] if rows else None


def _cost_benefits(qs: QuerySet[Evaluation], *, suppress: bool) -> list[CostBenefit]:
    evaluations = list(
        _with_counts(qs).prefetch_related("award__monitoring_returns", "award__tranches")
    )
    if not evaluations:
        return []
    spend = finance_selectors.spend_by_programme(
        {e.programme_id for e in evaluations if e.programme_id}
    )
    lines: dict[int, list[BenefitLine]] = {}
    for assumption in BenefitAssumption.objects.filter(evaluation__in=evaluations).select_related(
        "unit_cost"
    ):
        lines.setdefault(assumption.evaluation_id, []).append(
            BenefitLine(
                assumption.unit_cost,
                assumption.offences_averted_per_participant,
                assumption.basis,
            )
        )
    return [
        _cost_benefit(e, lines.get(e.pk, []), suppress, spend.get(e.programme_id, []))
        for e in evaluations
    ]


def _cost(evaluation: Evaluation, spend: list) -> tuple[Decimal | None, str, str]:
    """(cost, source in words, basis): the evaluation's recorded cost; else what was actually
    spent in its dates (quarterly spend of the programme, tranches paid of the award); else
    the budget (the programme's budget, the award's amount)."""
    if evaluation.cost is not None:
        return evaluation.cost, "recorded cost", "recorded"
    end = evaluation.ends_on or timezone.localdate()
    if evaluation.programme is not None:
        actual, quarters = finance_selectors.spend_within(spend, evaluation.starts_on, end)
        if actual is not None:
            return (
                actual,
                f"actual spend ({quarters} quarter{'s' if quarters != 1 else ''} recorded)",
                "actual",
            )
        return evaluation.programme.budget, "programme budget (no spend recorded)", "budget"
    paid = [t.amount for t in evaluation.award.tranches.all() if t.released_at is not None]
    if paid:
        return sum(paid, Decimal(0)), "actual spend (grant tranches paid)", "actual"
    return evaluation.award.amount, "grant award (nothing paid yet)", "budget"


def _cost_benefit(evaluation: Evaluation, lines: list[BenefitLine], suppress: bool, spend: list):
    cost, cost_source, cost_basis = _cost(evaluation, spend)
    if evaluation.participants is not None:
        participants, participants_source = evaluation.participants, "recorded"
    elif evaluation.programme is not None:
        # outside casework, the disclosure control's count of the same referrals
        participants = (
            evaluation.referrals_published if suppress else evaluation.referrals_in_period
        )
        participants_source = "referrals in the evaluation's dates"
    else:
        approved = [r for r in evaluation.award.monitoring_returns.all() if r.status == "approved"]
        latest = max(approved, key=lambda r: r.young_people_reached, default=None)
        participants = 0 if latest is None else latest.young_people_reached
        if suppress and participants:
            participants += disclosure.adjustment("monitoring_return", latest.pk)
        participants_source = "young people reached (latest approved monitoring return)"
    hidden = is_hidden(participants, suppress=suppress)
    per_participant = benefit = ratio = None
    if cost and participants and not hidden:
        per_participant = (cost / participants).quantize(Decimal("0.01"))
        if lines:
            benefit, ratio = benefit_cost_ratio(cost=cost, participants=participants, lines=lines)
    return CostBenefit(
        evaluation=evaluation,
        cost=cost,
        cost_source=cost_source,
        cost_basis=cost_basis,
        participants=None if hidden else participants,
        participants_shown=shown_count(participants, suppress=suppress),
        participants_source=participants_source,
        cost_per_participant=per_participant,
        lines=lines,
        benefit=benefit,
        ratio=ratio,
    )
