"""Needs assessments, recommendations and success measures."""

from django.contrib import admin, messages
from import_export.admin import ImportExportMixin

from vru import permissions, selectors, services
from vru.admin.base import (
    NamedErrorsInline,
    PartnershipScopedAdmin,
    ScopedImportMixin,
    named_errors,
)
from vru.forms import needs_assessment_choice_forms
from vru.models import (
    Recommendation,
    StrategicNeedsAssessment,
    SuccessMeasure,
    SuccessMeasureComparison,
    SuccessMeasureValue,
    Theme,
)
from vru.models.strategy import SUCCESS_MEASURE_VALUE_FIELDS
from vru.resources import (
    RecommendationResource,
    SuccessMeasureComparisonResource,
    SuccessMeasureValueResource,
)


class ThemeInline(NamedErrorsInline, admin.TabularInline):
    model = Theme
    extra = 0


@admin.register(StrategicNeedsAssessment)
class StrategicNeedsAssessmentAdmin(PartnershipScopedAdmin):
    list_display = ["title", "period_start", "period_end", "status", "published_on"]
    list_filter = ["status"]
    search_fields = ["title"]
    readonly_fields = ["status", "published_on"]
    inlines = [ThemeInline]
    actions = ["publish"]

    @admin.action(description="Publish the selected needs assessments")
    def publish(self, request, queryset):
        for sna in queryset:
            try:
                services.needs_assessment_publish(actor=request.user, needs_assessment=sna)
            except Exception as exc:
                self.message_user(request, f"{sna}: {exc}", messages.ERROR)
            else:
                self.message_user(request, f"Published {sna}.", messages.SUCCESS)


@admin.register(Recommendation)
class RecommendationAdmin(ScopedImportMixin, ImportExportMixin, PartnershipScopedAdmin):
    partnership_path = "needs_assessment__partnership"
    resource_classes = [RecommendationResource]

    def get_import_form_class(self, request):
        return named_errors(needs_assessment_choice_forms(request.user.partnership_id)[0])

    def get_confirm_form_class(self, request):
        return named_errors(needs_assessment_choice_forms(request.user.partnership_id)[1])

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["needs_assessment"] = import_form.cleaned_data["needs_assessment"].pk
        return initial

    def get_import_resource_kwargs(self, request, **kwargs):
        # Called with the import form, the confirm form, or (to list fields) no valid form.
        form = kwargs.get("form")
        cleaned = getattr(form, "cleaned_data", None) or {}
        return {
            "partnership": request.user.partnership,
            "needs_assessment": cleaned.get("needs_assessment"),
        }

    def get_export_resource_kwargs(self, request, **kwargs):
        return {"partnership": request.user.partnership, "needs_assessment": None}

    list_display = ["number", "short_text", "prevention_stage", "needs_assessment"]
    list_filter = ["prevention_stage", "needs_assessment"]
    search_fields = ["text"]
    list_select_related = ["needs_assessment"]
    filter_horizontal = ["themes"]

    @admin.display(description="Recommendation")
    def short_text(self, obj):
        return obj.text[:100]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "themes":
            kwargs["queryset"] = Theme.objects.filter(
                needs_assessment__partnership=request.user.partnership_id
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class SuccessMeasureValueInline(NamedErrorsInline, admin.TabularInline):
    """A measure's values, to read beside it: they are added and changed on their own admin
    page or imported, where each is checked by the value's rules and audited (a save through
    this inline would be neither)."""

    model = SuccessMeasureValue
    fields = [name for name in SUCCESS_MEASURE_VALUE_FIELDS if name != "measure"]
    readonly_fields = fields
    extra = 0
    show_change_link = True

    def has_view_permission(self, request, obj=None):
        return permissions.can_edit_strategy(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SuccessMeasure)
class SuccessMeasureAdmin(PartnershipScopedAdmin):
    list_display = ["name", "unit", "direction", "counts_people"]
    search_fields = ["name"]
    inlines = [SuccessMeasureValueInline]


@admin.register(SuccessMeasureValue)
class SuccessMeasureValueAdmin(ScopedImportMixin, ImportExportMixin, PartnershipScopedAdmin):
    """A value of a measure: its fields and rules are SuccessMeasureValue's (fields, clean,
    constraints), the same here, in the admin's import and in the import_area_data command."""

    partnership_path = "measure__partnership"
    resource_classes = [SuccessMeasureValueResource]
    fields = list_display = SUCCESS_MEASURE_VALUE_FIELDS
    list_filter = ["measure", "is_baseline"]
    list_select_related = ["measure"]


@admin.register(SuccessMeasureComparison)
class SuccessMeasureComparisonAdmin(ScopedImportMixin, ImportExportMixin, PartnershipScopedAdmin):
    """The comparisons the needs assessment makes: the only pairs of values with a % change
    anywhere in the product. Both values must be the measure's; a note is needed where
    their periods differ in kind (the model's rule, as for imports)."""

    partnership_path = "measure__partnership"
    resource_classes = [SuccessMeasureComparisonResource]
    list_display = ["measure", "compared", "kind", "source_table", "change", "note"]
    list_filter = ["measure", "kind"]
    list_select_related = ["measure", "measure__partnership", "earlier", "later"]
    fields = ["measure", "kind", "earlier", "later", "source_table", "note"]

    @admin.display(description="Compared")
    def compared(self, obj) -> str:
        return f"{obj.later.label} against {obj.earlier.label}"

    @admin.display(description="Change")
    def change(self, obj) -> str:
        # the same figure every door shows (admin users see unsuppressed figures)
        change = selectors.percent_change(previous=obj.earlier.value, current=obj.later.value)
        return "–" if change is None else selectors.format_change(change)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in {"earlier", "later"}:
            kwargs["queryset"] = SuccessMeasureValue.objects.filter(
                measure__partnership=request.user.partnership_id
            ).select_related("measure")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
