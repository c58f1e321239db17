"""The money demo, per partnership: a Home Office VRU grant (core and intervention streams)
for each of the last two complete financial years, allocated across the partnership's
programmes and grant rounds, quarterly spend of every programme in both years, and the
locked quarterly return of the last quarter of the later year; three commissioned providers
(for the first three programmes) with contracts, KPIs and quarterly KPI figures.

Every figure here is SYNTHETIC (made up for the demo, worked out from each programme's place
in a sorted list), not any VRU's accounts. Idempotent: a partnership that has a funding
stream is left alone."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from finance import services
from finance.models import FundingStream, Provider, financial_year_label, financial_year_of
from grants.models import GrantRound
from programmes.models import Programme
from vru.models import Partnership, Role, User

SYNTHETIC = "Synthetic demo figures, not real accounts."
# share of each quarter's profile actually spent, quarter by quarter (synthetic)
SPEND_PROFILE = (Decimal("0.82"), Decimal("0.97"), Decimal("1.06"), Decimal("1.12"))


def load_demo() -> list[str]:
    lines = []
    last_complete = financial_year_of(timezone.localdate()) - 1
    for partnership in Partnership.objects.order_by("pk"):
        if FundingStream.objects.filter(partnership=partnership).exists():
            lines.append(f"Money demo already loaded for {partnership.short_name}.")
        else:
            lines.append(_load(partnership, [last_complete - 1, last_complete]))
        _link_provider_staff(partnership)
    return lines


@transaction.atomic
def _link_provider_staff(partnership: Partnership) -> None:
    """The demo's provider-staff users (e.g. essex.provider) work for the partnership's first
    demo provider, which makes them practitioners of its contracted programme. Idempotent:
    a user already linked is left alone."""
    provider = (
        Provider.objects.filter(partnership=partnership, name__endswith="(synthetic demo)")
        .order_by("name")
        .first()
    )
    if provider is None:
        return
    for staff in User.objects.filter(
        partnership=partnership,
        role_assignments__role=Role.PROVIDER,
        provider_link__isnull=True,
    ).distinct():
        services.provider_staff_add(actor=None, provider=provider, user=staff)


@transaction.atomic
def _load(partnership: Partnership, years: list[int]) -> str:
    programmes = list(Programme.objects.filter(partnership=partnership).order_by("name"))
    rounds = list(GrantRound.objects.filter(partnership=partnership).order_by("pk"))
    for year in years:
        services.funding_stream_save(
            actor=None,
            partnership=partnership,
            funder="Home Office",
            grant_name="VRU core grant",
            financial_year=year,
            amount=Decimal("400000"),
            spend_type=FundingStream.SpendType.CORE,
            conditions=f"Core team and analysts. {SYNTHETIC}",
        )
        intervention = services.funding_stream_save(
            actor=None,
            partnership=partnership,
            funder="Home Office",
            grant_name="VRU intervention grant",
            financial_year=year,
            amount=Decimal("1600000"),
            spend_type=FundingStream.SpendType.INTERVENTION,
            conditions="Spent on interventions for young people under 25; quarterly return "
            f"to the Home Office. {SYNTHETIC}",
        )
        for n, programme in enumerate(programmes):
            allocated = Decimal(90000 + 15000 * (n % 5))
            services.allocation_add(
                actor=None, stream=intervention, programme=programme, amount=allocated
            )
            for quarter, share in enumerate(SPEND_PROFILE, start=1):
                wobble = Decimal(1) + Decimal((n * 7 + quarter * 3) % 9 - 4) / 100
                services.spend_record(
                    actor=None,
                    programme=programme,
                    financial_year=year,
                    quarter=quarter,
                    amount=(allocated / 4 * share * wobble).quantize(Decimal("0.01")),
                    note=SYNTHETIC,
                )
        for grant_round in rounds:
            services.allocation_add(
                actor=None, stream=intervention, grant_round=grant_round, amount=grant_round.budget
            )
    providers = _providers(partnership, programmes[:3], years)
    # the last complete quarter's return, produced from the demo's records, reviewed, locked
    quarterly_return = services.return_produce(
        actor=None, partnership=partnership, financial_year=years[-1], quarter=4
    )
    services.return_review(actor=None, quarterly_return=quarterly_return)
    services.return_lock(actor=None, quarterly_return=quarterly_return)
    labels = ", ".join(financial_year_label(year) for year in years)
    return (
        f"Money demo for {partnership.short_name}: funding, allocations and quarterly spend "
        f"for {labels} ({len(programmes)} programmes, {providers} commissioned providers; "
        "synthetic figures)."
    )


PROVIDERS = ("Northside Youth Trust", "Riverside Sports Club", "Second Chance Mentoring")
KPIS = (
    ("Young people engaged", Decimal("80"), "young people"),
    ("Sessions delivered", Decimal("120"), "sessions"),
)


def _providers(partnership: Partnership, programmes: list, years: list[int]) -> int:
    """Three commissioned providers, each contracted for one programme with two KPIs and
    quarterly figures for both years (synthetic); the demo's provider staff are linked to the
    first by _link_provider_staff."""
    for n, programme in enumerate(programmes):
        provider = services.provider_create(
            actor=None, partnership=partnership, name=f"{PROVIDERS[n]} (synthetic demo)"
        )
        contract = services.contract_create(
            actor=None,
            provider=provider,
            programme=programme,
            value=Decimal(150000 + 25000 * n),
            starts_on=date(years[0], 4, 1),
            ends_on=date(years[-1] + 1, 3, 31),
            kpis=list(KPIS),
        )
        for kpi in contract.kpis.all():
            for year in years:
                for quarter in range(1, 5):
                    share = Decimal((60 + 7 * n + 5 * quarter) % 40 + 70) / 100
                    services.kpi_figure_record(
                        actor=None,
                        kpi=kpi,
                        financial_year=year,
                        quarter=quarter,
                        value=(kpi.target / 4 * share).quantize(Decimal("1")),
                    )
    return len(programmes)
