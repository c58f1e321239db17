"""Admin for grants reference data: organisations, panel members, rounds with their rubric.

Scoped to the administrator's partnership (vru.admin.PartnershipScopedAdmin: audited saves
and deletes). Workflow records (applications, assignments, scores, decisions, awards) change
only through the grants pages and services, so they are read-only here.
"""

from django.contrib import admin
from django.utils import timezone
from import_export.admin import ImportExportMixin

from grants import models, services
from grants.forms import GrantRoundAdminForm, OrganisationAdminForm
from grants.models.rounds import GRANT_ROUND_FIELDS
from grants.permissions import is_grants_staff
from grants.resources import OrganisationResource
from sharing.admin_doors import DisclosedExportMixin
from vru.admin import NamedErrorsInline, PartnershipScopedAdmin, ScopedImportMixin
from vru.data_kinds import DataKind
from vru.models import Role, User
from vru.permissions import has_role


def _grants_admin(user) -> bool:
    return is_grants_staff(user) and has_role(user, Role.ADMINISTRATOR)


class GrantsAdmin(PartnershipScopedAdmin):
    allowed = staticmethod(_grants_admin)


@admin.register(models.Organisation)
class OrganisationAdmin(DisclosedExportMixin, ScopedImportMixin, ImportExportMixin, GrantsAdmin):
    form = OrganisationAdminForm  # the pages' validated input (grants.forms)
    resource_classes = [OrganisationResource]
    # applicants' contact details: to a partner only under an agreement (as on the page)
    disclosure_kind = DataKind.APPLICANT
    disclosure_door = "Applicant organisations export (admin)"
    list_display = ["name", "kind", "charity_number", "safeguarding_policy_date"]
    search_fields = ["name", "charity_number", "company_number"]

    def has_import_permission(self, request):
        return _grants_admin(request.user)

    def has_export_permission(self, request):
        return _grants_admin(request.user)

    def get_form(self, request, obj=None, **kwargs):
        # The organisation belongs to the administrator's partnership before it is
        # validated, so the form checks what the pages check (a name free in this
        # partnership, a local authority of it) instead of failing when it is saved.
        form = super().get_form(request, obj, **kwargs)
        partnership_id = request.user.partnership_id

        class InPartnership(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if self.instance.partnership_id is None:
                    self.instance.partnership_id = partnership_id

        return InPartnership


@admin.register(models.PanelMember)
class PanelMemberAdmin(GrantsAdmin):
    list_display = ["user", "training_completed_on", "guardian_consent_recorded_on", "active"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_filter = ["active"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only the administrator's own partnership's youth reviewers (a select, never a
        # raw id that would accept any user).
        if db_field.name == "user":
            kwargs["queryset"] = (
                User.objects.filter(
                    partnership_id=request.user.partnership_id,
                    role_assignments__role=Role.YOUTH_REVIEWER,
                )
                .distinct()
                .order_by("username")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def rubric_locked(grant_round: models.GrantRound | None) -> bool:
    """A round's rubric and eligibility questions are fixed once it has opened or anyone
    has scored against it: changing them would change the meaning of answers given."""
    if grant_round is None or grant_round.pk is None:
        return False
    return (
        grant_round.opens_at <= timezone.now()
        or models.Score.objects.filter(criterion__grant_round=grant_round).exists()
    )


class RubricInline:
    """Same access as the round's admin (the partnership's administrators); editable until
    the round opens or is scored, then read-only: no adds, no changes, no deletes."""

    extra = 0

    def has_view_permission(self, request, obj=None):
        return _grants_admin(request.user)

    def has_add_permission(self, request, obj=None):
        return _grants_admin(request.user) and not rubric_locked(obj)

    def has_change_permission(self, request, obj=None):
        return _grants_admin(request.user) and not rubric_locked(obj)

    def has_delete_permission(self, request, obj=None):
        return _grants_admin(request.user) and not rubric_locked(obj)


class CriterionInline(NamedErrorsInline, RubricInline, admin.StackedInline):
    model = models.Criterion


class EligibilityQuestionInline(NamedErrorsInline, RubricInline, admin.TabularInline):
    model = models.EligibilityQuestion


@admin.register(models.GrantRound)
class GrantRoundAdmin(GrantsAdmin):
    """A round is made on the grants pages, with its rubric (the admin makes none); here it
    is changed through the same form and service as the pages' (grants.forms.GrantRoundFields,
    services.grant_round_update): the same rules and words, audited."""

    form = GrantRoundAdminForm
    list_display = ["title", "fund", "opens_at", "closes_at", "budget"]
    search_fields = ["title", "fund"]
    inlines = [CriterionInline, EligibilityQuestionInline]
    filter_horizontal = ["target_lsoas", "recommendations"]
    readonly_fields = ["decided_at"]

    def has_add_permission(self, request):
        return False

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # Only the administrator's own partnership's neighbourhoods and recommendations.
        if db_field.name == "target_lsoas":
            kwargs["queryset"] = db_field.related_model.objects.filter(
                partnership_id=request.user.partnership_id
            )
        elif db_field.name == "recommendations":
            kwargs["queryset"] = db_field.related_model.objects.filter(
                needs_assessment__partnership_id=request.user.partnership_id
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        services.grant_round_update(
            actor=request.user,
            grant_round=obj,
            target_lsoas=list(data.get("target_lsoas") or ()),
            recommendations=list(data.get("recommendations") or ()),
            **{name: data[name] for name in GRANT_ROUND_FIELDS if name in data},
        )
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        # the round's own choices were saved by the service; the rubric's inlines here
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(models.Application)
class ApplicationAdmin(GrantsAdmin):
    partnership_path = "grant_round__partnership"
    list_display = ["title", "organisation", "grant_round", "status"]
    list_filter = ["status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
