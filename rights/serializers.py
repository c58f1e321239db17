from rest_framework import serializers

from rights.models import SubjectAccessRequest

Request = SubjectAccessRequest


class SubjectAccessRequestOutputSerializer(serializers.ModelSerializer):
    young_person = serializers.CharField(source="young_person.reference", read_only=True)
    # named apart from other models' "kind" and "status" so the OpenAPI enums do not collide
    request_kind = serializers.ChoiceField(
        source="kind", choices=Request.Kind.choices, read_only=True
    )
    request_status = serializers.ChoiceField(
        source="status", choices=Request.Status.choices, read_only=True
    )
    overdue = serializers.SerializerMethodField()
    stalled = serializers.SerializerMethodField(
        help_text="Gathering with no progress for VRU_SAR_GATHER_STALL_MINUTES: gather again."
    )

    class Meta:
        model = SubjectAccessRequest
        fields = [
            "id",
            "young_person",
            "request_kind",
            "relationship",
            "identity_check",
            "received_on",
            "due_on",
            "extended_months",
            "extension_reason",
            "request_status",
            "outcome_reason",
            "progress",
            "gathered_at",
            "downloaded_at",
            "overdue",
            "stalled",
        ]

    def get_overdue(self, obj) -> bool:
        from django.utils import timezone

        return obj.overdue(timezone.localdate())

    def get_stalled(self, obj) -> bool:
        from django.utils import timezone

        return obj.stalled(timezone.now())


class SubjectAccessRequestInputSerializer(serializers.Serializer):
    young_person = serializers.CharField(max_length=20, help_text="The young person's reference.")
    request_kind = serializers.ChoiceField(
        choices=Request.Kind.choices, default=Request.Kind.ACCESS
    )
    requester_name = serializers.CharField(max_length=200)
    relationship = serializers.ChoiceField(choices=Request.Relationship.choices)
    identity_check = serializers.ChoiceField(choices=Request.IdentityCheck.choices)
    identity_check_notes = serializers.CharField(required=False, allow_blank=True, default="")
    details = serializers.CharField(required=False, allow_blank=True, default="")
    received_on = serializers.DateField()


class SubjectAccessRequestExtendSerializer(serializers.Serializer):
    months = serializers.IntegerField(min_value=1, max_value=2)
    reason = serializers.CharField()
