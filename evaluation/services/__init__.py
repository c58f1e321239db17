"""Every write in evaluation, one module per part of the journey."""

from evaluation.services.evaluations import (  # noqa: F401
    benefit_assumption_add,
    benefit_assumption_remove,
    evaluation_save,
    outcome_score_delete,
    outcome_score_record,
    outcome_scores_expire,
)
from evaluation.services.listening import (  # noqa: F401
    action_save,
    exercise_create,
    exercise_set_public,
    listening_responses_expire,
    response_code,
    response_record,
    responses_import,
    safeguarding_alert_acknowledge,
    safeguarding_alert_send,
)
from evaluation.services.listening_imports import (  # noqa: F401
    responses_import_job_create,
)
from evaluation.services.reports import (  # noqa: F401
    impact_report_build,
    impact_report_build_schedule,
    impact_report_pdf_opened,
    impact_reports_resume_stale,
    report_period_check,
    request_impact_report,
    request_impact_report_again,
)
