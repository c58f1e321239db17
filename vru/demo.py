"""The demo: two real partnerships (Essex VVP, Bedfordshire VERU) with their real
neighbourhoods, needs assessments and success measures, and one demo user per role.

Idempotent: loading it again changes nothing. Everything goes through the same services and
import formats that users have, so the demo also exercises them.

What comes from the partnerships' published documents and what is synthetic is listed in the
README ("The demo"): Essex's success measures are Tables A to E of its SNA 2023, with their
real periods; Bedfordshire's documents print none, so its three (the Home Office's success
measures for violence reduction units) carry synthetic figures for the financial years before
the day the demo is loaded, and say so.
"""

import csv
import gzip
import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import tablib
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from vru import accounts, permissions, services
from vru.models import (
    LSOA,
    CommunitySafetyPartnership,
    CrimeImport,
    HarmWeight,
    ImportJob,
    LocalAuthority,
    Partnership,
    RiskRun,
    Role,
    StrategicNeedsAssessment,
    SuccessMeasure,
    SuccessMeasureValue,
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
    (Role.PARTNER, "partner", "Pat", "Partner"),
    (Role.PROVIDER, "provider", "Pia", "Provider"),
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
                    "police_force": row["police_force"],
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
    codes = LSOA.objects.filter(partnership=partnership).values_list("code", flat=True)
    services.lsoa_boundaries_set(
        actor=None,
        partnership=partnership,
        boundaries={code: geometries[code] for code in codes if code in geometries},
    )


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
    # The values, then exactly the comparisons the SNA prints (Tables A to E). A database
    # loaded before comparisons existed already holds the like-for-like ones of Table A
    # (migration 0009); importing again labels them with their table and adds the rest.
    for kind, file_name in [
        (ImportJob.Kind.SUCCESS_MEASURE_VALUES, "essex_success_measure_values.csv"),
        (ImportJob.Kind.SUCCESS_MEASURE_COMPARISONS, "essex_success_measure_comparisons.csv"),
    ]:
        outcome = services.import_rows(
            actor=None,
            partnership=partnership,
            kind=kind,
            dataset=_read_csv_dataset(DATA / file_name),
        )
        if outcome.errors:
            raise RuntimeError(f"Demo success measures did not import: {outcome.errors[:5]}")


@cache
def _demo_password_hash() -> str:
    # Hashed once per load: every demo user has the same published password, and hashing
    # it for each of forty-odd users took most of the demo's loading time.
    return make_password(DEMO_PASSWORD)


def demo_user(
    *, username: str, partnership: Partnership, role: str, first_name: str, last_name: str
) -> User:
    """A demo user with the demo password (made once) and, for staff and commissioners, an
    authenticator app (`manage.py demo_totp_code <username>` shows its code). The other
    apps' demos make their extra practitioners and youth reviewers with this."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = services.user_create(
            actor=None,
            username=username,
            partnership=partnership,
            roles=[role],
            first_name=first_name,
            last_name=last_name,
            email=f"{username}@example.org",
        )
        user.password = _demo_password_hash()
        User.objects.filter(pk=user.pk).update(password=user.password)
    if permissions.must_use_mfa(user) and not accounts.mfa_enrolled(user):
        services.mfa_totp_enrol(actor=None, user=user)
    return user


def financial_year_start(day: date) -> date:
    """1 April of the financial year (April to March) that `day` falls in."""
    return date(day.year if day.month >= 4 else day.year - 1, 4, 1)


VALUE_HEADERS = [
    "measure",
    "period_label",
    "period_start",
    "period_end",
    "value",
    "is_baseline",
    "source_table",
]
COMPARISON_HEADERS = [
    "measure",
    "kind",
    "earlier_period_label",
    "earlier_period_start",
    "earlier_period_end",
    "later_period_label",
    "later_period_start",
    "later_period_end",
    "source_table",
    "note",
]
# (financial years before the last complete one, the figure's key, is it the baseline)
SYNTHETIC_YEARS = [(4, "baseline", "yes"), (1, "before_last", "no"), (0, "last", "no")]


def _bedfordshire_success_measures(partnership: Partnership) -> None:
    """The Home Office's three success measures with synthetic figures (the VERU's published
    documents print none): the last two complete financial years before the day the demo is
    loaded and a baseline four years before the last, with the comparisons against the
    previous year and the baseline. Loaded once: a partnership with values is left alone."""
    if SuccessMeasureValue.objects.filter(measure__partnership=partnership).exists():
        return
    data = json.loads((DATA / "bedfordshire_success_measures.json").read_text(encoding="utf-8"))
    last = date(financial_year_start(timezone.localdate()).year - 1, 4, 1)

    def year(back: int) -> tuple[str, str, str]:
        start = date(last.year - back, 4, 1)
        end = date(last.year - back + 1, 3, 31)
        return f"FY{start.year}/{(start.year + 1) % 100:02d}", start.isoformat(), end.isoformat()

    table = data["source_table"]
    values = tablib.Dataset(headers=VALUE_HEADERS)
    comparisons = tablib.Dataset(headers=COMPARISON_HEADERS)
    for position, measure in enumerate(data["measures"]):
        name = measure["name"]
        if not SuccessMeasure.objects.filter(partnership=partnership, name=name).exists():
            services.success_measure_create(
                actor=None,
                partnership=partnership,
                position=position,
                **{k: measure[k] for k in ("name", "unit", "direction", "counts_people")},
                description=measure["description"],
            )
        for back, key, baseline in SYNTHETIC_YEARS:
            values.append([name, *year(back), measure[key], baseline, table])
        comparisons.append([name, "previous", *year(1), *year(0), table, ""])
        comparisons.append([name, "baseline", *year(4), *year(0), table, ""])
    for kind, dataset in [
        (ImportJob.Kind.SUCCESS_MEASURE_VALUES, values),
        (ImportJob.Kind.SUCCESS_MEASURE_COMPARISONS, comparisons),
    ]:
        outcome = services.import_rows(
            actor=None, partnership=partnership, kind=kind, dataset=dataset
        )
        if outcome.errors:
            raise RuntimeError(f"Demo success measures did not import: {outcome.errors[:5]}")


def _users(partnership: Partnership, prefix: str) -> list[DemoLogin]:
    logins = []
    for role, suffix, first, last in DEMO_ROLES:
        username = f"{prefix}.{suffix}"
        user = demo_user(
            username=username,
            partnership=partnership,
            role=role,
            first_name=first,
            last_name=last,
        )
        if role == Role.ADMINISTRATOR:
            # the demo administrator is also the designated safeguarding lead
            Partnership.objects.filter(
                pk=partnership.pk, designated_safeguarding_lead__isnull=True
            ).update(designated_safeguarding_lead=user)
            # and the data protection lead
            Partnership.objects.filter(pk=partnership.pk, data_protection_lead__isnull=True).update(
                data_protection_lead=user
            )
        logins.append(DemoLogin(partnership.short_name, Role(role).label, username))
    return logins


DEMO_RISK_PERIOD = (date(2018, 11, 1), date(2019, 2, 28))


def _area_data(partnership: Partnership, police_prefix: str) -> None:
    """Public proxies for the risk index: IMD 2025 domains and four months of police.uk crime.

    The police.uk files go through the same importer users have (2011 LSOA codes mapped,
    splits apportioned); each file is imported once, so loading again changes nothing.
    """
    if RiskRun.objects.filter(partnership=partnership, is_current=True).exists():
        return  # loaded before: the current run is its last step (no new audit events)
    services.factor_set_install(actor=None, partnership=partnership, factor_set="proxies")
    codes = set(LSOA.objects.filter(partnership=partnership).values_list("code", flat=True))
    with gzip.open(DATA / "imd2025_domains.csv.gz", "rt", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    indicators = tablib.Dataset(headers=rows[0])
    for row in rows[1:]:
        if row[0] in codes:
            indicators.append(row)
    outcome = services.indicators_import(
        actor=None, partnership=partnership, dataset=indicators, file_name="imd2025_domains.csv"
    )
    if outcome.errors:
        raise RuntimeError(f"Demo indicators did not import: {outcome.errors[:5]}")
    for path in sorted((DATA / "police_uk").glob(f"*-{police_prefix}-street.csv.gz")):
        name = path.name.removesuffix(".gz")
        if not CrimeImport.objects.filter(partnership=partnership, file_name=name).exists():
            services.crime_file_import(
                actor=None,
                partnership=partnership,
                file_name=name,
                content=gzip.decompress(path.read_bytes()),
            )
    if not HarmWeight.objects.filter(partnership=partnership).exists():
        with (DATA / "harm_weights_illustrative.csv").open(encoding="utf-8") as f:
            services.harm_weights_load(
                actor=None, partnership=partnership, rows=list(csv.DictReader(f))
            )
    services.hotspots_compute_all(actor=None, partnership=partnership)
    for month in (date(2018, 11, 1), date(2018, 12, 1), date(2019, 1, 1), date(2019, 2, 1)):
        services.area_profiles_generate(actor=None, partnership=partnership, month=month)
    run = services.risk_run_create(
        actor=None,
        partnership=partnership,
        label="Demo: public proxies, Nov 2018 to Feb 2019, equal weights",
        weights={f.key: 1 for f in partnership.factors.all()},
        period_start=DEMO_RISK_PERIOD[0],
        period_end=DEMO_RISK_PERIOD[1],
    )
    run = services.risk_run_compute(run_id=run.pk)
    services.risk_run_make_current(actor=None, run=run)


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
            _bedfordshire_success_measures(partnership)
        _area_data(partnership, "essex" if slug == "essex-vvp" else "bedfordshire")
        logins.extend(_users(partnership, prefix))
    return logins
