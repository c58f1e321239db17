"""Risk index factors and weights, and the area data administrators may only read."""

from django.contrib import admin

from vru import permissions
from vru.admin.base import (
    PartnershipScopedAdmin,
    ReadOnlyScopedAdmin,
)
from vru.models import (
    AreaIndicator,
    CrimeImport,
    Factor,
    HarmWeight,
    ImportJob,
    ImportSnapshot,
    RiskRun,
)

# --- Areas and the risk index (issue 3) ------------------------------------------------


@admin.register(Factor)
class FactorAdmin(PartnershipScopedAdmin):
    """Factors and their default weights, per partnership. Runs copy them when they start."""

    list_display = ["name", "key", "source", "is_proxy", "default_weight", "position"]
    list_filter = ["source", "is_proxy"]
    fields = [
        "key",
        "name",
        "description",
        "source",
        "is_proxy",
        "crime_weights",
        "base_factor",
        "default_weight",
        "position",
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "base_factor":
            kwargs["queryset"] = Factor.objects.filter(partnership_id=request.user.partnership_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(HarmWeight)
class HarmWeightAdmin(PartnershipScopedAdmin):
    """Crime harm weights (days) per police.uk crime type: data an analyst loads."""

    list_display = ["crime_type", "weight", "source"]
    fields = ["crime_type", "weight", "source"]


@admin.register(RiskRun)
class RiskRunAdmin(ReadOnlyScopedAdmin):
    list_display = ["label", "status", "is_current", "priority_count", "created_by", "created_at"]
    list_filter = ["status", "is_current"]


@admin.register(CrimeImport)
class CrimeImportAdmin(ReadOnlyScopedAdmin):
    list_display = ["file_name", "rows_read", "rows_counted", "created_by", "created_at"]


@admin.register(ImportSnapshot)
class ImportSnapshotAdmin(ReadOnlyScopedAdmin):
    """What each reviewed import replaced or added. Undoing an import is on the import's own
    page (a service, audited); the rows themselves are not shown here, and referral imports
    (named young people) not at all, as in the import jobs' admin."""

    partnership_path = "job__partnership"
    allowed = staticmethod(permissions.can_import_area_data)
    list_display = ["job", "created_at"]
    exclude = ["rows", "rows_removed_on_restore"]
    list_select_related = ["job"]

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(job__kind=ImportJob.Kind.REFERRALS)


@admin.register(AreaIndicator)
class AreaIndicatorAdmin(ReadOnlyScopedAdmin):
    """Imported indicator values. Importing (checked first, all rows or none, replacing only
    when confirmed, undoable) is on the "Import indicators" page this changelist links to."""

    change_list_template = "admin/vru/areaindicator/change_list.html"
    list_display = ["lsoa", "factor", "period", "period_start", "value", "source"]
    list_filter = ["factor", "period", "period_start"]
    search_fields = ["lsoa__code", "lsoa__name"]
    list_select_related = ["lsoa", "factor"]
