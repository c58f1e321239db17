"""What every admin page of every app shares: the site's own rules, errors that name their field, the partnership scope, audited saves and checked imports."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.core.exceptions import ValidationError
from import_export.formats import base_formats

from vru import permissions, services
from vru.forms import GovukErrorsMixin
from vru.models import (
    AuditEvent,
    CommunitySafetyPartnership,
    LocalAuthority,
    StrategicNeedsAssessment,
    SuccessMeasure,
)
from vru.services import workbooks


def _site_has_permission(request) -> bool:
    return request.user.is_active and permissions.can_use_admin_site(request.user)


admin.site.has_permission = _site_has_permission
# The admin has no sign-in page of its own: ours (with the second factor) is the only way in.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "VRU platform administration"
admin.site.site_title = "VRU platform"


def named_errors(form_class):
    """An admin form whose messages name their field, as every form of the product's does
    (vru.forms.GovukErrorsMixin: "Enter period start", "Select success measure", the model's
    own words where it has them), not "This field is required."; the admin keeps its look."""
    if issubclass(form_class, GovukErrorsMixin):
        return form_class
    return type(
        form_class.__name__, (GovukErrorsMixin, form_class), {"__module__": form_class.__module__}
    )


class NamedErrorsAdmin:
    """Mixed into every ModelAdmin of the product: its add and change forms name the field."""

    def get_form(self, request, obj=None, **kwargs):
        return named_errors(super().get_form(request, obj, **kwargs))


class NamedErrorsInline:
    """Mixed into every inline of the product: its forms name the field."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = named_errors(formset.form)
        return formset


class PartnershipScopedAdmin(NamedErrorsAdmin, admin.ModelAdmin):
    """Shows and changes only the signed-in user's partnership's records.

    `partnership_path` is the lookup from the model to its partnership.
    """

    partnership_path = "partnership"
    allowed = staticmethod(permissions.can_edit_strategy)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs.filter(**{self.partnership_path: request.user.partnership_id})

    def has_module_permission(self, request):
        return self.allowed(request.user)

    def has_view_permission(self, request, obj=None):
        return self.allowed(request.user)

    def has_add_permission(self, request):
        return self.allowed(request.user)

    def has_change_permission(self, request, obj=None):
        return self.allowed(request.user)

    def has_delete_permission(self, request, obj=None):
        return self.allowed(request.user)

    def save_model(self, request, obj, form, change):
        if hasattr(obj, "partnership_id") and not obj.partnership_id:
            obj.partnership_id = request.user.partnership_id
        services.record_save(
            actor=request.user,
            instance=obj,
            changed_fields=list(form.changed_data),
            created=not change,
        )

    def delete_model(self, request, obj):
        services.record_delete(actor=request.user, instance=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.record_delete(actor=request.user, instance=obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Choices in drop-downs come only from the user's own partnership.
        related = db_field.related_model
        if related in _PARTNERSHIP_PATHS:
            kwargs["queryset"] = related.objects.filter(
                **{_PARTNERSHIP_PATHS[related]: request.user.partnership_id}
            )
        if db_field.name == "partnership":
            from vru.models import Partnership

            kwargs["queryset"] = Partnership.objects.filter(pk=request.user.partnership_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


_PARTNERSHIP_PATHS = {
    LocalAuthority: "partnership",
    CommunitySafetyPartnership: "partnership",
    StrategicNeedsAssessment: "partnership",
    SuccessMeasure: "partnership",
}


class CheckedCSV(base_formats.CSV):
    """A CSV read by the same reader as every other import (vru.services.read_table): NUL
    bytes, duplicate columns, oversized cells and formula cells are refused with the row
    and column named, before any row reaches a resource."""

    def create_dataset(self, in_stream, **kwargs):
        content = in_stream.encode("utf-8") if isinstance(in_stream, str) else in_stream
        return services.read_table(
            file_name="import.csv", content=content, limits=workbooks.waiting()
        )


class CheckedXLSX(base_formats.XLSX):
    def create_dataset(self, in_stream):
        return services.read_table(
            file_name="import.xlsx", content=in_stream, limits=workbooks.waiting()
        )


class ScopedImportMixin:
    """django-import-export in the admin, with the resource bound to the user's partnership.
    Its preview refuses to confirm a file with any invalid row, so nothing is half-imported.
    Files are read by the checked formats above."""

    import_formats = [CheckedCSV, CheckedXLSX]

    # the import's forms name their fields like every admin form ("Select file to import")
    def get_import_form_class(self, request):
        return named_errors(super().get_import_form_class(request))

    def get_confirm_form_class(self, request):
        return named_errors(super().get_confirm_form_class(request))

    def get_import_resource_kwargs(self, request, **kwargs):
        return {"partnership": request.user.partnership}

    def add_data_read_fail_error_to_form(self, form, e):
        # The checked formats refuse a file with every bad cell named (row, column, reason):
        # say that, not the name of an exception.
        if isinstance(e, ValidationError):
            for message in e.messages:
                form.add_error("import_file", message)
            return
        super().add_data_read_fail_error_to_form(form, e)

    def get_export_resource_kwargs(self, request, **kwargs):
        return {"partnership": request.user.partnership}

    def has_import_permission(self, request):
        return permissions.can_import_area_data(request.user)

    def process_result(self, result, request):
        # Admin imports write through the resource; record them like any other import.
        totals = result.totals
        if totals.get("new", 0) or totals.get("update", 0):
            services.audit_record(
                actor=request.user,
                action=AuditEvent.Action.IMPORT,
                verb=f"import.{self.model._meta.model_name}",
                partnership=request.user.partnership,
                changes={
                    "new": totals.get("new", 0),
                    "updated": totals.get("update", 0),
                    "unchanged": totals.get("skip", 0),
                    "via": "admin",
                },
            )
        return super().process_result(result, request)

    def has_export_permission(self, request):
        return permissions.can_export_areas(request.user)


class ReadOnlyScopedAdmin(PartnershipScopedAdmin):
    """Runs and imports are made by services only: the admin shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
