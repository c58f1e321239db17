"""Who may see and keep the partnership's record of the Serious Violence Duty.

- Staff and commissioners read it: who holds the Duty, the definition, the strategy and its
  reviews, readiness over time. None of it is about a young person.
- Analysts and administrators keep it, as they keep the needs assessments.
"""

from vru.models import User
from vru.permissions import AREA_READERS, STRATEGY_EDITORS, belongs_to_a_partnership, has_role


def can_view_duty(user: User) -> bool:
    return belongs_to_a_partnership(user) and has_role(user, *AREA_READERS)


def can_edit_duty(user: User) -> bool:
    return belongs_to_a_partnership(user) and has_role(user, *STRATEGY_EDITORS)
