"""Youth reviewers' details and scores (the register's REVIEWER kind) go after the round
closes plus the period: comments, and the reviewer's identity detached from the round's
scores (the numbers stay for the round's record); a reviewer with no later round left and an
account unused within the period has the account anonymised. Not a day before."""

import datetime
import json

import pytest
from dateutil.relativedelta import relativedelta

from grants.models import Assignment, PanelMember, Score
from rights import services
from tests.factories import (
    ApplicationFactory,
    AssignmentFactory,
    GrantRoundFactory,
    PanelMemberFactory,
    UserFactory,
)
from vru.data_kinds import DataKind, retention_months
from vru.models import AuditEvent, Role, RoleAssignment, User

pytestmark = pytest.mark.django_db

CLOSED = datetime.datetime(2026, 1, 15, 12, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


def a_round(partnership, closes_at):
    return GrantRoundFactory(
        partnership=partnership,
        opens_at=closes_at - datetime.timedelta(days=30),
        closes_at=closes_at,
        panel_deadline=closes_at + datetime.timedelta(days=20),
    )


def scored(application, reviewer, *, numbers=(4, 2)):
    assignment = AssignmentFactory(
        application=application, reviewer=reviewer, conflict_reason="I know the treasurer"
    )
    for criterion, number in zip(application.grant_round.criteria.all(), numbers, strict=True):
        Score.objects.create(
            assignment=assignment, criterion=criterion, score=number, comment="Lovely idea"
        )
    return assignment


def reviewer(partnership, *, last_login=CLOSED, **user):
    member = PanelMemberFactory(partnership=partnership, user__email="kai@example.org", **user)
    User.objects.filter(pk=member.user_id).update(
        last_login=last_login, date_joined=CLOSED - relativedelta(months=6)
    )
    member.refresh_from_db()
    return member


@pytest.fixture
def panel(partnership):
    old_round = a_round(partnership, CLOSED)
    later_round = a_round(partnership, CLOSED + relativedelta(months=12))
    application = ApplicationFactory(grant_round=old_round, status="eligible")
    only_old, also_later = reviewer(partnership), reviewer(partnership)
    scored(application, only_old, numbers=(4, 2))
    scored(application, also_later, numbers=(5, 3))
    scored(ApplicationFactory(grant_round=later_round, status="eligible"), also_later)
    return {"old": old_round, "only_old": only_old, "also_later": also_later}


def end():
    return CLOSED + relativedelta(months=retention_months(DataKind.REVIEWER))


def test_nothing_of_a_reviewer_goes_a_day_before_the_period_ends(panel):
    run = services.retention_apply(now=end() - DAY)

    assert run.removed["reviewer"] == 0
    assert not Score.objects.filter(comment="").exists()
    assert Assignment.objects.filter(reviewer=panel["only_old"]).count() == 1
    assert User.objects.get(pk=panel["only_old"].user_id).email == "kai@example.org"


def test_the_reviewers_identity_is_detached_from_the_rounds_scores_and_the_numbers_stay(panel):
    run = services.retention_apply(now=end())

    old_scores = Score.objects.filter(assignment__application__grant_round=panel["old"])
    assert sorted(old_scores.values_list("score", flat=True)) == [2, 3, 4, 5]
    assert set(old_scores.values_list("comment", flat=True)) == {""}
    stand_ins = PanelMember.objects.filter(assignments__application__grant_round=panel["old"])
    assert stand_ins.count() == 2  # one per reviewer: which scores one person gave, not who
    assert all(m.user_id is None and m.anonymised_at for m in stand_ins)
    assert set(
        Assignment.objects.filter(application__grant_round=panel["old"]).values_list(
            "conflict_reason", flat=True
        )
    ) == {""}
    assert run.removed["reviewer"] > 0


def test_a_reviewer_with_no_later_round_has_the_account_anonymised(panel):
    services.retention_apply(now=end())

    member = PanelMember.objects.select_related("user").get(pk=panel["only_old"].pk)
    user = member.user
    assert (user.first_name, user.last_name, user.email) == ("", "", "")
    assert user.username == f"anonymised-reviewer-{member.pk}"
    assert not user.is_active
    assert not user.has_usable_password()
    assert not RoleAssignment.objects.filter(user=user).exists()
    assert (member.date_of_birth, member.training_completed_on, member.active) == (
        None,
        None,
        False,
    )
    assert AuditEvent.objects.filter(verb="panel_member.anonymised").count() == 1


def test_no_audit_row_names_the_anonymised_reviewer(panel):
    old = User.objects.get(pk=panel["only_old"].user_id)

    services.retention_apply(now=end())

    for recorded in AuditEvent.objects.all():
        text = recorded.target_repr + json.dumps(recorded.changes)
        for value in (old.username, old.email, old.get_full_name()):
            assert value not in text


def test_a_reviewer_with_a_later_round_keeps_the_account_and_the_later_scores(panel):
    services.retention_apply(now=end())

    member = PanelMember.objects.select_related("user").get(pk=panel["also_later"].pk)
    assert member.user.email == "kai@example.org"
    assert member.user.is_active
    assert Assignment.objects.filter(reviewer=member).count() == 1  # the later round's


def test_an_account_in_use_or_with_another_role_is_not_anonymised(partnership):
    grant_round = a_round(partnership, CLOSED)
    application = ApplicationFactory(grant_round=grant_round, status="eligible")
    still_signing_in = reviewer(partnership, last_login=end() - DAY)
    also_staff = reviewer(partnership)
    RoleAssignment.objects.create(user=also_staff.user, role=Role.ANALYST)
    scored(application, still_signing_in)
    scored(application, also_staff)
    newcomer = PanelMemberFactory(partnership=partnership)  # joined within the period

    services.retention_apply(now=end())

    for member in (still_signing_in, also_staff, newcomer):
        member.refresh_from_db()
        assert member.anonymised_at is None
        assert member.user.is_active
    assert not Assignment.objects.filter(reviewer__in=[still_signing_in, also_staff]).exists()


def test_anonymised_reviewers_leave_the_panel_list_and_a_second_run_changes_nothing(
    client, partnership, panel
):
    services.retention_apply(now=end())
    staff = UserFactory(partnership=partnership, roles=[Role.GRANTS_OFFICER])
    client.force_login(staff)

    page = client.get("/grants/panel/").content.decode()

    assert "anonymised-reviewer" not in page
    assert services.retention_apply(now=end()).removed["reviewer"] == 0
