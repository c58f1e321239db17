from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from vru.models import (
    LSOA,
    Recommendation,
    StrategicNeedsAssessment,
    SuccessMeasure,
)


class LSOAOutputSerializer(serializers.ModelSerializer):
    local_authority_code = serializers.CharField(source="local_authority.code")
    local_authority_name = serializers.CharField(source="local_authority.name")
    community_safety_partnership = serializers.CharField(source="community_safety_partnership.name")

    class Meta:
        model = LSOA
        fields = [
            "code",
            "name",
            "lsoa11_code",
            "local_authority_code",
            "local_authority_name",
            "community_safety_partnership",
            "population",
            "imd_score",
            "imd_decile",
        ]


class LSOADetailOutputSerializer(LSOAOutputSerializer):
    class Meta(LSOAOutputSerializer.Meta):
        fields = [*LSOAOutputSerializer.Meta.fields, "boundary"]


class NeedsAssessmentOutputSerializer(serializers.ModelSerializer):
    recommendation_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = StrategicNeedsAssessment
        fields = [
            "id",
            "title",
            "period_start",
            "period_end",
            "status",
            "published_on",
            "recommendation_count",
        ]


class RecommendationOutputSerializer(serializers.ModelSerializer):
    themes = serializers.SerializerMethodField()
    needs_assessment = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "needs_assessment",
            "number",
            "text",
            "prevention_stage",
            "intended_impacts",
            "themes",
        ]

    def get_themes(self, recommendation) -> list[str]:
        return [theme.name for theme in recommendation.themes.all()]


class SuccessMeasureValueOutputSerializer(serializers.Serializer):
    label = serializers.CharField(source="value.label")
    period_start = serializers.DateField(source="value.period_start")
    period_end = serializers.DateField(source="value.period_end")
    is_baseline = serializers.BooleanField(source="value.is_baseline")
    value = serializers.CharField(
        source="shown_value", help_text='The figure, or "<5" where it is suppressed.'
    )
    suppressed = serializers.BooleanField()
    change_from_previous_percent = serializers.IntegerField(
        source="change_from_previous", allow_null=True
    )
    change_from_baseline_percent = serializers.IntegerField(
        source="change_from_baseline", allow_null=True
    )


class SuccessMeasureOutputSerializer(serializers.ModelSerializer):
    values = serializers.SerializerMethodField()

    class Meta:
        model = SuccessMeasure
        fields = ["id", "name", "unit", "direction", "counts_people", "description", "values"]

    @extend_schema_field(SuccessMeasureValueOutputSerializer(many=True))
    def get_values(self, measure) -> list[dict]:
        from vru import selectors

        rows = selectors.success_measure_rows(viewer=self.context["request"].user, measure=measure)
        return SuccessMeasureValueOutputSerializer(rows, many=True).data
