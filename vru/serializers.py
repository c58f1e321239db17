from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from vru.models import (
    LSOA,
    AreaProfile,
    ComparisonKind,
    Hotspot,
    Recommendation,
    RiskRun,
    RiskScore,
    StrategicNeedsAssessment,
    SuccessMeasure,
)
from vru.rows import PlannedOutputSerializer, RowOutputSerializer, represent


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


class LSOARowOutputSerializer(RowOutputSerializer):
    """LSOAOutputSerializer's output, read from a list row (vru.rows): a page of the list is
    one query of these columns, with no model instance per row. The list's test holds it
    equal to LSOAOutputSerializer for the same neighbourhoods."""

    code = serializers.ReadOnlyField()
    name = serializers.ReadOnlyField()
    lsoa11_code = serializers.ReadOnlyField()
    local_authority_code = serializers.ReadOnlyField(source="local_authority__code")
    local_authority_name = serializers.ReadOnlyField(source="local_authority__name")
    community_safety_partnership = serializers.ReadOnlyField(
        source="community_safety_partnership__name"
    )
    population = serializers.ReadOnlyField()
    # the model's field as LSOAOutputSerializer builds it: a string of three decimals
    imd_score = serializers.DecimalField(max_digits=6, decimal_places=3, read_only=True)
    imd_decile = serializers.ReadOnlyField()


class LSOADetailOutputSerializer(LSOAOutputSerializer):
    class Meta(LSOAOutputSerializer.Meta):
        fields = [*LSOAOutputSerializer.Meta.fields, "boundary"]


class NeedsAssessmentOutputSerializer(PlannedOutputSerializer, serializers.ModelSerializer):
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


class SuccessMeasureComparisonOutputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=ComparisonKind.choices,
        help_text="Against the previous period, or against the baseline.",
    )
    source_table = serializers.CharField(help_text='The needs assessment\'s table, e.g. "Table C".')
    earlier_label = serializers.CharField(source="earlier.label")
    earlier_period_start = serializers.DateField(source="earlier.period_start")
    earlier_period_end = serializers.DateField(source="earlier.period_end")
    earlier_value = serializers.CharField(
        source="earlier_shown", help_text='The figure, or "<5" where it is suppressed.'
    )
    later_label = serializers.CharField(source="later.label")
    later_period_start = serializers.DateField(source="later.period_start")
    later_period_end = serializers.DateField(source="later.period_end")
    later_value = serializers.CharField(
        source="later_shown", help_text='The figure, or "<5" where it is suppressed.'
    )
    change_percent = serializers.IntegerField(
        source="change",
        allow_null=True,
        help_text="Whole-percent change, later against earlier; null where a figure is "
        "suppressed or the earlier figure is 0.",
    )
    note = serializers.CharField(help_text="Where the periods differ in kind, what was compared.")
    headline = serializers.CharField(
        help_text='Both periods and the change, e.g. "calendar 2023 against 2020: -12%".'
    )


class SuccessMeasureValueOutputSerializer(serializers.Serializer):
    label = serializers.CharField(source="value.label")
    period_start = serializers.DateField(source="value.period_start")
    period_end = serializers.DateField(source="value.period_end")
    source_table = serializers.CharField(source="value.source_table")
    is_baseline = serializers.BooleanField(source="value.is_baseline")
    value = serializers.CharField(
        source="shown_value", help_text='The figure, or "<5" where it is suppressed.'
    )
    suppressed = serializers.BooleanField()
    change_from_previous_percent = serializers.IntegerField(
        source="change_from_previous",
        allow_null=True,
        help_text="Only where the needs assessment compares this period with the one before "
        "(see comparisons); never between neighbouring values.",
    )
    change_from_baseline_percent = serializers.IntegerField(
        source="change_from_baseline",
        allow_null=True,
        help_text="Only where the needs assessment compares this period with the baseline.",
    )


class SuccessMeasureFieldsOutputSerializer(serializers.ModelSerializer):
    """A measure's own fields, as SuccessMeasureOutputSerializer writes them."""

    class Meta:
        model = SuccessMeasure
        fields = ["id", "name", "unit", "direction", "counts_people", "description"]


class SuccessMeasureOutputSerializer(serializers.ModelSerializer):
    """A measure with its values and the comparisons between them, as the caller may see
    them (one computation, ``selectors.success_measure_figures``, for all three fields)."""

    values = serializers.SerializerMethodField()
    comparisons = serializers.SerializerMethodField()
    headline = serializers.SerializerMethodField()

    class Meta:
        model = SuccessMeasure
        fields = [
            *SuccessMeasureFieldsOutputSerializer.Meta.fields,
            "values",
            "comparisons",
            "headline",
        ]

    def to_representation(self, measure):
        # What DRF writes for these fields, without making them again for every list and
        # every measure's values and comparisons (a ModelSerializer builds its fields from
        # the model each time): each part through a serializer made once (vru.rows.represent).
        # The list's test holds it equal to DRF's own writing.
        from vru import selectors

        figures = selectors.success_measure_figures(
            viewer=self.context["request"].user, measure=measure
        )
        headline = figures.headline
        return {
            **represent(SuccessMeasureFieldsOutputSerializer, [measure])[0],
            "values": represent(SuccessMeasureValueOutputSerializer, figures.rows),
            "comparisons": represent(SuccessMeasureComparisonOutputSerializer, figures.comparisons),
            "headline": (
                None
                if headline is None
                else represent(SuccessMeasureComparisonOutputSerializer, [headline])[0]
            ),
        }

    # the three fields' types, for the schema (to_representation writes them)

    @extend_schema_field(SuccessMeasureValueOutputSerializer(many=True))
    def get_values(self, measure) -> list[dict]:
        return self.to_representation(measure)["values"]

    @extend_schema_field(SuccessMeasureComparisonOutputSerializer(many=True))
    def get_comparisons(self, measure) -> list[dict]:
        return self.to_representation(measure)["comparisons"]

    @extend_schema_field(SuccessMeasureComparisonOutputSerializer(allow_null=True))
    def get_headline(self, measure) -> dict | None:
        """The comparison a summary shows: the one whose later period ends last."""
        return self.to_representation(measure)["headline"]


# --- Risk index, hotspots and area profiles (issue 3) -----------------------------------


class RiskRunOutputSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", default=None, allow_null=True)
    has_proxies = serializers.BooleanField(
        read_only=True, help_text="True when any factor is a public proxy for police data."
    )

    class Meta:
        model = RiskRun
        fields = [
            "id",
            "label",
            "status",
            "progress",
            "is_current",
            "period_start",
            "period_end",
            "top_percent",
            "weights",
            "factors",
            "method",
            "has_proxies",
            "lsoa_count",
            "priority_count",
            "created_by",
            "created_at",
            "completed_at",
        ]


class RiskScoreOutputSerializer(serializers.ModelSerializer):
    lsoa_code = serializers.CharField(source="lsoa.code")
    lsoa_name = serializers.CharField(source="lsoa.name")
    local_authority = serializers.CharField(source="lsoa.local_authority.name")

    class Meta:
        model = RiskScore
        fields = [
            "rank",
            "lsoa_code",
            "lsoa_name",
            "local_authority",
            "score",
            "percentile",
            "is_priority",
            "inputs",
        ]


class HotspotOutputSerializer(serializers.ModelSerializer):
    factor = serializers.CharField(source="factor.key")
    factor_name = serializers.CharField(source="factor.name")
    factor_is_proxy = serializers.BooleanField(source="factor.is_proxy")
    lsoa_code = serializers.CharField(source="lsoa.code")
    lsoa_name = serializers.CharField(source="lsoa.name")

    class Meta:
        model = Hotspot
        fields = [
            "id",
            "factor",
            "factor_name",
            "factor_is_proxy",
            "year",
            "lsoa_code",
            "lsoa_name",
            "observed",
            "expected",
            "p_value",
            "alpha",
            "persistence",
            "persistence_years",
            "is_new",
        ]


class AreaProfileOutputSerializer(serializers.ModelSerializer):
    trend_percent = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = AreaProfile
        fields = [
            "id",
            "kind",
            "area_name",
            "month",
            "offences",
            "population",
            "rate_per_1000",
            "rank",
            "previous_rate_per_1000",
            "trend_percent",
            "harm",
        ]
