"""The shared core: who (partnerships, users, roles), where (places), why (strategy), audit."""

from vru.models.accounts import Partnership, Role, RoleAssignment, User
from vru.models.audit import AuditEvent
from vru.models.imports import ImportJob
from vru.models.places import LSOA, CommunitySafetyPartnership, LocalAuthority
from vru.models.strategy import (
    PreventionStage,
    Recommendation,
    StrategicNeedsAssessment,
    SuccessMeasure,
    SuccessMeasureValue,
    Theme,
)

__all__ = [
    "LSOA",
    "AuditEvent",
    "CommunitySafetyPartnership",
    "ImportJob",
    "LocalAuthority",
    "Partnership",
    "PreventionStage",
    "Recommendation",
    "Role",
    "RoleAssignment",
    "StrategicNeedsAssessment",
    "SuccessMeasure",
    "SuccessMeasureValue",
    "Theme",
    "User",
]
