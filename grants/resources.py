"""Import and export formats (django-import-export) for grants. Rounds, applications and
awards are exported only (they are created through the services, never by file import);
querysets come from the viewer-scoped selectors, so a file holds exactly what the page shows.
Organisations can also be imported, by administrators in the admin, into their partnership."""

from import_export import fields, resources

from grants.models import Application, Award, GrantRound, Organisation, Score
from vru.resources import ScopedResource


class GrantRoundResource(resources.ModelResource):
    application_count = fields.Field(attribute="application_count", column_name="applications")

    class Meta:
        model = GrantRound
        fields = (
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
        )
        export_order = fields


class ApplicationResource(resources.ModelResource):
    """No contact details: the export is a list of projects, not of people."""

    grant_round = fields.Field(attribute="grant_round__title", column_name="grant_round")
    organisation = fields.Field(attribute="organisation__name", column_name="organisation")
    status = fields.Field(attribute="get_status_display", column_name="status")

    class Meta:
        model = Application
        fields = (
            "id",
            "grant_round",
            "organisation",
            "title",
            "status",
            "amount_requested",
            "young_people_expected",
            "submitted_at",
        )
        export_order = fields


class AwardResource(resources.ModelResource):
    project = fields.Field(attribute="decision__application__title", column_name="project")
    organisation = fields.Field(
        attribute="decision__application__organisation__name", column_name="organisation"
    )
    grant_round = fields.Field(
        attribute="decision__application__grant_round__title", column_name="grant_round"
    )

    class Meta:
        model = Award
        fields = (
            "id",
            "grant_round",
            "organisation",
            "project",
            "amount",
            "awarded_on",
            "starts_on",
            "ends_on",
        )
        export_order = fields


class ScoreResource(resources.ModelResource):
    application = fields.Field(
        attribute="assignment__application__title", column_name="application"
    )
    reviewer = fields.Field(attribute="assignment__reviewer_id", column_name="reviewer_ref")
    criterion = fields.Field(attribute="criterion__title", column_name="criterion")

    class Meta:
        model = Score
        fields = ("id", "application", "reviewer", "criterion", "score", "comment")
        export_order = fields


class OrganisationResource(ScopedResource):
    """Import (and export) of applicant organisations, bound to one partnership: rows are
    matched by name within it, never across partnerships."""

    required_headers = ("name", "kind")

    class Meta:
        model = Organisation
        import_id_fields = ["name"]
        fields = [
            "name",
            "kind",
            "charity_number",
            "company_number",
            "address",
            "postcode",
            "contact_email",
            "contact_phone",
            "safeguarding_policy_date",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return Organisation.objects.filter(partnership=self.partnership)

    def before_import_row(self, row, **kwargs):
        # A name is matched as the pages show it: without spaces around it (Organisation.clean
        # strips them too, so a padded twin is refused like on the pages).
        if isinstance(row.get("name"), str):
            row["name"] = row["name"].strip()
        super().before_import_row(row, **kwargs)

    def before_save_instance(self, instance, row, **kwargs):
        instance.partnership = self.partnership

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        instance.partnership = self.partnership
