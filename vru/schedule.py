"""Celery beat's schedule: the periodic work of every app (settings.CELERY_BEAT_SCHEDULE).
Each app's tasks are named here by their dotted name; the core imports no app."""

from celery.schedules import crontab


def beat_schedule(urgent_queue: str) -> dict:
    return {
        # vru: hand due outbox messages (alerts, notifications, letters, retention) to the broker
        "vru-outbox-relay": {
            "task": "vru.tasks.outbox_relay",
            "schedule": 10.0,
            # its own queue; a run nobody took within 30 s is dropped (the next one does its work)
            "options": {"queue": urgent_queue, "expires": 30},
        },
        "vru-outbox-purge": {
            "task": "vru.tasks.outbox_purge",
            "schedule": 24 * 60 * 60.0,
        },
        # vru: checked import files nobody confirmed within VRU_IMPORT_CHECK_HOURS are forgotten
        # (hourly, so a file outlives its limit by an hour at most)
        "vru-import-checks-expire": {
            "task": "vru.tasks.import_checks_expire",
            "schedule": 60 * 60.0,
        },
        # vru: area profiles per CSP and local authority for the latest crime months, monthly
        "vru-area-profiles-monthly": {
            "task": "vru.tasks.area_profiles_generate_latest",
            "schedule": crontab(minute=0, hour=4, day_of_month=2),
        },
        # programmes: the notice sweep (24-hour-clock breaches found from database state, and
        # new referrals, told in one digest e-mail per person) and daily retention
        "programmes-referral-sla-sweep": {
            "task": "programmes.tasks.referral_sla_sweep",
            "schedule": 60.0,
            "options": {"expires": 60},  # a sweep still queued when the next is due is dropped
        },
        "programmes-retention-sweep": {
            "task": "programmes.tasks.retention_sweep",
            "schedule": 24 * 60 * 60.0,
        },
        # grants: panel-deadline reminders (48 h before) and overdue monitoring-return reminders
        "grants-panel-reminders": {
            "task": "grants.tasks.send_panel_reminders",
            "schedule": 60 * 60.0,
        },
        # evaluation: impact-report builds whose worker died are handed over again
        "evaluation-impact-reports-resume": {
            "task": "evaluation.tasks.impact_reports_resume_stale",
            "schedule": 5 * 60.0,
        },
        "grants-overdue-return-reminders": {
            "task": "grants.tasks.send_overdue_return_reminders",
            "schedule": 24 * 60 * 60.0,
        },
        # duty: the strategy's lead is reminded VRU_STRATEGY_REVIEW_NOTICE_DAYS before a review
        "duty-strategy-review-reminders": {
            "task": "duty.tasks.strategy_review_reminders",
            "schedule": 24 * 60 * 60.0,
        },
        # duty: an action's owner hears when it is overdue or turns red, once each
        "duty-action-notices": {
            "task": "duty.tasks.action_notices",
            "schedule": 24 * 60 * 60.0,
        },
        # sharing: an agreement past its review date is told to its owner, once per date
        "sharing-agreement-review-reminders": {
            "task": "sharing.tasks.agreement_review_reminders",
            "schedule": 24 * 60 * 60.0,
        },
        # rights: the data protection lead hears as a request's one-month clock runs down
        "rights-request-reminders": {
            "task": "rights.tasks.request_reminders",
            "schedule": 24 * 60 * 60.0,
        },
        # rights: a subject access gathering whose worker died is handed over again
        "rights-request-gathers-resume": {
            "task": "rights.tasks.request_gathers_resume",
            "schedule": 5 * 60.0,
        },
        # rights: each kind of personal data goes at its own period (vru.data_kinds)
        "rights-retention-apply": {
            "task": "rights.tasks.retention_apply",
            "schedule": 24 * 60 * 60.0,
        },
    }
