from django.contrib import admin
from django.db.models import Q

from evaluation import permissions
from evaluation.models import (
    BenefitAssumption,
    Evaluation,
    Instrument,
    ListeningExercise,
    SafeguardingContact,
    UnitCost,
)
from vru import permissions as core_permissions
from vru.admin import NamedErrorsAdmin, NamedErrorsInline
from vru.permissions import has_role


class AdministratorsOnly(NamedErrorsAdmin, admin.ModelAdmin):
    """Set-up records only (the work itself happens on the listening pages)."""

    def get_queryset(self, request):
        return super().get_queryset(request).filter(partnership_id=request.user.partnership_id)

    def has_module_permission(self, request):
        return core_permissions.can_manage_users(request.user)

    has_view_permission = has_change_permission = has_delete_permission = (
        lambda self, request, obj=None: core_permissions.can_manage_users(request.user)
    )

    def has_add_permission(self, request):
        return core_permissions.can_manage_users(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        from vru.models import Partnership, User

        if db_field.name == "partnership":
            kwargs["queryset"] = Partnership.objects.filter(pk=request.user.partnership_id)
        if db_field.name == "user":
            kwargs["queryset"] = User.objects.filter(partnership_id=request.user.partnership_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(SafeguardingContact)
class SafeguardingContactAdmin(AdministratorsOnly):
    list_display = ["user", "partnership"]


@admin.register(ListeningExercise)
class ListeningExerciseAdmin(AdministratorsOnly):
    list_display = ["name", "period_start", "period_end", "is_public"]
    search_fields = ["name"]
    readonly_fields = ["is_public"]


# --- Evaluations and their reference data ----------------------------------------------------


def _is_evaluation_editor(request) -> bool:
    return permissions.can_view_evaluations(request.user) and has_role(
        request.user, *permissions.EVALUATION_EDITORS
    )


class PartnershipReferenceData(NamedErrorsAdmin, admin.ModelAdmin):
    """National rows (no partnership) are read-only here except to superusers; each
    partnership adds and edits its own rows (e.g. unit costs uprated to current prices)."""

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(
            Q(partnership__isnull=True) | Q(partnership_id=request.user.partnership_id)
        )

    def has_module_permission(self, request):
        return request.user.is_superuser or _is_evaluation_editor(request)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        if request.user.is_superuser:
            return True
        return _is_evaluation_editor(request) and (
            obj is None or obj.partnership_id == request.user.partnership_id
        )

    has_delete_permission = has_change_permission

    def get_readonly_fields(self, request, obj=None):
        return [] if request.user.is_superuser else ["partnership"]

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser and not change:
            obj.partnership_id = request.user.partnership_id
        super().save_model(request, obj, form, change)


@admin.register(UnitCost)
class UnitCostAdmin(PartnershipReferenceData):
    list_display = ["offence", "amount", "price_year", "source", "partnership"]
    list_filter = ["price_year"]
    search_fields = ["offence", "source"]


@admin.register(Instrument)
class InstrumentAdmin(PartnershipReferenceData):
    list_display = ["name", "code", "min_total", "max_total", "higher_is_better", "partnership"]
    search_fields = ["name", "code"]


class BenefitAssumptionInline(NamedErrorsInline, admin.TabularInline):
    model = BenefitAssumption
    extra = 0
    can_delete = False
    readonly_fields = ["unit_cost", "offences_averted_per_participant", "basis"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Evaluation)
class EvaluationAdmin(NamedErrorsAdmin, admin.ModelAdmin):
    """A read-only register (changes go through the evaluation pages, so they are checked
    and audited)."""

    list_display = ["title", "programme", "award", "method", "status", "evidence_rating"]
    list_filter = ["status", "method", "kind", "evidence_rating"]
    search_fields = ["title", "evaluator"]
    inlines = [BenefitAssumptionInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(partnership_id=request.user.partnership_id)
            .select_related("programme", "award__decision__application__organisation")
        )

    def has_module_permission(self, request):
        return _is_evaluation_editor(request)

    def has_view_permission(self, request, obj=None):
        return _is_evaluation_editor(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
