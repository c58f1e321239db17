"""Reads of commissioned providers' contracts and KPI figures, as the viewer may see them:
those who keep funding every contract of the partnership, provider staff their own
provider's only (finance.permissions)."""

from django.db.models import QuerySet

from finance import permissions
from finance.models import KPI, Contract, KPIFigure, Provider, ProviderStaff
from programmes.models import Programme
from vru.models import Role, User


def contracts(*, viewer: User) -> QuerySet[Contract]:
    if permissions.can_keep_funding(viewer):
        qs = Contract.objects.filter(provider__partnership_id=viewer.partnership_id)
    else:
        provider = permissions.provider_of(viewer)
        if provider is None:
            return Contract.objects.none()
        qs = Contract.objects.filter(provider=provider)
    return qs.select_related("provider", "programme").order_by("provider__name", "-starts_on", "pk")


def kpi_figures(*, viewer: User) -> QuerySet[KPIFigure]:
    return (
        KPIFigure.objects.filter(kpi__contract__in=contracts(viewer=viewer).order_by().values("pk"))
        .select_related("kpi")
        .order_by("kpi__contract", "kpi__name", "financial_year", "quarter", "pk")
    )


def contract_kpis(*, contract: Contract) -> list[dict]:
    """The contract's KPIs with their targets and figures by (year, quarter), in order."""
    rows = []
    for kpi in KPI.objects.filter(contract=contract).prefetch_related("figures").order_by("name"):
        figures = sorted(kpi.figures.all(), key=lambda f: (f.financial_year, f.quarter))
        rows.append({"kpi": kpi, "figures": figures})
    return rows


def providers(*, viewer: User) -> QuerySet[Provider]:
    """The partnership's provider organisations, for those who keep them."""
    if not permissions.can_keep_providers(viewer):
        return Provider.objects.none()
    return Provider.objects.filter(partnership_id=viewer.partnership_id).order_by("name", "pk")


def contract_programmes(*, viewer: User) -> QuerySet[Programme]:
    """The programmes a contract may be for: the partnership's (for those who keep them)."""
    if not permissions.can_keep_providers(viewer):
        return Programme.objects.none()
    return Programme.objects.filter(partnership_id=viewer.partnership_id).order_by("name", "pk")


def contract_kpi(*, contract: Contract, pk: int) -> KPI | None:
    return KPI.objects.filter(contract=contract, pk=pk).first()


def provider_staff(*, viewer: User, provider: Provider) -> QuerySet[ProviderStaff]:
    """The provider's linked staff, for those who keep providers."""
    if (
        not permissions.can_keep_providers(viewer)
        or provider.partnership_id != viewer.partnership_id
    ):
        return ProviderStaff.objects.none()
    return (
        ProviderStaff.objects.filter(provider=provider)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username", "pk")
    )


def provider_staff_choices(*, viewer: User, provider: Provider) -> QuerySet[User]:
    """The users who may be linked to the provider: active users of the partnership holding
    the provider staff role and not linked to it already (one linked to another provider is
    offered, and refused by the rule, which names why)."""
    if (
        not permissions.can_keep_providers(viewer)
        or provider.partnership_id != viewer.partnership_id
    ):
        return User.objects.none()
    return (
        User.objects.filter(
            partnership_id=viewer.partnership_id,
            is_active=True,
            role_assignments__role=Role.PROVIDER,
        )
        .exclude(provider_link__provider=provider)
        .select_related("provider_link__provider")
        .distinct()
        .order_by("last_name", "first_name", "username", "pk")
    )
