"""Impact report doors: who may request and read reports, progress and failure, the PDF's
audit trail, and bounded queries on the list."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from evaluation import services, tasks
from evaluation.models import ImpactReport
from evaluation.selectors import report_content
from programmes.models import Referral
from tests.factories import (
    LocalAuthorityFactory,
    ProgrammeFactory,
    ReferralFactory,
    govuk_date,
)
from tests.published import published, until_published_at_least
from vru.models import AuditEvent, OutboxMessage, Role
from vru.selectors import disclosure

pytestmark = pytest.mark.django_db


# On the last day of a financial year, "the last 365 days" of the test data is exactly the
# financial year 2025 to 2026: a period a commissioner may choose (whole months, quarters
# and financial years only).
LAST_DAY_OF_A_FINANCIAL_YEAR = datetime.datetime(2026, 3, 31, 12, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _on_the_last_day_of_a_financial_year():
    with time_machine.travel(LAST_DAY_OF_A_FINANCIAL_YEAR, tick=True):
        yield


READERS = {Role.COMMISSIONER, Role.ADMINISTRATOR, Role.ANALYST, Role.PROGRAMME_MANAGER}


def last_year():
    today = timezone.localdate()
    return {"period_start": today - datetime.timedelta(days=364), "period_end": today}


@pytest.fixture
def commissioner(user_with_role):
    return user_with_role(Role.COMMISSIONER)


def request_report(actor, django_capture_on_commit_callbacks, **kwargs) -> ImpactReport:
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_impact_report(actor=actor, **{**last_year(), **kwargs})
    report.refresh_from_db()
    return report


@pytest.fixture
def ready_report(partnership, commissioner, django_capture_on_commit_callbacks):
    programme = ProgrammeFactory(partnership=partnership, name="ReRoute")
    for _ in range(6):
        ReferralFactory(programme=programme)
    report = request_report(commissioner, django_capture_on_commit_callbacks)
    assert report.status == ImpactReport.Status.READY, report.error
    return report


# --- Doors per role -------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_each_role_gets_what_it_may_see(client, user_with_role, ready_report, role):
    client.force_login(user_with_role(role))
    allowed = 200 if role in READERS else 404
    expected = {
        "/evaluation/reports/": allowed,
        "/evaluation/reports/new/": allowed,
        f"/evaluation/reports/{ready_report.pk}/": allowed,
        f"/evaluation/reports/{ready_report.pk}/pdf/": allowed,
        f"/evaluation/reports/{ready_report.pk}/?format=csv": allowed,
        f"/evaluation/reports/{ready_report.pk}/?format=xlsx": allowed,
    }
    for url, status in expected.items():
        assert client.get(url).status_code == status, (role, url)


@pytest.mark.parametrize("role", list(Role))
def test_only_readers_may_request_a_report(client, user_with_role, role):
    client.force_login(user_with_role(role))

    response = client.post(
        "/evaluation/reports/new/",
        {"period_kind": "financial_year", "financial_year": "2025-04-01", "scope": "partnership"},
    )

    if role in READERS:
        report = ImpactReport.objects.get()
        assert response.status_code == 302
        assert response["Location"] == report.get_absolute_url()
        assert (report.period_start, report.period_end) == (
            datetime.date(2025, 4, 1),
            datetime.date(2026, 3, 31),
        )
    else:
        assert response.status_code == 404
        assert not ImpactReport.objects.exists()


@pytest.mark.parametrize("role", list(Role))
def test_no_role_sees_another_partnerships_report(
    client, user_with_role, other_partnership, ready_report, role
):
    stranger = user_with_role(role, partnership=other_partnership)
    client.force_login(stranger)

    for url in [
        ready_report.get_absolute_url(),
        f"{ready_report.get_absolute_url()}pdf/",
        f"{ready_report.get_absolute_url()}?format=csv",
    ]:
        assert client.get(url).status_code == 404
    listing = client.get("/evaluation/reports/")
    assert listing.status_code in {200, 404}
    assert f"/evaluation/reports/{ready_report.pk}/" not in listing.text


@pytest.mark.parametrize("role", sorted(set(Role) - READERS))
def test_the_service_refuses_roles_that_may_not_request(user_with_role, role):
    with pytest.raises(PermissionDenied):
        services.request_impact_report(actor=user_with_role(role), **last_year())


def test_a_report_cannot_be_scoped_to_another_partnerships_area(commissioner, other_partnership):
    theirs = LocalAuthorityFactory(partnership=other_partnership)
    with pytest.raises(ValidationError) as error:
        services.request_impact_report(
            actor=commissioner, scope="local_authority", local_authority=theirs, **last_year()
        )
    assert "scope" in error.value.message_dict


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"scope": "programme"}, "scope"),
        (
            {
                "period_start": datetime.date(2024, 5, 1),
                "period_end": datetime.date(2024, 4, 1),
            },
            "period_end",
        ),
        (
            {
                "period_start": datetime.date(2015, 1, 1),
                "period_end": datetime.date(2024, 1, 1),
            },
            "period_end",
        ),
    ],
)
def test_a_request_with_a_bad_period_or_scope_says_what_is_wrong(commissioner, kwargs, field):
    with pytest.raises(ValidationError) as error:
        services.request_impact_report(actor=commissioner, **{**last_year(), **kwargs})
    assert field in error.value.message_dict


def test_the_form_shows_errors_beside_the_fields(client, user_with_role):
    client.force_login(user_with_role(Role.ANALYST))
    response = client.post(
        "/evaluation/reports/new/",
        {
            "period_kind": "custom",
            **govuk_date("period_start", "2024-05-01"),
            **govuk_date("period_end", "2024-04-01"),
            "scope": "programme",
        },
    )
    assert response.status_code == 200
    assert "The end of the period must be on or after its start." in response.text
    assert "Choose the programme." in response.text
    assert not ImpactReport.objects.exists()


# --- The request, the task, progress and failure ----------------------------------------------


def test_requesting_a_report_queues_it_in_the_outbox_and_hands_the_build_over_after_commit(
    commissioner, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(
        tasks.report_impact_build, "apply_async", lambda args, **options: sent.append(args)
    )

    with django_capture_on_commit_callbacks() as callbacks:
        report = services.request_impact_report(actor=commissioner, **last_year())
        message = OutboxMessage.objects.get(kind="evaluation.impact_report_build")
        assert message.target_id == report.pk  # written with the request, ids only
    assert sent == []  # nothing leaves before commit
    for callback in callbacks:
        callback()

    assert sent == [[report.pk]]
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.DONE
    assert ImpactReport.objects.get(pk=report.pk).status == ImpactReport.Status.QUEUED
    assert AuditEvent.objects.filter(verb="impact_report.requested").count() == 1


def test_a_report_being_built_is_not_built_twice_but_a_dead_build_is_resumed(
    commissioner, settings, monkeypatch
):
    report = services.request_impact_report(actor=commissioner, **last_year())
    started = timezone.now() - datetime.timedelta(seconds=10)
    ImpactReport.objects.filter(pk=report.pk).update(status="running", started_at=started)

    # a second delivery of the build while the first is still running does nothing
    assert services.impact_report_build(report_id=report.pk).status == "running"
    assert services.impact_reports_resume_stale() == 0

    # once it has run longer than any task may, its worker died: beat hands it over again
    settings.CELERY_TASK_TIME_LIMIT = 5
    resumed = []
    monkeypatch.setattr(
        tasks.report_impact_build, "apply_async", lambda args, **options: resumed.append(args)
    )
    assert services.impact_reports_resume_stale() == 1
    assert resumed == [[report.pk]]
    assert services.impact_report_build(report_id=report.pk).status == "ready"


def test_the_progress_page_shows_how_far_a_queued_report_has_got(client, commissioner):
    # given a report whose task has not run yet
    report = services.request_impact_report(actor=commissioner, **last_year())
    ImpactReport.objects.filter(pk=report.pk).update(
        status="running", progress=40, progress_step="Coverage of the needs assessment"
    )
    client.force_login(commissioner)

    page = client.get(report.get_absolute_url())

    assert page.status_code == 200
    assert "40% done (Coverage of the needs assessment)" in page.text
    assert "vru/report-progress" in page.text
    assert client.get(f"{report.get_absolute_url()}pdf/").status_code == 404


def test_the_task_records_progress_at_every_step(
    commissioner, django_capture_on_commit_callbacks, monkeypatch
):
    seen = []

    def spy(scope):
        row = ImpactReport.objects.values("status", "progress", "progress_step").get()
        seen.append(row)
        return {"key": "spy", "title": "Spy", "blocks": []}

    monkeypatch.setattr(report_content, "SECTIONS", [*report_content.SECTIONS[:2], ("Spying", spy)])
    report = request_report(commissioner, django_capture_on_commit_callbacks)

    assert seen == [{"status": "running", "progress": 50, "progress_step": "Spying"}]
    assert report.status == ImpactReport.Status.READY
    assert report.progress == 100
    assert report.started_at <= report.finished_at


def test_a_failing_build_marks_the_report_failed_with_a_message(
    client, commissioner, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(scope):
        raise RuntimeError("database went away")

    monkeypatch.setattr(report_content, "SECTIONS", [("Broken", broken)])
    report = request_report(commissioner, django_capture_on_commit_callbacks)

    assert report.status == ImpactReport.Status.FAILED
    assert "could not be built" in report.error
    assert "database went away" not in report.error  # no internals shown to the user
    assert not report.pdf
    client.force_login(commissioner)
    page = client.get(report.get_absolute_url())
    assert "The report could not be built" in page.text
    assert "vru/report-progress" not in page.text


def broken_sections(monkeypatch) -> None:
    def broken(scope):
        raise RuntimeError("database went away")

    monkeypatch.setattr(report_content, "SECTIONS", [("Broken", broken)])


# These run with real commits: without a broker the build runs as the request commits, so
# the request's own page already knows whether it failed.
@pytest.mark.django_db(transaction=True)
def test_a_report_that_fails_as_it_is_requested_shows_an_error_not_a_success_banner(
    client, commissioner, monkeypatch
):
    # given a build that fails (built at once, as without a broker)
    broken_sections(monkeypatch)
    client.force_login(commissioner)

    # when the commissioner asks for the report
    response = client.post(
        "/evaluation/reports/new/",
        {"period_kind": "month", "month": "2026-02-01", "scope": "partnership"},
    )
    page = client.get(response["Location"]).text

    # then the page says it failed, in the error style, and what to do
    assert ImpactReport.objects.get().status == ImpactReport.Status.FAILED
    assert "govuk-notification-banner--success" not in page
    assert "Your report is being built" not in page
    assert 'class="govuk-error-summary"' in page
    assert "The report could not be built" in page
    assert "<title>Error: " in page
    assert ">Try again</button>" in page
    assert "If it fails again, contact your administrator" in page


@pytest.mark.django_db(transaction=True)
def test_try_again_requests_the_same_report_once_more(
    client, partnership, commissioner, monkeypatch, django_capture_on_commit_callbacks
):
    # given a report of one programme and one month that failed
    programme = ProgrammeFactory(partnership=partnership, name="ReRoute")
    with monkeypatch.context() as patch:
        broken_sections(patch)
        failed = request_report(
            commissioner,
            django_capture_on_commit_callbacks,
            scope="programme",
            programme=programme,
            period_start=datetime.date(2026, 2, 1),
            period_end=datetime.date(2026, 2, 28),
        )
    assert failed.status == ImpactReport.Status.FAILED
    client.force_login(commissioner)

    # when they try again (and this time it builds)
    response = client.post(f"/evaluation/reports/{failed.pk}/again/")

    # then a new request of the same report is built, and the failed one stays listed
    again = ImpactReport.objects.exclude(pk=failed.pk).get()
    assert response["Location"] == again.get_absolute_url()
    assert again.status == ImpactReport.Status.READY, again.error
    assert (again.scope, again.scope_programme, again.period_start, again.period_end) == (
        "programme",
        programme,
        datetime.date(2026, 2, 1),
        datetime.date(2026, 2, 28),
    )
    assert "Your report is ready." in client.get(response["Location"]).text
    assert AuditEvent.objects.filter(verb="impact_report.requested").count() == 2
    assert f"/evaluation/reports/{failed.pk}/" in client.get("/evaluation/reports/").text


@pytest.mark.django_db(transaction=True)
def test_when_trying_again_fails_again_the_page_says_so_without_a_success_banner(
    client, commissioner, monkeypatch, django_capture_on_commit_callbacks
):
    broken_sections(monkeypatch)
    failed = request_report(commissioner, django_capture_on_commit_callbacks)
    client.force_login(commissioner)

    response = client.post(f"/evaluation/reports/{failed.pk}/again/", follow=True)

    assert ImpactReport.objects.filter(status="failed").count() == 2
    assert "govuk-notification-banner--success" not in response.text
    assert "If it fails again, contact your administrator" in response.text


def test_only_a_failed_report_of_ones_own_partnership_can_be_tried_again(
    client, commissioner, ready_report, user_with_role, other_partnership
):
    client.force_login(commissioner)
    response = client.post(f"/evaluation/reports/{ready_report.pk}/again/", follow=True)
    assert "Only a report that could not be built can be requested again." in response.text
    assert ImpactReport.objects.count() == 1
    assert client.get(f"/evaluation/reports/{ready_report.pk}/again/").status_code == 405

    client.force_login(user_with_role(Role.COMMISSIONER, partnership=other_partnership))
    assert client.post(f"/evaluation/reports/{ready_report.pk}/again/").status_code == 404
    client.force_login(user_with_role(Role.PRACTITIONER))
    assert client.post(f"/evaluation/reports/{ready_report.pk}/again/").status_code == 404
    assert ImpactReport.objects.count() == 1


def test_a_report_whose_build_could_not_be_handed_over_is_marked_failed_not_left_queued(
    client, commissioner, monkeypatch
):
    # given a request whose hand-over to the workers the outbox gave up on
    report = services.request_impact_report(actor=commissioner, **last_year())
    OutboxMessage.objects.filter(kind="evaluation.impact_report_build").update(status="dead")

    # when beat looks for stale builds
    services.impact_reports_resume_stale()

    # then the page says it failed and offers to try again
    report.refresh_from_db()
    assert report.status == ImpactReport.Status.FAILED
    client.force_login(commissioner)
    page = client.get(report.get_absolute_url()).text
    assert "The report could not be built" in page
    assert "could not be started" in page
    assert ">Try again</button>" in page


def test_building_a_ready_report_again_changes_nothing(ready_report):
    built = ready_report.content
    again = services.impact_report_build(report_id=ready_report.pk)
    assert again.content == built
    assert again.pdf.name == ready_report.pdf.name


# --- The PDF and the list ---------------------------------------------------------------------


def test_downloading_the_pdf_is_audited(client, commissioner, ready_report):
    client.force_login(commissioner)

    response = client.get(reverse("evaluation:report_pdf", args=[ready_report.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    event = AuditEvent.objects.get(verb="impact_report.downloaded")
    assert event.actor == commissioner
    assert event.target_id == str(ready_report.pk)


def test_the_pdf_is_stored_outside_the_web_root(ready_report, settings):
    assert ready_report.pdf.name.startswith("impact-reports/")
    assert not hasattr(settings, "MEDIA_URL") or not settings.MEDIA_URL.strip("/")


def test_the_list_filters_and_sorts(client, commissioner, ready_report):
    failed = services.request_impact_report(actor=commissioner, **last_year())
    ImpactReport.objects.filter(pk=failed.pk).update(status="failed", error="x")
    client.force_login(commissioner)

    only_ready = client.get("/evaluation/reports/?status=ready").text
    assert f"/evaluation/reports/{ready_report.pk}/pdf/" in only_ready
    assert f"/evaluation/reports/{failed.pk}/" not in only_ready
    sorted_page = client.get("/evaluation/reports/?sort=status").text
    assert sorted_page.index(f"/reports/{failed.pk}/") < sorted_page.index(
        f"/reports/{ready_report.pk}/"
    )
    assert (
        "No reports match these filters." in client.get("/evaluation/reports/?scope=programme").text
    )


@pytest.mark.parametrize("count", [1, 12])
def test_the_list_page_queries_do_not_grow_with_reports(
    client, commissioner, count, django_assert_num_queries
):
    for _ in range(count):
        services.request_impact_report(actor=commissioner, **last_year())
    client.force_login(commissioner)
    # 1 session with the user, partnership and roles, 2 COUNT for the paginator, 3 SELECT
    # reports JOIN requested_by, programme, CSP and local authority
    with django_assert_num_queries(3):
        response = client.get("/evaluation/reports/")
    assert response.status_code == 200


def test_the_report_page_reads_a_bounded_number_of_queries(
    client, commissioner, ready_report, django_assert_max_num_queries
):
    client.force_login(commissioner)
    # session, user (with partnership and roles), the report, the LSOA boundaries for the map
    with django_assert_max_num_queries(8):
        response = client.get(ready_report.get_absolute_url())
    assert response.status_code == 200


def test_building_a_report_uses_a_bounded_number_of_queries(
    commissioner, partnership, django_assert_max_num_queries
):
    programme = ProgrammeFactory(partnership=partnership)
    for _ in range(8):
        ReferralFactory(programme=programme)
    report = services.request_impact_report(actor=commissioner, **last_year())
    with django_assert_max_num_queries(40):
        services.impact_report_build(report_id=report.pk)


def test_the_coverage_matrix_does_not_undo_the_suppression_of_the_headline_tables(
    partnership, commissioner, django_capture_on_commit_callbacks
):
    # given two programmes: A with a small published count of referrals ("<5": one referral,
    # another while the control counts them as none), B with 6 (more while the control's
    # count of them is under 5; hidden beside A so that A cannot be worked out from the total)
    from tests.factories import RecommendationFactory, StrategicNeedsAssessmentFactory

    today = timezone.localdate()
    sna = StrategicNeedsAssessmentFactory(
        partnership=partnership,
        published=True,
        period_start=today - datetime.timedelta(days=30),
        period_end=today,
    )
    only_b = RecommendationFactory(needs_assessment=sna, number=1)
    a = ProgrammeFactory(partnership=partnership, name="A programme")
    b = ProgrammeFactory(partnership=partnership, name="B programme", recommendations=[only_b])
    of_a = []
    while published("referral", of_a) == 0:
        of_a.append(ReferralFactory(programme=a))
    of_b = [ReferralFactory(programme=b) for _ in range(6)]
    until_published_at_least(lambda: ReferralFactory(programme=b), "referral", of_b, 5)
    assert Referral.objects.filter(programme=b).count() == len(of_b) >= 6
    a_n, b_n = published("referral", of_a), published("referral", of_b)
    assert disclosure.is_small(a_n)

    # when the report is built
    report = request_report(commissioner, django_capture_on_commit_callbacks)

    # then the table publishes A as "<5" and hides B too (else the total - B would give A)
    headlines = report.content["sections"][0]
    referrals = next(b for b in headlines["blocks"] if b.get("id") == "table-referrals")
    expected = disclosure.protect_list([a_n, b_n])
    assert expected.hidden == [[True], [True]]
    assert referrals["rows"] == [
        ["A programme", "<5"],
        ["B programme", expected.cells[1][0]],
    ]
    assert referrals["rows"][1][1] == "[c]"  # B publishes 5 or more, hidden only beside A
    assert referrals["foot"] == ["Total", *expected.column_totals]
    assert referrals["foot"][1] == disclosure.shown_count(a_n + b_n)
    # and the coverage matrix, whose only recommendation B alone delivers, does not show B
    coverage = next(s for s in report.content["sections"] if s["key"] == "coverage")
    matrix = next(b for b in coverage["blocks"] if b["type"] == "table")
    assert matrix["rows"][0][-1] == "[c]"


def test_the_map_publishes_bands_not_counts_per_neighbourhood(
    partnership, commissioner, django_capture_on_commit_callbacks
):
    from tests.factories import LSOAFactory

    # given 7 referrals from one neighbourhood (more while the control's count of them is
    # under 5, so it is from 5 to 19 whatever the adjustments)
    lsoa = LSOAFactory(partnership=partnership)
    programme = ProgrammeFactory(partnership=partnership)
    referrals = [ReferralFactory(programme=programme, home_lsoa=lsoa) for _ in range(7)]
    until_published_at_least(
        lambda: ReferralFactory(programme=programme, home_lsoa=lsoa), "referral", referrals, 5
    )
    assert Referral.objects.filter(lsoa=lsoa).count() == len(referrals) >= 7
    n = published("referral", referrals)
    assert 5 <= n < 20

    report = request_report(commissioner, django_capture_on_commit_callbacks)

    # then the map gives the neighbourhood its band, never the count
    reach = next(s for s in report.content["sections"] if s["key"] == "reach")
    the_map = next(b for b in reach["blocks"] if b["type"] == "map")
    assert the_map["areas"] == [
        {"code": lsoa.code, "name": lsoa.name, "band": 2, "shown": "5 to 19", "is_priority": False}
    ]


def test_the_compliance_headline_shows_its_counts_as_the_table_publishes_them(
    partnership, commissioner, django_capture_on_commit_callbacks
):
    # given 6 referrals contacted in time (more while the control's count of them is under 5)
    # and 2 never contacted (past their 24 hours; another while the control counts them as
    # none, so their published count is from 1 to 4)
    from programmes import services as programme_services

    programme = ProgrammeFactory(partnership=partnership)
    now = timezone.now()

    def referral():
        return ReferralFactory(
            programme=programme,
            event_at=now - datetime.timedelta(days=3),
            referred_at=now - datetime.timedelta(days=3),
        )

    def contacted_in_time():
        each = referral()
        programme_services.contact_record(
            actor=None,
            referral=each,
            occurred_at=now - datetime.timedelta(days=2, hours=12),
            method="phone",
        )
        return each

    in_time = [contacted_in_time() for _ in range(6)]
    until_published_at_least(contacted_in_time, "referral", in_time, 5)
    never = []
    while len(never) < 2 or published("referral", never) == 0:
        never.append(referral())
    assert Referral.objects.filter(
        programme=programme, first_contact_at__isnull=False
    ).count() == len(in_time)
    met, late = published("referral", in_time), published("referral", never)
    assert disclosure.is_small(late)

    report = request_report(commissioner, django_capture_on_commit_callbacks)

    # then neither the % nor the number in time is shown (beside the number with a result it
    # would give away the late), and the headline's "x of y" is the compliance table's totals
    items = {i["key"]: i for i in report.content["sections"][0]["blocks"][0]["items"]}
    assert items["compliance"]["figure"] == "–"
    assert items["compliance"]["value"] is None
    table = disclosure.protect_table([[met, late]])
    met_shown, late_shown = table.column_totals
    assert late_shown == "<5"
    assert met_shown == "[c]"  # 5 or more in time, hidden only beside the late
    assert items["compliance"]["text"].endswith(
        f"; {met_shown} of {table.grand_total} with a result"
    )
    headlines = report.content["sections"][0]["blocks"]
    compliance = next(b for b in headlines if b.get("id") == "table-compliance")
    assert compliance["foot"] == ["Total", met_shown, late_shown, table.grand_total]
    assert table.grand_total == disclosure.shown_count(met + late)


@pytest.mark.parametrize("role", list(Role))
def test_the_menu_offers_impact_reports_to_those_who_may_read_them(client, user_with_role, role):
    client.force_login(user_with_role(role))
    home = client.get("/")
    assert ('href="/evaluation/reports/"' in home.text) == (role in READERS)


def test_a_partnership_with_no_records_yet_gets_a_report_of_zeros(
    commissioner, django_capture_on_commit_callbacks
):
    report = request_report(commissioner, django_capture_on_commit_callbacks)

    assert report.status == ImpactReport.Status.READY, report.error
    items = {i["key"]: i for i in report.content["sections"][0]["blocks"][0]["items"]}
    assert items["referrals"]["figure"] == "0"
    assert items["compliance"]["figure"] == "–"
