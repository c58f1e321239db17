"""The permission matrix: every role against every grants door (pages, exports, API), the
partnership boundary, and what young reviewers may never see.

A page or record a role may not see does not exist for it: 404, never 403.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.urls import reverse

from grants import selectors, services
from grants.models import PanelMember, Score
from tests import shared_world
from tests.factories import (
    ApplicationFactory,
    AssignmentFactory,
    GrantRoundFactory,
    OrganisationFactory,
    PanelMemberFactory,
    UserFactory,
    applicant_for,
)
from vru.models import Role

pytestmark = pytest.mark.django_db

ALL_ROLES = list(Role)
ROLE_IDS = [r.value for r in ALL_ROLES]
STAFF = {Role.ADMINISTRATOR, Role.GRANTS_OFFICER}
APPLICANT = {Role.APPLICANT}
REVIEWER = {Role.YOUTH_REVIEWER}


@dataclass
class World:
    grant_round: object
    organisation: object
    draft: object
    eligible: object
    award: object
    other_round: object
    other_application: object
    other_award: object


def _award(grant_round, officer, organisation=None):
    kwargs = {"organisation": organisation} if organisation else {}
    application = ApplicationFactory(grant_round=grant_round, status="eligible", **kwargs)
    decision = services.decision_record(
        actor=officer,
        override_reason="Decided early to set up this test.",
        application=application,
        outcome="fund",
        amount=Decimal("2000"),
        reasons="Good",
    )
    return services.award_create(
        actor=officer,
        decision=decision,
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2027, 6, 30),
    )


def _build(partnership, other_partnership):
    officer = UserFactory(partnership=partnership, roles=[Role.GRANTS_OFFICER])
    other_officer = UserFactory(partnership=other_partnership, roles=[Role.GRANTS_OFFICER])
    grant_round = GrantRoundFactory(partnership=partnership)
    organisation = OrganisationFactory(partnership=partnership)
    other_round = GrantRoundFactory(partnership=other_partnership)
    return World(
        grant_round=grant_round,
        organisation=organisation,
        draft=ApplicationFactory(grant_round=grant_round, organisation=organisation),
        eligible=ApplicationFactory(grant_round=grant_round, status="eligible"),
        award=_award(grant_round, officer, organisation),
        other_round=other_round,
        other_application=ApplicationFactory(grant_round=other_round, status="eligible"),
        other_award=_award(other_round, other_officer),
    )


# built once for the module; each test gets its own copy (tests/shared_world.py)
shared = shared_world.fixture(_build)
shared_copy, world, partnership, other_partnership = shared_world.copies()


@pytest.fixture
def signed_in(client, partnership, world):
    """Sign in a user with `role`; applicants belong to the world's organisation, youth
    reviewers are trained panel members assigned to the eligible application."""

    def sign_in(role):
        if role == Role.APPLICANT:
            user = applicant_for(world.organisation)
        else:
            user = UserFactory(partnership=partnership, roles=[role])
        if role == Role.YOUTH_REVIEWER:
            member = PanelMemberFactory(partnership=partnership, user=user)
            AssignmentFactory(application=world.eligible, reviewer=member)
        client.force_login(user)
        return user

    return sign_in


def _assignment_url(world, user):
    member = PanelMember.objects.filter(user=user).first()
    assignment = member.assignments.first() if member else world.eligible.assignments.first()
    if assignment is None:  # not a reviewer: any assignment of the application
        other = AssignmentFactory(application=world.eligible)
        assignment = other
    return reverse("grants:review", args=[assignment.pk])


PAGES = [
    ("round list", lambda w, u: reverse("grants:round_list"), STAFF | APPLICANT),
    ("round csv", lambda w, u: reverse("grants:round_list") + "?format=csv", STAFF),
    ("youth panel", lambda w, u: reverse("grants:panel"), STAFF),
    (
        "panel member",
        lambda w, u: reverse(
            "grants:panel_member",
            args=[PanelMemberFactory(partnership=w.grant_round.partnership).pk],
        ),
        STAFF,
    ),
    ("new round", lambda w, u: reverse("grants:round_create"), STAFF),
    ("round detail", lambda w, u: w.grant_round.get_absolute_url(), STAFF),
    ("moderation", lambda w, u: reverse("grants:round_moderation", args=[w.grant_round.pk]), STAFF),
    (
        "moderation csv",
        lambda w, u: reverse("grants:round_moderation", args=[w.grant_round.pk]) + "?format=csv",
        STAFF,
    ),
    (
        "scores xlsx",
        lambda w, u: (
            reverse("grants:round_moderation", args=[w.grant_round.pk]) + "?format=scores-xlsx"
        ),
        STAFF,
    ),
    ("application list", lambda w, u: reverse("grants:application_list"), STAFF | APPLICANT),
    (
        "application xlsx",
        lambda w, u: reverse("grants:application_list") + "?format=xlsx",
        STAFF | APPLICANT,
    ),
    ("own organisation's application", lambda w, u: w.draft.get_absolute_url(), STAFF | APPLICANT),
    ("another organisation's application", lambda w, u: w.eligible.get_absolute_url(), STAFF),
    ("draft edit", lambda w, u: reverse("grants:application_edit", args=[w.draft.pk]), APPLICANT),
    (
        "release a reviewer",
        lambda w, u: reverse(
            "grants:assignment_release", args=[AssignmentFactory(application=w.eligible).pk]
        ),
        STAFF,
    ),
    ("review queue", lambda w, u: reverse("grants:review_list"), REVIEWER),
    ("review page", _assignment_url, REVIEWER),
    ("award list", lambda w, u: reverse("grants:award_list"), STAFF | APPLICANT),
    ("award csv", lambda w, u: reverse("grants:award_list") + "?format=csv", STAFF | APPLICANT),
    ("award detail", lambda w, u: w.award.get_absolute_url(), STAFF | APPLICANT),
    (
        "monitoring return",
        lambda w, u: reverse(
            "grants:monitoring_return", args=[w.award.monitoring_returns.first().pk]
        ),
        STAFF | APPLICANT,
    ),
    (
        "tranche release",
        lambda w, u: reverse("grants:tranche_release", args=[w.award.tranches.first().pk]),
        STAFF,
    ),
    ("360Giving JSON", lambda w, u: reverse("grants:award_360giving", args=["json"]), STAFF),
    ("360Giving CSV", lambda w, u: reverse("grants:award_360giving", args=["csv"]), STAFF),
    ("API rounds", lambda w, u: reverse("grants-api:round-list"), ALL_ROLES),
    (
        "API round",
        lambda w, u: reverse("grants-api:round-detail", args=[w.grant_round.pk]),
        STAFF | APPLICANT,
    ),
    (
        "API application",
        lambda w, u: reverse("grants-api:application-detail", args=[w.draft.pk]),
        STAFF | APPLICANT,
    ),
    (
        "API award",
        lambda w, u: reverse("grants-api:award-detail", args=[w.award.pk]),
        STAFF | APPLICANT,
    ),
]


@pytest.mark.parametrize("role", ALL_ROLES, ids=ROLE_IDS)
@pytest.mark.parametrize(("name", "url", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_each_role_opens_only_its_grants_doors(client, signed_in, world, role, name, url, allowed):
    user = signed_in(role)
    response = client.get(url(world, user))
    assert response.status_code == (200 if role in allowed else 404), name


OTHER = [
    (
        "panel member",
        lambda w: reverse(
            "grants:panel_member",
            args=[PanelMemberFactory(partnership=w.other_round.partnership).pk],
        ),
    ),
    ("round", lambda w: w.other_round.get_absolute_url()),
    ("moderation", lambda w: reverse("grants:round_moderation", args=[w.other_round.pk])),
    ("application", lambda w: w.other_application.get_absolute_url()),
    (
        "release a reviewer",
        lambda w: reverse(
            "grants:assignment_release",
            args=[AssignmentFactory(application=w.other_application).pk],
        ),
    ),
    ("award", lambda w: w.other_award.get_absolute_url()),
    (
        "tranche",
        lambda w: reverse("grants:tranche_release", args=[w.other_award.tranches.first().pk]),
    ),
    ("API round", lambda w: reverse("grants-api:round-detail", args=[w.other_round.pk])),
    (
        "API application",
        lambda w: reverse("grants-api:application-detail", args=[w.other_application.pk]),
    ),
    ("API award", lambda w: reverse("grants-api:award-detail", args=[w.other_award.pk])),
]


@pytest.mark.parametrize("role", ALL_ROLES, ids=ROLE_IDS)
@pytest.mark.parametrize(("name", "url"), OTHER, ids=[o[0] for o in OTHER])
def test_another_partnerships_grants_are_404_for_every_role(
    client, signed_in, world, role, name, url
):
    signed_in(role)
    assert client.get(url(world)).status_code == 404


def test_lists_never_show_another_partnerships_records(client, signed_in, world):
    signed_in(Role.GRANTS_OFFICER)
    body = client.get(reverse("grants:application_list")).content.decode()
    assert world.eligible.title in body
    assert world.other_application.title not in body
    data = client.get(reverse("grants-api:award-list")).json()
    assert [a["id"] for a in data["results"]] == [world.award.pk]


def test_an_applicant_sees_only_its_own_organisation(client, signed_in, world):
    signed_in(Role.APPLICANT)
    body = client.get(reverse("grants:application_list")).content.decode()
    assert world.draft.title in body
    assert world.eligible.title not in body
    ids = {a["id"] for a in client.get(reverse("grants-api:application-list")).json()["results"]}
    assert ids == {world.draft.pk, world.award.decision.application_id}


def test_a_young_reviewer_never_sees_contact_details(client, signed_in, world):
    user = signed_in(Role.YOUTH_REVIEWER)
    assignment = PanelMember.objects.get(user=user).assignments.get()
    page = client.get(assignment.get_absolute_url())  # the conflict question
    services.no_conflict_declare(actor=user, assignment=assignment)
    review = client.get(assignment.get_absolute_url())
    api = client.get(reverse("grants-api:assignment-list")).content.decode()
    for body in (page.content.decode(), review.content.decode(), api):
        assert world.eligible.contact_email not in body
        assert world.eligible.contact_phone not in body
        assert world.eligible.contact_name not in body
        assert world.eligible.organisation.contact_email not in body
    assert world.eligible.summary in review.content.decode()


def test_a_young_reviewer_sees_only_assigned_applications(client, signed_in, world):
    signed_in(Role.YOUTH_REVIEWER)
    unassigned = ApplicationFactory(grant_round=world.grant_round, status="eligible")
    AssignmentFactory(application=unassigned)  # someone else's
    body = client.get(reverse("grants:review_list")).content.decode()
    assert world.eligible.title in body
    assert unassigned.title not in body
    results = client.get(reverse("grants-api:assignment-list")).json()["results"]
    assert [r["application"]["id"] for r in results] == [world.eligible.pk]
    assert client.get(reverse("grants-api:application-list")).json()["results"] == []


def test_a_young_reviewer_sees_only_their_own_scores_not_other_reviewers(client, signed_in, world):
    # given: the signed-in reviewer and another reviewer both scored the same application
    user = signed_in(Role.YOUTH_REVIEWER)
    mine = PanelMember.objects.get(user=user).assignments.get()
    other = AssignmentFactory(application=world.eligible)
    for assignment in (mine, other):
        reviewer = assignment.reviewer.user
        services.no_conflict_declare(actor=reviewer, assignment=assignment)
        services.scores_save(
            actor=reviewer,
            assignment=assignment,
            scores={c.pk: (3, "Fine") for c in world.grant_round.criteria.all()},
            submit=True,
        )

    # when
    scores = client.get(reverse("grants-api:score-list")).json()["results"]

    # then: both criteria of mine, none of theirs
    assert Score.objects.filter(assignment=other).count() == 2
    assert len(scores) == 2
    assert {s["reviewer"] for s in scores} == {user.panel_member.pk}
    assert other.reviewer_id not in {s["reviewer"] for s in scores}


def test_a_conflicted_reviewer_no_longer_sees_the_application_through_the_api(
    client, signed_in, world
):
    # given
    user = signed_in(Role.YOUTH_REVIEWER)
    assignment = PanelMember.objects.get(user=user).assignments.get()
    results = client.get(reverse("grants-api:assignment-list")).json()["results"]
    assert [r["application"]["id"] for r in results] == [world.eligible.pk]

    # when
    services.conflict_declare(actor=user, assignment=assignment, reason="My cousin runs it")

    # then: gone from the API list and detail, and from the pages
    assert client.get(reverse("grants-api:assignment-list")).json()["results"] == []
    detail = reverse("grants-api:assignment-detail", args=[assignment.pk])
    assert client.get(detail).status_code == 404
    assert client.get(assignment.get_absolute_url()).status_code == 404
    assert world.eligible.title not in client.get(reverse("grants:review_list")).content.decode()


def test_an_applicant_sees_only_its_own_organisations_application_counts(client, signed_in, world):
    # given: three other organisations submitted to the open round, ours one
    user = signed_in(Role.APPLICANT)
    for _ in range(3):
        ApplicationFactory(grant_round=world.grant_round, status="submitted")
    ApplicationFactory(
        grant_round=world.grant_round, organisation=world.organisation, status="submitted"
    )

    # when
    rounds = client.get(reverse("grants-api:round-list")).json()["results"]

    # then
    counts = {r["id"]: r["application_count"] for r in rounds}
    assert counts[world.grant_round.pk] == 2  # ours: the submitted one and the awarded one
    assert (
        selectors.grant_round_list(viewer=user).get(pk=world.grant_round.pk).application_count == 2
    )
    staff = UserFactory(partnership=world.grant_round.partnership, roles=[Role.GRANTS_OFFICER])
    assert (
        selectors.grant_round_list(viewer=staff).get(pk=world.grant_round.pk).application_count == 6
    )  # 4 submitted + eligible + awarded (drafts never count)


def test_a_young_reviewer_sees_nothing_about_young_people_in_programmes(client, signed_in):
    # Youth reviewers have no programme, caseload or area pages at all.
    signed_in(Role.YOUTH_REVIEWER)
    for name in ("vru:lsoa_list", "vru:sna_list"):
        assert client.get(reverse(name)).status_code == 404
    nav = client.get(reverse("grants:review_list")).content.decode()
    assert "Caseload" not in nav
    assert "Programmes" not in nav


def test_signed_out_visitors_are_sent_to_sign_in(client, world):
    response = client.get(reverse("grants:round_list"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
