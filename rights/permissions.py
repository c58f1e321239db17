"""Who may work on young people's rights requests: the partnership's administrators and its
data protection lead (a responsibility given to a user, vru.Partnership.data_protection_lead).
Nobody else, at any door: a request names a young person and, once gathered, holds
everything about them."""

from vru.models import Role, User
from vru.permissions import belongs_to_a_partnership, has_role


def is_data_protection_lead(user: User) -> bool:
    if not (belongs_to_a_partnership(user) and user.is_active):
        return False
    return user.partnership.data_protection_lead_id == user.pk


def can_handle_requests(user: User) -> bool:
    return belongs_to_a_partnership(user) and (
        has_role(user, Role.ADMINISTRATOR) or is_data_protection_lead(user)
    )
