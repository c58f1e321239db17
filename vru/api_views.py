"""The REST API of the core: thin read-only viewsets over the selectors."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, viewsets
from rest_framework.decorators import action

from vru import selectors, serializers
from vru.api import CountedPagination, RowsPagination, query_bool
from vru.filters import LSOAFilter, RecommendationFilter, RiskScoreFilter, names_a_filter
from vru.models import (
    LSOA,
    AreaProfile,
    Hotspot,
    Recommendation,
    RiskRun,
    StrategicNeedsAssessment,
    SuccessMeasure,
)


class LSOAViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Neighbourhoods (2021 LSOAs) of the caller's partnership."""

    lookup_field = "code"
    filterset_class = LSOAFilter
    pagination_class = RowsPagination  # plain rows, a page and its count in one query
    ordering_fields = ["code", "name", "population", "imd_decile", "imd_score"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return LSOA.objects.none()
        if self.action == "list" and self._page_from_rows_page():
            # the filter backends only check the query string (a bad ?ordering= is still a
            # 400) and set the order; the page comes from rows_page
            return LSOA.objects.none()
        return selectors.lsoa_list(viewer=self.request.user)

    def _page_from_rows_page(self) -> bool:
        """Nothing filtered, the first page of the usual size, in at most one field's order
        (see rows_page)."""
        params = self.request.query_params
        paginator = self.paginator
        return (
            not names_a_filter(params, self.filterset_class)
            and params.get("page") in {None, "", "1"}
            and "," not in params.get("ordering", "")
            and paginator.get_page_size(self.request) == paginator.page_size
        )

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.LSOADetailOutputSerializer
        if self.action == "list":  # plain rows (RowsPagination): the same output
            return serializers.LSOARowOutputSerializer
        return serializers.LSOAOutputSerializer

    def rows_page(self, *, order_by, start, size, count_as) -> list[dict] | None:
        """Nothing filtered, the first page in one order: the page from the list's query
        compiled once per shape (RowsPagination); building and compiling it cost more than
        running it. Each page number and page size is a shape of its own (its OFFSET and
        LIMIT), so later pages, other sizes and orders of several fields go through the ORM:
        a client cannot fill the store of compiled shapes that the caseload shares."""
        if not self._page_from_rows_page():
            return None
        return selectors.lsoa_rows(
            viewer=self.request.user,
            fields=self.get_serializer_class().row_fields(),
            order_by=order_by,
            start=start,
            size=size,
            count_as=count_as,
        )

    @extend_schema(responses=serializers.LSOAOutputSerializer(many=True))
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

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
    pagination_class = CountedPagination  # a page and its count in one query
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
    """Success measures: each period's value (with the period it covers and the SNA table it
    comes from) and the comparisons the needs assessment makes between them, with their %
    change. No change is given between values without a comparison. Counts of people from
    1 to 4 are "<5" for commissioners, with no change that would reveal them."""

    serializer_class = serializers.SuccessMeasureOutputSerializer
    pagination_class = CountedPagination  # a page and its count in one query

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SuccessMeasure.objects.none()
        return selectors.success_measure_list(viewer=self.request.user)


class RiskRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Risk index runs of the caller's partnership; `scores` lists one run's ranked LSOAs."""

    serializer_class = serializers.RiskRunOutputSerializer
    filterset_fields = ["status", "is_current"]
    ordering_fields = ["created_at", "label"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return RiskRun.objects.none()
        return selectors.risk_run_list(viewer=self.request.user)

    @extend_schema(
        responses=serializers.RiskScoreOutputSerializer(many=True),
        parameters=[
            OpenApiParameter("priority", bool, description="Only the priority LSOAs."),
            OpenApiParameter("local_authority", str, description="Local authority code."),
        ],
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def scores(self, request, pk=None):
        filters = request.query_params.dict()
        filters["priority"] = "1" if query_bool(request, "priority") else ""
        checked = RiskScoreFilter(filters)  # a value it cannot take is a 400 naming it
        if not checked.is_valid():
            raise exceptions.ValidationError(checked.errors)
        run = self.get_object()
        scores = selectors.risk_score_list(viewer=request.user, run=run, filters=filters)
        page = self.paginate_queryset(scores)
        data = serializers.RiskScoreOutputSerializer(page, many=True).data
        return self.get_paginated_response(data)


class HotspotViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Hotspots (one-sided Poisson test against the partnership rate x population)."""

    serializer_class = serializers.HotspotOutputSerializer
    filterset_fields = ["year", "is_new"]
    ordering_fields = ["p_value", "persistence", "year"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Hotspot.objects.none()
        return selectors.hotspot_list(viewer=self.request.user)


class AreaProfileViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Monthly profiles per community safety partnership and local authority."""

    serializer_class = serializers.AreaProfileOutputSerializer
    filterset_fields = ["kind", "month"]
    ordering_fields = ["month", "rank", "rate_per_1000", "harm"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AreaProfile.objects.none()
        return selectors.area_profile_list(viewer=self.request.user)
