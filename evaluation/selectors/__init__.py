"""Every read in evaluation that needs a rule, one module per part of the journey."""

from evaluation.selectors.listening import (  # noqa: F401
    CountRow,
    ExerciseSummary,
    ThemeSummary,
    exercise_list,
    exercise_summary,
    public_exercise,
    response_list,
    safeguarding_alert_list,
)
from evaluation.selectors.reports import (  # noqa: F401
    impact_report_get,
    impact_report_list,
    report_scope_choices,
)
