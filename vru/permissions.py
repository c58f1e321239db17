"""Who may do what in the core. One predicate per rule; everything else calls these.

docs/roles.md says the rules in words: staff roles and commissioners read the area and
strategy pages; youth reviewers and applicants see only their own work (grants, issue 5).
"""

from vru import import_kinds
from vru.models import ImportJob, Role, StrategicNeedsAssessment, User

STAFF_ROLES = frozenset(
    {
        Role.ADMINISTRATOR,
        Role.ANALYST,
        Role.PROGRAMME_MANAGER,
        Role.PRACTITIONER,
        Role.GRANTS_OFFICER,
    }
)
AREA_READERS = STAFF_ROLES | {Role.COMMISSIONER}
# Who must sign in with a second factor (docs/roles.md: roles that see personal or partnership
# data); youth reviewers and applicants may choose it.
MFA_REQUIRED_ROLES = STAFF_ROLES | {Role.COMMISSIONER, Role.PARTNER, Role.PROVIDER}
STRATEGY_EDITORS = frozenset({Role.ADMINISTRATOR, Role.ANALYST})
ADMIN_SITE_ROLES = frozenset({Role.ADMINISTRATOR, Role.ANALYST})


def has_role(user: User, *roles: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(user.role_names.intersection(roles))


def must_use_mfa(user: User) -> bool:
    return has_role(user, *MFA_REQUIRED_ROLES) or bool(user.is_superuser and user.is_active)


def belongs_to_a_partnership(user: User) -> bool:
    return user.is_authenticated and user.partnership_id is not None


def can_view_areas(user: User) -> bool:
    return belongs_to_a_partnership(user) and has_role(user, *AREA_READERS)


def can_export_areas(user: User) -> bool:
    return can_view_areas(user)


def can_view_strategy(user: User) -> bool:
    return belongs_to_a_partnership(user) and has_role(user, *AREA_READERS)


def can_view_draft_strategy(user: User) -> bool:
    return belongs_to_a_partnership(user) and has_role(user, *STRATEGY_EDITORS)


def can_view_needs_assessment(user: User, sna: StrategicNeedsAssessment) -> bool:
    if not can_view_strategy(user) or sna.partnership_id != user.partnership_id:
        return False
    if sna.status == StrategicNeedsAssessment.Status.PUBLISHED:
        return True
    return can_view_draft_strategy(user)


def can_edit_strategy(user: User) -> bool:
    return belongs_to_a_partnership(user) and has_role(user, *STRATEGY_EDITORS)


def can_import_area_data(user: User) -> bool:
    return belongs_to_a_partnership(user) and has_role(user, *STRATEGY_EDITORS)


def can_review_import(user: User, job: ImportJob) -> bool:
    """See an import's check, and confirm or cancel it: whoever may import that kind of data
    into the job's partnership (area data: the area-data importers; other kinds: their app's
    own predicate, registered with the kind in vru.import_kinds)."""
    if not belongs_to_a_partnership(user) or job.partnership_id != user.partnership_id:
        return False
    kind = import_kinds.get(job.kind)
    if kind is not None:
        return kind.may_review(user, job)
    return can_import_area_data(user)


def can_restore_import(user: User, job: ImportJob) -> bool:
    """Undo an import (put back what it replaced, or remove what it added): of those who may
    review it, the partnership's administrators and the person who ran it."""
    if not can_review_import(user, job):
        return False
    return has_role(user, Role.ADMINISTRATOR) or job.created_by_id == user.pk


def can_use_admin_site(user: User) -> bool:
    return belongs_to_a_partnership(user) and has_role(user, *ADMIN_SITE_ROLES)


def can_manage_users(user: User) -> bool:
    return belongs_to_a_partnership(user) and has_role(user, Role.ADMINISTRATOR)


def can_view_audit(user: User) -> bool:
    return belongs_to_a_partnership(user) and has_role(user, Role.ADMINISTRATOR)


def can_manage_outbox(user: User) -> bool:
    """See the work queue (outbox) in the admin and retry dead letters."""
    return belongs_to_a_partnership(user) and has_role(user, Role.ADMINISTRATOR)


def sees_suppressed_figures(user: User) -> bool:
    """Commissioners see aggregates only, with small numbers about people suppressed."""
    return not has_role(user, *STAFF_ROLES)


def can_run_risk_index(user: User) -> bool:
    """Analysts (and administrators) compute hotspots, risk runs and area profiles."""
    return belongs_to_a_partnership(user) and has_role(user, *STRATEGY_EDITORS)


def can_manage_api_tokens(user: User) -> bool:
    """Anyone signed in may make, list and revoke their own API tokens (a token never does
    more than its owner's role, and a read-only one less)."""
    return user.is_authenticated and user.is_active
