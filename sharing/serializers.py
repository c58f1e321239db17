from rest_framework import serializers

from sharing.models import Agreement, DisclosureLog, Organisation
from vru.data_kinds import DataKind


class SharingOrganisationOutputSerializer(serializers.ModelSerializer):
    # named apart from other models' "kind" so the OpenAPI enums do not collide
    partner_kind = serializers.ChoiceField(
        source="kind", choices=Organisation.Kind.choices, read_only=True
    )

    class Meta:
        model = Organisation
        fields = ["id", "name", "partner_kind", "contact_name", "contact_email"]


class AgreementOutputSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField()
    kinds = serializers.ListField(child=serializers.ChoiceField(choices=DataKind.choices))

    class Meta:
        model = Agreement
        fields = [
            "id",
            "title",
            "parties",
            "purpose",
            "lawful_basis",
            "criminal_offence_condition",
            "includes_health_data",
            "special_category_condition",
            "kinds",
            "direction",
            "frequency",
            "recipient_retention",
            "dpia_reference",
            "signatories",
            "starts_on",
            "review_on",
            "ends_on",
            "owner",
            "status",
        ]

    def get_status(self, agreement) -> str:
        from django.utils import timezone

        return agreement.status_on(timezone.localdate())


class DisclosureLogOutputSerializer(serializers.ModelSerializer):
    disclosed_kind = serializers.ChoiceField(source="kind", choices=DataKind.choices)
    records = serializers.SerializerMethodField()

    class Meta:
        model = DisclosureLog
        fields = [
            "id",
            "at",
            "by",
            "agreement",
            "recipient",
            "disclosed_kind",
            "purpose",
            "door",
            "fields",
            "record_count",
            "records",
        ]

    def get_records(self, log) -> list[str]:
        return [f"{r.model_label}:{r.record_id}" for r in log.records.all()]
