"""A working day without friction: source and reason are chosen, never preset; the 24-hour
clock says how the first contact went, in words, on the page, in the API and in exports;
the timeline puts date-only outcomes where they belong; the session form's counts are one
grid."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from programmes import selectors, services
from programmes.clock import duration_text, first_contact_text
from tests.factories import ProgrammeFactory, ReferralFactory, programme_staff

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
ARREST = datetime.datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


@pytest.fixture
def programme(partnership):
    return ProgrammeFactory(partnership=partnership, name="ReRoute", referral_target_hours=24)


@pytest.fixture
def practitioner(programme):
    return programme_staff(programme, "practitioner")


def _contacted(programme, practitioner, after: datetime.timedelta, source="custody"):
    referral = ReferralFactory(
        programme=programme,
        assigned_to=practitioner,
        source=source,
        event_at=ARREST,
        referred_at=ARREST + datetime.timedelta(minutes=30),
    )
    services.contact_record(
        actor=None, referral=referral, occurred_at=ARREST + after, method="phone"
    )
    referral.refresh_from_db()
    return referral


# --- Choose, don't default ----------------------------------------------------------------


def test_source_and_reason_have_no_preselected_value(client, programme, practitioner):
    client.force_login(practitioner)
    form = client.get(reverse("programmes:referral_create")).context["form"]
    html = form.as_div() if hasattr(form, "as_div") else str(form)

    for name in ("source", "reason"):
        assert form[name].value() in (None, "")
        assert form.fields[name].choices[0][0] == ""
        assert form.fields[name].choices[0][1].startswith("Choose")
    assert 'value="custody" selected' not in html
    assert 'value="knife" selected' not in html


def test_a_referral_without_source_or_reason_is_refused_naming_each(
    client, programme, practitioner
):
    client.force_login(practitioner)

    response = client.post(reverse("programmes:referral_create"), {"programme": programme.pk})

    errors = response.context["form"].errors
    assert errors["source"] == ["Select where the referral came from"]
    assert errors["reason"] == ["Select the reason for the referral"]


# --- The 24-hour clock, in words ----------------------------------------------------------


@pytest.mark.parametrize(
    ("span", "text"),
    [
        (datetime.timedelta(hours=3, minutes=10), "3 h 10 min"),
        (datetime.timedelta(hours=29), "29 h"),
        (datetime.timedelta(minutes=45, seconds=59), "45 min"),
    ],
)
def test_a_span_is_told_in_hours_and_whole_minutes(span, text):
    assert duration_text(span) == text


def test_a_first_contact_within_the_target_says_so():
    assert (
        first_contact_text(
            event_at=ARREST,
            due_at=ARREST + datetime.timedelta(hours=24),
            first_contact_at=ARREST + datetime.timedelta(hours=3, minutes=10),
            source="custody",
        )
        == "First contact 3 h 10 min after the arrest: within 24 hours"
    )


def test_a_first_contact_after_the_target_says_by_how_much_it_missed():
    assert (
        first_contact_text(
            event_at=ARREST,
            due_at=ARREST + datetime.timedelta(hours=24),
            first_contact_at=ARREST + datetime.timedelta(hours=29, minutes=5),
            source="school",
        )
        == "First contact 29 h 5 min after the event: missed by 5 h 5 min"
    )


def test_a_first_contact_exactly_at_the_due_time_is_within_the_target():
    text = first_contact_text(
        event_at=ARREST,
        due_at=ARREST + datetime.timedelta(hours=24),
        first_contact_at=ARREST + datetime.timedelta(hours=24),
        source="custody",
    )
    assert text.endswith("within 24 hours")


def test_no_first_contact_yet_has_no_clock_text():
    assert (
        first_contact_text(event_at=ARREST, due_at=ARREST, first_contact_at=None, source="custody")
        == ""
    )


def test_the_referral_page_the_api_and_the_export_say_the_same_clock_text(
    client, programme, practitioner
):
    referral = _contacted(programme, practitioner, datetime.timedelta(hours=29, minutes=5))
    expected = "First contact 29 h 5 min after the arrest: missed by 5 h 5 min"
    client.force_login(practitioner)

    page = client.get(referral.get_absolute_url()).content.decode()
    detail = client.get(f"/api/referrals/{referral.pk}/").json()
    listed = client.get("/api/referrals/").json()["results"]
    export = client.get("/programmes/caseload/", {"format": "csv"}).content.decode()

    assert expected in page
    assert detail["first_contact_clock"] == expected
    assert [r["first_contact_clock"] for r in listed] == [expected]
    rows = list(csv.DictReader(io.StringIO(export.lstrip("\ufeff"))))
    assert [r["first_contact_clock"] for r in rows] == [expected]


# --- The timeline -------------------------------------------------------------------------


def test_a_date_only_outcome_comes_after_the_timed_events_of_its_day_and_shows_no_time(
    client, programme, practitioner
):
    # given: arrest at 14:00, contact at 16:00, an outcome recorded for the same day (no time)
    referral = _contacted(programme, practitioner, datetime.timedelta(hours=2))
    services.outcome_record(
        actor=None, referral=referral, kind="safety_plan", achieved_on=ARREST.date()
    )

    # when
    timeline = selectors.referral_timeline(referral=referral)
    client.force_login(practitioner)
    page = client.get(referral.get_absolute_url()).content.decode()

    # then
    assert timeline[0].kind == "event"  # the arrest first, not the outcome at "00:00"
    assert timeline[-1].kind == "outcome"
    outcome = timeline[-1]
    assert outcome.date_only is True
    assert "2 Mar 2026 00:00" not in page
    assert (
        'Outcome: Safety plan in place</strong> <span class="govuk-body-s">2 Mar 2026 ·' in (page)
        or 'Outcome: Safety plan in place</strong> <span class="govuk-body-s">2 Mar 2026<' in page
    )


def test_a_date_only_outcome_of_a_later_day_comes_before_that_days_timed_events(
    programme, practitioner
):
    referral = _contacted(programme, practitioner, datetime.timedelta(days=3))  # 5 Mar 14:00
    services.outcome_record(
        actor=None,
        referral=referral,
        kind="onward",
        achieved_on=datetime.date(2026, 3, 4),
    )

    kinds = [e.kind for e in selectors.referral_timeline(referral=referral)]

    assert kinds.index("outcome") < kinds.index("contact")


# --- The session form on a phone ----------------------------------------------------------


def test_the_session_counts_are_one_grid_of_age_band_by_gender(client, programme, practitioner):
    client.force_login(practitioner)

    html = client.get(reverse("programmes:session_create")).content.decode()

    assert 'class="govuk-table vru-count-grid"' in html
    assert html.count('inputmode="numeric"') >= 25
    assert '<th scope="row" class="govuk-table__header">' in html
    assert '<th scope="col" class="govuk-table__header">Female</th>' in html
