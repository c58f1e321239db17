"""Every read of grants that depends on who is asking.

Scopes: grants staff see their partnership's rounds and everything in them; an applicant
sees its own organisation's applications and awards (and open rounds to apply to); a youth
reviewer sees only the applications assigned to them, through `assignments_for`, without
contact details. Anyone else gets empty querysets, so views answer 404.
"""

from grants.selectors.applications import (
    application_get,
    application_list,
    grant_round_list,
    open_round_list,
    organisation_list,
    organisation_members,
    user_to_add_to_organisation,
)
from grants.selectors.awards import (
    award_get,
    award_list,
    award_rows,
    monitoring_return_list,
)
from grants.selectors.panel import (
    ModeratedApplication,
    Moderation,
    ModerationRow,
    PanelComment,
    PanelView,
    decision_waits,
    moderation_for,
    panel_view,
)
from grants.selectors.reviews import (
    REVIEWER_APPLICATION_FIELDS,
    ApplicationForReviewer,
    application_for_reviewer,
    assignments_for,
    panel_member_list,
    score_list,
)

__all__ = [
    "REVIEWER_APPLICATION_FIELDS",
    "ApplicationForReviewer",
    "ModeratedApplication",
    "Moderation",
    "ModerationRow",
    "PanelComment",
    "PanelView",
    "application_for_reviewer",
    "application_get",
    "application_list",
    "assignments_for",
    "award_get",
    "award_list",
    "award_rows",
    "decision_waits",
    "grant_round_list",
    "moderation_for",
    "monitoring_return_list",
    "open_round_list",
    "organisation_list",
    "organisation_members",
    "panel_member_list",
    "panel_view",
    "score_list",
    "user_to_add_to_organisation",
]
