"""Community grants: organisations, rounds, applications, youth panels, reviews, awards."""

from grants.models.applications import (
    Application,
    Attachment,
    BudgetLine,
    EligibilityAnswer,
)
from grants.models.awards import Award, Decision, MonitoringReturn, Tranche
from grants.models.organisations import Organisation, OrganisationMembership
from grants.models.reviews import (
    Assignment,
    PanelMember,
    PanelProgress,
    Score,
    decision_waits_for,
)
from grants.models.rounds import Criterion, EligibilityQuestion, GrantRound

__all__ = [
    "Application",
    "Assignment",
    "Attachment",
    "Award",
    "BudgetLine",
    "Criterion",
    "Decision",
    "EligibilityAnswer",
    "EligibilityQuestion",
    "GrantRound",
    "MonitoringReturn",
    "Organisation",
    "OrganisationMembership",
    "PanelMember",
    "PanelProgress",
    "Score",
    "Tranche",
    "decision_waits_for",
]
