"""Who may see and keep the partnership's record of the Serious Violence Duty.

- Staff and commissioners read it: who holds the Duty, the definition, the strategy and its
  reviews, readiness over time. None of it is about a young person.
- Analysts and administrators keep it, as they keep the needs assessments.
- Partners (people of a duty-holder organisation, `PartnerMember`) see the action plan's
  actions their organisation owns, and update them; the protected figures of the areas their
  organisation covers. Nothing else, and nothing about a young person.
"""

from duty.models import Action, PartnerMember
from vru.models import Role, User
from vru.permissions import AREA_READERS, STRATEGY_EDITORS, belongs_to_a_partnership, has_role


def can_view_duty(user: User) -> bool:
    return belongs_to_a_partnership(user) and has_role(user, *AREA_READERS)


def can_edit_duty(user: User) -> bool:
    return belongs_to_a_partnership(user) and has_role(user, *STRATEGY_EDITORS)


def partner_holder_id(user: User) -> int | None:
    """The duty holder a partner works for, in their own partnership; None for anyone else."""
    if not (belongs_to_a_partnership(user) and has_role(user, Role.PARTNER)):
        return None
    return (
        PartnerMember.objects.filter(user=user, holder__partnership_id=user.partnership_id)
        .values_list("holder_id", flat=True)
        .first()
    )


def can_view_action_plan(user: User) -> bool:
    return can_view_duty(user) or partner_holder_id(user) is not None


def can_update_action(user: User, action: Action) -> bool:
    """The plan's keepers update any action; a partner, those their organisation owns."""
    if can_edit_duty(user):
        return True
    holder_id = partner_holder_id(user)
    return holder_id is not None and action.owner_id == holder_id


def can_view_annual_report(user: User) -> bool:
    return can_view_duty(user)


def can_view_area_figures(user: User) -> bool:
    return partner_holder_id(user) is not None
