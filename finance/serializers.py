from rest_framework import serializers

from finance.models import Allocation, FundingStream, QuarterlySpend


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
