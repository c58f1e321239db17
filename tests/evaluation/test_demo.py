import pytest

from evaluation import demo, demo_evaluations
from evaluation.models import Evaluation, FeedbackResponse, ListeningAction, OutcomeScore
from tests.evaluation.factories import past_referral
from tests.factories import LocalAuthorityFactory, PartnershipFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_the_listening_demo_loads_once_and_closes_part_of_the_loop():
    essex = PartnershipFactory(slug="essex-vvp")
    LocalAuthorityFactory(partnership=essex)

    demo.load_demo()
    demo.load_demo()

    assert FeedbackResponse.objects.count() == 300
    assert ListeningAction.objects.filter(status="delivered").count() == 2


def test_the_listening_demo_needs_the_core_demo_first():
    assert demo.load_demo() == []


def test_the_evaluations_demo_loads_once_in_each_partnership_with_scores():
    for slug in ["essex-vvp", "bedfordshire-veru"]:
        partnership = PartnershipFactory(slug=slug)
        reroute = ProgrammeFactory(partnership=partnership, name="ReRoute", budget=100000)
        family = ProgrammeFactory(partnership=partnership, name="Team Around the Family")
        for _ in range(3):
            past_referral(reroute, days_ago=200)
            past_referral(family, days_ago=150)
        past_referral(reroute, days_ago=20)  # too recent for an exit score

    demo_evaluations.load_demo()
    demo_evaluations.load_demo()

    assert Evaluation.objects.count() == 4  # ReRoute and Team Around the Family, twice
    assert OutcomeScore.objects.filter(instrument__code="wemwbs").count() == 12
    assert OutcomeScore.objects.filter(instrument__code="sdq-total").count() == 12
    reroute_study = Evaluation.objects.filter(title__startswith="ReRoute").first()
    assert reroute_study.benefit_assumptions.count() == 2
    assert "Demo data" in reroute_study.findings
