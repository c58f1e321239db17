"""Factories for listening projects (kept beside their tests; the core's are in
tests/factories.py)."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from evaluation import services
from evaluation.models import FeedbackResponse, ListeningAction
from evaluation.services.reference_data import ensure_reference_data
from tests.factories import PartnershipFactory, ProgrammeFactory, ReferralFactory


class ListeningExerciseFactory(factory.Factory):
    """Created through the service, so it gets the default codebook."""

    class Meta:
        model = dict

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Listening exercise {n}")
    period_start = datetime.date(2022, 12, 1)
    period_end = datetime.date(2023, 3, 31)
    public_slug = factory.Sequence(lambda n: f"listening-{n}")

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.exercise_create(actor=None, **kwargs)

    _build = _create


class FeedbackResponseFactory(DjangoModelFactory):
    class Meta:
        model = FeedbackResponse
        skip_postgeneration_save = True

    exercise = factory.SubFactory(ListeningExerciseFactory)
    responded_on = datetime.date(2023, 1, 15)
    age_band = "14_15"
    question = "What would make you feel safer?"
    words = factory.Sequence(lambda n: f"More lights in the park, number {n}.")

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class ListeningActionFactory(DjangoModelFactory):
    class Meta:
        model = ListeningAction

    what = "Opened a youth club on Friday nights."
    who = "Community grants"


# --- Evaluations, outcome measures, cost and benefit ---------------------------------------


def award_for(partnership, *, amount=Decimal("4000")):
    """A funded grant award of `partnership` (decision and award as the grants services leave
    them)."""
    from grants.models import Award, Decision
    from tests.factories import ApplicationFactory, GrantRoundFactory, UserFactory

    application = ApplicationFactory(
        grant_round=GrantRoundFactory(partnership=partnership, closed=True), status="decided"
    )
    decision = Decision.objects.create(
        application=application,
        outcome="fund",
        amount=amount,
        reasons="Strong plan.",
        decided_by=UserFactory(partnership=partnership, roles=["grants_officer"]),
        decided_at=timezone.now(),
    )
    return Award.objects.create(
        decision=decision,
        amount=amount,
        awarded_on=datetime.date(2025, 4, 1),
        starts_on=datetime.date(2025, 4, 1),
        ends_on=datetime.date(2026, 3, 31),
    )


class EvaluationFactory(factory.Factory):
    """An evaluation of a programme, made through the service."""

    class Meta:
        model = dict

    partnership = factory.SubFactory(PartnershipFactory)
    programme = factory.SubFactory(
        ProgrammeFactory, partnership=factory.SelfAttribute("..partnership")
    )
    title = factory.Sequence(lambda n: f"Evaluation {n}")
    kind = "independent"
    method = "pre_post"
    evaluator = "University of Essex"
    starts_on = datetime.date(2025, 4, 1)

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.evaluation_save(actor=None, **kwargs)

    _build = _create


def instrument(code):
    """A standard instrument ("wemwbs", "swemwbs", "sdq-total"). The migration seeds them;
    ensured here because transactional (browser) tests flush the database."""
    from evaluation.models import Instrument

    ensure_reference_data()
    return Instrument.objects.get(partnership=None, code=code)


def unit_cost(offence):
    """A national Home Office unit cost, e.g. "Violence with injury"."""
    from evaluation.models import UnitCost

    ensure_reference_data()
    return UnitCost.objects.get(partnership=None, offence=offence)


def past_referral(programme, *, days_ago=200, **kwargs):
    """A referral made `days_ago` days ago, so scores can be dated after it."""
    event_at = timezone.now() - datetime.timedelta(days=days_ago)
    return ReferralFactory(
        programme=programme,
        event_at=event_at,
        referred_at=event_at + datetime.timedelta(hours=1),
        **kwargs,
    )


def scores(referral, code, *totals, start=None, step_days=30):
    """Record `totals` for `referral` on instrument `code`, one time point each, a month apart
    (baseline, mid, exit, follow-up)."""
    points = ["baseline", "mid", "exit", "follow_up"]
    start = start or timezone.localdate(referral.referred_at) + datetime.timedelta(days=1)
    if len(totals) == 2:
        points = ["baseline", "exit"]
    return [
        services.outcome_score_record(
            actor=None,
            referral=referral,
            instrument=instrument(code),
            time_point=point,
            scored_on=start + datetime.timedelta(days=step_days * i),
            total=total,
        )
        for i, (point, total) in enumerate(zip(points, totals, strict=False))
    ]
