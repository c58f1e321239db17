"""Export formats (django-import-export). Referral exports are pseudonymous: the reference,
never the name, date of birth or address."""

from import_export import fields, resources

from programmes.models import Programme, Referral, Session


class ReferralResource(resources.ModelResource):
    reference = fields.Field(attribute="young_person__reference", column_name="reference")
    programme = fields.Field(attribute="programme__name", column_name="programme")
    assigned_to = fields.Field(attribute="assigned_to__username", column_name="assigned_to")
    lsoa = fields.Field(attribute="lsoa__code", column_name="home_lsoa")
    breached = fields.Field(attribute="breached", column_name="breached")
    first_contact_clock = fields.Field(
        attribute="first_contact_clock", column_name="first_contact_clock", readonly=True
    )

    class Meta:
        model = Referral
        fields = [
            "id",
            "reference",
            "programme",
            "source",
            "reason",
            "event_at",
            "referred_at",
            "due_at",
            "first_contact_at",
            "first_contact_clock",
            "breached",
            "status",
            "closure_reason",
            "age_at_referral",
            "lsoa",
            "assigned_to",
        ]
        export_order = fields


class ProgrammeResource(resources.ModelResource):
    class Meta:
        model = Programme
        fields = [
            "id",
            "name",
            "kind",
            "delivering_organisation",
            "prevention_stage",
            "referral_target_hours",
            "min_age",
            "max_age",
            "yef_approach",
            "budget",
            "starts_on",
            "ends_on",
            "retention_months",
        ]
        export_order = fields


class SessionResource(resources.ModelResource):
    programme = fields.Field(attribute="programme__name", column_name="programme")
    lsoa = fields.Field(attribute="lsoa__code", column_name="lsoa")
    young_people = fields.Field(attribute="young_people", column_name="young_people")

    class Meta:
        model = Session
        fields = ["id", "programme", "kind", "held_on", "place", "lsoa", "young_people"]
        export_order = fields
