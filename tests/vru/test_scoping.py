"""One partnership's records: `Model.objects.for_viewer(viewer)` is the scope selectors start
from, for models that hold their partnership directly and through a parent alike."""

import pytest

from grants.models import Application, GrantRound
from tests.factories import (
    ApplicationFactory,
    GrantRoundFactory,
    LSOAFactory,
    PartnershipFactory,
    UserFactory,
)
from vru.models import LSOA

pytestmark = pytest.mark.django_db


def test_a_viewer_gets_only_their_own_partnerships_rows():
    essex, bedfordshire = PartnershipFactory(), PartnershipFactory()
    ours = LSOAFactory(partnership=essex)
    LSOAFactory(partnership=bedfordshire)
    viewer = UserFactory(partnership=essex)
    assert list(LSOA.objects.for_viewer(viewer)) == [ours]


def test_a_model_reached_through_its_parent_is_scoped_by_the_parents_partnership():
    essex, bedfordshire = PartnershipFactory(), PartnershipFactory()
    ours = ApplicationFactory(grant_round=GrantRoundFactory(partnership=essex))
    ApplicationFactory(grant_round=GrantRoundFactory(partnership=bedfordshire))
    viewer = UserFactory(partnership=bedfordshire)
    assert ours not in Application.objects.for_viewer(viewer)
    assert Application.objects.for_viewer(viewer).count() == 1
    assert GrantRound.objects.for_viewer(viewer).get().partnership == bedfordshire


def test_a_user_without_a_partnership_sees_nothing():
    LSOAFactory()
    assert not LSOA.objects.for_viewer(UserFactory(partnership=None)).exists()
