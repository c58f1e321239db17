"""One small-number rule for every door: changing VRU_SMALL_NUMBER_THRESHOLD changes what each
door shows a commissioner (or the public). Each test makes records whose published
(adjusted) count is from 5 to 9, so it is shown at the default threshold of 5 and hidden as
"<10" at a threshold of 10."""

import csv
import datetime
import io

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from evaluation import selectors as evaluation_selectors
from evaluation import services as evaluation_services
from evaluation.models import FeedbackResponse, ImpactReport
from programmes import selectors as programme_selectors
from programmes.models import Referral
from tests.evaluation.factories import FeedbackResponseFactory, ListeningExerciseFactory
from tests.factories import ProgrammeFactory, ReferralFactory, UserFactory
from tests.published import published
from vru.models import Role
from vru.selectors import disclosure

pytestmark = pytest.mark.django_db

THRESHOLDS = [5, 10]
MONTH = (datetime.date(2026, 5, 1), datetime.date(2026, 5, 31))


def until_published_between_5_and_9(make, kind: str, records: list) -> int:
    """Make records one by one until their published count is 5 to 9 (each record counts
    0 to 2, so the count cannot jump over that range)."""
    while not 5 <= published(kind, records) <= 9:
        records.append(make())
        assert len(records) < 40
    return published(kind, records)


def expected(n: int, threshold: int) -> str:
    return f"{n:,}" if threshold == 5 else "<10"


@pytest.fixture
def commissioner(partnership):
    return UserFactory(partnership=partnership, roles=[Role.COMMISSIONER])


@pytest.fixture
def referrals(partnership):
    """A programme with referrals in May 2026 whose published count is 5 to 9."""
    programme = ProgrammeFactory(partnership=partnership, name="ReRoute")
    event_at = datetime.datetime(2026, 5, 12, 10, tzinfo=datetime.UTC)
    made: list[Referral] = []
    n = until_published_between_5_and_9(
        lambda: ReferralFactory(
            programme=programme,
            event_at=event_at,
            referred_at=event_at + datetime.timedelta(hours=1),
        ),
        "referral",
        made,
    )
    return programme, n


def test_the_rule_is_defined_once():
    assert disclosure.threshold() == 5
    with override_settings(VRU_SMALL_NUMBER_THRESHOLD=10):
        assert disclosure.shown_count(9) == "<10"
        assert disclosure.shown_count(10) == "10"
        assert disclosure.protect_list([9, 30]).cells == [["<10"], ["[c]"]]
        assert disclosure.chart_values([0, 7, 12]) == ([0, None, 12], ["0", "<10", "12"])


@pytest.mark.parametrize("threshold", THRESHOLDS)
def test_the_programme_dashboard_and_its_page(threshold, referrals, commissioner, client):
    programme, n = referrals
    with override_settings(VRU_SMALL_NUMBER_THRESHOLD=threshold):
        dashboard = programme_selectors.programme_dashboard(
            viewer=commissioner, programme=programme
        )
        assert dashboard.total == expected(n, threshold)
        client.force_login(commissioner)
        page = client.get(reverse("programmes:programme_detail", args=[programme.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert f"“&lt;{threshold}”" in text  # the note says what is hidden
    assert ("&lt;10" in text) == (threshold == 10)


@pytest.mark.parametrize("threshold", THRESHOLDS)
def test_the_impact_report_on_the_page_in_the_csv_and_in_the_pdf(
    threshold, referrals, commissioner, client, django_capture_on_commit_callbacks
):
    _, n = referrals
    with override_settings(VRU_SMALL_NUMBER_THRESHOLD=threshold):
        with django_capture_on_commit_callbacks(execute=True):
            report = evaluation_services.request_impact_report(
                actor=commissioner, period_start=MONTH[0], period_end=MONTH[1]
            )
        report.refresh_from_db()
        assert report.status == ImpactReport.Status.READY, report.error
        client.force_login(commissioner)
        page = client.get(report.get_absolute_url()).content.decode()
        download = client.get(f"{report.get_absolute_url()}?format=csv").content.decode("utf-8-sig")
        pdf = client.get(reverse("evaluation:report_pdf", args=[report.pk]))
    headline = next(
        item
        for item in report.content["sections"][0]["blocks"][0]["items"]
        if item["key"] == "referrals"
    )
    shown = expected(n, threshold)
    assert headline["figure"] == shown
    assert report.content["meta"]["threshold"] == threshold
    assert shown.replace("<", "&lt;") in page
    rows = list(csv.DictReader(io.StringIO(download)))
    assert any(r["Table"].startswith("Referrals received") and r["Value"] == shown for r in rows)
    pdf_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(b"".join(pdf))).pages)
    assert shown in pdf_text


@pytest.fixture
def exercise(partnership, user_with_role):
    exercise = ListeningExerciseFactory(partnership=partnership)
    made: list[FeedbackResponse] = []
    n = until_published_between_5_and_9(
        lambda: FeedbackResponseFactory(exercise=exercise), "feedback_response", made
    )
    evaluation_services.exercise_set_public(
        actor=user_with_role(Role.ADMINISTRATOR), exercise=exercise, is_public=True
    )
    return exercise, n


@pytest.mark.parametrize("threshold", THRESHOLDS)
def test_the_listening_summary_and_the_public_you_said_we_did_page(
    threshold, exercise, commissioner, client
):
    exercise, n = exercise
    with override_settings(VRU_SMALL_NUMBER_THRESHOLD=threshold):
        summary = evaluation_selectors.exercise_summary(exercise=exercise, suppress=True)
        public = client.get(reverse("evaluation:you_said_we_did", args=[exercise.public_slug]))
        client.force_login(commissioner)
        listing = client.get(reverse("evaluation:exercise_list"))
    assert summary.responses.shown == expected(n, threshold)
    assert public.status_code == 200
    assert f"under {threshold} are shown" in public.content.decode()
    assert expected(n, threshold).replace("<", "&lt;") in listing.content.decode()


@pytest.mark.parametrize("threshold", THRESHOLDS)
def test_the_template_filter(threshold):
    from django.template import Context, Template

    template = Template("{% load disclosure %}{{ n|shown_count:True }}")
    with override_settings(VRU_SMALL_NUMBER_THRESHOLD=threshold):
        assert template.render(Context({"n": 7})) == ("7" if threshold == 5 else "&lt;10")


@pytest.mark.parametrize("threshold", THRESHOLDS)
def test_the_outcome_summaries_api(threshold, partnership, commissioner, api_client):
    from evaluation import services as evaluation_services
    from tests.evaluation.factories import instrument

    programme = ProgrammeFactory(partnership=partnership, name="Mentoring")
    wemwbs = instrument("wemwbs")  # seeded by a migration; a flushed database has lost it
    made: list[Referral] = []

    def participant():
        event_at = timezone.now() - datetime.timedelta(days=60)
        referral = ReferralFactory(
            programme=programme,
            event_at=event_at,
            referred_at=event_at + datetime.timedelta(hours=1),
        )
        for days, total, point in [(50, 40, "baseline"), (10, 50, "exit")]:
            evaluation_services.outcome_score_record(
                actor=None,
                referral=referral,
                instrument=wemwbs,
                time_point=point,
                scored_on=timezone.localdate() - datetime.timedelta(days=days),
                total=total,
            )
        return referral

    n = until_published_between_5_and_9(participant, "referral", made)
    api_client.force_authenticate(commissioner)
    with override_settings(VRU_SMALL_NUMBER_THRESHOLD=threshold):
        response = api_client.get("/api/outcome-summaries/")
    assert response.status_code == 200, response.content
    [row] = response.json()["results"] if "results" in response.json() else response.json()
    assert row["participants_shown"] == expected(n, threshold)


@pytest.mark.parametrize(
    ("query", "allowed"),
    [
        ("", True),  # all time
        ("?start=2026-04-01&end=2026-06-30", True),  # a quarter
        ("?start=2025-04-01&end=2026-03-31", True),  # a financial year
        ("?start=2026-05-01&end=2026-05-31", True),  # a month
        ("?start=2026-05-01&end=2026-05-30", False),  # a month less a day
        ("?start=2026-05-01", False),  # open-ended
    ],
)
def test_commissioners_get_outcome_figures_for_whole_periods_only(
    query, allowed, commissioner, api_client, client
):
    api_client.force_authenticate(commissioner)
    client.force_login(commissioner)
    for path in ("/api/outcome-summaries/", "/api/cost-benefit/"):
        response = api_client.get(path + query)
        assert response.status_code == (200 if allowed else 400), (path, response.content)
    boxes = {}  # the page takes the same dates in GOV.UK day, month and year boxes
    for part in query.lstrip("?").split("&") if query else []:
        name, value = part.split("=")
        year, month, day = value.split("-")
        boxes |= {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}
    page = client.get(reverse("evaluation:outcome_summaries"), boxes)
    assert page.status_code == 200
    assert ("Choose a whole month, a quarter or a financial year" in page.content.decode()) is (
        not allowed
    )


def test_staff_may_choose_any_dates_for_outcome_figures(user_with_role, api_client):
    api_client.force_authenticate(user_with_role(Role.PROGRAMME_MANAGER))
    response = api_client.get("/api/outcome-summaries/?start=2026-05-01&end=2026-05-30")
    assert response.status_code == 200
