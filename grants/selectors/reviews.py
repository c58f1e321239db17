"""Youth reviewers' tasks, their scores and the panel's members."""

from django.db.models import Count, Q, QuerySet

from grants import permissions
from grants.models import (
    Application,
    Assignment,
    PanelMember,
    Score,
)
from vru.models import User


def assignments_for(*, viewer: User) -> QuerySet[Assignment]:
    """A youth reviewer's tasks: their own assignments on applications with the youth panel
    (eligible, not yet decided). Once the reviewer declares a conflict, the grants team
    releases them, or the application is decided, it is closed to them everywhere (their
    list, the review and conflict pages, the API; reminders use the same states)."""
    if not permissions.is_youth_reviewer(viewer):
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(
            reviewer__user_id=viewer.pk,
            application__status=Application.Status.ELIGIBLE,
            application__grant_round__partnership_id=viewer.partnership_id,
        )
        .exclude(status__in=[Assignment.Status.CONFLICTED, Assignment.Status.RELEASED])
        .select_related("application__grant_round", "reviewer")
        .order_by("application__grant_round__panel_deadline", "application__title")
    )


def score_list(*, viewer: User) -> QuerySet[Score]:
    qs = Score.objects.select_related(
        "criterion", "assignment__application", "assignment__reviewer__user"
    )
    if permissions.is_grants_staff(viewer):
        return qs.for_viewer(viewer)
    if permissions.is_youth_reviewer(viewer):
        return qs.for_viewer(viewer).filter(assignment__reviewer__user_id=viewer.pk)
    return Score.objects.none()


def panel_member_list(*, viewer: User) -> QuerySet[PanelMember]:
    if not permissions.is_grants_staff(viewer):
        return PanelMember.objects.none()
    return (
        PanelMember.objects.for_viewer(viewer)
        .select_related("user")
        .annotate(
            assignment_count=Count(
                "assignments",
                filter=~Q(
                    assignments__status__in=[
                        Assignment.Status.CONFLICTED,
                        Assignment.Status.RELEASED,
                    ]
                ),
            )
        )
    )
