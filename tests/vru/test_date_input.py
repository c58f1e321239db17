"""The GOV.UK date input (vru.forms.GovukDateField): separate day, month and year boxes,
the Design System's error messages, what was typed kept, and the error summary linking to
the first box."""

import datetime
import zoneinfo

import pytest
from django import forms
from django.template import Context, Template

from vru.forms import GovukDateField, GovukDateTimeField


class MeetingForm(forms.Form):
    date_of_birth = GovukDateField(label="Date of birth", help_text="For example, 27 3 2010")
    met_at = GovukDateTimeField(label="When you met", required=False)


def bound(**data):
    return MeetingForm(data)


def date_parts(day="27", month="3", year="2010"):
    return {"date_of_birth_day": day, "date_of_birth_month": month, "date_of_birth_year": year}


def test_three_boxes_make_a_date():
    form = bound(**date_parts())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == datetime.date(2010, 3, 27)
    assert form.cleaned_data["met_at"] is None


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ({"day": "", "month": "", "year": ""}, "Enter date of birth"),
        ({"month": ""}, "Date of birth must include a month"),
        ({"day": "", "year": ""}, "Date of birth must include a day and a year"),
        ({"day": "31", "month": "2"}, "Date of birth must be a real date"),
        ({"month": "March"}, "Date of birth must be a real date"),
        ({"year": "10"}, "Year must include 4 numbers"),
    ],
)
def test_gives_the_design_systems_messages(parts, message):
    form = bound(**date_parts(**parts))
    assert not form.is_valid()
    assert form.errors["date_of_birth"] == [message]


def test_a_date_and_time_is_in_the_sites_time_zone(settings):
    form = bound(
        **date_parts(),
        met_at_day="1",
        met_at_month="7",
        met_at_year="2026",
        met_at_time="14:30",
    )
    assert form.is_valid(), form.errors
    expected = datetime.datetime(2026, 7, 1, 14, 30, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))
    assert form.cleaned_data["met_at"] == expected


@pytest.mark.parametrize(
    ("time", "message"),
    [
        ("", "When you met must include a time"),
        ("25:00", "Enter the time as hours and minutes on a 24-hour clock, like 14:30"),
        ("2pm", "Enter the time as hours and minutes on a 24-hour clock, like 14:30"),
    ],
)
def test_a_time_must_be_a_real_24_hour_time(time, message):
    form = bound(
        **date_parts(), met_at_day="1", met_at_month="7", met_at_year="2026", met_at_time=time
    )
    assert not form.is_valid()
    assert form.errors["met_at"] == [message]


def render(form) -> str:
    return Template(
        '{% include "partials/error_summary.html" %}{{ form.date_of_birth.as_field_group }}'
    ).render(Context({"form": form}))


def test_renders_labelled_boxes_in_a_fieldset_keeping_what_was_typed():
    html = render(bound(**date_parts(month="")))

    assert '<fieldset class="govuk-fieldset"' in html
    assert "Date of birth</legend>" in html
    assert 'class="govuk-date-input"' in html
    for box, label in ((0, "Day"), (1, "Month"), (2, "Year")):
        assert f'for="id_date_of_birth_{box}">{label}</label>' in html
    assert 'name="date_of_birth_day" value="27"' in html
    assert 'name="date_of_birth_year" value="2010"' in html
    assert "govuk-input--error" in html
    assert "govuk-form-group--error" in html


def test_the_error_summary_links_to_the_first_box():
    html = render(bound(**date_parts(day="", month="", year="")))
    assert '<a href="#id_date_of_birth_0">Enter date of birth</a>' in html


def test_a_saved_date_fills_the_boxes():
    form = MeetingForm(initial={"date_of_birth": datetime.date(2010, 3, 27)})
    html = str(form["date_of_birth"].as_field_group())
    assert 'name="date_of_birth_day" value="27"' in html
    assert 'name="date_of_birth_month" value="3"' in html
