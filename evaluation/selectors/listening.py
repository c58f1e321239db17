"""Every read of listening projects that depends on who is asking."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from evaluation import permissions
from evaluation.filters import ResponseFilter
from evaluation.models import (
    CodebookTheme,
    FeedbackResponse,
    ListeningAction,
    ListeningExercise,
    SafeguardingAlert,
)
from vru.age_bands import ListeningAgeBand
from vru.filters import ordered
from vru.models import LSOA, ImportJob, User
from vru.selectors import disclosure
from vru.selectors.disclosure import shown_count


def exercise_list(*, viewer: User) -> QuerySet[ListeningExercise]:
    if not permissions.can_view_listening_summary(viewer):
        return ListeningExercise.objects.none()
    return ListeningExercise.objects.for_viewer(viewer).annotate(
        response_count=disclosure.people(
            "feedback_response",
            pk_field="responses",
            suppress=permissions.sees_suppressed_counts(viewer),
        )
    )


def responses_import_jobs(*, viewer: User, exercise: ListeningExercise) -> QuerySet[ImportJob]:
    """The exercise's imports of responses, for those who may import them (newest first)."""
    if (
        not permissions.can_record_feedback(viewer)
        or exercise.partnership_id != viewer.partnership_id
    ):
        return ImportJob.objects.none()
    return (
        ImportJob.objects.for_viewer(viewer)
        .filter(
            kind=ImportJob.Kind.LISTENING_RESPONSES,
            target_id=exercise.pk,
        )
        .select_related("created_by", "confirmed_by", "restored_by", "partnership")
    )


def response_list(
    *, viewer: User, exercise: ListeningExercise, filters: dict | None = None
) -> QuerySet[FeedbackResponse]:
    if (
        not permissions.can_read_feedback(viewer)
        or exercise.partnership_id != viewer.partnership_id
    ):
        return FeedbackResponse.objects.none()
    qs = (
        FeedbackResponse.objects.filter(exercise=exercise)
        .select_related("local_authority", "lsoa")
        .defer(*LSOA.drawing("lsoa"))
        .prefetch_related("themes")
    )
    # the words are encrypted, so only the question can be searched (ResponseFilter.q)
    qs = ResponseFilter(filters or {}, queryset=qs).qs
    qs = ordered(qs, "-id") if qs.query.order_by else qs.order_by("-responded_on", "-id")
    return qs.distinct()


@dataclass(frozen=True)
class CountRow:
    label: str
    count: int
    shown: str


@dataclass(frozen=True)
class ThemeSummary:
    theme: CodebookTheme
    count: int
    shown: str
    actions: list[ListeningAction]

    @property
    def loop_closed(self) -> bool:
        return any(a.status == ListeningAction.Status.DELIVERED for a in self.actions)


@dataclass(frozen=True)
class ExerciseSummary:
    responses: CountRow
    themes: list[ThemeSummary]
    by_area: list[CountRow]
    by_age_band: list[CountRow]
    uncoded: int
    loop_closed_share: int | None  # % of raised themes with a delivered action
    suppressed: bool

    @property
    def loop_closed_shown(self) -> str:
        return "–" if self.loop_closed_share is None else f"{self.loop_closed_share}%"


def exercise_summary(*, exercise: ListeningExercise, suppress: bool) -> ExerciseSummary:
    """Counts by theme, area and age band, computed in the database; small counts
    suppressed when `suppress` (commissioners, the public page)."""
    responses = FeedbackResponse.objects.filter(exercise=exercise)
    # outside the team, every count is the disclosure control's (adjusted) count
    total = responses.aggregate(n=disclosure.people("feedback_response", suppress=suppress))["n"]
    themes = list(
        CodebookTheme.objects.filter(exercise=exercise)
        .annotate(n=disclosure.people("feedback_response", pk_field="responses", suppress=suppress))
        .prefetch_related("actions")
    )
    theme_rows = [
        ThemeSummary(t, t.n, shown_count(t.n, suppress=suppress), list(t.actions.all()))
        for t in themes
    ]
    raised = [row for row in theme_rows if row.count]
    loop_closed_share = (
        round(100 * sum(row.loop_closed for row in raised) / len(raised)) if raised else None
    )
    by_area = [
        CountRow(name or "Area not recorded", n, shown_count(n, suppress=suppress))
        for name, n in responses.order_by()
        .values_list("local_authority__name")
        .annotate(n=disclosure.people("feedback_response", suppress=suppress))
        .order_by("local_authority__name")
    ]
    labels = dict(ListeningAgeBand.choices)
    counts = dict(
        responses.order_by()
        .values_list("age_band")
        .annotate(n=disclosure.people("feedback_response", suppress=suppress))
    )
    by_age_band = [
        CountRow(labels[value], counts[value], shown_count(counts[value], suppress=suppress))
        for value in ListeningAgeBand.values
        if value in counts
    ]
    uncoded = responses.exclude(
        Exists(FeedbackResponse.themes.through.objects.filter(feedbackresponse_id=OuterRef("pk")))
    ).count()
    return ExerciseSummary(
        responses=CountRow("Responses", total, shown_count(total, suppress=suppress)),
        themes=theme_rows,
        by_area=by_area,
        by_age_band=by_age_band,
        uncoded=uncoded,
        loop_closed_share=loop_closed_share,
        suppressed=suppress,
    )


def public_exercise(*, slug: str) -> ListeningExercise | None:
    """The exercise behind a public "you said, we did" page, if it has been published."""
    return ListeningExercise.objects.filter(public_slug=slug, is_public=True).first()


def safeguarding_alert_list(*, viewer: User) -> QuerySet[SafeguardingAlert]:
    if not permissions.can_handle_safeguarding_alerts(viewer):
        return SafeguardingAlert.objects.none()
    return SafeguardingAlert.objects.filter(
        response__exercise__partnership_id=viewer.partnership_id
    ).select_related("response__exercise", "acknowledged_by")
