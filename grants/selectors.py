"""Every read of grants that depends on who is asking.

Scopes: grants staff see their partnership's rounds and everything in them; an applicant
sees its own organisation's applications and awards (and open rounds to apply to); a youth
reviewer sees only the applications assigned to them, through `assignments_for`, without
contact details. Anyone else gets empty querysets, so views answer 404.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, FloatField, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from grants import moderation, permissions
from grants.filters import ApplicationFilter, AwardFilter, GrantRoundFilter, OrganisationFilter
from grants.models import (
    Application,
    Assignment,
    Award,
    Decision,
    GrantRound,
    MonitoringReturn,
    Organisation,
    OrganisationMembership,
    PanelMember,
    PanelProgress,
    Score,
    Tranche,
    decision_waits_for,
)
from vru.models import User


def _organisation_id(viewer: User) -> int | None:
    if not permissions.is_applicant(viewer):
        return None
    membership = getattr(viewer, "grant_membership", None)
    return membership.organisation_id if membership is not None else None


def grant_round_list(*, viewer: User, filters: dict | None = None) -> QuerySet[GrantRound]:
    if permissions.is_grants_staff(viewer):
        qs = GrantRound.objects.filter(partnership_id=viewer.partnership_id)
    elif (org := _organisation_id(viewer)) is not None:
        now = timezone.now()
        qs = (
            GrantRound.objects.filter(partnership_id=viewer.partnership_id)
            .filter(Q(opens_at__lte=now, closes_at__gt=now) | Q(applications__organisation_id=org))
            .distinct()
        )
    else:
        # nothing to see, but still annotated: the API's ?sort=applications orders by it
        qs = GrantRound.objects.none()
    # Staff count every submitted application in the round; an applicant counts only its
    # own organisation's (how many others applied is not theirs to know).
    counted = ~Q(applications__status=Application.Status.DRAFT)
    if not permissions.is_grants_staff(viewer):
        counted &= Q(applications__organisation_id=org)
    qs = qs.order_by("-opens_at", "title", "pk").annotate(
        application_count=Count("applications", filter=counted, distinct=True)
    )
    if filters is not None:
        qs = GrantRoundFilter(filters, queryset=qs).qs
    return qs


def organisation_list(*, viewer: User, filters: dict | None = None) -> QuerySet[Organisation]:
    """The partnership's applicant organisations, for grants staff only, with how many
    applications they have submitted and how many people act for them."""
    if not permissions.is_grants_staff(viewer):
        return Organisation.objects.none()
    qs = (
        Organisation.objects.filter(partnership_id=viewer.partnership_id)
        .select_related("local_authority")
        .annotate(
            application_count=Count(
                "applications",
                filter=~Q(applications__status=Application.Status.DRAFT),
                distinct=True,
            ),
            member_count=Count("memberships", distinct=True),
        )
        .order_by("name", "pk")
    )
    if filters is not None:
        qs = OrganisationFilter(filters, queryset=qs).qs
    return qs


def user_to_add_to_organisation(*, viewer: User, username: str) -> User | None:
    """The user of the viewer's partnership with this username (any capitals), for grants
    staff giving someone access to an organisation; nobody else may look users up."""
    if not permissions.is_grants_staff(viewer):
        return None
    return User.objects.filter(
        partnership_id=viewer.partnership_id, username__iexact=username
    ).first()


def organisation_members(*, viewer: User, organisation: Organisation):
    if not permissions.is_grants_staff(viewer) or (
        organisation.partnership_id != viewer.partnership_id
    ):
        return OrganisationMembership.objects.none()
    return organisation.memberships.select_related("user").order_by("user__username")


def open_round_list(*, viewer: User) -> QuerySet[GrantRound]:
    """Rounds taking applications now, for an applicant to start one."""
    if _organisation_id(viewer) is None:
        return GrantRound.objects.none()
    now = timezone.now()
    return GrantRound.objects.filter(
        partnership_id=viewer.partnership_id, opens_at__lte=now, closes_at__gt=now
    ).order_by("closes_at")


def application_list(*, viewer: User, filters: dict | None = None) -> QuerySet[Application]:
    qs = Application.objects.select_related("grant_round", "organisation")
    if permissions.is_grants_staff(viewer):
        qs = qs.filter(grant_round__partnership_id=viewer.partnership_id)
    elif (org := _organisation_id(viewer)) is not None:
        qs = qs.filter(organisation_id=org, grant_round__partnership_id=viewer.partnership_id)
    else:
        return Application.objects.none()
    if filters is not None:
        qs = ApplicationFilter(filters, queryset=qs).qs
    return qs


def application_get(*, viewer: User, pk: int) -> Application | None:
    return (
        application_list(viewer=viewer)
        .prefetch_related(
            "budget_lines",
            "lsoas",
            "attachments",
            "recommendations",
            "eligibility_answers__question",
            Prefetch("assignments", queryset=Assignment.objects.select_related("reviewer__user")),
        )
        .filter(pk=pk)
        .first()
    )


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
        return qs.filter(assignment__application__grant_round__partnership_id=viewer.partnership_id)
    if permissions.is_youth_reviewer(viewer):
        return qs.filter(
            assignment__reviewer__user_id=viewer.pk,
            assignment__application__grant_round__partnership_id=viewer.partnership_id,
        )
    return Score.objects.none()


def award_list(*, viewer: User, filters: dict | None = None) -> QuerySet[Award]:
    qs = Award.objects.select_related(
        "decision__application__organisation", "decision__application__grant_round"
    )
    if permissions.is_grants_staff(viewer):
        qs = qs.filter(decision__application__grant_round__partnership_id=viewer.partnership_id)
    elif (org := _organisation_id(viewer)) is not None:
        qs = qs.filter(decision__application__organisation_id=org)
    else:
        return Award.objects.none()
    if filters is not None:
        qs = AwardFilter(filters, queryset=qs).qs
    return qs


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


class _AwardRows:
    """A sliceable, countable view of award rows as plain dicts, for the API's pagination:
    the COUNT and the page's rows come from the database, tranches in one more query."""

    FIELDS = (
        "pk",
        "decision__application_id",
        "decision__application__title",
        "decision__application__organisation__name",
        "amount",
        "awarded_on",
        "starts_on",
        "ends_on",
    )

    def __init__(self, queryset: QuerySet[Award]) -> None:
        self.queryset = queryset

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        rows = list(self.queryset.values_list(*self.FIELDS)[index])
        tranches: dict[int, list[dict]] = defaultdict(list)
        for award_id, number, amount, due_on, released_at in (
            Tranche.objects.filter(award_id__in=[r[0] for r in rows])
            .order_by("award_id", "number")
            .values_list("award_id", "number", "amount", "due_on", "released_at")
        ):
            tranches[award_id].append(
                {
                    "number": number,
                    "amount": _money(amount),
                    "due_on": due_on.isoformat(),
                    "released_at": _datetime(released_at),
                }
            )
        return [
            {
                "id": pk,
                "application": application,
                "title": title,
                "organisation": organisation,
                "amount": _money(amount),
                "awarded_on": awarded.isoformat(),
                "starts_on": starts.isoformat(),
                "ends_on": ends.isoformat(),
                "tranches": tranches[pk],
            }
            for pk, application, title, organisation, amount, awarded, starts, ends in rows
        ]


def _datetime(value) -> str | None:
    from rest_framework.fields import DateTimeField

    return None if value is None else DateTimeField().to_representation(value)


def award_rows(queryset: QuerySet[Award]) -> _AwardRows:
    """Plain rows of an already viewer-scoped award queryset (see award_list)."""
    return _AwardRows(queryset)


def award_get(*, viewer: User, pk: int) -> Award | None:
    return (
        award_list(viewer=viewer)
        .prefetch_related("tranches", "monitoring_returns")
        .filter(pk=pk)
        .first()
    )


def monitoring_return_list(*, viewer: User) -> QuerySet[MonitoringReturn]:
    return MonitoringReturn.objects.filter(award__in=award_list(viewer=viewer)).select_related(
        "award__decision__application"
    )


def panel_member_list(*, viewer: User) -> QuerySet[PanelMember]:
    if not permissions.is_grants_staff(viewer):
        return PanelMember.objects.none()
    return (
        PanelMember.objects.filter(partnership_id=viewer.partnership_id)
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
