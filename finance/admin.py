"""Money in the admin, read-only: streams, allocations and spend are written on the money
pages, whose services check, validate and audit (finance.services). Provider staff may also be
linked and unlinked here, through the same services and the same rule (ProviderStaff.clean)."""

from django.contrib import admin

from finance import permissions, services
from finance.models import (
    KPI,
    Allocation,
    Contract,
    FundingStream,
    KPIFigure,
    PopulationFigure,
    Provider,
    ProviderStaff,
    QuarterlyReturn,
    QuarterlySpend,
)
from vru.admin import ReadOnlyScopedAdmin


class FinanceAdmin(ReadOnlyScopedAdmin):
    allowed = staticmethod(permissions.can_keep_funding)


@admin.register(FundingStream)
class FundingStreamAdmin(FinanceAdmin):
    list_display = ["funder", "grant_name", "financial_year", "amount", "spend_type"]
    list_filter = ["financial_year", "spend_type"]
    search_fields = ["funder", "grant_name"]


@admin.register(Allocation)
class AllocationAdmin(FinanceAdmin):
    partnership_path = "stream__partnership"
    list_display = ["stream", "programme", "grant_round", "amount"]
    list_filter = ["stream__financial_year"]
    search_fields = ["stream__grant_name", "programme__name", "grant_round__title"]


@admin.register(QuarterlySpend)
class QuarterlySpendAdmin(FinanceAdmin):
    partnership_path = "programme__partnership"
    list_display = ["programme", "financial_year", "quarter", "amount", "recorded_at"]
    list_filter = ["financial_year", "quarter"]
    search_fields = ["programme__name"]


@admin.register(QuarterlyReturn)
class QuarterlyReturnAdmin(FinanceAdmin):
    list_display = ["financial_year", "quarter", "version", "status", "locked_at"]
    list_filter = ["financial_year", "quarter", "status"]
    search_fields = ["correction_reason"]


@admin.register(Provider)
class ProviderAdmin(FinanceAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(ProviderStaff)
class ProviderStaffAdmin(FinanceAdmin):
    """Link (add) and unlink (delete) through finance.services; a link is not changed (unlink,
    then link to the other provider)."""

    partnership_path = "provider__partnership"
    list_display = ["user", "provider"]
    list_filter = ["provider"]
    search_fields = ["user__username", "provider__name"]

    def has_add_permission(self, request):
        return permissions.can_keep_providers(request.user)

    def has_delete_permission(self, request, obj=None):
        return permissions.can_keep_providers(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "provider":
            kwargs["queryset"] = Provider.objects.filter(partnership_id=request.user.partnership_id)
        elif db_field.name == "user":
            kwargs["queryset"] = db_field.related_model.objects.filter(
                partnership_id=request.user.partnership_id
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        link = services.provider_staff_add(actor=request.user, provider=obj.provider, user=obj.user)
        obj.pk = link.pk

    def delete_model(self, request, obj):
        services.provider_staff_remove(actor=request.user, link=obj)

    def delete_queryset(self, request, queryset):
        for link in queryset.select_related("provider", "user"):
            services.provider_staff_remove(actor=request.user, link=link)


@admin.register(Contract)
class ContractAdmin(FinanceAdmin):
    partnership_path = "provider__partnership"
    list_display = ["provider", "programme", "value", "starts_on", "ends_on"]
    list_filter = ["provider"]
    search_fields = ["provider__name", "programme__name"]


@admin.register(KPI)
class KPIAdmin(FinanceAdmin):
    partnership_path = "contract__provider__partnership"
    list_display = ["name", "contract", "target", "unit"]
    list_filter = ["contract__provider"]
    search_fields = ["name"]


@admin.register(KPIFigure)
class KPIFigureAdmin(FinanceAdmin):
    partnership_path = "kpi__contract__provider__partnership"
    list_display = ["kpi", "financial_year", "quarter", "value"]
    list_filter = ["financial_year", "quarter"]
    search_fields = ["kpi__name"]


@admin.register(PopulationFigure)
class PopulationFigureAdmin(ReadOnlyScopedAdmin):
    """The population fair reach compares with: imported (or loaded by the demo), shown
    here to those who import area data."""

    allowed = staticmethod(permissions.can_import_population)
    list_display = [
        "local_authority",
        "year",
        "age_band",
        "sex",
        "ethnic_group",
        "people",
        "synthetic",
        "source",
    ]
    list_filter = ["year", "age_band", "sex", "ethnic_group", "synthetic"]
    search_fields = ["local_authority__name", "local_authority__code", "source"]
