"""Every write in evaluation, one module per part of the journey."""

from evaluation.services.listening import (  # noqa: F401
    action_save,
    exercise_create,
    exercise_set_public,
    response_code,
    response_record,
    responses_import,
    safeguarding_alert_acknowledge,
    safeguarding_alert_send,
    safeguarding_alerts_resend_unsent,
)
from evaluation.services.reports import (  # noqa: F401
    impact_report_build,
    impact_report_pdf_opened,
    request_impact_report,
)
