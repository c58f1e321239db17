from duty.models.definition import DefinitionItem, ViolenceDefinition
from duty.models.holders import DutyHolder, GoverningBoard
from duty.models.readiness import SCALE, ReadinessArea, ReadinessAssessment, ReadinessScore
from duty.models.strategy import Strategy, StrategyReview

__all__ = [
    "SCALE",
    "DefinitionItem",
    "DutyHolder",
    "GoverningBoard",
    "ReadinessArea",
    "ReadinessAssessment",
    "ReadinessScore",
    "Strategy",
    "StrategyReview",
    "ViolenceDefinition",
]
