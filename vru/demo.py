"""The demo: two real partnerships (Essex VVP, Bedfordshire VERU) with their real
neighbourhoods, needs assessments and success measures, and one demo user per role.

Idempotent: loading it again changes nothing. Everything goes through the same services and
import formats that users have, so the demo also exercises them.
"""

import csv
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import tablib
from django.db import transaction

from vru import services
from vru.models import (
    LSOA,
    CommunitySafetyPartnership,
    ImportJob,
    LocalAuthority,
    Partnership,
    Role,
    StrategicNeedsAssessment,
    SuccessMeasure,
    Theme,
    User,
)

DATA = Path(__file__).resolve().parent / "demo_data"
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - published demo logins, never production

PARTNERSHIPS = [
    ("essex-vvp", "Essex Violence and Vulnerability Partnership", "Essex VVP", "essex"),
    (
        "bedfordshire-veru",
        "Bedfordshire Violence and Exploitation Reduction Unit",
        "Bedfordshire VERU",
        "beds",
    ),
]
DEMO_ROLES = [
    (Role.ADMINISTRATOR, "admin", "Alex", "Admin"),
    (Role.ANALYST, "analyst", "Ana", "Lyst"),
    (Role.PROGRAMME_MANAGER, "manager", "Morgan", "Manager"),
    (Role.PRACTITIONER, "practitioner", "Priya", "Practitioner"),
    (Role.GRANTS_OFFICER, "grants", "Grace", "Grants"),
    (Role.YOUTH_REVIEWER, "reviewer", "Riley", "Reviewer"),
    (Role.APPLICANT, "applicant", "Ash", "Applicant"),
    (Role.COMMISSIONER, "commissioner", "Cam", "Commissioner"),
]


@dataclass(frozen=True)
class DemoLogin:
    partnership: str
    role: str
    username: str


def _read_csv_dataset(path: Path) -> tablib.Dataset:
    return services.read_table(file_name=path.name, content=path.read_bytes())


def _places(partnership: Partnership) -> None:
    with (DATA / "local_authorities.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["partnership"] != partnership.slug:
                continue
            csp, _ = CommunitySafetyPartnership.objects.get_or_create(
                partnership=partnership, name=row["csp_name"]
            )
            LocalAuthority.objects.get_or_create(
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "partnership": partnership,
                    "community_safety_partnership": csp,
                },
            )


def _lsoas(partnership: Partnership) -> int:
    codes = set(partnership.local_authorities.values_list("code", flat=True))
    all_rows = _read_csv_dataset(DATA / "lsoas.csv")
    mine = tablib.Dataset(headers=all_rows.headers)
    for row in all_rows.dict:
        if row["local_authority_code"] in codes:
            mine.append([row[h] for h in all_rows.headers])
    outcome = services.import_rows(
        actor=None, partnership=partnership, kind=ImportJob.Kind.LSOAS, dataset=mine
    )
    if outcome.errors:
        raise RuntimeError(f"Demo LSOAs did not import: {outcome.errors[:5]}")
    return len(mine)


def _boundaries(partnership: Partnership) -> None:
    geometries = json.loads((DATA / "lsoa_boundaries.json").read_text(encoding="utf-8"))
    changed = []
    for lsoa in LSOA.objects.filter(partnership=partnership).only("pk", "code", "boundary"):
        geometry = geometries.get(lsoa.code)
        if geometry and lsoa.boundary != geometry:
            lsoa.boundary = geometry
            changed.append(lsoa)
    LSOA.objects.bulk_update(changed, ["boundary"], batch_size=500)


def _needs_assessment(partnership: Partnership, file_name: str, csv_name: str) -> None:
    data = json.loads((DATA / file_name).read_text(encoding="utf-8"))
    sna = StrategicNeedsAssessment.objects.filter(
        partnership=partnership, title=data["title"]
    ).first()
    if sna is None:
        sna = services.needs_assessment_create(
            actor=None,
            partnership=partnership,
            title=data["title"],
            period_start=date.fromisoformat(data["period_start"]),
            period_end=date.fromisoformat(data["period_end"]),
            published_on=date.fromisoformat(data["published_on"])
            if data.get("published_on")
            else None,
            status=StrategicNeedsAssessment.Status.PUBLISHED,
            source=data.get("source", ""),
        )
    for position, theme in enumerate(data["themes"]):
        Theme.objects.update_or_create(
            needs_assessment=sna,
            name=theme["name"],
            defaults={"description": theme.get("description", ""), "position": position},
        )
    outcome = services.import_rows(
        actor=None,
        partnership=partnership,
        kind=ImportJob.Kind.RECOMMENDATIONS,
        dataset=_read_csv_dataset(DATA / csv_name),
        needs_assessment=sna,
    )
    if outcome.errors:
        raise RuntimeError(f"Demo recommendations did not import: {outcome.errors[:5]}")


def _success_measures(partnership: Partnership) -> None:
    measures = json.loads((DATA / "essex_success_measures.json").read_text(encoding="utf-8"))
    for position, measure in enumerate(measures):
        if not SuccessMeasure.objects.filter(
            partnership=partnership, name=measure["name"]
        ).exists():
            services.success_measure_create(
                actor=None, partnership=partnership, position=position, **measure
            )
    outcome = services.import_rows(
        actor=None,
        partnership=partnership,
        kind=ImportJob.Kind.SUCCESS_MEASURE_VALUES,
        dataset=_read_csv_dataset(DATA / "essex_success_measure_values.csv"),
    )
    if outcome.errors:
        raise RuntimeError(f"Demo success measures did not import: {outcome.errors[:5]}")


def _users(partnership: Partnership, prefix: str) -> list[DemoLogin]:
    logins = []
    for role, suffix, first, last in DEMO_ROLES:
        username = f"{prefix}.{suffix}"
        if not User.objects.filter(username=username).exists():
            services.user_create(
                actor=None,
                username=username,
                partnership=partnership,
                roles=[role],
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                email=f"{username}@example.org",
            )
        logins.append(DemoLogin(partnership.short_name, Role(role).label, username))
    return logins


@transaction.atomic
def load_demo() -> list[DemoLogin]:
    logins = []
    for slug, name, short_name, prefix in PARTNERSHIPS:
        partnership, _ = Partnership.objects.get_or_create(
            slug=slug, defaults={"name": name, "short_name": short_name}
        )
        _places(partnership)
        _lsoas(partnership)
        _boundaries(partnership)
        if slug == "essex-vvp":
            _needs_assessment(partnership, "essex_sna.json", "essex_recommendations.csv")
            _success_measures(partnership)
        else:
            _needs_assessment(
                partnership, "bedfordshire_sna.json", "bedfordshire_recommendations.csv"
            )
        logins.extend(_users(partnership, prefix))
    return logins
