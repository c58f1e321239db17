"""Evaluation's pages, one module per part of the journey."""

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
    responses_import,
    safeguarding_alert_acknowledge,
    safeguarding_alerts,
    you_said_we_did,
)
from evaluation.views.reports import (  # noqa: F401
    report_detail,
    report_list,
    report_pdf,
    report_request,
)
