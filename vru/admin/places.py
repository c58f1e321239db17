"""Neighbourhoods, local authorities and community safety partnerships."""

from django.contrib import admin
from import_export.admin import ImportExportMixin

from vru import services
from vru.admin.base import PartnershipScopedAdmin, ScopedImportMixin
from vru.models import (
    LSOA,
    CommunitySafetyPartnership,
    LocalAuthority,
)
from vru.resources import (
    LSOAResource,
)


@admin.register(LSOA)
class LSOAAdmin(ScopedImportMixin, ImportExportMixin, PartnershipScopedAdmin):
    resource_classes = [LSOAResource]
    list_display = ["code", "name", "lsoa11_code", "local_authority", "population", "imd_decile"]
    list_filter = ["local_authority", "community_safety_partnership", "imd_decile"]
    search_fields = ["code", "name", "lsoa11_code"]
    list_select_related = ["local_authority"]
    exclude = ["boundary"]
    readonly_fields = ["partnership", "community_safety_partnership"]

    def save_model(self, request, obj, form, change):
        obj.partnership_id = request.user.partnership_id
        obj.community_safety_partnership_id = obj.local_authority.community_safety_partnership_id
        super().save_model(request, obj, form, change)

    # The boundary is not in the form; deleting a neighbourhood can change the frame of the
    # partnership's map, so deletions go through the service that draws it again.
    def delete_model(self, request, obj):
        services.lsoas_delete(actor=request.user, partnership=request.user.partnership, lsoas=[obj])

    def delete_queryset(self, request, queryset):
        services.lsoas_delete(
            actor=request.user, partnership=request.user.partnership, lsoas=list(queryset)
        )


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(PartnershipScopedAdmin):
    # police_force: the one place a partnership's forces are recorded (police.uk imports)
    list_display = ["code", "name", "community_safety_partnership", "police_force"]
    search_fields = ["code", "name"]
    list_select_related = ["community_safety_partnership"]


@admin.register(CommunitySafetyPartnership)
class CommunitySafetyPartnershipAdmin(PartnershipScopedAdmin):
    list_display = ["name"]
    search_fields = ["name"]
