"""The shared core: who (partnerships, users, roles), where (places), why (strategy), audit."""

from vru.models.accounts import Partnership, Role, RoleAssignment, User
from vru.models.areas import (
    AreaIndicator,
    AreaProfile,
    CrimeCount,
    CrimeImport,
    Factor,
    HarmWeight,
    Hotspot,
    RiskRun,
    RiskScore,
)
from vru.models.audit import AuditEvent
from vru.models.encryption import KeyRotation
from vru.models.imports import ImportJob, ImportSnapshot
from vru.models.outbox import OutboxMessage
from vru.models.places import LSOA, CommunitySafetyPartnership, LocalAuthority, Postcode
from vru.models.strategy import (
    ComparisonKind,
    PreventionStage,
    Recommendation,
    StrategicNeedsAssessment,
    SuccessMeasure,
    SuccessMeasureComparison,
    SuccessMeasureValue,
    Theme,
    comparison_errors,
    period_kind,
    period_label,
)
from vru.models.tokens import ApiToken, token_digest

__all__ = [
    "LSOA",
    "ApiToken",
    "AreaIndicator",
    "AreaProfile",
    "AuditEvent",
    "CommunitySafetyPartnership",
    "ComparisonKind",
    "CrimeCount",
    "CrimeImport",
    "Factor",
    "HarmWeight",
    "Hotspot",
    "ImportJob",
    "ImportSnapshot",
    "KeyRotation",
    "LocalAuthority",
    "OutboxMessage",
    "Partnership",
    "Postcode",
    "PreventionStage",
    "Recommendation",
    "RiskRun",
    "RiskScore",
    "Role",
    "RoleAssignment",
    "StrategicNeedsAssessment",
    "SuccessMeasure",
    "SuccessMeasureComparison",
    "SuccessMeasureValue",
    "Theme",
    "User",
    "comparison_errors",
    "period_kind",
    "period_label",
    "token_digest",
]
