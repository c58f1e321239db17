"""API serializers for evaluations and their aggregates: output only, unique names.
Nothing here carries a young person's reference or score."""

from rest_framework import serializers

from evaluation.models import Evaluation


class EvaluationOutputSerializer(serializers.ModelSerializer):
    programme_name = serializers.CharField(source="programme.name", default=None, allow_null=True)
    award_organisation = serializers.CharField(
        source="award.decision.application.organisation.name", default=None, allow_null=True
    )
    evidence_rating_description = serializers.CharField(read_only=True)
    # named apart from Contact.method so the OpenAPI enums do not collide
    evaluation_method = serializers.ChoiceField(
        source="method", choices=Evaluation.Method.choices, read_only=True
    )

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "title",
            "programme",
            "programme_name",
            "award",
            "award_organisation",
            "kind",
            "evaluation_method",
            "evaluator",
            "status",
            "starts_on",
            "ends_on",
            "reported_on",
            "findings",
            "evidence_rating",
            "evidence_rating_description",
        ]


class OutcomeSummaryOutputSerializer(serializers.Serializer):
    """Null where a figure would reveal 1 to 4 young people to a commissioner."""

    instrument = serializers.CharField(source="instrument.code")
    instrument_name = serializers.CharField(source="instrument.name")
    higher_is_better = serializers.BooleanField(source="instrument.higher_is_better")
    meaningful_change = serializers.DecimalField(
        source="instrument.meaningful_change", max_digits=6, decimal_places=2
    )
    programme = serializers.IntegerField(source="programme.pk")
    programme_name = serializers.CharField(source="programme.name")
    participants = serializers.IntegerField(allow_null=True)
    participants_shown = serializers.CharField()
    mean_change = serializers.FloatField(allow_null=True)
    ci_low = serializers.FloatField(allow_null=True, help_text="95% interval (paired t)")
    ci_high = serializers.FloatField(allow_null=True)
    improved = serializers.IntegerField(allow_null=True)
    improved_shown = serializers.CharField()
    share_improved = serializers.IntegerField(allow_null=True, help_text="percent")
    suppressed = serializers.BooleanField()


class CostBenefitOutputSerializer(serializers.Serializer):
    """Null where a figure is missing or would reveal 1 to 4 participants to a commissioner.
    `published_ratio` is the Essex VVP's published figure, given beside the computed one."""

    evaluation = serializers.IntegerField(source="evaluation.pk")
    evaluation_title = serializers.CharField(source="evaluation.title")
    cost = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    cost_source = serializers.CharField()
    participants = serializers.IntegerField(allow_null=True)
    participants_shown = serializers.CharField()
    participants_source = serializers.CharField()
    cost_per_participant = serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True
    )
    benefit = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    ratio = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    published_ratio = serializers.FloatField(source="published.ratio")
    published_source = serializers.CharField(source="published.source")
