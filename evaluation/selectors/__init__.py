"""Every read in evaluation that needs a rule, one module per part of the journey."""

from evaluation.selectors.evaluations import (  # noqa: F401
    EVALUATION_SORTS,
    OutcomeSummary,
    awards_for_evaluation,
    evaluation_findings_for,
    evaluation_get,
    evaluation_list,
    instruments_for,
    outcome_score_list,
    outcome_summaries_for,
    programmes_for_evaluation,
    referral_for_scores,
    unit_costs_for,
)
from evaluation.selectors.headlines import (  # noqa: F401
    Headline,
    Headlines,
    area_headlines,
    partnership_headlines,
)
from evaluation.selectors.listening import (  # noqa: F401
    CountRow,
    ExerciseSummary,
    ThemeSummary,
    exercise_list,
    exercise_summary,
    public_exercise,
    response_list,
    responses_import_jobs,
    safeguarding_alert_list,
)
from evaluation.selectors.reports import (  # noqa: F401
    impact_report_get,
    impact_report_list,
    report_scope_choices,
)
from evaluation.selectors.value_for_money import (  # noqa: F401
    BenefitLine,
    CostBenefit,
    benefit_cost_ratio,
    cost_benefit_for,
    evaluation_cost_benefit,
)
