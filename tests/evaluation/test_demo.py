import pytest

from evaluation import demo
from evaluation.models import FeedbackResponse, ListeningAction
from tests.factories import LocalAuthorityFactory, PartnershipFactory

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
