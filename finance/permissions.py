"""Who may do what with money: funding streams, allocations, spend, quarterly returns and
commissioned providers. One predicate per rule (docs/roles.md, docs/finance.md).

- Funding, allocations and the spend report: administrators, grants officers, analysts,
  programme managers and commissioners may read (money, no people); administrators and grants
  officers keep the record.
- Spend of a programme: administrators and grants officers, or the programme's manager.
- Quarterly returns: administrators and grants officers produce, review, lock and correct
  them; analysts and commissioners read them (commissioners only through the disclosure
  control). The records behind a programme row's figure: those who see the true counts and
  may see every case of that programme (administrators).
- Fair reach (equality monitoring): whoever reads quarterly returns, commissioners only
  through the disclosure control. The population it compares with is area data: imported
  by whoever imports area data (administrators and analysts).
"""

from programmes.models import Programme
from programmes.permissions import can_manage_programme, can_view_programme_cases
from vru.models import Role, User
from vru.permissions import (
    belongs_to_a_partnership,
    can_import_area_data,
    has_role,
    sees_suppressed_figures,
)

FINANCE_KEEPERS = frozenset({Role.ADMINISTRATOR, Role.GRANTS_OFFICER})
FINANCE_READERS = FINANCE_KEEPERS | {Role.ANALYST, Role.PROGRAMME_MANAGER, Role.COMMISSIONER}
RETURN_READERS = FINANCE_KEEPERS | {Role.ANALYST, Role.COMMISSIONER}


def can_view_finance(user: User) -> bool:
    return belongs_to_a_partnership(user) and has_role(user, *FINANCE_READERS)


def can_keep_funding(user: User) -> bool:
    """Add and change funding streams and their allocations."""
    return belongs_to_a_partnership(user) and has_role(user, *FINANCE_KEEPERS)


def can_record_spend(user: User, programme: Programme) -> bool:
    if not belongs_to_a_partnership(user) or programme.partnership_id != user.partnership_id:
        return False
    if has_role(user, *FINANCE_KEEPERS):
        return True
    return can_manage_programme(user, programme)


def can_import_spend(user: User) -> bool:
    return can_keep_funding(user)


def can_view_returns(user: User) -> bool:
    return belongs_to_a_partnership(user) and has_role(user, *RETURN_READERS)


def can_prepare_returns(user: User) -> bool:
    """Produce, review, lock and correct quarterly returns."""
    return can_keep_funding(user)


def sees_true_return_counts(user: User) -> bool:
    """Staff see a return's true counts inside the partnership; everyone else (commissioners)
    gets it through the disclosure control, as does any export marked external."""
    return can_view_returns(user) and not sees_suppressed_figures(user)


def can_drill_into_return(user: User, programme: Programme) -> bool:
    """List the records behind a programme row's figure: whoever sees the return's true
    counts and may read every case of the programme (programmes.permissions)."""
    return sees_true_return_counts(user) and can_view_programme_cases(user, programme)


def can_view_fair_reach(user: User) -> bool:
    """Fair reach: the same readers as the quarterly return."""
    return can_view_returns(user)


def sees_true_fair_reach_counts(user: User) -> bool:
    return sees_true_return_counts(user)


def can_import_population(user: User) -> bool:
    """The population fair reach compares with is area data."""
    return can_import_area_data(user)


def provider_of(user: User):
    """The provider a provider-staff user works for (None for anyone else)."""
    if not belongs_to_a_partnership(user) or not has_role(user, Role.PROVIDER):
        return None
    link = getattr(user, "provider_link", None)
    return None if link is None else link.provider


def can_record_kpi_figures(user: User, contract) -> bool:
    """Those who keep funding, and the staff of the contract's provider."""
    if (
        not belongs_to_a_partnership(user)
        or contract.provider.partnership_id != user.partnership_id
    ):
        return False
    if has_role(user, *FINANCE_KEEPERS):
        return True
    provider = provider_of(user)
    return provider is not None and provider.pk == contract.provider_id


def can_keep_providers(user: User) -> bool:
    """Add and change provider organisations, their contracts and KPIs: those who keep
    funding."""
    return can_keep_funding(user)


def can_view_contracts(user: User) -> bool:
    """The contracts pages: those who keep funding see every contract of the partnership;
    provider staff only their own provider's (finance.selectors.contracts)."""
    return can_keep_funding(user) or provider_of(user) is not None


def can_view_contract(user: User, contract) -> bool:
    return can_record_kpi_figures(user, contract)
