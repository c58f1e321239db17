"""The Duty's API: the same visibility as the pages (duty.selectors); progress on an action
is the one write, by whoever may update it on its page (duty.permissions)."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from duty import permissions, selectors, serializers, services
from duty.models import Action, ActionUpdate, DutyHolder, ReadinessAssessment, Strategy


class _ReadOnly(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_value_regex = r"\d+"
    filter_backends: list = []
    model = None
    select = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        return self.select(viewer=self.request.user).order_by("pk")


class DutyHolderViewSet(_ReadOnly):
    """The register of organisations under the Serious Violence Duty, and partners."""

    serializer_class = serializers.DutyHolderOutputSerializer
    model = DutyHolder
    select = staticmethod(selectors.duty_holder_list)


class StrategyViewSet(_ReadOnly):
    """The strategy's versions, with their reviews."""

    serializer_class = serializers.StrategyOutputSerializer
    model = Strategy
    select = staticmethod(selectors.strategy_list)


class ReadinessAssessmentViewSet(_ReadOnly):
    """Readiness assessments, each with its score in the eight areas."""

    serializer_class = serializers.ReadinessAssessmentOutputSerializer
    model = ReadinessAssessment
    select = staticmethod(selectors.readiness_assessment_list)


class ActionViewSet(_ReadOnly):
    """The action plan's actions with their progress updates (a partner: those their
    organisation owns). POST to `updates` records progress."""

    serializer_class = serializers.ActionOutputSerializer
    model = Action

    @staticmethod
    def select(*, viewer):
        return selectors.action_list(viewer=viewer).prefetch_related(
            Prefetch("updates", queryset=ActionUpdate.objects.order_by("written_at", "pk"))
        )

    @extend_schema(
        request=serializers.ActionUpdateInputSerializer,
        responses={200: serializers.ActionOutputSerializer},
    )
    @action(detail=True, methods=["post"])
    def updates(self, request, pk=None):
        found = self.get_object()
        if not permissions.can_update_action(request.user, found):
            raise exceptions.PermissionDenied("You cannot update this action.")
        payload = serializers.ActionUpdateInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = dict(payload.validated_data)
        services.action_update_record(
            actor=request.user, action=found, status=values.pop("action_status"), **values
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=found.pk)).data)
