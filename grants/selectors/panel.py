"""The panel's moderated view of a round: weighted scores, what a decision waits for, what the letter quotes."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import F, FloatField, Sum
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from grants import permissions
from grants.models import (
    Application,
    Assignment,
    Decision,
    GrantRound,
    PanelProgress,
    Score,
    decision_waits_for,
)
from grants.selectors import moderation
from vru.models import User


@dataclass
class ModeratedApplication:
    pk: int
    title: str
    amount_requested: Decimal | None
    organisation: str

    def get_absolute_url(self) -> str:
        return reverse("grants:application_detail", kwargs={"pk": self.pk})


@dataclass
class ModerationRow:
    application: ModeratedApplication
    reviewer_scores: list[float] = field(default_factory=list)
    mean: float | None = None
    normalised: float | None = None
    spread: float = 0.0
    disagree: bool = False
    rank: int = 0
    running_total: Decimal = Decimal("0")
    within_budget: bool = False
    reviews_done: int = 0
    reviews_expected: int = 0
    # before the decision: what it still waits for ([] = ready to decide)
    waits_for: list[str] = field(default_factory=list)
    # after it: the outcome and, if decided before the panel finished, why
    decision: str = ""
    override_reason: str = ""
    panel_outstanding: str = ""


@dataclass
class Moderation:
    grant_round: GrantRound
    rows: list[ModerationRow]
    alpha: float | None
    threshold: float
    normalised: bool


def decision_waits(*, application: Application, now=None) -> list[str]:
    """What the application's decision still waits for ([] when it may be decided): the
    rule is grants.models.decision_waits_for; the decision service, the decision page and
    the moderation page all read it here."""
    progress = (
        Assignment.objects.filter(application=application)
        .panel_progress()
        .get(application.pk, PanelProgress())
    )
    return decision_waits_for(
        closes_at=application.grant_round.closes_at,
        progress=progress,
        now=now or timezone.now(),
    )


def _weighted_scores(**scope):
    """(application, reviewer, weighted score) for each submitted assignment in `scope`,
    aggregated in the database: sum(weight x score) / sum(weight) (grants.moderation). The
    moderation page and the decision's panel view both read it, so they agree."""
    return (
        Score.objects.filter(
            assignment__status=Assignment.Status.SUBMITTED, score__isnull=False, **scope
        )
        .values("assignment__application_id", "assignment__reviewer_id")
        .annotate(
            weighted=Cast(
                Sum(F("criterion__weight") * F("score"), output_field=FloatField()),
                FloatField(),
            )
            / Cast(Sum("criterion__weight"), FloatField())
        )
        .order_by()
        .values_list("assignment__application_id", "assignment__reviewer_id", "weighted")
    )


@dataclass
class PanelComment:
    """One reviewer's comment on one criterion, as the grants officer may quote it: by
    criterion, never by reviewer."""

    pk: int
    criterion: str
    comment: str


@dataclass
class PanelView:
    """The youth panel's moderated view of one application: the weighted score as the
    moderation page computes it (the mean of the reviewers' weighted scores), from how many
    reviewers, and the comments they wrote, for the grants officer to choose from."""

    score: float | None
    reviewers: int
    comments: list[PanelComment]


def panel_view(*, application: Application) -> PanelView:
    """Read by the decision service and the decision form (both already check that the
    viewer is grants staff of the round's partnership)."""
    values = [v for _app, _reviewer, v in _weighted_scores(assignment__application=application)]
    comments = [
        PanelComment(pk=pk, criterion=title, comment=comment.strip())
        for pk, title, comment in Score.objects.filter(
            assignment__application=application,
            assignment__status=Assignment.Status.SUBMITTED,
        )
        .exclude(comment="")
        .order_by("criterion__position", "criterion_id", "assignment_id")
        .values_list("pk", "criterion__title", "comment")
        if comment.strip()
    ]
    return PanelView(
        score=sum(values) / len(values) if values else None,
        reviewers=len(values),
        comments=comments,
    )


def moderation_for(
    *, viewer: User, grant_round: GrantRound, normalised: bool = False
) -> Moderation:
    """Each eligible application's weighted score, spread and disagreement flag, the
    round's Krippendorff's alpha, and the ranking against the budget (see grants.moderation)."""
    if not (
        permissions.is_grants_staff(viewer) and grant_round.partnership_id == viewer.partnership_id
    ):
        raise PermissionDenied("Only grants staff of this partnership see its moderation.")
    # Plain rows, not model instances: a round may hold thousands of applications.
    applications = []
    decisions = {}
    for pk, title, amount, org, outcome, reason, outstanding in grant_round.applications.filter(
        status__in=[Application.Status.ELIGIBLE, Application.Status.DECIDED]
    ).values_list(
        "pk",
        "title",
        "amount_requested",
        "organisation__name",
        "decision__outcome",
        "decision__override_reason",
        "decision__panel_outstanding",
    ):
        applications.append(
            ModeratedApplication(pk=pk, title=title, amount_requested=amount, organisation=org)
        )
        if outcome:
            decisions[pk] = (Decision.Outcome(outcome).label, reason, outstanding)
    progress = Assignment.objects.filter(application__grant_round=grant_round).panel_progress()
    now = timezone.now()
    weighted = _weighted_scores(assignment__application__grant_round=grant_round)
    by_app: dict[int, list[float]] = defaultdict(list)
    by_reviewer: dict[int, dict[int, float]] = defaultdict(dict)
    for app_id, reviewer_id, value in weighted:
        by_app[app_id].append(value)
        by_reviewer[reviewer_id][app_id] = value
    z = moderation.normalise(by_reviewer)
    z_by_app: dict[int, list[float]] = defaultdict(list)
    for scores in z.values():
        for app_id, value in scores.items():
            z_by_app[app_id].append(value)
    expected = grant_round.reviewers_per_application
    rows = {}
    for application in applications:
        values = by_app.get(application.pk, [])
        rows[application.pk] = ModerationRow(
            application=application,
            reviewer_scores=sorted(values),
            mean=sum(values) / len(values) if values else None,
            normalised=(
                sum(z_by_app[application.pk]) / len(z_by_app[application.pk])
                if z_by_app.get(application.pk)
                else None
            ),
            spread=moderation.spread(values),
            disagree=moderation.disagree(values),
            reviews_done=len(values),
            reviews_expected=expected,
        )
        if application.pk in decisions:
            row = rows[application.pk]
            row.decision, row.override_reason, row.panel_outstanding = decisions[application.pk]
        else:
            rows[application.pk].waits_for = decision_waits_for(
                closes_at=grant_round.closes_at,
                progress=progress.get(application.pk, PanelProgress()),
                now=now,
            )
    ranking = moderation.rank_against_budget(
        [
            (
                pk,
                row.normalised if normalised else row.mean,
                row.application.amount_requested or Decimal("0"),
            )
            for pk, row in rows.items()
        ],
        grant_round.budget,
    )
    ordered = []
    for app_id, rank, running, within in ranking:
        row = rows[app_id]
        row.rank, row.running_total, row.within_budget = rank, running, within
        ordered.append(row)
    return Moderation(
        grant_round=grant_round,
        rows=ordered,
        alpha=moderation.krippendorff_alpha_interval(by_app.values()),
        threshold=moderation.DISAGREEMENT_THRESHOLD,
        normalised=normalised,
    )
