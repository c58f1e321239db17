"""Demo agreements per partnership, made through the services. Idempotent: a partnership
that already has partner organisations is left alone.

Bedfordshire's needs assessment recommends data-sharing agreements with the police, the
hospitals and the ambulance service; Essex shares with the police and youth justice."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from sharing import services
from sharing.models import Organisation
from vru.data_kinds import DataKind
from vru.models import Partnership

PARTNERS = {
    "bedfordshire-veru": [
        ("Bedfordshire Police", "police"),
        ("Bedfordshire Hospitals NHS Foundation Trust", "health"),
        ("East of England Ambulance Service", "ambulance"),
    ],
    "essex-vvp": [
        ("Essex Police", "police"),
        ("Essex Youth Justice Service", "youth_justice"),
    ],
}

# (title, parties, kinds, health, lawful basis, condition, start and review offsets in days,
#  ended)
AGREEMENTS = {
    "bedfordshire-veru": [
        (
            "Police referrals into the custody and A&E navigator programmes",
            ["Bedfordshire Police"],
            [DataKind.REFERRAL, DataKind.IDENTITY],
            False,
            "para10",
            -400,
            200,
            False,
        ),
        (
            "Hospital and ambulance data on violent injury (Cardiff Model)",
            ["Bedfordshire Hospitals NHS Foundation Trust", "East of England Ambulance Service"],
            [DataKind.REFERRAL, DataKind.OUTCOME_SCORES],
            True,
            "para18",
            -500,
            -20,  # its review is overdue: the owner is reminded
            False,
        ),
    ],
    "essex-vvp": [
        (
            "Essex Police referrals of young people at risk",
            ["Essex Police"],
            [DataKind.REFERRAL, DataKind.IDENTITY, DataKind.CASE_NOTES],
            False,
            "para10",
            -300,
            300,
            False,
        ),
        (
            "Youth justice case information for joint planning",
            ["Essex Youth Justice Service"],
            [DataKind.REFERRAL, DataKind.OUTCOME_SCORES],
            False,
            "para18",
            -200,
            160,
            False,
        ),
        (
            "Pilot exchange with youth justice (2024)",
            ["Essex Youth Justice Service"],
            [DataKind.REFERRAL],
            False,
            "para18",
            -900,
            -600,
            True,
        ),
    ],
}


def load_demo() -> list[str]:
    lines = []
    for slug, partners in PARTNERS.items():
        partnership = Partnership.objects.filter(slug=slug).first()
        if partnership is None:
            continue
        if Organisation.objects.in_partnership(partnership.pk).exists():
            lines.append(f"Sharing demo already loaded for {partnership.short_name}.")
            continue
        lines.append(_load(partnership, partners, AGREEMENTS[slug]))
    return lines


@transaction.atomic
def _load(partnership: Partnership, partners, agreements) -> str:
    today = timezone.localdate()
    organisations = {
        name: services.organisation_save(
            actor=None, partnership=partnership, name=name, kind=kind, contact_name=""
        )
        for name, kind in partners
    }
    for title, parties, kinds, health, condition, start, review, ended in agreements:
        starts_on = today + timedelta(days=start)
        agreement = services.agreement_save(
            actor=None,
            partnership=partnership,
            parties=[organisations[name] for name in parties],
            title=title,
            purpose=f"{title}: to identify and support young people at risk of serious "
            "violence under the Serious Violence Duty.",
            lawful_basis="e",
            criminal_offence_condition=condition,
            includes_health_data=health,
            special_category_condition="para2" if health else "",
            kinds=[str(kind) for kind in kinds],
            direction="both",
            frequency="as_needed",
            recipient_retention="Six years after the young person's case closes",
            dpia_reference=f"DPIA-{partnership.short_name.upper()[:4]}-{abs(start)}",
            signatories="Head of information governance, for each party",
            starts_on=starts_on,
            review_on=today + timedelta(days=review),
            ends_on=None,
        )
        if ended:
            services.agreement_end(
                actor=None,
                agreement=agreement,
                on=max(starts_on + timedelta(days=1), date(2024, 12, 31)),
            )
    return (
        f"Sharing demo for {partnership.short_name}: {len(organisations)} partner "
        f"organisations, {len(agreements)} agreements."
    )
