"""Evaluation's pages, one module per part of the journey."""

from evaluation.views.evaluations import (  # noqa: F401
    benefit_add,
    benefit_remove,
    evaluation_create,
    evaluation_detail,
    evaluation_edit,
    evaluation_list,
    outcome_score_delete,
    outcome_score_list,
    outcome_summaries,
    referral_scores,
    value_for_money,
)
from evaluation.views.listening import (  # noqa: F401
    PAGE_SIZE,
    action_edit,
    exercise_create,
    exercise_detail,
    exercise_list,
    exercise_publish,
    response_code,
    response_create,
    response_list,
    safeguarding_alert_acknowledge,
    safeguarding_alerts,
    you_said_we_did,
)
from evaluation.views.listening_imports import (  # noqa: F401
    responses_import,
    responses_import_job,
    responses_import_job_cancel,
    responses_import_job_restore,
)
from evaluation.views.reports import (  # noqa: F401
    report_detail,
    report_list,
    report_pdf,
    report_request,
    report_request_again,
)
