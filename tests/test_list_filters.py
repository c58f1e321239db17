"""A list page given a filter value it cannot take says so, naming the filter, and lists
nothing: never the unfiltered list as if it were filtered (the API answers 400 alike).

Every list page with filters checks them with ``doors.checked_filters`` (its FilterSet,
``vru.filters.GovukFilterSet``); the page's error summary (base.html) names each filter and
its problem. Each page is listed below with a value its filter refuses; the guard test fails
when a page builds a FilterSet from its query string and is not listed.
"""

import html
import inspect

import pytest
from django.db import transaction
from django.urls import reverse

from evaluation.filters import (
    EvaluationFilter,
    ImpactReportFilter,
    OutcomeScoreFilter,
    ResponseFilter,
)
from grants.filters import ApplicationFilter, AwardFilter, GrantRoundFilter, OrganisationFilter
from programmes.filters import ProgrammeFilter, ReferralFilter, SessionFilter
from rights.filters import RequestFilter
from tests import access_matrix as matrix
from tests.access_world import build_world, user_for
from tests.factories import PartnershipFactory
from tests.test_access_matrix import site_routes
from vru import doors
from vru.filters import (
    AreaProfileFilter,
    HotspotFilter,
    LSOAFilter,
    RiskRunFilter,
    RiskScoreFilter,
    names_a_filter,
)

pytestmark = pytest.mark.django_db

# url name: (its FilterSet, a filter and a value it refuses, whether the page exports)
LIST_PAGES = {
    "vru:lsoa_list": (LSOAFilter, {"csp": "abc"}, True),
    "programmes:programme_list": (ProgrammeFilter, {"kind": "nonsense"}, True),
    "programmes:session_list": (SessionFilter, {"held_from": "31/02/2026"}, True),
    "programmes:caseload": (ReferralFilter, {"source": "nonsense"}, True),
    # a true/false filter given anything else (django-filter alone would ignore it)
    "programmes:caseload?breached": (ReferralFilter, {"breached": "maybe"}, True),
    "grants:round_list": (GrantRoundFilter, {"sort": "nonsense"}, True),
    "grants:application_list": (ApplicationFilter, {"status": "nonsense"}, True),
    "grants:award_list": (AwardFilter, {"grant_round": "1.5"}, True),
    "grants:organisation_list": (OrganisationFilter, {"kind": "nonsense"}, True),
    "vru:risk_run_list": (RiskRunFilter, {"status": "nonsense"}, True),
    "vru:risk_run_detail": (RiskScoreFilter, {"sort": "nonsense"}, True),
    "vru:risk_map": (RiskScoreFilter, {"priority": "maybe"}, False),
    "vru:hotspot_list": (HotspotFilter, {"year": "2025.5"}, True),
    "vru:area_profile_list": (AreaProfileFilter, {"month": "2026-13"}, True),
    "evaluation:evaluation_list": (EvaluationFilter, {"rating": "high"}, True),
    "evaluation:outcome_score_list": (OutcomeScoreFilter, {"instrument": "x"}, True),
    "evaluation:response_list": (ResponseFilter, {"age_band": "ancient"}, True),
    "evaluation:report_list": (ImpactReportFilter, {"scope": "galaxy"}, False),
    "rights:request_list": (RequestFilter, {"sort": "nonsense"}, False),
}

# What else the page needs to show its list (the risk map: a finished run)
CONTEXT = {"vru:risk_map": lambda world: {"run": world["risk_run"]["in"].pk}}

# A download of a filtered list with no page of its own (tested below)
DOWNLOADS = {"grants:award_360giving"}


def test_every_list_page_with_filters_is_listed():
    found = []
    for key, route in site_routes().items():
        module_name, _, function_name = route.view.rpartition(".")
        module = __import__(module_name, fromlist=[function_name])
        view = getattr(module, function_name, None)
        try:
            source = inspect.getsource(inspect.unwrap(view))
        except (OSError, TypeError):
            continue
        if "checked_filters(" in source or "Filter(request.GET" in source:
            found.append(key)

    pages = {name.partition("?")[0] for name in LIST_PAGES}
    assert sorted(found) == sorted(pages | DOWNLOADS)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world(PartnershipFactory(), PartnershipFactory())
        transaction.set_rollback(True)


def _shown(response) -> list:
    if "page_obj" not in response.context:
        return list(response.context["requests"])  # rights requests: one page
    return list(response.context["page_obj"].object_list)


@pytest.mark.parametrize("name", sorted(LIST_PAGES))
def test_a_filter_value_a_list_cannot_take_is_named_in_the_error_summary(client, world, name):
    filterset_class, bad, exports = LIST_PAGES[name]
    route = name.partition("?")[0]
    door = matrix.doors(route)[0]
    assert matrix.ADMIN in door.allowed
    client.force_login(user_for(world, matrix.ADMIN))
    kwargs = {"pk": world[door.objects]["in"].pk} if door.objects else {}
    url = reverse(route, kwargs=kwargs)
    ((field, _),) = bad.items()
    message = filterset_class(bad).form.errors[field][0]

    given = CONTEXT.get(route, lambda world: {})(world)
    unfiltered = client.get(url, given)
    response = client.get(url, {**given, **bad})

    assert _shown(unfiltered), "the page lists records unfiltered (else nothing is shown)"
    assert response.status_code == 200
    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert html.escape(message) in content
    assert filterset_class(bad).form.error_name(field).lower() in message.lower()
    assert "<title>Error: " in content
    assert _shown(response) == []  # not the unfiltered list as if it were filtered
    if exports:
        download = client.get(url, {**given, **bad, "format": "csv"})
        assert download.status_code == 200
        assert "govuk-error-summary" in download.content.decode()  # the page, not a file


def test_the_360giving_file_asked_with_a_refused_filter_is_the_list_naming_it(client, world):
    client.force_login(user_for(world, matrix.ADMIN))

    response = client.get(reverse("grants:award_360giving", args=["json"]), {"grant_round": "x"})

    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "govuk-error-summary" in page.content.decode()
    assert _shown(page) == []


def test_a_query_string_naming_no_filter_builds_no_form_and_has_nothing_to_say(rf):
    plain = doors.checked_filters(rf.get("/", {"cursor": "x", "format": "csv"}), ReferralFilter)
    named = doors.checked_filters(rf.get("/", {"breached": "maybe"}), ReferralFilter)

    assert plain is doors.NO_FILTERS
    assert plain.is_valid()
    assert not plain
    assert not plain.errors
    assert not named.is_valid()
    assert "breached" in named.errors
    # a widget's suffixed name counts as the filter's (a range's _min, _after...)
    assert names_a_filter({"reason_min": "1"}, ReferralFilter)
    assert not names_a_filter({"format": "csv", "page": "2"}, ReferralFilter)
