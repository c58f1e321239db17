from rest_framework import serializers

from duty.models import DutyHolder, ReadinessAssessment, ReadinessScore, Strategy, StrategyReview


class DutyHolderOutputSerializer(serializers.ModelSerializer):
    duty = serializers.CharField(read_only=True)
    # named apart from other models' "kind" so the OpenAPI enums do not collide
    organisation_kind = serializers.ChoiceField(
        source="kind", choices=DutyHolder.Kind.choices, read_only=True
    )

    class Meta:
        model = DutyHolder
        fields = [
            "id",
            "name",
            "organisation_kind",
            "duty",
            "lead_name",
            "contact_email",
            "commitment",
            "on_board",
        ]


class StrategyReviewOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = StrategyReview
        fields = ["reviewed_on", "what_changed"]


class StrategyOutputSerializer(serializers.ModelSerializer):
    reviews = StrategyReviewOutputSerializer(many=True, read_only=True)

    class Meta:
        model = Strategy
        fields = [
            "id",
            "title",
            "version",
            "published_on",
            "next_review_on",
            "review_every_months",
            "link",
            "reviews",
        ]


class ReadinessScoreOutputSerializer(serializers.ModelSerializer):
    readiness_area = serializers.ChoiceField(
        source="area", choices=ReadinessScore._meta.get_field("area").choices, read_only=True
    )
    rating = serializers.CharField(source="label", read_only=True)

    class Meta:
        model = ReadinessScore
        fields = ["readiness_area", "score", "rating", "evidence"]


class ReadinessAssessmentOutputSerializer(serializers.ModelSerializer):
    assessed_by = serializers.ChoiceField(
        source="kind", choices=ReadinessAssessment.Kind.choices, read_only=True
    )
    scores = ReadinessScoreOutputSerializer(many=True, read_only=True)

    class Meta:
        model = ReadinessAssessment
        fields = ["id", "assessed_on", "assessed_by", "note", "scores"]
