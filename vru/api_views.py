"""The REST API of the core: thin read-only viewsets over the selectors."""

from rest_framework import exceptions, mixins, viewsets

from vru import selectors, serializers
from vru.filters import LSOAFilter, RecommendationFilter
from vru.models import LSOA, Recommendation, StrategicNeedsAssessment, SuccessMeasure


class LSOAViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Neighbourhoods (2021 LSOAs) of the caller's partnership."""

    lookup_field = "code"
    filterset_class = LSOAFilter
    ordering_fields = ["code", "name", "population", "imd_decile", "imd_score"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return LSOA.objects.none()
        return selectors.lsoa_list(viewer=self.request.user)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.LSOADetailOutputSerializer
        return serializers.LSOAOutputSerializer

    def get_object(self):
        lsoa = selectors.lsoa_get(viewer=self.request.user, code=self.kwargs["code"])
        if lsoa is None:
            raise exceptions.NotFound
        return lsoa


class NeedsAssessmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Strategic needs assessments: published ones, and drafts for administrators and analysts."""

    serializer_class = serializers.NeedsAssessmentOutputSerializer
    filterset_fields = ["status"]
    ordering_fields = ["period_start", "title"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return StrategicNeedsAssessment.objects.none()
        return selectors.needs_assessment_list(viewer=self.request.user)


class RecommendationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = serializers.RecommendationOutputSerializer
    filterset_class = RecommendationFilter
    ordering_fields = ["number"]
    search_fields = ["text"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Recommendation.objects.none()
        return selectors.recommendation_list(viewer=self.request.user)


class SuccessMeasureViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Success measures with each period's value and its % changes (suppressed for
    commissioners where a count of people is below 5)."""

    serializer_class = serializers.SuccessMeasureOutputSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SuccessMeasure.objects.none()
        return selectors.success_measure_list(viewer=self.request.user)
