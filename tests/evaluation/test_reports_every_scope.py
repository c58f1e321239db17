"""Every kind of report builds on the demo data: the whole partnership, each programme,
each local authority and each community safety partnership, for each kind of period.

The demo (real Essex neighbourhoods, synthetic people, grants, listening and evaluations) is
loaded once for this module, for Bedfordshire only (the smaller partnership: its three
local authorities are each their own CSP), inside a transaction rolled back at the end.
Each scope is built once, the period kinds taking turns; the whole partnership is built for
every kind of period.
"""

import datetime
import itertools

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from evaluation import services
from evaluation.models import ImpactReport
from evaluation.report_periods import PeriodKind, period_end_of, period_start_of
from programmes.models import Programme
from vru import demo, extensions
from vru.models import CommunitySafetyPartnership, LocalAuthority, Partnership, User

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

QUIET_MAIL = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}


@pytest.fixture(scope="module")
def beds(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock(), transaction.atomic():
        only_beds = [p for p in demo.PARTNERSHIPS if p[0] == "bedfordshire-veru"]
        with (
            pytest.MonkeyPatch.context() as patch,
            override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"), MAILERS=QUIET_MAIL),
        ):
            patch.setattr(demo, "PARTNERSHIPS", only_beds)
            demo.load_demo()
            extensions.load_app_demos()
        yield Partnership.objects.get(slug="bedfordshire-veru")
        transaction.set_rollback(True)


def periods(today: datetime.date) -> dict[str, tuple[datetime.date, datetime.date]]:
    """The last whole month, quarter and financial year, and custom dates (the last 90 days)."""
    whole = {}
    for kind in (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.FINANCIAL_YEAR):
        last = period_start_of(kind, today) - datetime.timedelta(days=1)
        start = period_start_of(kind, last)
        whole[kind] = (start, period_end_of(kind, start))
    whole[PeriodKind.CUSTOM] = (today - datetime.timedelta(days=90), today)
    return whole


def scopes(partnership) -> list[dict]:
    return [
        {"scope": "partnership"},
        *[
            {"scope": "programme", "programme": p}
            for p in Programme.objects.filter(partnership=partnership).order_by("name")
        ],
        *[
            {"scope": "local_authority", "local_authority": la}
            for la in LocalAuthority.objects.filter(partnership=partnership).order_by("name")
        ],
        *[
            {"scope": "csp", "csp": csp}
            for csp in CommunitySafetyPartnership.objects.filter(partnership=partnership)
        ],
    ]


def build(partnership, kind: str, period, scope: dict) -> ImpactReport:
    # commissioners ask for whole periods; custom dates are staff's (an analyst's) own use
    username = "beds.analyst" if kind == PeriodKind.CUSTOM else "beds.commissioner"
    actor = User.objects.get(username=username, partnership=partnership)
    report = services.request_impact_report(
        actor=actor, period_start=period[0], period_end=period[1], **scope
    )
    services.impact_report_build(report_id=report.pk)
    report.refresh_from_db()
    return report


def test_every_scope_and_every_kind_of_period_builds_on_the_demo(beds):
    # given every scope of the partnership (each CSP among them), the kinds of period
    # taking turns, and the whole partnership for every kind of period
    by_kind = periods(timezone.localdate())
    kinds = itertools.cycle(by_kind)
    plan = [({"scope": "partnership"}, kind) for kind in by_kind]
    plan += [(scope, next(kinds)) for scope in scopes(beds)[1:]]
    assert sum(1 for scope, _ in plan if scope["scope"] == "csp") == 3

    # when each is built
    failed = []
    for scope, kind in plan:
        report = build(beds, kind, by_kind[kind], scope)
        if report.status != ImpactReport.Status.READY:
            failed.append((report.scope_label, kind, report.error))
        else:
            assert report.period_kind == kind
            assert report.content["sections"], report.scope_label

    # then every one is ready
    assert failed == []
