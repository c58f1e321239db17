"""The programme dashboard over a date range: presets and typed dates (GOV.UK date inputs,
errors naming their field), charts each followed by the table of its figures, and for a
commissioner whole periods only, through the disclosure control, so that two overlapping
dashboards cannot be subtracted to recover a hidden count."""

import datetime

import pytest

from programmes import selectors
from tests.factories import ProgrammeFactory, ReferralFactory, govuk_date
from tests.published import published
from vru.models import Role
from vru.selectors import disclosure

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def event(month, day, hour=12):
    return datetime.datetime(2026, month, day, hour, tzinfo=UTC)


@pytest.fixture
def programme(partnership):
    return ProgrammeFactory(partnership=partnership, name="ReRoute")


def _refer(programme, when):
    return ReferralFactory(programme=programme, event_at=when)


def _dates(start: str, end: str) -> dict:
    return {**govuk_date("start", start), **govuk_date("end", end)}


def test_the_dashboard_counts_only_referrals_whose_event_falls_in_the_range(
    programme, user_with_role
):
    analyst = user_with_role(Role.ANALYST)
    for day in (1, 15, 31):
        _refer(programme, event(3, day))
    _refer(programme, event(4, 1))
    _refer(programme, event(2, 28))

    march = selectors.programme_dashboard(
        viewer=analyst,
        programme=programme,
        start=datetime.date(2026, 3, 1),
        end=datetime.date(2026, 3, 31),
    )
    everything = selectors.programme_dashboard(viewer=analyst, programme=programme)

    assert march.total == "3"
    assert everything.total == "5"


def test_a_range_is_chosen_with_date_boxes_and_the_page_says_which(
    client, programme, user_with_role
):
    analyst = user_with_role(Role.ANALYST)
    _refer(programme, event(3, 10))
    _refer(programme, event(5, 10))
    client.force_login(analyst)

    page = client.get(f"/programmes/{programme.pk}/", _dates("2026-03-01", "2026-03-31"))

    assert page.context["dashboard"].total == "1"
    assert "March 2026" in page.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            _dates("2026-03-31", "2026-03-01"),
            "end",
            "End date must be the same as or after start date",
        ),
        (
            {"start_day": "31", "start_month": "2", "start_year": "2026"},
            "start",
            "Start date must be a real date",
        ),
        ({"end_day": "1", "end_year": "2026"}, "end", "End date must include a month"),
    ],
)
def test_a_wrong_date_is_named_beside_its_field_and_the_page_shows_all_time(
    client, programme, user_with_role, data, field, message
):
    client.force_login(user_with_role(Role.ANALYST))

    page = client.get(f"/programmes/{programme.pk}/", data)

    assert page.context["period_form"].errors[field] == [message]
    body = page.content.decode()
    assert "govuk-error-summary" in body
    assert f'href="#id_{field}' in body
    assert page.context["dashboard"].start is None  # all time, until the dates are right


def test_the_presets_are_this_quarter_last_quarter_and_this_financial_year(
    client, programme, user_with_role
):
    client.force_login(user_with_role(Role.COMMISSIONER))

    body = client.get(f"/programmes/{programme.pk}/").content.decode()

    for label in ("this quarter", "last quarter", "this financial year"):
        assert f">{label}<" in body


def test_each_chart_is_followed_by_the_table_of_its_figures_and_a_hidden_one_has_no_bar(
    client, programme, user_with_role
):
    commissioner = user_with_role(Role.COMMISSIONER)
    for day in range(1, 15):
        _refer(programme, event(3, day))
    client.force_login(commissioner)

    page = client.get(f"/programmes/{programme.pk}/")

    charts = {chart.id: chart for chart in page.context["dashboard"].charts}
    assert set(charts) == {"chart-on-time", "chart-status", "chart-source", "chart-reason"}
    body = page.content.decode()
    for chart_id in charts:
        assert body.index(f'id="{chart_id}-caption"') < body.index(f'id="{chart_id}-figures"')
    for bar in charts["chart-source"].bars:
        hidden = bar.shown in {disclosure.hidden_mark(), disclosure.SECONDARY_MARK}
        assert (bar.value is None) == hidden
    assert "script" not in body.split('id="dashboard"')[1].split("</main>")[0]


# --- A commissioner and overlapping periods ----------------------------------------------


def test_a_commissioner_may_choose_only_whole_periods(client, programme, user_with_role):
    commissioner = user_with_role(Role.COMMISSIONER)
    _refer(programme, event(3, 10))
    client.force_login(commissioner)

    page = client.get(f"/programmes/{programme.pk}/", _dates("2026-03-01", "2026-03-30"))

    assert page.context["period_form"].errors["start"] == [
        "Choose a whole month, a quarter or a financial year (April to March)."
    ]
    # and the selector refuses the dates itself, whatever the door
    assert (
        selectors.programme_dashboard(
            viewer=commissioner,
            programme=programme,
            start=datetime.date(2026, 3, 1),
            end=datetime.date(2026, 3, 30),
        )
        is None
    )


def test_a_commissioner_cannot_difference_two_overlapping_ranges_to_recover_a_hidden_count(
    client, programme, user_with_role
):
    """The attack: a month's dashboard minus the same month less its last day would give the
    referrals of that day, a count too small to show. The second range is refused; whole
    periods nest instead of overlapping by a day; and what their differences give is a sum of
    adjusted values: with one more referral counting as none, every figure is the same."""
    commissioner = user_with_role(Role.COMMISSIONER)
    for day in range(1, 13):
        _refer(programme, event(1, day))
        _refer(programme, event(2, day))
        _refer(programme, event(3, day))
    client.force_login(commissioner)

    def total(start, end):
        page = client.get(f"/programmes/{programme.pk}/", _dates(start, end))
        dashboard = page.context["dashboard"]
        if dashboard is None or dashboard.start is None:  # refused: no figures of these dates
            return None
        return dashboard.total

    # given: the whole month is shown
    assert total("2026-03-01", "2026-03-31") is not None
    # when: the attacker asks for the month less its last day, the dates are refused
    assert total("2026-03-01", "2026-03-30") is None
    assert total("2026-03-02", "2026-03-31") is None

    # whole periods: a quarter minus two months is the third month's published figure, a
    # sum of adjusted values; a referral on 31 March that counts as none changes nothing
    def figures():
        return [
            total("2026-01-01", "2026-03-31"),
            total("2026-01-01", "2026-01-31"),
            total("2026-02-01", "2026-02-28"),
            total("2026-03-01", "2026-03-31"),
        ]

    before = figures()
    extra = _refer(programme, event(3, 31))
    while disclosure.adjustment("referral", extra.pk) != -1:
        extra.delete()
        extra = _refer(programme, event(3, 31))
    after = figures()

    assert after == before
    quarter, january, february, march = (int(v.replace(",", "")) for v in after)
    assert quarter - january - february == march
    true_march = 13
    assert march == published(
        "referral", [r for r in programme.referrals.all() if r.event_at.month == 3]
    )
    assert programme.referrals.filter(event_at__month=3).count() == true_march
