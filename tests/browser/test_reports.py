"""Impact report pages in Chromium: axe (WCAG 2.2 AA), no console or CSP errors, for a
commissioner who requests a report, reads it (map, charts, tables) and sees the list and a
report still being built."""

import pytest
from playwright.sync_api import expect

from evaluation.models import ImpactReport
from tests.evaluation.report_data import add_evaluation_work, make_year
from tests.factories import TEST_PASSWORD, PartnershipFactory, UserFactory
from vru.models import LSOA, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def square(x: float, y: float) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [[[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]],
    }


def test_a_commissioner_requests_reads_and_lists_reports(checked):
    partnership = PartnershipFactory(name="Essex VVP test")
    other = PartnershipFactory()
    year = make_year(partnership, other)
    add_evaluation_work(year, other)  # the evaluation section with figures (axe-checked too)
    for index, lsoa in enumerate(LSOA.objects.filter(partnership=partnership)):
        LSOA.objects.filter(pk=lsoa.pk).update(boundary=square(0.5 + index * 0.01, 51.7))
    UserFactory(username="cara.commissioner", partnership=partnership, roles=[Role.COMMISSIONER])
    page = checked.page

    checked.sign_in("cara.commissioner", TEST_PASSWORD)
    checked.goto("/evaluation/reports/", title="Impact reports")
    checked.goto("/evaluation/reports/new/", title="Request an impact report")

    # a commissioner chooses whole periods only: no dates to type
    expect(page.get_by_label("Other dates (staff only)")).to_have_count(0)
    page.get_by_label("A financial year (April to March)").check()
    page.get_by_label("Financial year", exact=True).select_option(index=0)  # the one running

    # a mistake first: the error summary, then the report
    page.get_by_label("One programme").check()
    page.get_by_role("button", name="Build the report").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    checked.check()
    page.get_by_label("Whole partnership").check()
    page.get_by_role("button", name="Build the report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Impact report: Whole partnership")
    expect(page.locator("#map-referrals-title")).to_be_visible()
    expect(page.locator(".vru-figure").first).to_contain_text("children and young people")
    expect(page.locator("#table-value-for-money")).to_contain_text("2.25x")
    # each headline names the table it was computed from, and the link reaches it
    page.locator("[data-figure-source=referrals] a").click()
    expect(page.locator("#table-referrals")).to_be_in_viewport()
    checked.check()

    # a report still being built shows its progress
    report = ImpactReport.objects.get()
    ImpactReport.objects.filter(pk=report.pk).update(status="running", progress=40)
    checked.goto(report.get_absolute_url())
    expect(page.get_by_role("status")).to_contain_text("40% done")
    checked.check()
    ImpactReport.objects.filter(pk=report.pk).update(progress=80)
    expect(page.get_by_role("status")).to_contain_text("80% done", timeout=10_000)
    # when it is ready the page opens the report by itself
    ImpactReport.objects.filter(pk=report.pk).update(status="ready", progress=100)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Impact report: Whole partnership", timeout=10_000
    )
    checked.goto("/evaluation/reports/", title="Impact reports")

    # a report that could not be built says so in the error style, with what to do
    ImpactReport.objects.filter(pk=report.pk).update(
        status="failed", error="The report could not be built (FieldError)."
    )
    checked.goto(report.get_absolute_url())
    expect(page.locator(".govuk-error-summary")).to_contain_text("could not be built")
    expect(page.locator(".govuk-notification-banner--success")).to_have_count(0)
    expect(page.get_by_role("button", name="Try again")).to_be_visible()
    checked.check()
    assert year.reroute.name  # the data set the report was built from
