"""The action plan as a viewer may see it: actions on the recommendations they may see,
with the RAG summary counted in the database."""

from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from duty import permissions
from duty.models import OPEN_STATUSES, Action, ActionUpdate, DutyHolder, Rag
from vru import selectors as core_selectors
from vru.models import Recommendation, StrategicNeedsAssessment, User


def _partner_recommendations(viewer: User) -> QuerySet[Recommendation]:
    """A partner's recommendations: those of the partnership's published needs assessments
    on which their organisation owns an action."""
    return Recommendation.objects.filter(
        needs_assessment__partnership_id=viewer.partnership_id,
        needs_assessment__status=StrategicNeedsAssessment.Status.PUBLISHED,
        duty_actions__owner_id=permissions.partner_holder_id(viewer),
    ).distinct()


def action_list(*, viewer: User) -> QuerySet[Action]:
    if permissions.can_view_duty(viewer):
        visible = Action.objects.for_viewer(viewer).filter(
            recommendation__in=core_selectors.recommendation_list(viewer=viewer)
        )
    elif (holder_id := permissions.partner_holder_id(viewer)) is not None:
        visible = Action.objects.for_viewer(viewer).filter(
            owner_id=holder_id,
            recommendation__needs_assessment__status=StrategicNeedsAssessment.Status.PUBLISHED,
        )
    else:
        return Action.objects.none()
    return visible.select_related("owner", "recommendation__needs_assessment")


def action_get(*, viewer: User, pk: int) -> Action | None:
    return (
        action_list(viewer=viewer)
        .prefetch_related(Prefetch("updates", queryset=ActionUpdate.objects.select_related("by")))
        .filter(pk=pk)
        .first()
    )


def recommendation_choices(*, viewer: User) -> QuerySet[Recommendation]:
    if not permissions.can_view_duty(viewer):
        if permissions.partner_holder_id(viewer) is not None:
            return _partner_recommendations(viewer).order_by(
                "-needs_assessment__period_start", "number"
            )
        return Recommendation.objects.none()
    return core_selectors.recommendation_list(viewer=viewer).order_by(
        "-needs_assessment__period_start", "number"
    )


@dataclass(frozen=True)
class PlanRow:
    recommendation: Recommendation
    actions: list[Action]
    green: int
    amber: int
    red: int
    done: int
    overdue: int


@dataclass(frozen=True)
class HolderRow:
    holder: DutyHolder
    total: int
    green: int
    amber: int
    red: int
    overdue: int


def action_plan(*, viewer: User, owner: int | None = None, rag: str | None = None) -> list[PlanRow]:
    """Every recommendation the viewer may see, with its actions (narrowed by owner or
    RAG rating when asked) and the counts of its open actions by rating."""
    today = timezone.localdate()
    actions = action_list(viewer=viewer)
    if owner:
        actions = actions.filter(owner_id=owner)
    if rag:
        actions = actions.filter(rag=rag, status__in=OPEN_STATUSES)
    by_recommendation: dict[int, list[Action]] = {}
    for action in actions.order_by("due_on", "pk"):
        by_recommendation.setdefault(action.recommendation_id, []).append(action)
    rows = []
    for recommendation in (
        recommendation_choices(viewer=viewer)
        .select_related(None)
        .select_related("needs_assessment")
    ):
        mine = by_recommendation.get(recommendation.pk, [])
        if (owner or rag) and not mine:
            continue
        open_ = [a for a in mine if a.status in OPEN_STATUSES]
        rows.append(
            PlanRow(
                recommendation=recommendation,
                actions=mine,
                green=sum(a.rag == Rag.GREEN for a in open_),
                amber=sum(a.rag == Rag.AMBER for a in open_),
                red=sum(a.rag == Rag.RED for a in open_),
                done=sum(a.status == Action.Status.DONE for a in mine),
                overdue=sum(a.overdue(today) for a in mine),
            )
        )
    return rows


def rag_by_holder(*, viewer: User) -> list[HolderRow]:
    """The open actions each organisation owns, by rating, counted in the database (for a
    partner: their own organisation's)."""
    if not permissions.can_view_action_plan(viewer):
        return []
    today = timezone.localdate()
    visible = action_list(viewer=viewer).values("pk")
    open_ = Q(actions__pk__in=visible, actions__status__in=OPEN_STATUSES)
    holders = (
        DutyHolder.objects.for_viewer(viewer)
        .annotate(
            total=Count("actions", filter=Q(actions__pk__in=visible), distinct=True),
            green=Count("actions", filter=open_ & Q(actions__rag=Rag.GREEN), distinct=True),
            amber=Count("actions", filter=open_ & Q(actions__rag=Rag.AMBER), distinct=True),
            red=Count("actions", filter=open_ & Q(actions__rag=Rag.RED), distinct=True),
            overdue=Count("actions", filter=open_ & Q(actions__due_on__lt=today), distinct=True),
        )
        .filter(total__gt=0)
        .order_by("name")
    )
    return [HolderRow(h, h.total, h.green, h.amber, h.red, h.overdue) for h in holders]


def actions_to_tell(*, today) -> list[tuple[Action, str]]:
    """Open actions whose owner should hear about them (for the beat task, no viewer): past
    their due date, or rated red. Each comes with what it is told about; that is told once
    (``notified_for``): an overdue action once per due date, a red rating once each time an
    update turns it red (the update clears ``notified_for``)."""
    due = (
        Action.objects.filter(status__in=OPEN_STATUSES)
        .filter(Q(due_on__lt=today) | Q(rag=Rag.RED))
        .annotate(last_update=Max("updates__pk"))  # names the red rating being told
        .select_related("owner", "recommendation")
    )
    told = []
    for action in due:
        reason = f"overdue:{action.due_on.isoformat()}" if action.due_on < today else "red"
        if action.notified_for != reason:
            told.append((action, reason))
    return told


def needs_assessment_get(*, viewer: User, pk: int):
    if not permissions.can_edit_duty(viewer):
        return None
    return core_selectors.needs_assessment_list(viewer=viewer).filter(pk=pk).first()


def previous_needs_assessment(*, refreshed):
    """The partnership's needs assessment before ``refreshed`` (by period), not yet carried
    forward; None when there is none."""
    return (
        StrategicNeedsAssessment.objects.filter(
            partnership_id=refreshed.partnership_id, period_start__lt=refreshed.period_start
        )
        .exclude(recommendations__duty_succession__isnull=False)
        .order_by("-period_start")
        .first()
    )


def carry_forward_choices(*, viewer: User) -> list[tuple]:
    """(refreshed, previous) pairs the viewer may carry forward: each needs assessment with an
    earlier one whose recommendations are not carried forward yet."""
    if not permissions.can_edit_duty(viewer):
        return []
    pairs = []
    for sna in core_selectors.needs_assessment_list(viewer=viewer).order_by("-period_start"):
        previous = previous_needs_assessment(refreshed=sna)
        if previous is not None:
            pairs.append((sna, previous))
    return pairs
