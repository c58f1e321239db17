"""Evaluation, outcome and value-for-money pages in Chromium: axe (WCAG 2.2 AA), no console or
CSP errors, and a form that keeps what was typed when it has an error."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from evaluation import services
from tests.evaluation.factories import EvaluationFactory, past_referral, scores, unit_cost
from tests.factories import TEST_PASSWORD, PartnershipFactory, ProgrammeFactory, UserFactory
from vru.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _setup():
    partnership = PartnershipFactory()
    programme = ProgrammeFactory(partnership=partnership, name="ReRoute", budget=Decimal("90000"))
    for first, last in [(40, 46), (38, 44), (50, 49), (44, 50), (41, 47), (36, 40)]:
        scores(past_referral(programme), "wemwbs", first, last)
    evaluation = EvaluationFactory(
        partnership=partnership,
        programme=programme,
        title="ReRoute study",
        participants=120,
        evidence_rating=3,
    )
    services.benefit_assumption_add(
        actor=None,
        evaluation=evaluation,
        unit_cost=unit_cost("Violence with injury"),
        offences_averted_per_participant=Decimal("0.05"),
        basis="Demo",
    )
    return partnership, programme, evaluation


def test_an_analyst_reads_and_records_evaluations(checked):
    partnership, _programme, evaluation = _setup()
    UserFactory(username="ana.analyst", partnership=partnership, roles=[Role.ANALYST])
    page = checked.page

    checked.sign_in("ana.analyst", TEST_PASSWORD)
    checked.goto("/evaluation/evaluations/", title="Evaluations")
    checked.goto(f"/evaluation/evaluations/{evaluation.pk}/", title="ReRoute study")
    checked.goto("/evaluation/outcomes/", title="Outcomes")
    checked.goto("/evaluation/value-for-money/", title="Costs and benefits")
    checked.goto(f"/evaluation/evaluations/{evaluation.pk}/benefits/new/")

    checked.goto("/evaluation/evaluations/new/")
    page.get_by_label("Title").fill("Mentoring pilot")
    page.get_by_label("Evaluator").fill("Anglia Ruskin University")
    for name, (day, month, year) in (
        ("Start date", ("1", "4", "2025")),
        ("End date", ("1", "1", "2025")),
    ):
        group = page.get_by_role("group", name=name)
        group.get_by_label("Day").fill(day)
        group.get_by_label("Month").fill(month)
        group.get_by_label("Year").fill(year)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Mentoring pilot")
    expect(page.get_by_role("group", name="End date").get_by_label("Year")).to_have_value("2025")
    checked.check()


def test_a_commissioner_reads_the_suppressed_aggregates(checked):
    partnership, _programme, evaluation = _setup()
    UserFactory(username="cam.commissioner", partnership=partnership, roles=[Role.COMMISSIONER])

    checked.sign_in("cam.commissioner", TEST_PASSWORD)
    checked.goto(f"/evaluation/evaluations/{evaluation.pk}/", title="ReRoute study")
    checked.goto("/evaluation/outcomes/", title="Outcomes")
    checked.goto("/evaluation/value-for-money/", title="Costs and benefits")


def test_a_practitioner_records_a_score(checked):
    partnership, programme, _ = _setup()
    practitioner = UserFactory(
        username="pat.practitioner", partnership=partnership, roles=[Role.PRACTITIONER]
    )
    from programmes import services as programme_services

    programme_services.programme_staff_set(
        actor=None, programme=programme, user=practitioner, role="practitioner"
    )
    referral = past_referral(programme, assigned_to=practitioner)
    page = checked.page

    checked.sign_in("pat.practitioner", TEST_PASSWORD)
    checked.goto("/evaluation/outcomes/scores/", title="Outcome scores")
    checked.goto(f"/evaluation/outcomes/referrals/{referral.pk}/")
    page.get_by_role("button", name="Save score").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    checked.check()

    [score] = scores(referral, "wemwbs", 45)
    checked.goto(f"/evaluation/outcomes/referrals/{referral.pk}/")
    checked.goto(f"/evaluation/outcomes/referrals/{referral.pk}/scores/{score.pk}/remove/")
    page.get_by_role("button", name="Remove").click()
    expect(page.get_by_text("Score removed.")).to_be_visible()
    checked.check()
