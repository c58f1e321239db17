"""The money API: read-only, the same visibility as the pages (finance.selectors)."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from finance import permissions, selectors, serializers
from finance.models import (
    Contract,
    FundingStream,
    KPIFigure,
    QuarterlyReturn,
    QuarterlySpend,
    financial_year_of,
)
from programmes.models import Programme
from vru.api import query_int
from vru.filters import MAX_ID


class _ReadOnly(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_value_regex = r"\d+"
    filter_backends: list = []
    model = None
    select = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        return self.select(viewer=self.request.user).order_by("pk")


class FundingStreamViewSet(_ReadOnly):
    """Funding streams with their allocations to programmes and grant rounds."""

    serializer_class = serializers.FundingStreamOutputSerializer
    model = FundingStream

    @staticmethod
    def select(*, viewer):
        return selectors.funding_streams(viewer=viewer).prefetch_related("allocations")


class QuarterlySpendViewSet(_ReadOnly):
    """Actual spend per programme per quarter of the financial year (April to June is 1)."""

    serializer_class = serializers.QuarterlySpendOutputSerializer
    model = QuarterlySpend
    select = staticmethod(selectors.spend_records)


class QuarterlyReturnViewSet(_ReadOnly):
    """Quarterly returns, every version; counts through the disclosure control for anyone
    who is not partnership staff."""

    serializer_class = serializers.QuarterlyReturnOutputSerializer
    model = QuarterlyReturn
    select = staticmethod(selectors.returns_for)


class ContractViewSet(_ReadOnly):
    """Contracts with commissioned providers and their KPIs: every contract for those who
    keep funding, their own provider's for provider staff."""

    serializer_class = serializers.ContractOutputSerializer
    model = Contract

    @staticmethod
    def select(*, viewer):
        return selectors.contracts(viewer=viewer).prefetch_related("kpis")


class KPIFigureViewSet(_ReadOnly):
    """Quarterly KPI figures of the contracts the viewer may see."""

    serializer_class = serializers.KPIFigureOutputSerializer
    model = KPIFigure
    select = staticmethod(selectors.kpi_figures)


FAIR_REACH_PARAMETERS = [
    OpenApiParameter("year", OpenApiTypes.INT, description="Financial year (2024 is 2024/25)"),
    OpenApiParameter("quarter", OpenApiTypes.INT, description="1 to 4 (April to June is 1)"),
    OpenApiParameter("programme", OpenApiTypes.INT, description="One programme's id"),
]


class FairReachView(APIView):
    """Fair reach: young people referred in a financial year or quarter by ethnic group and
    sex, each group's share against its share of the population, the ratio and its 95%
    interval (Katz), small groups "too few to say"; counts through the disclosure control for
    anyone who is not partnership staff."""

    @extend_schema(
        parameters=FAIR_REACH_PARAMETERS, responses=serializers.FairReachOutputSerializer
    )
    def get(self, request):
        user = request.user
        if not permissions.can_view_fair_reach(user):
            raise exceptions.NotFound
        year = query_int(request, "year", minimum=2000)
        if year is not None and year > 2100:
            raise exceptions.ValidationError({"year": ["Enter 2100 or less."]})
        if year is None:
            year = financial_year_of(timezone.localdate())
        quarter = query_int(request, "quarter", minimum=1)
        if quarter is not None and quarter > 4:
            raise exceptions.ValidationError({"quarter": ["Enter 1 to 4."]})
        programme = None
        programme_id = query_int(request, "programme", minimum=1)
        if programme_id is not None and programme_id > MAX_ID:
            raise exceptions.ValidationError({"programme": ["Unknown programme."]})
        if programme_id is not None:
            programme = Programme.objects.filter(
                partnership_id=user.partnership_id, pk=programme_id
            ).first()
            if programme is None:
                raise exceptions.ValidationError({"programme": ["Unknown programme."]})
        result = selectors.fair_reach(viewer=user, year=year, quarter=quarter, programme=programme)
        return Response(serializers.FairReachOutputSerializer(result).data)
