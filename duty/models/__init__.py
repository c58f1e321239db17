from duty.models.actions import OPEN_STATUSES, Action, ActionStatus, ActionUpdate, Rag
from duty.models.definition import DefinitionItem, ViolenceDefinition
from duty.models.holders import DutyHolder, GoverningBoard, PartnerMember
from duty.models.readiness import SCALE, ReadinessArea, ReadinessAssessment, ReadinessScore
from duty.models.strategy import Strategy, StrategyReview
from duty.models.succession import RecommendationSuccession

__all__ = [
    "OPEN_STATUSES",
    "SCALE",
    "Action",
    "ActionStatus",
    "ActionUpdate",
    "DefinitionItem",
    "DutyHolder",
    "GoverningBoard",
    "PartnerMember",
    "Rag",
    "ReadinessArea",
    "ReadinessAssessment",
    "ReadinessScore",
    "RecommendationSuccession",
    "Strategy",
    "StrategyReview",
    "ViolenceDefinition",
]
