"""Partner sign-in: a person of a duty-holder organisation sees the protected figures of the
areas their organisation covers and the actions it owns, which they update; nothing else,
and nothing about a young person."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from duty import permissions, selectors, services
from duty.models import ActionUpdate, PartnerMember
from tests.factories import (
    DutyHolderFactory,
    LocalAuthorityFactory,
    LSOAFactory,
    ProgrammeFactory,
    RecommendationFactory,
    ReferralFactory,
    StrategicNeedsAssessmentFactory,
    UserFactory,
)
from tests.published import published
from vru.models import Role, StrategicNeedsAssessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(partnership):
    sna = StrategicNeedsAssessmentFactory(
        partnership=partnership, status=StrategicNeedsAssessment.Status.PUBLISHED
    )
    council = DutyHolderFactory(partnership=partnership, name="Thurrock Council")
    police = DutyHolderFactory(partnership=partnership, name="Essex Police", kind="police")

    def add(owner, number):
        return services.action_create(
            actor=None,
            recommendation=RecommendationFactory(needs_assessment=sna, number=number),
            title=f"Action on {number} by {owner}",
            owner=owner,
            owner_name="A lead",
            due_on=datetime.date(2027, 3, 31),
        )

    return {"council": council, "police": police, "ours": add(council, 1), "theirs": add(police, 2)}


@pytest.fixture
def partner(partnership, plan):
    user = UserFactory(partnership=partnership, roles=[Role.PARTNER])
    PartnerMember.objects.create(user=user, holder=plan["council"])
    return user


def test_a_partner_sees_only_the_actions_their_organisation_owns(partner, plan):
    assert list(selectors.action_list(viewer=partner)) == [plan["ours"]]
    rows = selectors.action_plan(viewer=partner)
    assert [row.recommendation.number for row in rows] == [1]
    assert [row.holder for row in selectors.rag_by_holder(viewer=partner)] == [plan["council"]]


def test_a_partner_updates_an_action_their_organisation_owns(client, partner, plan):
    client.force_login(partner)
    response = client.post(
        f"/duty/actions/{plan['ours'].pk}/",
        {
            "note": "Youth workers placed",
            "status": "under_way",
            "rag": "amber",
            "rag_reason": "Late",
        },
    )
    assert response.status_code == 302
    plan["ours"].refresh_from_db()
    assert (plan["ours"].status, plan["ours"].rag) == ("under_way", "amber")
    assert ActionUpdate.objects.get(action=plan["ours"]).by == partner


def test_a_partner_cannot_see_or_update_another_organisations_action(client, partner, plan):
    client.force_login(partner)
    assert client.get(f"/duty/actions/{plan['theirs'].pk}/").status_code == 404
    assert client.post(f"/duty/actions/{plan['theirs'].pk}/", {"note": "x"}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.action_update_record(
            actor=partner, action=plan["theirs"], note="x", status="done", rag="green"
        )
    assert not ActionUpdate.objects.exists()


def test_a_partner_gets_404_for_the_rest_of_the_duty_and_every_case_page(client, partner, plan):
    client.force_login(partner)
    for path in [
        "/duty/",
        "/duty/readiness/",
        "/duty/annual-report/",
        f"/duty/recommendations/{plan['ours'].recommendation_id}/",
        "/programmes/",
        "/programmes/caseload/",
        "/grants/",
        "/evaluation/reports/",
    ]:
        assert client.get(path).status_code == 404, path


def test_the_partner_role_without_an_organisation_opens_nothing_of_the_duty(
    client, partnership, plan
):
    loose = UserFactory(partnership=partnership, roles=[Role.PARTNER])
    client.force_login(loose)
    assert not permissions.can_view_action_plan(loose)
    assert client.get("/duty/action-plan/").status_code == 404
    assert client.get("/duty/your-area/").status_code == 404


def test_a_partner_reads_their_areas_figures_protected_as_an_area_report_computes_them(
    client, partnership, partner, plan
):
    thurrock = LocalAuthorityFactory(partnership=partnership, name="Thurrock")
    basildon = LocalAuthorityFactory(partnership=partnership, name="Basildon")
    plan["council"].areas.set([thurrock])
    programme = ProgrammeFactory(partnership=partnership)
    ours = [
        ReferralFactory(programme=programme, home_lsoa=LSOAFactory(local_authority=thurrock))
        for _ in range(9)
    ]
    for _ in range(7):
        ReferralFactory(programme=programme, home_lsoa=LSOAFactory(local_authority=basildon))

    (area,) = selectors.partner_area_figures(viewer=partner)

    assert area.local_authority == thurrock
    figures = {item.key: item.figure for item in area.headlines.items}
    assert figures["referrals"] == f"{published('referral', ours):,}"
    client.force_login(partner)
    body = client.get("/duty/your-area/").content.decode()
    assert "Thurrock" in body
    assert "Basildon" not in body


def test_a_partner_member_must_hold_the_partner_role_in_the_same_partnership(
    partnership, other_partnership, plan
):
    analyst = UserFactory(partnership=partnership, roles=[Role.ANALYST])
    with pytest.raises(ValidationError, match="partner agency role"):
        PartnerMember(user=analyst, holder=plan["council"]).full_clean()
    stranger = UserFactory(partnership=other_partnership, roles=[Role.PARTNER])
    with pytest.raises(ValidationError, match="partnership"):
        PartnerMember(user=stranger, holder=plan["council"]).full_clean()


def test_the_api_lists_a_partners_actions_and_takes_their_progress(client, partner, plan):
    client.force_login(partner)
    listed = client.get("/api/duty-actions/").json()
    assert [row["id"] for row in listed["results"]] == [plan["ours"].pk]
    sent = client.post(
        f"/api/duty-actions/{plan['ours'].pk}/updates/",
        {"note": "Started", "action_status": "under_way", "rag": "red", "rag_reason": ""},
        content_type="application/json",
    )
    assert sent.status_code == 400
    assert "rag_reason" in sent.json()
    sent = client.post(
        f"/api/duty-actions/{plan['ours'].pk}/updates/",
        {"note": "Started", "action_status": "under_way", "rag": "green"},
        content_type="application/json",
    )
    assert sent.status_code == 200
    assert sent.json()["action_status"] == "under_way"
    assert (
        client.post(
            f"/api/duty-actions/{plan['theirs'].pk}/updates/", {}, content_type="application/json"
        ).status_code
        == 404
    )


def test_a_commissioner_reads_actions_in_the_api_but_may_not_update_them(
    client, user_with_role, plan
):
    client.force_login(user_with_role(Role.COMMISSIONER))
    assert len(client.get("/api/duty-actions/").json()["results"]) == 2
    refused = client.post(
        f"/api/duty-actions/{plan['ours'].pk}/updates/",
        {"note": "x", "action_status": "done", "rag": "green"},
        content_type="application/json",
    )
    assert refused.status_code == 403
