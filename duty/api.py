"""The Duty's API: read-only, the same visibility as the pages (duty.selectors)."""

from rest_framework import mixins, viewsets

from duty import selectors, serializers
from duty.models import DutyHolder, ReadinessAssessment, Strategy


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
