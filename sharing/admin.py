"""The sharing register in the admin: organisations kept as on the pages; agreements read
here and changed on their pages (sharing.services applies the rules, the parties included),
with an action that ends them; the disclosure log read-only."""

from django.contrib import admin
from django.core.exceptions import ValidationError

from sharing import permissions, services
from sharing.models import Agreement, DisclosedRecord, DisclosureLog, Organisation
from vru.admin import PartnershipScopedAdmin, ReadOnlyScopedAdmin


class SharingAdmin(PartnershipScopedAdmin):
    allowed = staticmethod(permissions.can_manage_agreements)


@admin.register(Organisation)
class OrganisationAdmin(SharingAdmin):
    list_display = ["name", "kind", "contact_name", "contact_email"]
    list_filter = ["kind"]
    search_fields = ["name"]
    fields = ["name", "kind", "contact_name", "contact_email"]


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyScopedAdmin):
    allowed = staticmethod(permissions.can_manage_agreements)
    list_display = ["title", "lawful_basis", "direction", "starts_on", "review_on", "ends_on"]
    list_filter = ["direction", "lawful_basis"]
    search_fields = ["title"]
    actions = ["end_agreements"]

    @admin.action(description="End the selected agreements today")
    def end_agreements(self, request, queryset):
        ended = 0
        for agreement in queryset:
            try:
                services.agreement_end(actor=request.user, agreement=agreement)
            except ValidationError:
                continue
            ended += 1
        self.message_user(request, f"{ended} agreement{'s' if ended != 1 else ''} ended.")


class DisclosedRecordInline(admin.TabularInline):
    model = DisclosedRecord
    fields = ["model_label", "record_id", "young_person_id"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DisclosureLog)
class DisclosureLogAdmin(ReadOnlyScopedAdmin):
    allowed = staticmethod(permissions.can_view_disclosure_log)
    list_display = ["at", "by", "recipient", "agreement", "kind", "record_count", "door"]
    list_filter = ["kind", "door"]
    inlines = [DisclosedRecordInline]
