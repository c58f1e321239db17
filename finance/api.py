"""The money API: read-only, the same visibility as the pages (finance.selectors)."""

from rest_framework import mixins, viewsets

from finance import selectors, serializers
from finance.models import Contract, FundingStream, KPIFigure, QuarterlyReturn, QuarterlySpend


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
