"""The grants demo: an open and a decided round per partnership, loaded idempotently.

The demo is loaded once for this module inside a transaction rolled back at the end, so
nothing leaks into other modules' tests.
"""

import pytest

from grants import demo as grants_demo
from grants.models import Application, Assignment, Award, GrantRound, Organisation, PanelMember
from tests import demo_rows
from vru.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock(), demo_rows.rolled_back():
        from django.test import override_settings

        with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
            demo_rows.load_demo()
            first = grants_demo.load_demo()
            again = grants_demo.load_demo()
        yield first, again


def test_the_demo_has_an_open_and_a_decided_round_per_partnership(demo_loaded):
    first, again = demo_loaded
    assert len(first) == 2
    assert again == []  # idempotent
    for prefix in ("essex", "beds"):
        officer = User.objects.get(username=f"{prefix}.grants")
        rounds = GrantRound.objects.filter(partnership=officer.partnership)
        assert rounds.count() == 2
        assert rounds.filter(decided_at__isnull=False).count() == 1
        assert Organisation.objects.filter(partnership=officer.partnership).count() == 5
        assert PanelMember.objects.filter(partnership=officer.partnership).count() == 5
        assert (
            Award.objects.filter(
                decision__application__grant_round__partnership=officer.partnership
            ).count()
            == 3
        )
        reviewer = User.objects.get(username=f"{prefix}.reviewer")
        assert Assignment.objects.filter(
            reviewer__user=reviewer, status=Assignment.Status.AWAITING_DECLARATION
        ).exists()
        applicant = User.objects.get(username=f"{prefix}.applicant")
        assert Application.objects.filter(
            organisation=applicant.grant_membership.organisation, status="draft"
        ).exists()
