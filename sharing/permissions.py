"""Who may see and keep the partnership's information-sharing agreements and its disclosure log.

- Staff read the register of agreements and partner organisations (to know what they may
  share, and with whom): no personal data is in it.
- Administrators and the partnership's data protection lead keep it (add, change, end
  agreements and organisations) and read the disclosure log, which says what was shared
  about which young people (by record id, never the data).
- Anyone who may export personal data may disclose it to a partner, under an agreement the
  rule offers them (sharing.rules).
"""

from vru.models import Role, User
from vru.permissions import STAFF_ROLES, belongs_to_a_partnership, has_role


def is_data_protection_lead(user: User) -> bool:
    if not belongs_to_a_partnership(user) or not user.is_active:
        return False
    return user.partnership.data_protection_lead_id == user.pk


def can_view_register(user: User) -> bool:
    return belongs_to_a_partnership(user) and has_role(user, *STAFF_ROLES)


def can_manage_agreements(user: User) -> bool:
    return belongs_to_a_partnership(user) and (
        has_role(user, Role.ADMINISTRATOR) or is_data_protection_lead(user)
    )


def can_view_disclosure_log(user: User) -> bool:
    return can_manage_agreements(user)


def can_disclose(user: User) -> bool:
    """Name a partner and an agreement at an export door (the door's own predicate decides
    whether the user may export at all)."""
    return belongs_to_a_partnership(user) and has_role(user, *STAFF_ROLES)
