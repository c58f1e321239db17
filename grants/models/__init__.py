"""Community grants: organisations, rounds, applications, youth panels, reviews, awards."""

from grants.models.awards import Award, Decision, MonitoringReturn, Tranche
from grants.models.reviews import (
    Assignment,
    PanelMember,
    PanelProgress,
    Score,
    decision_waits_for,
)
from grants.models.rounds import (
    Application,
    Attachment,
    BudgetLine,
    Criterion,
    EligibilityAnswer,
    EligibilityQuestion,
    GrantRound,
    Organisation,
    OrganisationMembership,
)

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
