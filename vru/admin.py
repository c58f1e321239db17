"""The admin: a support tool for administrators (and analysts, for area and strategy data),
always scoped to their own partnership. Saves and deletes go through audited services."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Q
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats

from vru import accounts, permissions, selectors, services
from vru.forms import GovukErrorsMixin, needs_assessment_choice_forms
from vru.models import (
    LSOA,
    AreaIndicator,
    AuditEvent,
    CommunitySafetyPartnership,
    CrimeImport,
    Factor,
    HarmWeight,
    ImportJob,
    ImportSnapshot,
    LocalAuthority,
    OutboxMessage,
    Partnership,
    Recommendation,
    RiskRun,
    RoleAssignment,
    StrategicNeedsAssessment,
    SuccessMeasure,
    SuccessMeasureComparison,
    SuccessMeasureValue,
    Theme,
    User,
)
from vru.models.strategy import SUCCESS_MEASURE_VALUE_FIELDS
from vru.resources import (
    LSOAResource,
    RecommendationResource,
    SuccessMeasureComparisonResource,
    SuccessMeasureValueResource,
)


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
        return services.read_table(file_name="import.csv", content=content)


class CheckedXLSX(base_formats.XLSX):
    def create_dataset(self, in_stream):
        return services.read_table(file_name="import.xlsx", content=in_stream)


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


class RoleAssignmentInline(NamedErrorsInline, admin.TabularInline):
    model = RoleAssignment
    extra = 0


@admin.register(Partnership)
class PartnershipAdmin(NamedErrorsAdmin, admin.ModelAdmin):
    """Administrators see their own partnership only, and choose its designated
    safeguarding lead (told of every break-glass identity view)."""

    list_display = ["name", "short_name", "designated_safeguarding_lead"]
    fields = ["name", "short_name", "slug", "designated_safeguarding_lead"]
    readonly_fields = ["name", "short_name", "slug"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(pk=request.user.partnership_id)
            .select_related("designated_safeguarding_lead")
        )

    def has_module_permission(self, request):
        return permissions.can_manage_users(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.can_manage_users(request.user)

    has_change_permission = has_view_permission

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "designated_safeguarding_lead":
            kwargs["queryset"] = User.objects.filter(
                partnership_id=request.user.partnership_id, is_active=True
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        services.record_save(
            actor=request.user, instance=obj, changed_fields=list(form.changed_data), created=False
        )


@admin.register(User)
class UserAdmin(NamedErrorsAdmin, DjangoUserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "email",
        "roles",
        "is_active",
        "last_login",
    ]
    list_filter = ["is_active", "role_assignments__role"]
    inlines = [RoleAssignmentInline]
    readonly_fields = ["partnership", "last_login", "date_joined", "is_staff", "is_superuser"]
    fieldsets = (
        (None, {"fields": ("username", "password", "partnership")}),
        ("Personal details", {"fields": ("first_name", "last_name", "email")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )

    actions = ["deactivate"]

    @admin.display(description="Roles")
    def roles(self, obj):
        return ", ".join(sorted(a.get_role_display() for a in obj.role_assignments.all()))

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(partnership_id=request.user.partnership_id)
            .prefetch_related("role_assignments")
        )

    def has_module_permission(self, request):
        return permissions.can_manage_users(request.user)

    has_view_permission = has_add_permission = lambda self, request, obj=None: (
        permissions.can_manage_users(request.user)
    )
    has_change_permission = has_delete_permission = has_view_permission

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Adding users and changing roles or access: only after a recent password or
        # second factor (allauth's re-authentication page, then back here).
        if not accounts.recently_authenticated(request):
            return accounts.reauthenticate(request)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        obj.partnership_id = request.user.partnership_id
        services.record_save(
            actor=request.user,
            instance=obj,
            changed_fields=list(form.changed_data),
            created=not change,
        )
        if change and "is_active" in form.changed_data and not obj.is_active:
            services.user_deactivate(actor=request.user, user=obj)  # ends their sessions

    @admin.action(description="Deactivate selected users (ends their sessions)")
    def deactivate(self, request, queryset):
        if not accounts.recently_authenticated(request):
            return accounts.reauthenticate(request)
        done = 0
        for user in queryset:
            try:
                services.user_deactivate(actor=request.user, user=user)
            except ValidationError as error:
                self.message_user(request, f"{user}: {error.messages[0]}", messages.ERROR)
            else:
                done += 1
        self.message_user(request, f"{done} users deactivated; their sessions have ended.")
        return None

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is RoleAssignment and formset.has_changed():
            user = form.instance
            roles = list(user.role_assignments.values_list("role", flat=True))
            user.is_staff = bool(set(roles) & permissions.ADMIN_SITE_ROLES)
            user.save(update_fields=["is_staff"])
            services.audit_record(
                actor=request.user,
                action=AuditEvent.Action.UPDATE,
                verb="user.roles_changed",
                target=user,
                changes={"after": sorted(roles)},
            )

    def delete_model(self, request, obj):
        services.record_delete(actor=request.user, instance=obj)


@admin.register(AuditEvent)
class AuditEventAdmin(NamedErrorsAdmin, admin.ModelAdmin):
    list_display = [
        "created_at",
        "actor",
        "action",
        "verb",
        "target_type",
        "target_repr",
        "ip_address",
    ]
    list_filter = ["action", "target_type", "created_at"]
    search_fields = ["verb", "target_repr", "target_id", "actor__username"]
    list_select_related = ["actor"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(partnership_id=request.user.partnership_id)

    def has_module_permission(self, request):
        return permissions.can_view_audit(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.can_view_audit(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportJob)
class ImportJobAdmin(NamedErrorsAdmin, admin.ModelAdmin):
    list_display = ["created_at", "kind", "file_name", "status", "imported_rows", "created_by"]
    list_filter = ["kind", "status"]
    exclude = ["content"]
    readonly_fields = [f.name for f in ImportJob._meta.fields if f.name != "content"]

    def get_queryset(self, request):
        # referral imports concern named young people: shown on the programmes' own
        # import pages to those who may import them, not to area-data importers here
        return (
            super()
            .get_queryset(request)
            .filter(partnership_id=request.user.partnership_id)
            .exclude(kind=ImportJob.Kind.REFERRALS)
        )

    def has_module_permission(self, request):
        return permissions.can_import_area_data(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.can_import_area_data(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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


class ReadOnlyScopedAdmin(PartnershipScopedAdmin):
    """Runs and imports are made by services only: the admin shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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


# --- The outbox: work that must happen (issue 7) --------------------------------------------


@admin.register(OutboxMessage)
class OutboxMessageAdmin(NamedErrorsAdmin, admin.ModelAdmin):
    """Alerts, notifications, letters and retention runs waiting, done or given up on.

    Administrators see their partnership's messages and the platform-wide jobs (no personal
    data is stored here: a kind and an id), and send dead letters again."""

    list_display = [
        "created_at",
        "kind",
        "target_id",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "done_at",
        "short_error",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["kind", "=target_id"]
    date_hierarchy = "created_at"
    actions = ["retry"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(Q(partnership_id=request.user.partnership_id) | Q(partnership__isnull=True))
        )

    @admin.display(description="Last error")
    def short_error(self, obj):
        return obj.last_error[:80]

    @admin.action(description="Retry the selected dead letters", permissions=["retry"])
    def retry(self, request, queryset):
        dead = queryset.filter(status=OutboxMessage.Status.DEAD)
        retried = services.outbox.retry(actor=request.user, messages=dead)
        skipped = queryset.count() - retried
        self.message_user(request, f"{retried} sent again.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} not retried: only dead letters can be retried.",
                messages.WARNING,
            )

    def has_module_permission(self, request):
        return permissions.can_manage_outbox(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.can_manage_outbox(request.user)

    def has_retry_permission(self, request):
        return permissions.can_manage_outbox(request.user)

    def has_change_permission(self, request, obj=None):
        return False  # messages change only through the relay, the worker and "Retry"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
