"""Youth reviewers' tasks, their scores and the panel's members."""

from dataclasses import dataclass
from decimal import Decimal

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
        .filter(anonymised_at__isnull=True)  # stand-ins and anonymised accounts are no one's
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


# --- The application as a youth reviewer reads it ---------------------------------------

# What a reviewer sees of an application and of the group applying: the whole project, and
# never the applicant's contact details (names, e-mails, phones, addresses). This list is
# the one place that decides; the review page shows only what it holds.
REVIEWER_APPLICATION_FIELDS = ("title", "summary", "amount_requested", "young_people_expected")
REVIEWER_ORGANISATION_FIELDS = ("name", "kind", "local_authority")


@dataclass(frozen=True)
class ApplicationForReviewer:
    title: str
    summary: str
    amount_requested: Decimal | None
    young_people_expected: int | None
    organisation_name: str
    organisation_kind: str
    organisation_area: str
    places: list[str]
    themes: list[str]
    recommendations: list[str]
    budget_lines: list[tuple[str, Decimal]]
    budget_total: Decimal
    eligibility: list[tuple[str, str]]  # (question, "Yes"/"No")


def application_for_reviewer(
    *, viewer: User, assignment: Assignment
) -> ApplicationForReviewer | None:
    """The application of one of the viewer's assignments, as a youth reviewer may read it
    (REVIEWER_APPLICATION_FIELDS): None when it is not theirs to read."""
    if not assignments_for(viewer=viewer).filter(pk=assignment.pk).exists():
        return None
    application = (
        Application.objects.filter(pk=assignment.application_id)
        .select_related("organisation__local_authority")
        .only(
            *REVIEWER_APPLICATION_FIELDS,
            "themes",
            "grant_round_id",
            "organisation__name",
            "organisation__kind",
            "organisation__local_authority__name",
        )
        .get()
    )
    organisation = application.organisation
    lines = [(line.description, line.amount) for line in application.budget_lines.all()]
    answers = application.eligibility_answers.select_related("question").order_by(
        "question__position", "question_id"
    )
    return ApplicationForReviewer(
        title=application.title,
        summary=application.summary,
        amount_requested=application.amount_requested,
        young_people_expected=application.young_people_expected,
        organisation_name=organisation.name,
        organisation_kind=organisation.get_kind_display(),
        organisation_area=organisation.local_authority.name if organisation.local_authority else "",
        places=[lsoa.name for lsoa in application.lsoas.order_by("name")],
        themes=list(application.themes or []),
        recommendations=[r.full_label for r in application.recommendations.all()],
        budget_lines=lines,
        budget_total=sum((amount for _, amount in lines), Decimal(0)),
        eligibility=[(a.question.text, "Yes" if a.answer else "No") for a in answers],
    )
