"""Demo programmes and a few thousand synthetic referrals for both partnerships.

Names are clearly fictional ("Demo-00042"); timings follow a fixed seed so every load has the
same shape (relative to the day it is loaded). Idempotent: a programme that already has
referrals is left alone.
"""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from programmes import services
from programmes.models import (
    Contact,
    Outcome,
    Programme,
    ProgrammeStaff,
    Referral,
    StatusChange,
    YoungPerson,
    YoungPersonIdentity,
)
from programmes.services.referrals import reference_for, temporary_reference
from vru import services as core_services
from vru.models import LSOA, Partnership, Recommendation, Role, User

PARTNERSHIPS = [("essex-vvp", "essex", 2400), ("bedfordshire-veru", "beds", 1200)]
PROGRAMMES = [
    {
        "name": "ReRoute",
        "kind": Programme.Kind.REFERRAL_CASELOAD,
        "description": "Young people arrested for knife or drug offences are referred from custody "
        "within 24 hours and offered support and positive activities.",
        "delivering_organisation": "Youth Offending Service",
        "prevention_stage": "tertiary",
        "yef_approach": "Formal pre-court diversion",
        "eligible_reasons": ["knife", "drug_possession", "drug_supply"],
        "risk_factors": ["Carrying a knife", "Drug use", "Peer offending"],
        "protective_factors": ["Trusted adult", "Positive activities"],
        "weight": 6,
    },
    {
        "name": "Detached Youth Work",
        "kind": Programme.Kind.DETACHED,
        "description": "Youth workers meet young people in parks and streets of the priority neighbourhoods.",
        "delivering_organisation": "County Youth Service",
        "prevention_stage": "secondary",
        "yef_approach": "Mentoring",
        "weight": 1,
    },
    {
        "name": "Respect (schools)",
        "kind": Programme.Kind.GROUP,
        "description": "Healthy relationships and violence prevention sessions in schools.",
        "delivering_organisation": "Respect Education",
        "prevention_stage": "primary",
        "yef_approach": "Relationship violence prevention",
        "weight": 1,
    },
    {
        "name": "Team Around the Family",
        "kind": Programme.Kind.REFERRAL_CASELOAD,
        "description": "Whole-family support for children at risk of exploitation.",
        "delivering_organisation": "Children's Services",
        "prevention_stage": "secondary",
        "yef_approach": "Functional Family Therapy (FFT)",
        "weight": 2,
    },
    {
        "name": "Hospital Navigators",
        "kind": Programme.Kind.REFERRAL_CASELOAD,
        "description": "Youth workers in A&E reach young people injured by violence.",
        "delivering_organisation": "Navigator charity",
        "prevention_stage": "tertiary",
        "yef_approach": "A and E navigators",
        "weight": 2,
    },
    {
        "name": "Sports & Mentoring",
        "kind": Programme.Kind.GROUP,
        "description": "Weekly sport and a mentor for young people referred by schools and the community.",
        "delivering_organisation": "Community sports trust",
        "prevention_stage": "secondary",
        "yef_approach": "Sports programmes",
        "weight": 2,
    },
]
FIRST_NAMES = [
    "Alex",
    "Bailey",
    "Casey",
    "Drew",
    "Eden",
    "Frankie",
    "Harley",
    "Jordan",
    "Kai",
    "Logan",
    "Morgan",
    "Quinn",
    "Riley",
    "Sky",
    "Taylor",
]
SOURCES = {
    "ReRoute": ["custody"] * 9 + ["youth_justice"],
    "Hospital Navigators": ["hospital"],
    "Team Around the Family": ["social_care", "school", "self"],
}
REASONS = {
    "ReRoute": ["knife"] * 4 + ["drug_possession"] * 4 + ["drug_supply"] * 2,
    "Hospital Navigators": ["violence"] * 4 + ["knife"],
}
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - published demo logins, never production


def _staff(partnership: Partnership, prefix: str) -> tuple[User | None, list[User]]:
    manager = User.objects.filter(username=f"{prefix}.manager").first()
    practitioners = list(User.objects.filter(username=f"{prefix}.practitioner"))
    for n in (2, 3):
        username = f"{prefix}.practitioner{n}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = core_services.user_create(
                actor=None,
                username=username,
                partnership=partnership,
                roles=[Role.PRACTITIONER],
                password=DEMO_PASSWORD,
                first_name="Pat",
                last_name=f"Practitioner {n}",
                email=f"{username}@example.org",
            )
        practitioners.append(user)
    return manager, practitioners


def _referrals(
    programme: Programme,
    count: int,
    practitioners: list[User],
    lsoas: list[int],
    rng: random.Random,
) -> int:
    now = timezone.now()
    people, identities, referrals, changes, contacts, outcomes = [], [], [], [], [], []
    first_id = (YoungPerson.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    for i in range(count):
        event_at = now - timedelta(days=rng.uniform(0.2, 365), minutes=rng.randint(0, 600))
        referred_at = event_at + timedelta(hours=rng.uniform(0.5, 6))
        dob = date(2026 - rng.randint(11, 19), rng.randint(1, 12), rng.randint(1, 28))
        number = first_id + i
        person = YoungPerson(
            partnership_id=programme.partnership_id,
            reference=temporary_reference(),
            gender=rng.choice(["male"] * 7 + ["female"] * 2 + ["not_said"]),
            ethnicity=rng.choice(["white"] * 6 + ["black", "asian", "mixed", "not_said"]),
            home_lsoa_id=rng.choice(lsoas),
            education_status=rng.choice(
                ["school", "school", "college", "excluded", "neet", "unknown"]
            ),
        )
        people.append(person)
        identities.append((person, rng.choice(FIRST_NAMES), f"Demo-{number:05d}", dob))
        target = timedelta(hours=programme.referral_target_hours)
        age_days = (now - event_at).days
        roll = rng.random()
        first_contact = None
        if age_days > 1 or roll < 0.5:
            delay = rng.uniform(2, 22) if roll < 0.82 else rng.uniform(25, 72)
            if event_at + timedelta(hours=delay) < now:
                first_contact = event_at + timedelta(hours=delay)
        status, reason, closed_at = Referral.Status.RECEIVED, "", None
        if first_contact:
            status = Referral.Status.CONTACTED
            if age_days > 14 and rng.random() < 0.7:
                status = Referral.Status.ENGAGED
            if age_days > 60 and rng.random() < 0.8:
                status, reason = (
                    Referral.Status.CLOSED,
                    rng.choice(
                        ["completed"] * 5 + ["declined", "disengaged", "moved", "escalated"]
                    ),
                )
                closed_at = first_contact + timedelta(days=rng.randint(30, 90))
                if closed_at > now:
                    status, reason, closed_at = Referral.Status.ENGAGED, "", None
        age = 2026 - dob.year
        referral = Referral(
            partnership_id=programme.partnership_id,
            programme=programme,
            source=rng.choice(
                SOURCES.get(programme.name, ["school", "community", "self", "social_care"])
            ),
            reason=rng.choice(
                REASONS.get(
                    programme.name, ["violence", "exploitation", "missing", "other", "knife"]
                )
            ),
            event_at=event_at,
            referred_at=referred_at,
            due_at=event_at + target,
            first_contact_at=first_contact,
            consent_given_by="young_person" if first_contact else "",
            consent_given_at=first_contact,
            assigned_to=rng.choice(practitioners),
            status=status,
            closure_reason=reason,
            status_changed_at=closed_at or first_contact or referred_at,
            awaiting_contact=first_contact is None and status != Referral.Status.CLOSED,
            closed_at=closed_at,
            age_at_referral=min(max(age, programme.min_age), programme.max_age),
            lsoa_id=person.home_lsoa_id,
        )
        referrals.append(referral)
    YoungPerson.objects.bulk_create(people, batch_size=2000)
    for person in people:
        person.reference = reference_for(person.pk)
    YoungPerson.objects.bulk_update(people, ["reference"], batch_size=2000)
    YoungPersonIdentity.objects.bulk_create(
        [
            YoungPersonIdentity(
                young_person=p,
                first_name=f,
                last_name=last,
                date_of_birth=dob,
                address="1 Example Street, Nowhere",
                postcode="ZZ99 9ZZ",
                match_index=YoungPersonIdentity.index_for(f, last, dob),
            )
            for p, f, last, dob in identities
        ],
        batch_size=2000,
    )
    for person, referral in zip(people, referrals, strict=True):
        referral.young_person = person
    Referral.objects.bulk_create(referrals, batch_size=2000)
    for r in referrals:
        changes.append(
            StatusChange(referral=r, to_status=Referral.Status.RECEIVED, changed_at=r.referred_at)
        )
        if r.first_contact_at:
            changes.append(
                StatusChange(
                    referral=r,
                    from_status=Referral.Status.RECEIVED,
                    to_status=Referral.Status.CONTACTED,
                    changed_at=r.first_contact_at,
                )
            )
            contacts.append(
                Contact(
                    referral=r,
                    occurred_at=r.first_contact_at,
                    method=rng.choice(["phone", "in_person", "home_visit"]),
                    duration_minutes=rng.choice([15, 30, 45, 60]),
                    notes="First contact (synthetic demo note).",
                    next_step="Meet again next week",
                )
            )
            for k in range(rng.randint(0, 4)):
                at = r.first_contact_at + timedelta(days=7 * (k + 1))
                if at < (r.closed_at or now):
                    contacts.append(
                        Contact(
                            referral=r,
                            occurred_at=at,
                            method="in_person",
                            duration_minutes=60,
                            notes="Follow-up session (synthetic).",
                        )
                    )
        if r.status in (Referral.Status.ENGAGED, Referral.Status.CLOSED):
            changes.append(
                StatusChange(
                    referral=r,
                    from_status=Referral.Status.CONTACTED,
                    to_status=Referral.Status.ENGAGED,
                    changed_at=r.first_contact_at + timedelta(days=3),
                )
            )
        if r.status == Referral.Status.CLOSED:
            changes.append(
                StatusChange(
                    referral=r,
                    from_status=Referral.Status.ENGAGED,
                    to_status=Referral.Status.CLOSED,
                    closure_reason=r.closure_reason,
                    changed_at=r.closed_at,
                )
            )
            if r.closure_reason == "completed":
                outcomes.append(
                    Outcome(
                        referral=r,
                        kind=rng.choice(["eet", "diverted", "safety_plan", "onward"]),
                        achieved_on=timezone.localtime(r.closed_at).date(),
                    )
                )
    StatusChange.objects.bulk_create(changes, batch_size=2000)
    Contact.objects.bulk_create(contacts, batch_size=2000)
    Outcome.objects.bulk_create(outcomes, batch_size=2000)
    return len(referrals)


@transaction.atomic
def load_demo() -> list[str]:
    lines = []
    for slug, prefix, total in PARTNERSHIPS:
        partnership = Partnership.objects.filter(slug=slug).first()
        if partnership is None:
            continue
        rng = random.Random(f"programmes-{slug}")  # noqa: S311 - synthetic demo data
        manager, practitioners = _staff(partnership, prefix)
        lsoa_ids = list(
            LSOA.objects.filter(partnership=partnership)
            .order_by("imd_decile", "code")
            .values_list("pk", flat=True)
        )
        weighted_lsoas = lsoa_ids[: max(1, len(lsoa_ids) // 5)] * 3 + lsoa_ids
        recommendations = list(
            Recommendation.objects.filter(needs_assessment__partnership=partnership)[:3]
        )
        weights = sum(p["weight"] for p in PROGRAMMES)
        created = 0
        for spec in PROGRAMMES:
            spec = dict(spec)
            weight = spec.pop("weight")
            programme = Programme.objects.filter(partnership=partnership, name=spec["name"]).first()
            if programme is None:
                programme = services.programme_create(
                    actor=None,
                    partnership=partnership,
                    recommendations=recommendations,
                    starts_on=date(2023, 4, 1),
                    budget=50000 * weight,
                    **spec,
                )
            if manager is not None:
                ProgrammeStaff.objects.get_or_create(
                    programme=programme, user=manager, defaults={"role": "manager"}
                )
            for user in practitioners:
                ProgrammeStaff.objects.get_or_create(
                    programme=programme, user=user, defaults={"role": "practitioner"}
                )
            takes_referrals = programme.kind == Programme.Kind.REFERRAL_CASELOAD or (
                programme.name == "Sports & Mentoring"
            )
            if takes_referrals and lsoa_ids and not programme.referrals.exists():
                created += _referrals(
                    programme, total * weight // weights, practitioners, weighted_lsoas, rng
                )
            if (
                programme.kind == Programme.Kind.DETACHED
                and not programme.sessions.exists()
                and lsoa_ids
            ):
                for week in range(12):
                    services.session_record(
                        actor=None,
                        programme=programme,
                        kind="detached",
                        held_on=timezone.localdate() - timedelta(days=7 * week + 2),
                        place=rng.choice(
                            ["Town park", "High Street precinct", "Skate park", "Station approach"]
                        ),
                        lsoa=LSOA.objects.get(pk=lsoa_ids[week % len(lsoa_ids)]),
                        counts={
                            ("14-17", "male"): rng.randint(3, 12),
                            ("14-17", "female"): rng.randint(1, 6),
                            ("18-24", "male"): rng.randint(0, 4),
                        },
                        issues_raised="Nowhere to go in the evenings; feeling unsafe near the station.",
                        staff=practitioners[:2],
                    )
        lines.append(
            f"Programmes: {partnership.short_name}: {len(PROGRAMMES)} programmes, {created} new demo referrals"
        )
    return lines
