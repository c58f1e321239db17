"""Neighbourhoods and area data (risk runs, scores, hotspots, profiles, imports), as files."""

from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets

from vru.models import (
    LSOA,
    AreaIndicator,
    AreaProfile,
    CrimeImport,
    Hotspot,
    LocalAuthority,
    Partnership,
    RiskRun,
    RiskScore,
)
from vru.resources.base import PartnershipForeignKeyWidget, ScopedResource


class LSOAResource(ScopedResource):
    local_authority_code = fields.Field(
        attribute="local_authority",
        column_name="local_authority_code",
        widget=widgets.ForeignKeyWidget(LocalAuthority, field="code"),
    )
    required_headers = ("code", "name", "local_authority_code")

    class Meta:
        model = LSOA
        import_id_fields = ["code"]
        fields = [
            "code",
            "name",
            "lsoa11_code",
            "local_authority_code",
            "population",
            "imd_score",
            "imd_decile",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def __init__(self, *, partnership: Partnership | None = None, **kwargs):
        super().__init__(partnership=partnership, **kwargs)
        # Only this partnership's local authorities can be named in a row.
        self.fields["local_authority_code"].widget = PartnershipForeignKeyWidget(
            LocalAuthority, "code", noun="local authority", partnership=partnership
        )

    def get_export_queryset(self, request=None):
        return LSOA.objects.filter(partnership=self.partnership).select_related("local_authority")

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        if instance.pk and instance.partnership_id != self.partnership.pk:
            errors["code"] = [f"{instance.code} belongs to another partnership."]
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if getattr(instance, "local_authority_id", None):
            local_authority = instance.local_authority
            instance.partnership_id = self.partnership.pk
            instance.community_safety_partnership_id = (
                local_authority.community_safety_partnership_id
            )
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        exclude = list(errors)
        if "local_authority" in errors:
            # The partnership and CSP follow from the local authority: report one error.
            exclude += ["partnership", "community_safety_partnership"]
        try:
            # The code's uniqueness is checked by the instance loader, across partnerships.
            instance.full_clean(exclude=exclude, validate_unique=False)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


class RiskRunResource(resources.ModelResource):
    created_by = fields.Field(attribute="created_by__username", column_name="created_by")

    class Meta:
        model = RiskRun
        fields = [
            "id",
            "label",
            "status",
            "is_current",
            "period_start",
            "period_end",
            "top_percent",
            "lsoa_count",
            "priority_count",
            "weights",
            "method",
            "created_by",
            "created_at",
            "completed_at",
        ]
        export_order = fields


class RiskScoreResource(resources.ModelResource):
    """One row per LSOA with its rank, score, priority flag and every factor's input value."""

    lsoa_code = fields.Field(attribute="lsoa__code", column_name="lsoa_code")
    lsoa_name = fields.Field(attribute="lsoa__name", column_name="lsoa_name")
    local_authority = fields.Field(
        attribute="lsoa__local_authority__name", column_name="local_authority"
    )

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
        export_order = fields


class HotspotResource(resources.ModelResource):
    factor = fields.Field(attribute="factor__name", column_name="factor")
    is_proxy = fields.Field(attribute="factor__is_proxy", column_name="factor_is_proxy")
    lsoa_code = fields.Field(attribute="lsoa__code", column_name="lsoa_code")
    lsoa_name = fields.Field(attribute="lsoa__name", column_name="lsoa_name")

    class Meta:
        model = Hotspot
        fields = [
            "factor",
            "is_proxy",
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
        export_order = fields


class AreaProfileResource(resources.ModelResource):
    trend_percent = fields.Field(attribute="trend_percent", column_name="trend_percent")

    class Meta:
        model = AreaProfile
        fields = [
            "month",
            "kind",
            "area_name",
            "offences",
            "population",
            "rate_per_1000",
            "rank",
            "previous_rate_per_1000",
            "trend_percent",
            "harm",
        ]
        export_order = fields


class CrimeImportResource(resources.ModelResource):
    class Meta:
        model = CrimeImport
        fields = [
            "id",
            "file_name",
            "months",
            "rows_read",
            "rows_counted",
            "skipped",
            "notes",
            "created_at",
        ]
        export_order = fields


class AreaIndicatorResource(resources.ModelResource):
    """The indicator import format, so an export can be edited and imported again."""

    lsoa_code = fields.Field(attribute="lsoa__code", column_name="lsoa_code")
    factor = fields.Field(attribute="factor__key", column_name="factor")

    class Meta:
        model = AreaIndicator
        fields = ["lsoa_code", "factor", "period", "period_start", "value", "source"]
        export_order = fields
