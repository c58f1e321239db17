"""API output serializers (read-only; writes go through the pages and services)."""

from rest_framework import serializers

from grants.models import Application, Assignment, Award, GrantRound, Score, Tranche


class GrantRoundOutputSerializer(serializers.ModelSerializer):
    application_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = GrantRound
        fields = [
            "id",
            "title",
            "fund",
            "budget",
            "minimum_award",
            "maximum_award",
            "opens_at",
            "closes_at",
            "panel_deadline",
            "reviewers_per_application",
            "application_count",
        ]


class ApplicationOutputSerializer(serializers.ModelSerializer):
    """For grants staff and the applicant's own organisation (never youth reviewers)."""

    grant_round = serializers.PrimaryKeyRelatedField(read_only=True)
    organisation = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "grant_round",
            "organisation",
            "status",
            "title",
            "summary",
            "amount_requested",
            "young_people_expected",
            "contact_name",
            "contact_email",
            "contact_phone",
            "submitted_at",
        ]


class ReviewApplicationOutputSerializer(serializers.ModelSerializer):
    """The application as a young reviewer sees it: no contact details."""

    organisation = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "title",
            "summary",
            "organisation",
            "amount_requested",
            "young_people_expected",
        ]


class AssignmentOutputSerializer(serializers.ModelSerializer):
    application = ReviewApplicationOutputSerializer(read_only=True)
    panel_deadline = serializers.DateTimeField(
        source="application.grant_round.panel_deadline", read_only=True
    )

    class Meta:
        model = Assignment
        fields = ["id", "status", "application", "panel_deadline", "submitted_at"]


class ScoreOutputSerializer(serializers.ModelSerializer):
    application = serializers.IntegerField(source="assignment.application_id", read_only=True)
    reviewer = serializers.IntegerField(source="assignment.reviewer_id", read_only=True)
    criterion = serializers.CharField(source="criterion.title", read_only=True)

    class Meta:
        model = Score
        fields = ["id", "application", "reviewer", "criterion", "score", "comment"]


class TrancheOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tranche
        fields = ["number", "amount", "due_on", "released_at"]


class AwardOutputSerializer(serializers.ModelSerializer):
    application = serializers.IntegerField(source="decision.application_id", read_only=True)
    organisation = serializers.CharField(
        source="decision.application.organisation.name", read_only=True
    )
    title = serializers.CharField(source="decision.application.title", read_only=True)
    tranches = TrancheOutputSerializer(many=True, read_only=True)

    class Meta:
        model = Award
        fields = [
            "id",
            "application",
            "title",
            "organisation",
            "amount",
            "awarded_on",
            "starts_on",
            "ends_on",
            "tranches",
        ]
