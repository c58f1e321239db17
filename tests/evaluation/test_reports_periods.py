"""The periods a report may cover: commissioners (anyone who sees suppressed figures) choose
whole months, quarters or financial years; staff may give any dates for their own use, and
such a report is never shown to a commissioner."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from evaluation import services
from evaluation.models import ImpactReport
from evaluation.report_periods import PeriodKind, period_kind_of, period_name, period_options
from tests.factories import govuk_date
from vru.models import Role

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = datetime.datetime(2026, 11, 18, 12, tzinfo=datetime.UTC)
STAFF_WHO_READ_REPORTS = [Role.ADMINISTRATOR, Role.ANALYST, Role.PROGRAMME_MANAGER]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=True):
        yield


@pytest.fixture
def commissioner(user_with_role):
    return user_with_role(Role.COMMISSIONER)


@pytest.fixture
def analyst(user_with_role):
    return user_with_role(Role.ANALYST)


# --- The kinds of period ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "kind", "name"),
    [
        (D(2026, 2, 1), D(2026, 2, 28), "month", "February 2026"),
        (D(2024, 2, 1), D(2024, 2, 29), "month", "February 2024"),
        (D(2026, 10, 1), D(2026, 12, 31), "quarter", "October to December 2026"),
        (D(2026, 1, 1), D(2026, 3, 31), "quarter", "January to March 2026"),
        (D(2025, 4, 1), D(2026, 3, 31), "financial_year", "Financial year 2025 to 2026"),
        (D(2026, 1, 1), D(2026, 12, 31), "custom", "1 January 2026 to 31 December 2026"),
        (D(2026, 2, 1), D(2026, 2, 27), "custom", "1 February 2026 to 27 February 2026"),
        (D(2026, 2, 2), D(2026, 3, 1), "custom", "2 February 2026 to 1 March 2026"),
        (D(2026, 11, 1), D(2027, 1, 31), "custom", "1 November 2026 to 31 January 2027"),
    ],
)
def test_the_kind_of_a_period_follows_from_its_dates(start, end, kind, name):
    assert period_kind_of(start, end) == kind
    assert period_name(kind, start, end) == name


def test_the_form_offers_whole_periods_newest_first_from_the_one_running_today():
    today = D(2026, 11, 18)

    assert period_options(PeriodKind.MONTH, today=today)[:2] == [
        ("2026-11-01", "November 2026"),
        ("2026-10-01", "October 2026"),
    ]
    assert period_options(PeriodKind.QUARTER, today=today)[:3] == [
        ("2026-10-01", "October to December 2026"),
        ("2026-07-01", "July to September 2026"),
        ("2026-04-01", "April to June 2026"),
    ]
    years = period_options(PeriodKind.FINANCIAL_YEAR, today=today)
    assert years[:2] == [
        ("2026-04-01", "Financial year 2026 to 2027"),
        ("2025-04-01", "Financial year 2025 to 2026"),
    ]
    assert period_options(PeriodKind.FINANCIAL_YEAR, today=D(2026, 3, 31))[0][0] == "2025-04-01"


# --- The rule, at the service -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(2026, 10, 1), D(2026, 10, 31)),
        (D(2026, 7, 1), D(2026, 9, 30)),
        (D(2025, 4, 1), D(2026, 3, 31)),
        (D(2026, 4, 1), D(2027, 3, 31)),  # the financial year running today
    ],
)
def test_a_commissioner_may_request_a_whole_month_quarter_or_financial_year(
    commissioner, start, end
):
    report = services.request_impact_report(actor=commissioner, period_start=start, period_end=end)
    assert report.period_kind == period_kind_of(start, end) != PeriodKind.CUSTOM


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(2026, 10, 1), D(2026, 10, 30)),  # a month but its last day
        (D(2026, 10, 2), D(2026, 10, 31)),  # a month but its first day
        (D(2026, 1, 1), D(2026, 12, 31)),  # a calendar year is not a financial year
        (D(2025, 11, 18), D(2026, 11, 18)),  # the last 365 days
    ],
)
def test_the_service_refuses_a_commissioner_any_other_dates(commissioner, start, end):
    with pytest.raises(ValidationError) as error:
        services.request_impact_report(actor=commissioner, period_start=start, period_end=end)

    assert error.value.message_dict == {
        "period_kind": ["Choose a whole month, a quarter or a financial year (April to March)."]
    }
    assert not ImpactReport.objects.exists()


@pytest.mark.parametrize("role", STAFF_WHO_READ_REPORTS)
def test_staff_may_request_any_dates_and_the_report_is_marked_custom(user_with_role, role):
    report = services.request_impact_report(
        actor=user_with_role(role), period_start=D(2026, 10, 2), period_end=D(2026, 11, 17)
    )
    assert report.period_kind == PeriodKind.CUSTOM
    assert report.is_custom_period


def test_the_kind_stored_always_matches_the_dates(analyst):
    report = services.request_impact_report(
        actor=analyst, period_start=D(2026, 10, 1), period_end=D(2026, 10, 31)
    )
    assert report.period_kind == PeriodKind.MONTH  # whole dates are a whole period
    report.period_kind = PeriodKind.CUSTOM
    with pytest.raises(ValidationError):
        report.full_clean()


# --- The rule, at the form ------------------------------------------------------------------


def test_a_commissioner_is_offered_whole_periods_only(client, commissioner):
    client.force_login(commissioner)

    page = client.get("/evaluation/reports/new/").text

    assert 'value="month"' in page
    assert 'value="quarter"' in page
    assert 'value="financial_year"' in page
    assert 'value="custom"' not in page
    assert 'name="period_start' not in page
    assert "Financial year 2025 to 2026" in page
    assert "October to December 2026" in page


def test_a_commissioner_requests_a_quarter_by_choosing_it(client, commissioner):
    client.force_login(commissioner)

    response = client.post(
        "/evaluation/reports/new/",
        {"period_kind": "quarter", "quarter": "2026-07-01", "scope": "partnership"},
    )

    report = ImpactReport.objects.get()
    assert response.status_code == 302
    assert (report.period_start, report.period_end, report.period_kind) == (
        D(2026, 7, 1),
        D(2026, 9, 30),
        "quarter",
    )


@pytest.mark.parametrize(
    "data",
    [
        {"period_kind": "custom", **govuk_date("period_start", "2026-10-02")},
        {"period_kind": "month", "month": "2026-10-02"},  # not one of the months offered
        {"period_kind": "quarter", "quarter": ""},
    ],
)
def test_the_form_refuses_a_commissioner_anything_but_a_period_it_offers(
    client, commissioner, data
):
    client.force_login(commissioner)
    data = {**data, **govuk_date("period_end", "2026-11-17"), "scope": "partnership"}

    response = client.post("/evaluation/reports/new/", data)

    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert not ImpactReport.objects.exists()


def test_staff_may_give_other_dates_in_the_form(client, analyst):
    client.force_login(analyst)
    page = client.get("/evaluation/reports/new/").text
    assert 'value="custom"' in page

    response = client.post(
        "/evaluation/reports/new/",
        {
            "period_kind": "custom",
            **govuk_date("period_start", "2026-10-02"),
            **govuk_date("period_end", "2026-11-17"),
            "scope": "partnership",
        },
    )

    report = ImpactReport.objects.get()
    assert response.status_code == 302
    assert (report.period_start, report.period_end, report.period_kind) == (
        D(2026, 10, 2),
        D(2026, 11, 17),
        "custom",
    )


def test_other_dates_need_both_days(client, analyst):
    client.force_login(analyst)

    response = client.post(
        "/evaluation/reports/new/", {"period_kind": "custom", "scope": "partnership"}
    )

    assert "Enter the first day of the period." in response.text
    assert "Enter the last day of the period." in response.text
    assert not ImpactReport.objects.exists()


# --- Custom reports are never shown to commissioners ----------------------------------------


def test_a_custom_report_is_never_listed_opened_or_downloaded_by_a_commissioner(
    client, analyst, commissioner, django_capture_on_commit_callbacks
):
    # given an analyst's report of other dates, built, and a commissioner's month
    with django_capture_on_commit_callbacks(execute=True):
        custom = services.request_impact_report(
            actor=analyst, period_start=D(2026, 10, 2), period_end=D(2026, 11, 17)
        )
        month = services.request_impact_report(
            actor=commissioner, period_start=D(2026, 10, 1), period_end=D(2026, 10, 31)
        )
    custom.refresh_from_db()
    assert custom.status == ImpactReport.Status.READY, custom.error
    url = custom.get_absolute_url()

    # then the commissioner sees the month only
    client.force_login(commissioner)
    listing = client.get("/evaluation/reports/").text
    assert month.get_absolute_url() in listing
    assert url not in listing
    for address in [url, f"{url}pdf/", f"{url}?format=csv", f"{url}?format=xlsx"]:
        assert client.get(address).status_code == 404, address

    # and the analyst sees both, the custom one marked as staff only
    client.force_login(analyst)
    listing = client.get("/evaluation/reports/").text
    assert url in listing
    assert month.get_absolute_url() in listing
    assert "Custom dates: staff only" in listing
    assert client.get(url).status_code == 200
    assert "It is for staff only" in client.get(url).text
    assert client.get(f"{url}pdf/").status_code == 200
