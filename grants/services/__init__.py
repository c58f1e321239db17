"""Every write to grants. Keyword-only, one transaction each, audited.

Callers import the package (`from grants import services`) and call `services.<name>`.
"""

from grants.services.applications import (
    application_check_eligibility,
    application_create,
    application_start,
    application_submit,
    application_update,
    attachment_add,
)
from grants.services.awards import (
    award_create,
    monitoring_return_approve,
    monitoring_return_submit,
    overdue_return_reminders_send,
    tranche_release,
)
from grants.services.decisions import (
    application_decide,
    assignment_release,
    decision_letter_send,
    decision_record,
)
from grants.services.organisations import (
    organisation_create,
    organisation_member_add,
    organisation_member_remove,
    organisation_update,
)
from grants.services.panels import (
    assignment_add,
    assignment_remove,
    assignments_generate,
    conflict_declare,
    no_conflict_declare,
    panel_member_create,
    panel_member_update,
    panel_reminders_send,
    reviewer_comments_expire,
    scores_save,
    scores_submit,
)
from grants.services.retention import applicants_expire, case_studies_expire, reviewers_expire
from grants.services.rounds import grant_round_create, grant_round_update

__all__ = [
    "applicants_expire",
    "application_check_eligibility",
    "application_create",
    "application_decide",
    "application_start",
    "application_submit",
    "application_update",
    "assignment_add",
    "assignment_release",
    "assignment_remove",
    "assignments_generate",
    "attachment_add",
    "award_create",
    "case_studies_expire",
    "conflict_declare",
    "decision_letter_send",
    "decision_record",
    "grant_round_create",
    "grant_round_update",
    "monitoring_return_approve",
    "monitoring_return_submit",
    "no_conflict_declare",
    "organisation_create",
    "organisation_member_add",
    "organisation_member_remove",
    "organisation_update",
    "overdue_return_reminders_send",
    "panel_member_create",
    "panel_member_update",
    "panel_reminders_send",
    "reviewer_comments_expire",
    "reviewers_expire",
    "scores_save",
    "scores_submit",
    "tranche_release",
]
