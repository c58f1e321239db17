"""The Duty's set-up in the admin: the board, the definition and the strategy's versions.
Duty holders, reviews and readiness assessments are kept on the Duty's pages (their services
apply the rules); here the register is the same model rules, and assessments read-only."""

from django.contrib import admin

from duty import permissions
from duty.models import (
    DefinitionItem,
    DutyHolder,
    GoverningBoard,
    PartnerMember,
    ReadinessAssessment,
    ReadinessScore,
    Strategy,
    StrategyReview,
    ViolenceDefinition,
)
from vru.admin import NamedErrorsInline, PartnershipScopedAdmin, ReadOnlyScopedAdmin
from vru.models import LocalAuthority, Role, User


class DutyAdmin(PartnershipScopedAdmin):
    allowed = staticmethod(permissions.can_edit_duty)


@admin.register(GoverningBoard)
class GoverningBoardAdmin(DutyAdmin):
    list_display = ["name"]


class PartnerMemberInline(NamedErrorsInline, admin.TabularInline):
    """Who signs in for the organisation with the partner role."""

    model = PartnerMember
    extra = 1
    verbose_name = "partner user"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = User.objects.filter(
                partnership_id=request.user.partnership_id,
                is_active=True,
                role_assignments__role=Role.PARTNER,
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(DutyHolder)
class DutyHolderAdmin(DutyAdmin):
    list_display = ["name", "kind", "lead_name", "on_board"]
    list_filter = ["kind", "on_board"]
    search_fields = ["name", "lead_name"]
    filter_horizontal = ["areas"]
    inlines = [PartnerMemberInline]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "areas":
            kwargs["queryset"] = LocalAuthority.objects.filter(
                partnership_id=request.user.partnership_id
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class DefinitionItemInline(NamedErrorsInline, admin.TabularInline):
    model = DefinitionItem
    extra = 1


@admin.register(ViolenceDefinition)
class ViolenceDefinitionAdmin(DutyAdmin):
    inlines = [DefinitionItemInline]


class StrategyReviewInline(NamedErrorsInline, admin.TabularInline):
    model = StrategyReview
    extra = 0
    fields = ["reviewed_on", "what_changed", "recorded_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # reviews are recorded on the Duty's page, which moves the next review


@admin.register(Strategy)
class StrategyAdmin(DutyAdmin):
    list_display = ["title", "version", "published_on", "next_review_on", "lead"]
    inlines = [StrategyReviewInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "lead":
            kwargs["queryset"] = User.objects.filter(
                partnership_id=request.user.partnership_id, is_active=True
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadinessScoreInline(NamedErrorsInline, admin.TabularInline):
    model = ReadinessScore
    extra = 0
    fields = ["area", "score", "evidence"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ReadinessAssessment)
class ReadinessAssessmentAdmin(ReadOnlyScopedAdmin):
    allowed = staticmethod(permissions.can_edit_duty)
    list_display = ["assessed_on", "kind"]
    inlines = [ReadinessScoreInline]
