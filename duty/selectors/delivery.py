"""A recommendation's whole delivery picture: its actions, and the programmes, grant rounds
and evaluations that serve it, each read through its own app's selector, so the viewer sees
only what they may see there."""

from dataclasses import dataclass

from django.db.models import Count

from duty import permissions
from duty.models import Action
from duty.selectors.actions import action_list, recommendation_choices
from evaluation import selectors as evaluation_selectors
from grants import selectors as grants_selectors
from grants.models import GrantRound
from programmes import selectors as programme_selectors
from programmes.models import Programme
from vru.models import Recommendation, User


@dataclass(frozen=True)
class DeliveryPicture:
    recommendation: Recommendation
    actions: list[Action]
    programmes: list[Programme]
    grant_rounds: list[GrantRound]
    evaluations: list  # evaluation.models.Evaluation, of the programmes above


def delivery_picture(*, viewer: User, pk: int) -> DeliveryPicture | None:
    if not permissions.can_view_duty(viewer):
        return None  # partners see their own actions, not the whole picture
    recommendation = recommendation_choices(viewer=viewer).filter(pk=pk).first()
    if recommendation is None:
        return None
    programmes = list(
        programme_selectors.programme_list(viewer=viewer)
        .filter(recommendations=recommendation)
        .order_by("name")
    )
    rounds = list(
        grants_selectors.grant_round_list(viewer=viewer)
        .filter(recommendations=recommendation)
        .annotate(application_count=Count("applications", distinct=True))
        .order_by("-opens_at")
    )
    evaluations = list(
        evaluation_selectors.evaluation_list(viewer=viewer)
        .filter(programme__in=[p.pk for p in programmes])
        .order_by("title")
    )
    return DeliveryPicture(
        recommendation=recommendation,
        actions=list(
            action_list(viewer=viewer)
            .filter(recommendation=recommendation)
            .order_by("due_on", "pk")
        ),
        programmes=programmes,
        grant_rounds=rounds,
        evaluations=evaluations,
    )
