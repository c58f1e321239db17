"""Commissioned providers: their organisations, contracts and KPIs (kept by administrators
and grants officers), their staff (linked to one provider and made practitioners of the
programmes their provider is contracted for), and the quarterly KPI figures they report."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from finance import permissions
from finance.models import KPI, Contract, KPIFigure, Provider, ProviderStaff
from programmes import services as programme_services
from programmes.models import Programme, ProgrammeStaff
from vru.models import AuditEvent, Partnership, User
from vru.services.audit import audit_record


def _may_keep(actor: User | None, partnership_id: int) -> None:
    if actor is not None and not (
        permissions.can_keep_funding(actor) and actor.partnership_id == partnership_id
    ):
        raise PermissionDenied("You cannot change this partnership's commissioned providers.")


@transaction.atomic
def provider_create(*, actor: User | None, partnership: Partnership, name: str) -> Provider:
    _may_keep(actor, partnership.pk)
    provider = Provider(partnership=partnership, name=name)
    provider.full_clean()
    provider.save()
    audit_record(
        actor=actor, action=AuditEvent.Action.CREATE, verb="provider.created", target=provider
    )
    return provider


@transaction.atomic
def provider_update(*, actor: User | None, provider: Provider, name: str) -> Provider:
    _may_keep(actor, provider.partnership_id)
    before = provider.name
    provider.name = name
    provider.full_clean()
    provider.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="provider.updated",
        target=provider,
        partnership=provider.partnership,
        changes={"name": {"before": before, "after": provider.name}},
    )
    return provider


def _staff_programmes(provider: Provider, user: User, actor: User | None) -> None:
    """Make the user a practitioner of every programme the provider is contracted for."""
    for programme in Programme.objects.filter(
        pk__in=provider.contracts.values("programme")
    ).distinct():
        programme_services.programme_staff_set(
            actor=actor, programme=programme, user=user, role=ProgrammeStaff.StaffRole.PRACTITIONER
        )


@transaction.atomic
def provider_staff_add(*, actor: User | None, provider: Provider, user: User) -> ProviderStaff:
    """Link a provider-staff user to their provider; they become practitioners of the
    programmes it is contracted for (programmes.ProgrammeStaff)."""
    _may_keep(actor, provider.partnership_id)
    link = ProviderStaff(provider=provider, user=user)
    link.full_clean()  # ProviderStaff.clean: the one rule, whichever door
    link.save()
    _staff_programmes(provider, user, actor)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="provider.staff_added",
        target=provider,
        changes={"user": user.pk},
    )
    return link


@transaction.atomic
def provider_staff_remove(*, actor: User | None, link: ProviderStaff) -> None:
    """Unlink a staff member from their provider: they stop being practitioners of the
    programmes it is contracted for (the cases and sessions they recorded stay)."""
    provider, user = link.provider, link.user
    _may_keep(actor, provider.partnership_id)
    link.delete()
    for membership in ProgrammeStaff.objects.filter(
        user=user,
        role=ProgrammeStaff.StaffRole.PRACTITIONER,
        programme__in=provider.contracts.values("programme"),
    ).select_related("programme"):
        programme_services.programme_staff_remove(
            actor=actor, programme=membership.programme, user=user
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        verb="provider.staff_removed",
        target=provider,
        changes={"user": user.pk},
    )


@transaction.atomic
def contract_create(
    *,
    actor: User | None,
    provider: Provider,
    programme: Programme,
    value: Decimal,
    starts_on: date,
    ends_on: date,
    kpis: list[tuple[str, Decimal, str]] = (),
) -> Contract:
    """A contract with its KPIs ((name, target, unit) each); the provider's staff become
    practitioners of the programme."""
    _may_keep(actor, provider.partnership_id)
    contract = Contract(
        provider=provider, programme=programme, value=value, starts_on=starts_on, ends_on=ends_on
    )
    contract.full_clean()
    contract.save()
    for name, target, unit in kpis:
        kpi = KPI(contract=contract, name=name, target=target, unit=unit)
        kpi.full_clean()
        kpi.save()
    for link in provider.staff.select_related("user"):
        _staff_programmes(provider, link.user, actor)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="contract.created",
        target=contract,
        partnership=provider.partnership,
        changes={"programme": programme.pk, "value": str(value), "kpis": len(kpis)},
    )
    return contract


@transaction.atomic
def kpi_figure_record(
    *, actor: User | None, kpi: KPI, financial_year: int, quarter: int, value: Decimal
) -> KPIFigure:
    """Record (or correct) a KPI's figure for a quarter: those who keep funding, or the
    staff of the contract's provider."""
    contract = kpi.contract
    if actor is not None and not permissions.can_record_kpi_figures(actor, contract):
        raise PermissionDenied("You cannot record figures for this contract.")
    figure = (
        KPIFigure.objects.select_for_update()
        .filter(kpi=kpi, financial_year=financial_year, quarter=quarter)
        .first()
    )
    before = None if figure is None else str(figure.value)
    figure = figure or KPIFigure(kpi=kpi, financial_year=financial_year, quarter=quarter)
    figure.value, figure.recorded_by = value, actor
    figure.full_clean()
    figure.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE if before else AuditEvent.Action.CREATE,
        verb="kpi_figure.corrected" if before else "kpi_figure.recorded",
        target=figure,
        partnership=contract.provider.partnership,
        changes={"value": {"before": before, "after": str(value)}},
    )
    return figure


@transaction.atomic
def contract_update(
    *, actor: User | None, contract: Contract, value: Decimal, starts_on: date, ends_on: date
) -> Contract:
    """Change a contract's value and dates (its provider and programme stay: a new
    programme is a new contract, so staff access follows contracts)."""
    _may_keep(actor, contract.provider.partnership_id)
    before = {"value": str(contract.value), "starts_on": str(contract.starts_on)}
    before["ends_on"] = str(contract.ends_on)
    contract.value, contract.starts_on, contract.ends_on = value, starts_on, ends_on
    contract.full_clean()
    contract.save()
    after = {"value": str(value), "starts_on": str(starts_on), "ends_on": str(ends_on)}
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="contract.updated",
        target=contract,
        partnership=contract.provider.partnership,
        changes={
            name: {"before": before[name], "after": after[name]}
            for name in after
            if before[name] != after[name]
        },
    )
    return contract


def _kpi_values(kpi: KPI) -> dict:
    return {"name": kpi.name, "target": str(kpi.target), "unit": kpi.unit}


@transaction.atomic
def kpi_save(
    *,
    actor: User | None,
    contract: Contract,
    name: str,
    target: Decimal,
    unit: str = "",
    kpi: KPI | None = None,
) -> KPI:
    """Add a KPI to the contract, or change one of its KPIs (name, target, unit)."""
    _may_keep(actor, contract.provider.partnership_id)
    if kpi is not None and kpi.contract_id != contract.pk:
        raise PermissionDenied("That KPI is not this contract's.")
    before = None if kpi is None else _kpi_values(kpi)
    kpi = kpi or KPI(contract=contract)
    kpi.name, kpi.target, kpi.unit = name, target, (unit or "").strip()
    kpi.full_clean()
    kpi.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE if before is None else AuditEvent.Action.UPDATE,
        verb="kpi.created" if before is None else "kpi.updated",
        target=kpi,
        partnership=contract.provider.partnership,
        changes={"before": before, "after": _kpi_values(kpi)},
    )
    return kpi


@transaction.atomic
def kpi_delete(*, actor: User | None, kpi: KPI) -> None:
    """Remove a KPI that has no figures. One with figures is refused: what a provider
    reported stays on record (change the KPI instead)."""
    contract = kpi.contract
    _may_keep(actor, contract.provider.partnership_id)
    figures = KPIFigure.objects.filter(kpi=kpi).count()
    if figures:
        raise ValidationError(
            f"{kpi.name} has {figures} figure{'s' if figures != 1 else ''} recorded, so it "
            "stays: change its name or target instead.",
            code="kpi_has_figures",
        )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        verb="kpi.deleted",
        target=kpi,
        partnership=contract.provider.partnership,
        changes={"before": _kpi_values(kpi)},
    )
    kpi.delete()
