"""A form sent with nothing filled in is answered, never taken for a first visit.

Every form page binds its form with ``doors.posted(request)`` (the POST whenever the method
is POST, even an empty one), so an empty submission shows the GOV.UK error summary naming
each required field, and a form whose fields are all optional (unticked boxes, defaults) is
acted upon. ``request.POST or None`` got both wrong: an empty POST is falsy, so the page
showed the blank form again and ignored the submission.

Each form page is listed below with what an empty POST gets; the guard tests fail when a
new ``request.POST or None`` appears, or a view binding with ``doors.posted`` is not listed.
"""

import inspect
import re
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import reverse

from tests import access_matrix as matrix
from tests.access_world import build_world, user_for
from tests.factories import PartnershipFactory
from tests.test_access_matrix import site_routes

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
APPS = ("vru", "programmes", "grants", "evaluation", "duty", "sharing", "rights", "finance")

ERRORS = "the error summary"
# Every field optional: the empty submission is taken (a redirect to what it made or did).
ACTED = "acted upon"

# url name: (what an empty POST gets, the role sending it; None: an administrator)
FORM_PAGES = {
    "api_token_create": (ERRORS, None),
    "evaluation:action_create": (ERRORS, None),
    "evaluation:action_edit": (ERRORS, None),
    "evaluation:benefit_add": (ERRORS, None),
    "evaluation:evaluation_create": (ERRORS, None),
    "evaluation:evaluation_edit": (ERRORS, None),
    "evaluation:exercise_create": (ERRORS, None),
    "evaluation:referral_scores": (ERRORS, None),
    "evaluation:report_request": (ERRORS, None),
    # only theme checkboxes: nothing ticked codes the response with no theme
    "evaluation:response_code": (ACTED, None),
    "evaluation:response_create": (ERRORS, None),
    "evaluation:responses_import": (ERRORS, None),
    "finance:contract_create": (ERRORS, None),
    "finance:contract_edit": (ERRORS, None),
    "finance:kpi_create": (ERRORS, None),
    "finance:kpi_edit": (ERRORS, None),
    "finance:kpi_figure_record": (ERRORS, None),
    "finance:population_import": (ERRORS, None),
    "finance:provider_edit": (ERRORS, None),
    "finance:provider_list": (ERRORS, None),
    "finance:provider_staff": (ERRORS, None),
    "finance:return_list": (ERRORS, None),
    "finance:spend_import": (ERRORS, None),
    "finance:spend_record": (ERRORS, None),
    "finance:stream_detail": (ERRORS, None),
    "finance:stream_list": (ERRORS, None),
    "grants:assignment_release": (ERRORS, None),
    "grants:monitoring_return": (ERRORS, matrix.APPLICANT),
    "grants:organisation_create": (ERRORS, None),
    "grants:organisation_detail": (ERRORS, None),
    "grants:organisation_edit": (ERRORS, None),
    "grants:panel": (ERRORS, None),
    # two optional dates and a checkbox: nothing ticked takes the member off the panel
    "grants:panel_member": (ACTED, None),
    # the conflict question, asked before the first review (SETUP)
    "grants:review": (ERRORS, matrix.REVIEWER),
    "grants:round_create": (ERRORS, None),
    "programmes:break_glass": (ERRORS, matrix.MANAGER),
    "programmes:contact_correct": (ERRORS, None),
    "programmes:outcome_correct": (ERRORS, None),
    # "Unassigned" is a choice: nothing chosen leaves the referral with nobody
    "programmes:referral_assign": (ACTED, None),
    "programmes:referral_correct": (ERRORS, None),
    "programmes:referral_create": (ERRORS, None),
    "programmes:referral_import": (ERRORS, None),
    "programmes:session_correct": (ERRORS, None),
    "programmes:session_create": (ERRORS, None),
    "sharing:partner_token_issue": (ERRORS, None),
    "vru:area_profile_list": (ERRORS, None),
    "vru:crime_import": (ERRORS, None),
    "vru:hotspot_list": (ERRORS, None),
    "vru:indicator_import": (ERRORS, None),
    "vru:postcode_import": (ERRORS, None),
    "vru:risk_run_create": (ERRORS, None),
}


def _awaiting_declaration(assignment, user):
    type(assignment).objects.filter(pk=assignment.pk).update(
        status="awaiting"
    )  # AWAITING_DECLARATION


def _coded(response, user):
    response.themes.set([response.exercise.themes.first()])


def _on_panel(member, user):
    type(member).objects.filter(pk=member.pk).update(active=True)


def _assigned(referral, user):
    type(referral).objects.filter(pk=referral.pk).update(assigned_to=user)


# What the page's record must be for its form to be asked, or for an empty submission to
# change something (run inside the rolled-back POST), and what that change is.
SETUP = {
    "grants:review": _awaiting_declaration,
    "evaluation:response_code": _coded,
    "grants:panel_member": _on_panel,
    "programmes:referral_assign": _assigned,
}
DONE = {
    "evaluation:response_code": lambda response: not response.themes.exists(),
    "grants:panel_member": lambda member: not member.active,
    "programmes:referral_assign": lambda referral: referral.assigned_to_id is None,
}


def _app_sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_no_view_binds_its_form_to_a_post_only_when_it_is_not_empty():
    falsy_post = re.compile(r"request\.(POST|FILES)\s+or\s+None")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _app_sources()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if falsy_post.search(line)
    ]

    assert not found, (
        "An empty POST is falsy, so `request.POST or None` shows the blank form again instead "
        "of its errors. Bind with doors.posted(request) (and doors.posted_files(request)), and "
        f"list the page in FORM_PAGES: {found}"
    )


def test_every_page_binding_a_posted_form_is_listed():
    routes = site_routes()
    listed_views = {routes[name].view for name in FORM_PAGES}
    missing = []
    for key, route in routes.items():
        module_name, _, function_name = route.view.rpartition(".")
        module = __import__(module_name, fromlist=[function_name])
        view = inspect.unwrap(getattr(module, function_name, None) or (lambda: None))
        try:
            source = inspect.getsource(view)
        except (OSError, TypeError):
            continue
        if "doors.posted(" in source and route.view not in listed_views:
            missing.append(key)

    assert not missing, f"Form pages not in FORM_PAGES: {sorted(missing)}"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world(PartnershipFactory(), PartnershipFactory())
        transaction.set_rollback(True)


def _post_door(name: str) -> matrix.Door:
    """The page's POST door where the matrix lists one apart (roles may differ), else its own."""
    doors = matrix.doors(name)
    return next((door for door in doors if door.method == "post"), doors[0])


@pytest.mark.parametrize("name", sorted(FORM_PAGES))
def test_an_empty_submission_is_answered(client, world, name):
    expected, role = FORM_PAGES[name]
    door = _post_door(name)
    role = role or matrix.ADMIN
    assert role in door.allowed, f"{role} may not use {name} (tests/access_matrix.py)"
    user = user_for(world, role)
    client.force_login(user)
    kwargs, record = dict(door.kwargs), None
    if door.objects:
        record = world[door.objects]["in"]
        kwargs.update(matrix.KWARGS.get(door.objects, lambda o: {"pk": o.pk})(record))

    with transaction.atomic():
        if name in SETUP:
            SETUP[name](record, user)
        response = client.post(reverse(name, kwargs=kwargs), {})
        done = expected == ACTED and DONE[name](type(record).objects.get(pk=record.pk))
        transaction.set_rollback(True)

    if expected == ERRORS:
        assert response.status_code in {200, 400}, response.status_code  # finance: 400
        assert b"govuk-error-summary" in response.content
    else:
        assert response.status_code == 302, response.status_code
        assert done, f"{name}: the empty submission was not acted upon"
