from rest_framework import serializers

from duty.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    DutyHolder,
    Rag,
    ReadinessAssessment,
    ReadinessScore,
    Strategy,
    StrategyReview,
)


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


# "action_status", not "status": named apart from other models' statuses in the OpenAPI enums
class ActionUpdateOutputSerializer(serializers.ModelSerializer):
    action_status = serializers.ChoiceField(
        source="status", choices=ActionStatus.choices, read_only=True
    )

    class Meta:
        model = ActionUpdate
        fields = ["written_at", "note", "action_status", "rag", "rag_reason"]


class ActionOutputSerializer(serializers.ModelSerializer):
    recommendation_number = serializers.IntegerField(source="recommendation.number")
    owner = serializers.CharField(source="owner.name")
    action_status = serializers.ChoiceField(
        source="status", choices=ActionStatus.choices, read_only=True
    )
    updates = ActionUpdateOutputSerializer(many=True, read_only=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "recommendation",
            "recommendation_number",
            "title",
            "owner",
            "owner_name",
            "due_on",
            "action_status",
            "rag",
            "rag_reason",
            "updates",
        ]


class ActionUpdateInputSerializer(serializers.Serializer):
    note = serializers.CharField()
    action_status = serializers.ChoiceField(choices=ActionStatus.choices)
    rag = serializers.ChoiceField(choices=Rag.choices)
    rag_reason = serializers.CharField(required=False, allow_blank=True, default="")
