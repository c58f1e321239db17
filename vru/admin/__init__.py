"""The admin: a support tool for administrators (and analysts, for area and strategy data),
always scoped to their own partnership. Saves and deletes go through audited services."""

from vru.admin.accounts import (
    PartnershipAdmin,
    RoleAssignmentInline,
    UserAdmin,
)
from vru.admin.areas import (
    AreaIndicatorAdmin,
    CrimeImportAdmin,
    FactorAdmin,
    HarmWeightAdmin,
    ImportSnapshotAdmin,
    RiskRunAdmin,
)
from vru.admin.base import (
    CheckedCSV,
    CheckedXLSX,
    NamedErrorsAdmin,
    NamedErrorsInline,
    PartnershipScopedAdmin,
    ReadOnlyScopedAdmin,
    ScopedImportMixin,
    named_errors,
)
from vru.admin.places import (
    CommunitySafetyPartnershipAdmin,
    LocalAuthorityAdmin,
    LSOAAdmin,
)
from vru.admin.records import (
    AuditEventAdmin,
    ImportJobAdmin,
    OutboxMessageAdmin,
)
from vru.admin.strategy import (
    RecommendationAdmin,
    StrategicNeedsAssessmentAdmin,
    SuccessMeasureAdmin,
    SuccessMeasureComparisonAdmin,
    SuccessMeasureValueAdmin,
    SuccessMeasureValueInline,
    ThemeInline,
)

__all__ = [
    "AreaIndicatorAdmin",
    "AuditEventAdmin",
    "CheckedCSV",
    "CheckedXLSX",
    "CommunitySafetyPartnershipAdmin",
    "CrimeImportAdmin",
    "FactorAdmin",
    "HarmWeightAdmin",
    "ImportJobAdmin",
    "ImportSnapshotAdmin",
    "LSOAAdmin",
    "LocalAuthorityAdmin",
    "NamedErrorsAdmin",
    "NamedErrorsInline",
    "OutboxMessageAdmin",
    "PartnershipAdmin",
    "PartnershipScopedAdmin",
    "ReadOnlyScopedAdmin",
    "RecommendationAdmin",
    "RiskRunAdmin",
    "RoleAssignmentInline",
    "ScopedImportMixin",
    "StrategicNeedsAssessmentAdmin",
    "SuccessMeasureAdmin",
    "SuccessMeasureComparisonAdmin",
    "SuccessMeasureValueAdmin",
    "SuccessMeasureValueInline",
    "ThemeInline",
    "UserAdmin",
    "named_errors",
]
