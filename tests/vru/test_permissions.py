"""Who may do what in the core: every predicate of vru.permissions against every role.

docs/roles.md says the rules in words. Staff roles and commissioners read area and
strategy data; youth reviewers and applicants see only their own grant work; drafts, imports
and the admin site are for administrators and analysts; users and audit for administrators.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import StrategicNeedsAssessmentFactory
from vru import permissions
from vru.models import Role

pytestmark = pytest.mark.django_db

R = Role
ALL_ROLES = list(Role)

# role -> the predicates that hold for it; every other predicate must not hold.
ALLOWED = {
    R.ADMINISTRATOR: {
        "can_view_areas",
        "can_view_strategy",
        "can_view_draft_strategy",
        "can_import_area_data",
        "can_use_admin_site",
        "can_manage_users",
        "can_view_audit",
    },
    R.ANALYST: {
        "can_view_areas",
        "can_view_strategy",
        "can_view_draft_strategy",
        "can_import_area_data",
        "can_use_admin_site",
    },
    R.PROGRAMME_MANAGER: {"can_view_areas", "can_view_strategy"},
    R.PRACTITIONER: {"can_view_areas", "can_view_strategy"},
    R.GRANTS_OFFICER: {"can_view_areas", "can_view_strategy"},
    R.YOUTH_REVIEWER: {"sees_suppressed_figures"},
    R.APPLICANT: {"sees_suppressed_figures"},
    R.COMMISSIONER: {"can_view_areas", "can_view_strategy", "sees_suppressed_figures"},
    R.PARTNER: {"sees_suppressed_figures"},
    R.PROVIDER: {"sees_suppressed_figures"},
}
PREDICATES = [
    "can_view_areas",
    "can_view_strategy",
    "can_view_draft_strategy",
    "can_import_area_data",
    "can_use_admin_site",
    "can_manage_users",
    "can_view_audit",
    "sees_suppressed_figures",
]
TABLE = [
    pytest.param(role, predicate, predicate in ALLOWED[role], id=f"{role.value}-{predicate}")
    for role in ALL_ROLES
    for predicate in PREDICATES
]


def test_the_table_covers_every_role():
    assert set(ALLOWED) == set(Role)


@pytest.mark.parametrize(("role", "predicate", "expected"), TABLE)
def test_role_permission_table(user_with_role, role, predicate, expected):
    user = user_with_role(role)

    assert getattr(permissions, predicate)(user) is expected


@pytest.mark.parametrize("predicate", [p for p in PREDICATES if p != "sees_suppressed_figures"])
def test_an_anonymous_visitor_may_do_nothing(predicate):
    assert getattr(permissions, predicate)(AnonymousUser()) is False


def test_an_anonymous_visitor_would_see_only_suppressed_figures():
    assert permissions.sees_suppressed_figures(AnonymousUser()) is True


@pytest.mark.parametrize("predicate", [p for p in PREDICATES if p != "sees_suppressed_figures"])
def test_an_administrator_without_a_partnership_may_do_nothing(user_with_role, predicate):
    user = user_with_role(Role.ADMINISTRATOR, partnership=None)

    assert getattr(permissions, predicate)(user) is False


@pytest.mark.parametrize("predicate", [p for p in PREDICATES if p != "sees_suppressed_figures"])
def test_a_deactivated_administrator_may_do_nothing(user_with_role, predicate):
    user = user_with_role(Role.ADMINISTRATOR, is_active=False)

    assert getattr(permissions, predicate)(user) is False


def test_a_user_with_no_role_may_do_nothing(user_with_role):
    user = user_with_role()

    assert not any(
        getattr(permissions, p)(user) for p in PREDICATES if p != "sees_suppressed_figures"
    )


def test_a_commissioner_who_is_also_an_analyst_sees_unsuppressed_figures(user_with_role):
    user = user_with_role(Role.COMMISSIONER, Role.ANALYST)

    assert permissions.sees_suppressed_figures(user) is False
    assert permissions.can_view_draft_strategy(user) is True


@pytest.mark.parametrize(
    ("role", "published", "expected"),
    [
        (R.ANALYST, True, True),
        (R.ANALYST, False, True),
        (R.COMMISSIONER, True, True),
        (R.COMMISSIONER, False, False),
        (R.PRACTITIONER, False, False),
        (R.YOUTH_REVIEWER, True, False),
        (R.APPLICANT, True, False),
    ],
)
def test_who_can_view_a_needs_assessment(user_with_role, partnership, role, published, expected):
    sna = StrategicNeedsAssessmentFactory(partnership=partnership, published=published)

    assert permissions.can_view_needs_assessment(user_with_role(role), sna) is expected


@pytest.mark.parametrize("role", [R.ADMINISTRATOR, R.ANALYST, R.COMMISSIONER])
def test_nobody_can_view_another_partnerships_needs_assessment(
    user_with_role, other_partnership, role
):
    sna = StrategicNeedsAssessmentFactory(partnership=other_partnership, published=True)

    assert permissions.can_view_needs_assessment(user_with_role(role), sna) is False
