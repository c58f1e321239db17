"""The listening and evaluation demos, and the whole demo read as a commissioner reads it:
each partnership's own listening, evaluations of its own programmes, records in the current
and the last financial year, and a coverage table in which each recommendation has the
programmes and grants that serve it.

The apps' demos are loaded once for this module (on the partnerships' real local authorities
and needs assessments, a few neighbourhoods each) inside a transaction rolled back at the end.
"""

import datetime

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from evaluation import demo, demo_evaluations, services
from evaluation.models import (
    Evaluation,
    FeedbackResponse,
    ImpactReport,
    ListeningAction,
    ListeningExercise,
    OutcomeScore,
)
from grants import demo as grants_demo
from grants.models import Award, MonitoringReturn
from programmes import demo as programmes_demo
from programmes.models import Session
from tests.demo_world import load_world
from vru.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

QUIET_MAIL = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"), MAILERS=QUIET_MAIL):
            load_world()
            programmes_demo.load_demo()
            grants_demo.load_demo()
            demo.load_demo()
            demo_evaluations.load_demo()
            counts = (FeedbackResponse.objects.count(), Evaluation.objects.count())
            demo.load_demo()
            demo_evaluations.load_demo()
            reports = {
                slug: _current_year_report(prefix)
                for slug, prefix in [("essex-vvp", "essex"), ("bedfordshire-veru", "beds")]
            }
        yield counts, reports
        transaction.set_rollback(True)


def _financial_years() -> list[tuple[datetime.date, datetime.date]]:
    today = timezone.localdate()
    start = datetime.date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    last = start.replace(year=start.year - 1)
    return [
        (start, start.replace(year=start.year + 1) - datetime.timedelta(days=1)),
        (last, start - datetime.timedelta(days=1)),
    ]


def _current_year_report(prefix: str) -> ImpactReport:
    start, end = _financial_years()[0]
    commissioner = User.objects.get(username=f"{prefix}.commissioner")
    report = services.request_impact_report(actor=commissioner, period_start=start, period_end=end)
    services.impact_report_build(report_id=report.pk)
    report.refresh_from_db()
    return report


def _section(report: ImpactReport, key: str) -> dict:
    return next(s for s in report.content["sections"] if s["key"] == key)


def _table(section: dict, table_id: str) -> dict:
    return next(b for b in section["blocks"] if b.get("id") == table_id)


def test_loading_again_changes_nothing(loaded):
    counts, _ = loaded

    assert (FeedbackResponse.objects.count(), Evaluation.objects.count()) == counts


def test_each_partnership_has_its_own_listening_and_closes_part_of_the_loop(loaded):
    today = timezone.localdate()
    for slug in ("essex-vvp", "bedfordshire-veru"):
        exercises = ListeningExercise.objects.filter(partnership__slug=slug)
        assert exercises.count() >= 2  # last year's round and this year's
        for exercise in exercises:
            responses = exercise.responses.all()
            assert responses.count() >= 90
            assert not responses.exclude(
                responded_on__range=(exercise.period_start, min(exercise.period_end, today))
            ).exists()
            assert ListeningAction.objects.filter(theme__exercise=exercise).exists()
        actions = ListeningAction.objects.filter(theme__exercise__in=exercises)
        delivered = actions.filter(status="delivered").select_related("theme__exercise")
        assert delivered.exists()
        assert actions.exclude(status="delivered").exists()  # not every loop is closed
        for action in delivered:  # done after young people said it, and not in the future
            assert action.theme.exercise.period_end < action.delivered_on <= today
    # the real Essex listening of December 2022 to March 2023 keeps its dates
    essex_2023 = ListeningExercise.objects.get(public_slug="essex-listening-2023")
    assert essex_2023.period_start == datetime.date(2022, 12, 1)
    beds_themes = set(
        ListeningExercise.objects.get(
            public_slug="bedfordshire-conversations-last"
        ).themes.values_list("name", flat=True)
    )
    assert "Being targeted by older people" in beds_themes
    assert not beds_themes & set(essex_2023.themes.values_list("name", flat=True))


def test_each_partnership_evaluates_its_own_programmes(loaded):
    for slug in ("essex-vvp", "bedfordshire-veru"):
        evaluations = Evaluation.objects.filter(partnership__slug=slug)
        assert evaluations.count() == 4
        for evaluation in evaluations.select_related("programme"):
            if evaluation.programme is not None:
                assert evaluation.programme.partnership.slug == slug
            assert "Demo data" in evaluation.findings or evaluation.status == "planned"
        assert OutcomeScore.objects.filter(referral__partnership__slug=slug).count() >= 40
    assert Evaluation.objects.get(title__startswith="ReRoute").benefit_assumptions.count() == 2


@pytest.mark.parametrize("slug", ["essex-vvp", "bedfordshire-veru"])
def test_the_current_and_last_financial_years_have_sessions_grants_and_voice(loaded, slug):
    for start, end in _financial_years():
        assert Session.objects.filter(
            programme__partnership__slug=slug, held_on__range=(start, end)
        ).exists()
        assert Award.objects.filter(
            decision__application__grant_round__partnership__slug=slug,
            starts_on__lte=end,
            ends_on__gte=start,
        ).exists()
        assert MonitoringReturn.objects.filter(
            award__decision__application__grant_round__partnership__slug=slug,
            status="approved",
            approved_at__date__range=(start, end),
        ).exists()
        assert FeedbackResponse.objects.filter(
            exercise__partnership__slug=slug, responded_on__range=(start, end)
        ).exists()


def test_the_commissioners_report_has_programmes_grants_and_voice_this_year(loaded):
    _, reports = loaded
    for report in reports.values():
        assert report.status == ImpactReport.Status.READY
        headlines = {
            i["key"]: i["figure"] for i in _section(report, "headlines")["blocks"][0]["items"]
        }
        for key in ("grant_reach", "detached", "group_work", "referrals"):
            assert headlines[key] not in ("0", "<5"), (report.partnership, key)
        outcomes = _table(_section(report, "evaluation"), "table-outcomes")
        assert outcomes["rows"], report.partnership  # young people scored this year


def test_essex_coverage_shows_each_recommendation_with_what_serves_it(loaded):
    _, reports = loaded
    table = _table(_section(reports["essex-vvp"], "coverage"), "table-coverage")
    rows = {int(row[0].split(".")[0]): row for row in table["rows"]}
    programmes = {n: row[2] for n, row in rows.items()}

    assert len(rows) == 11
    # ReRoute serves the tertiary recommendations, the navigators the secondary
    assert [n for n, names in programmes.items() if "ReRoute" in names] == [9, 10]
    assert all(rows[n][1] == "Secondary prevention" for n in (7, 8))
    assert "Hospital youth navigators" in programmes[7]
    # some recommendations have nothing delivering them, most do
    gaps = [n for n, flag in zip(rows, table["highlight"], strict=True) if flag]
    assert 1 <= len(gaps) <= 3
    # no two recommendations show the same programmes and grants, nor all the same spend
    served = [(row[2], row[3]) for n, row in rows.items() if n not in gaps]
    assert len(set(served)) == len(served)
    spends = [row[4] for n, row in rows.items() if n not in gaps]
    assert len(set(spends)) >= len(spends) - 1


def test_bedfordshire_coverage_links_only_where_its_recommendations_fit(loaded):
    _, reports = loaded
    table = _table(_section(reports["bedfordshire-veru"], "coverage"), "table-coverage")
    rows = {int(row[0].split(".")[0]): row for row in table["rows"]}
    gaps = {n for n, flag in zip(rows, table["highlight"], strict=True) if flag}

    assert len(rows) == 10
    # the analytical recommendations (further analysis, the strategy) have no programme
    assert {1, 2, 3, 6} <= gaps
    assert "Exploitation and county lines support" in rows[4][2]
    assert "Hospital youth work" in rows[8][2]
    assert "ReRoute" not in " ".join(row[2] for row in rows.values())
