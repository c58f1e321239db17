"""Shared steps of the grants specifications."""

import datetime

from django.utils import timezone

from grants import services
from grants.models import GrantRound
from tests.factories import AssignmentFactory, PanelMemberFactory


def submit_all(assignment, user, score=4):
    """The reviewer says they know nobody involved, then scores every criterion (with a
    comment on each) and sends their scores."""
    services.no_conflict_declare(actor=user, assignment=assignment)
    criteria = assignment.application.grant_round.criteria.all()
    return services.scores_save(
        actor=user,
        assignment=assignment,
        scores={c.pk: (score, f"Comment on {c.title}") for c in criteria},
        submit=True,
    )


def close_round(grant_round) -> None:
    """The round closed yesterday; the panel deadline is still a week away."""
    now = timezone.now()
    GrantRound.objects.filter(pk=grant_round.pk).update(
        opens_at=now - datetime.timedelta(days=30),
        closes_at=now - datetime.timedelta(days=1),
        panel_deadline=now + datetime.timedelta(days=7),
    )
    grant_round.refresh_from_db()


def ready_to_decide(application, *, scores=(4,)):
    """The round has closed and every reviewer asked (one per score given) has sent their
    scores: the application may be decided without an override. Returns the assignments."""
    close_round(application.grant_round)
    application.refresh_from_db()
    assignments = []
    for score in scores:
        member = PanelMemberFactory(partnership=application.grant_round.partnership)
        assignment = AssignmentFactory(application=application, reviewer=member)
        assignments.append(submit_all(assignment, member.user, score))
    return assignments
