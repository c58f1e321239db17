"""The grants demo: each partnership's own community groups and youth panel, and rounds
whose dates run in order (open, close, panel, decision, award, tranche, return) relative to
the day the demo is loaded; loaded idempotently.

The demo is loaded once for this module (on the partnerships' real local authorities and
needs assessments, a few neighbourhoods each) inside a transaction rolled back at the end.
"""

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from grants import demo as grants_demo
from grants.models import (
    Application,
    Assignment,
    Award,
    GrantRound,
    MonitoringReturn,
    Organisation,
    PanelMember,
)
from tests.demo_world import load_world
from vru.age_bands import AgeBand
from vru.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
            load_world()
            first = grants_demo.load_demo()
            again = grants_demo.load_demo()
        yield first, again
        transaction.set_rollback(True)


def test_each_partnership_has_past_running_and_open_rounds(demo_loaded):
    first, again = demo_loaded
    now = timezone.now()

    assert len(first) == 2
    assert again == []  # idempotent
    for prefix in ("essex", "beds"):
        officer = User.objects.get(username=f"{prefix}.grants")
        rounds = GrantRound.objects.filter(partnership=officer.partnership)
        assert rounds.filter(decided_at__isnull=False).count() == 3
        assert rounds.filter(opens_at__lte=now, closes_at__gt=now).count() == 1  # open now
        assert len(set(rounds.values_list("title", flat=True))) == rounds.count()
        assert PanelMember.objects.filter(partnership=officer.partnership).count() >= 5
        reviewer = User.objects.get(username=f"{prefix}.reviewer")
        assert Assignment.objects.filter(
            reviewer__user=reviewer, status=Assignment.Status.AWAITING_DECLARATION
        ).exists()
        applicant = User.objects.get(username=f"{prefix}.applicant")
        assert Application.objects.filter(
            organisation=applicant.grant_membership.organisation, status="draft"
        ).exists()


def test_every_round_runs_open_close_panel_decision(demo_loaded):
    for grant_round in GrantRound.objects.all():
        assert grant_round.opens_at < grant_round.closes_at < grant_round.panel_deadline
        if grant_round.decided_at is not None:
            assert grant_round.panel_deadline < grant_round.decided_at < timezone.now()
        for application in grant_round.applications.exclude(status="draft"):
            assert grant_round.opens_at <= application.submitted_at <= grant_round.closes_at
        for assignment in Assignment.objects.filter(
            application__grant_round=grant_round, status="submitted"
        ):
            assert grant_round.closes_at < assignment.submitted_at <= grant_round.panel_deadline


def test_every_award_runs_decision_award_tranche_return_in_order(demo_loaded):
    now = timezone.now()
    today = timezone.localdate()
    awards = Award.objects.select_related("decision__application__grant_round")

    assert awards.count() > 20
    for award in awards:
        decision = award.decision
        grant_round = decision.application.grant_round
        # decided after the panel, awarded the day it was decided, started after that
        assert grant_round.panel_deadline < decision.decided_at < now
        assert award.awarded_on == timezone.localdate(decision.decided_at)
        assert award.awarded_on < award.starts_on < award.ends_on
        returns = {r.number: r for r in award.monitoring_returns.all()}
        for tranche in award.tranches.order_by("number"):
            if tranche.released_at is None:
                continue
            assert tranche.released_at <= now
            assert timezone.localdate(tranche.released_at) >= award.starts_on
            if tranche.number > 1:  # paid only once the return before it was approved
                before = returns[tranche.number - 1]
                assert before.status == MonitoringReturn.Status.APPROVED
                assert before.approved_at < tranche.released_at
        for monitoring_return in returns.values():
            if monitoring_return.submitted_at is not None:
                assert award.starts_on < timezone.localdate(monitoring_return.submitted_at)
                assert monitoring_return.submitted_at <= now
            if monitoring_return.approved_at is not None:
                assert monitoring_return.submitted_at < monitoring_return.approved_at <= now
                assert monitoring_return.young_people_reached > 0
    # every state a grants officer meets: returns approved, one waiting, one overdue
    statuses = set(MonitoringReturn.objects.values_list("status", flat=True))
    assert statuses == {"due", "submitted", "approved"}
    assert MonitoringReturn.objects.filter(status="due", due_on__lt=today).exists()


def test_the_two_partnerships_fund_different_groups(demo_loaded):
    def of(slug, field):
        return set(
            Organisation.objects.filter(partnership__slug=slug)
            .exclude(**{field: ""})
            .values_list(field, flat=True)
        )

    assert of("essex-vvp", "charity_number")
    assert not of("essex-vvp", "charity_number") & of("bedfordshire-veru", "charity_number")
    assert not of("essex-vvp", "name") & of("bedfordshire-veru", "name")
    essex_rounds = GrantRound.objects.filter(partnership__slug="essex-vvp")
    beds_rounds = GrantRound.objects.filter(partnership__slug="bedfordshire-veru")
    assert not set(essex_rounds.values_list("budget", flat=True)) & set(
        beds_rounds.values_list("budget", flat=True)
    )
    assert not set(essex_rounds.values_list("title", flat=True)) & set(
        beds_rounds.values_list("title", flat=True)
    )


def test_funded_projects_are_linked_to_the_recommendations_they_serve(demo_loaded):
    applications = Application.objects.filter(grant_round__partnership__slug="essex-vvp")
    numbers = set(applications.values_list("recommendations__number", flat=True)) - {None}

    assert len(numbers) >= 5  # not all on the same three
    assert not applications.filter(recommendations__number=1).exists()  # none does rec 1


def test_returns_count_reach_in_the_core_age_bands(demo_loaded):
    returns = MonitoringReturn.objects.exclude(young_people_by_age_band={})
    assert returns.exists()
    for monitoring_return in returns:
        assert set(monitoring_return.young_people_by_age_band) <= set(AgeBand.values)
