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


class FairReachGroupOutputSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    young_people_referred = serializers.CharField(
        source="shown", help_text='As published: "<5" or "[c]" when withheld.'
    )
    compared = serializers.BooleanField(help_text="Whether the group is in the ratios.")
    share_of_referrals_percent = serializers.FloatField(
        source="share_of_referrals", allow_null=True
    )
    population = serializers.IntegerField(allow_null=True)
    share_of_population_percent = serializers.FloatField(
        source="share_of_population", allow_null=True
    )
    ratio = serializers.FloatField(allow_null=True)
    ratio_95_low = serializers.FloatField(source="low", allow_null=True)
    ratio_95_high = serializers.FloatField(source="high", allow_null=True)
    note = serializers.CharField(source="verdict", help_text='e.g. "Too few to say".')


class FairReachPopulationOutputSerializer(serializers.Serializer):
    description = serializers.CharField()
    sources = serializers.ListField(child=serializers.CharField())
    year = serializers.IntegerField()
    same_ages = serializers.BooleanField()
    synthetic = serializers.BooleanField()


class FairReachOutputSerializer(serializers.Serializer):
    period = serializers.CharField()
    programme = serializers.SerializerMethodField()
    published = serializers.BooleanField(
        source="suppressed", help_text="True: counts went through the disclosure control."
    )
    young_people_referred = serializers.CharField(source="people_shown")
    young_people_in_ethnicity_ratios = serializers.CharField(source="ethnicity_compared_shown")
    young_people_in_sex_ratios = serializers.CharField(source="sex_compared_shown")
    ethnicity_unknown_percent = serializers.FloatField(allow_null=True)
    sex_unknown_percent = serializers.FloatField(allow_null=True)
    min_referred = serializers.IntegerField(help_text="Fewer in a group: too few to say.")
    population = FairReachPopulationOutputSerializer(allow_null=True)
    ethnicity = FairReachGroupOutputSerializer(many=True)
    sex = FairReachGroupOutputSerializer(many=True)

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_programme(self, result) -> int | None:
        return None if result.programme is None else result.programme.pk
