"""Writes to the Duty's record: each checks who may make it, validates, audits."""

from duty.services.actions import (  # noqa: F401
    ACTION_NOTICE,
    action_create,
    action_notice_send,
    action_notices_enqueue,
    action_update_record,
)
from duty.services.duty import (  # noqa: F401
    STRATEGY_REVIEW_DUE,
    duty_holder_save,
    readiness_assessment_record,
    strategy_review_record,
    strategy_review_reminder_send,
    strategy_review_reminders_enqueue,
)
from duty.services.succession import recommendations_carry_forward  # noqa: F401
