"""The Duty demo holds what each partnership's documents say: boards, duty holders, Essex's
definition with its exclusions and a readiness assessment, Bedfordshire's strategy with its
first review on 31 January 2025."""

import datetime

import pytest

from duty import demo
from duty.models import DefinitionItem, DutyHolder, GoverningBoard, ReadinessScore, Strategy
from tests.factories import PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_partnerships():
    for slug, prefix in (("essex-vvp", "essex"), ("bedfordshire-veru", "beds")):
        partnership = PartnershipFactory(slug=slug)
        UserFactory(partnership=partnership, username=f"{prefix}.admin")


def test_the_demo_holds_both_partnerships_duty_record(demo_partnerships):
    demo.load_demo()

    boards = dict(GoverningBoard.objects.values_list("partnership__slug", "name"))
    assert boards == {
        "essex-vvp": "VVP Board",
        "bedfordshire-veru": "Serious Harm Partnership Board",
    }
    essex = DutyHolder.objects.filter(partnership__slug="essex-vvp")
    assert {h.duty for h in essex} == {"Specified authority", "Partner"}
    assert DefinitionItem.objects.filter(
        definition__partnership__slug="essex-vvp",
        kind="excluded",
        text="Domestic and familial abuse",
    ).exists()
    assert ReadinessScore.objects.filter(assessment__partnership__slug="essex-vvp").count() == 8
    beds = Strategy.objects.get(partnership__slug="bedfordshire-veru")
    assert beds.next_review_on == datetime.date(2025, 1, 31)


def test_loading_the_demo_twice_changes_nothing(demo_partnerships):
    demo.load_demo()
    counts = DutyHolder.objects.count(), Strategy.objects.count()

    demo.load_demo()

    assert (DutyHolder.objects.count(), Strategy.objects.count()) == counts


def test_the_demo_strategy_lead_is_the_partnerships_administrator(demo_partnerships):
    demo.load_demo()

    assert Strategy.objects.get(partnership__slug="essex-vvp").lead.username == "essex.admin"


def test_the_overview_shows_essexs_definition_strategy_and_readiness(demo_partnerships, client):
    from vru.models import Role, User

    demo.load_demo()
    commissioner = UserFactory(
        partnership=User.objects.get(username="essex.admin").partnership,
        roles=[Role.COMMISSIONER],
    )
    client.force_login(commissioner)

    page = client.get("/duty/").content.decode()

    assert "VVP Board" in page
    assert "Domestic and familial abuse" in page
    assert "Cambridge High Harm Index" in page
    assert "Essex Violence and Vulnerability Work Programme" in page
    assert "synthetic demo scores" in page
    assert "Data for the chart: score by area" in page


def test_the_demo_plan_has_an_action_for_each_recommendation_of_the_published_sna(
    demo_partnerships,
):
    from duty.models import Action
    from tests.factories import RecommendationFactory, StrategicNeedsAssessmentFactory
    from vru.models import Partnership

    sna = StrategicNeedsAssessmentFactory(
        partnership=Partnership.objects.get(slug="essex-vvp"), published=True
    )
    for number in (1, 2, 3):
        RecommendationFactory(needs_assessment=sna, number=number)

    demo.load_demo()

    actions = Action.objects.filter(recommendation__needs_assessment=sna)
    assert sorted(a.recommendation.number for a in actions) == [1, 2, 3]
    assert all(a.owner.duty == "Specified authority" for a in actions)
    assert {a.rag for a in actions} == {"green", "amber"}  # the fourth rating is red
