"""Evaluation's data, one module per part of the journey."""

from evaluation.models.evaluations import (  # noqa: F401
    MARYLAND_SMS,
    PUBLISHED_BENEFIT_COST_RATIO,
    BenefitAssumption,
    Evaluation,
    Instrument,
    OutcomeScore,
    UnitCost,
)
from evaluation.models.listening import (  # noqa: F401
    DEFAULT_THEMES,
    CodebookTheme,
    FeedbackResponse,
    Gender,
    ListeningAction,
    ListeningExercise,
    SafeguardingAlert,
    SafeguardingContact,
)
from evaluation.models.reports import ImpactReport  # noqa: F401
