"""Export format of the disclosure log: what left, to whom, under which agreement (record
ids and field names, never the data)."""

from import_export import fields, resources

from sharing.models import DisclosureLog


class DisclosureLogResource(resources.ModelResource):
    agreement = fields.Field(attribute="agreement__title", column_name="agreement")
    recipient = fields.Field(attribute="recipient__name", column_name="recipient")
    by = fields.Field(attribute="by__username", column_name="by")
    records = fields.Field(column_name="records")

    class Meta:
        model = DisclosureLog
        fields = [
            "id",
            "at",
            "by",
            "recipient",
            "agreement",
            "kind",
            "door",
            "purpose",
            "record_count",
            "fields",
            "records",
        ]
        export_order = fields

    def dehydrate_fields(self, log):
        return ", ".join(log.fields or [])

    def dehydrate_records(self, log):
        return " ".join(f"{r.model_label}:{r.record_id}" for r in log.records.all())
