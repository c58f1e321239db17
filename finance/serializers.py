from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from finance import permissions
from finance.models import (
    KPI,
    Allocation,
    Contract,
    FundingStream,
    KPIFigure,
    QuarterlyReturn,
    QuarterlySpend,
)


class AllocationOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Allocation
        fields = ["id", "programme", "grant_round", "amount"]


class FundingStreamOutputSerializer(serializers.ModelSerializer):
    allocated = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    allocations = AllocationOutputSerializer(many=True, read_only=True)

    class Meta:
        model = FundingStream
        fields = [
            "id",
            "funder",
            "grant_name",
            "financial_year",
            "amount",
            "spend_type",
            "conditions",
            "allocated",
            "allocations",
        ]


class QuarterlySpendOutputSerializer(serializers.ModelSerializer):
    programme_name = serializers.CharField(source="programme.name", read_only=True)

    class Meta:
        model = QuarterlySpend
        fields = [
            "id",
            "programme",
            "programme_name",
            "financial_year",
            "quarter",
            "amount",
            "note",
        ]


class QuarterlyReturnOutputSerializer(serializers.ModelSerializer):
    """A quarterly return. `rows` follow the fixed columns (README, "The quarterly return"):
    true counts for partnership staff, the disclosure control's copy for everyone else."""

    rows = serializers.SerializerMethodField()
    figures = serializers.SerializerMethodField()

    class Meta:
        model = QuarterlyReturn
        fields = [
            "id",
            "financial_year",
            "quarter",
            "version",
            "status",
            "supersedes",
            "correction_reason",
            "produced_at",
            "reviewed_at",
            "locked_at",
            "figures",
            "rows",
        ]

    def _true_counts(self) -> bool:
        request = self.context.get("request")
        return request is not None and permissions.sees_true_return_counts(request.user)

    @extend_schema_field(serializers.ChoiceField(choices=["true counts", "disclosure control"]))
    def get_figures(self, obj) -> str:
        return "true counts" if self._true_counts() else "disclosure control"

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_rows(self, obj) -> list:
        rows = obj.rows if self._true_counts() else obj.published_rows
        # the fixed columns only (a programme row keeps its programme's id for the page's
        # drill-down links)
        return [{k: v for k, v in row.items() if k != "programme_id"} for row in rows]


class KPIOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = KPI
        fields = ["id", "name", "target", "unit"]


class ContractOutputSerializer(serializers.ModelSerializer):
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    kpis = KPIOutputSerializer(many=True, read_only=True)

    class Meta:
        model = Contract
        fields = [
            "id",
            "provider",
            "provider_name",
            "programme",
            "value",
            "starts_on",
            "ends_on",
            "kpis",
        ]


class KPIFigureOutputSerializer(serializers.ModelSerializer):
    contract = serializers.IntegerField(source="kpi.contract_id", read_only=True)

    class Meta:
        model = KPIFigure
        fields = ["id", "contract", "kpi", "financial_year", "quarter", "value", "recorded_at"]
