"""Lists run a fixed number of queries however many rows they show (no query per row).

Each test measures a list with 1 row and with 50 (a full page) and asserts the same count,
and the exact count with each query named, so that a new query is a decision, not an accident.
Every signed-in request starts with the same one query: the session row with the signed-in
user, their partnership (named in the page header), role names and programmes (vru.viewer).
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    LocalAuthorityFactory,
    LSOAFactory,
    RecommendationFactory,
    StrategicNeedsAssessmentFactory,
    SuccessMeasureComparisonFactory,
    SuccessMeasureFactory,
    SuccessMeasureValueFactory,
    ThemeFactory,
)
from vru.models import Role

pytestmark = pytest.mark.django_db

SIGNED_IN = 1  # session with the user, partnership, roles and programmes (vru.viewer)


def make_lsoas(partnership, n):
    local_authority = LocalAuthorityFactory(partnership=partnership)
    LSOAFactory.create_batch(n, local_authority=local_authority)


def make_needs_assessments(partnership, n):
    for i in range(n):
        sna = StrategicNeedsAssessmentFactory(
            partnership=partnership,
            published=True,
            period_start=datetime.date(2000 + i, 1, 1),
            period_end=datetime.date(2000 + i, 12, 31),
        )
        themes = ThemeFactory.create_batch(2, needs_assessment=sna)
        RecommendationFactory(needs_assessment=sna, number=1, themes=themes)
        RecommendationFactory(needs_assessment=sna, number=2, themes=themes[:1])


def make_success_measures(partnership, n):
    for _ in range(n):
        # counts of people, one of them small: the suppression path runs for commissioners
        measure = SuccessMeasureFactory(partnership=partnership, counts_people=True)
        baseline = SuccessMeasureValueFactory(measure=measure, value=40, is_baseline=True)
        small = SuccessMeasureValueFactory(measure=measure, value=3)
        latest = SuccessMeasureValueFactory(measure=measure, value=27)
        SuccessMeasureComparisonFactory(earlier=small, later=latest, kind="previous")
        SuccessMeasureComparisonFactory(earlier=baseline, later=latest, kind="baseline")


def count_queries(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def counts_for_1_and_50(client, partnership, make, url):
    make(partnership, 1)
    one = count_queries(client, url)
    make(partnership, 49)
    fifty = count_queries(client, url)
    return one, fifty


@pytest.fixture
def commissioner_client(client, user_with_role):
    client.force_login(user_with_role(Role.COMMISSIONER))
    return client


@pytest.fixture
def commissioner_api(api_client, user_with_role):
    # A session, as a browser calling the API has (force_authenticate would reuse one user
    # instance, whose cached roles would hide the roles query from the second request).
    api_client.force_login(user_with_role(Role.COMMISSIONER))
    return api_client


# --- Pages -------------------------------------------------------------------------------


def test_the_neighbourhood_list_page_does_not_query_per_row(commissioner_client, partnership):
    one, fifty = counts_for_1_and_50(
        commissioner_client, partnership, make_lsoas, "/neighbourhoods/"
    )

    assert one == fifty
    # session with the user (partnership, roles)
    # + COUNT of LSOAs for the paginator
    # + local authorities JOIN CSP (filter drop-down)
    # + CSPs (filter drop-down)
    # + one page of LSOAs JOIN local authority, CSP
    assert fifty == SIGNED_IN + 4


def test_the_needs_assessment_list_page_does_not_query_per_row(commissioner_client, partnership):
    one, fifty = counts_for_1_and_50(
        commissioner_client, partnership, make_needs_assessments, "/needs-assessments/"
    )

    assert one == fifty
    # session with the user (partnership, roles)
    # + needs assessments with COUNT(recommendations)
    assert fifty == SIGNED_IN + 1


def test_the_success_measures_page_does_not_query_per_row(commissioner_client, partnership):
    one, fifty = counts_for_1_and_50(
        commissioner_client, partnership, make_success_measures, "/success-measures/"
    )

    assert one == fifty
    # session with the user (partnership, roles)
    # + success measures
    # + their values (one prefetch) + their comparisons (one prefetch)
    assert fifty == SIGNED_IN + 3


def test_the_home_page_does_not_query_per_success_measure(client, user_with_role, partnership):
    client.force_login(user_with_role(Role.ADMINISTRATOR))

    one, fifty = counts_for_1_and_50(client, partnership, make_success_measures, "/")

    assert one == fifty


# --- API ---------------------------------------------------------------------------------


def test_the_lsoa_api_list_does_not_query_per_row(commissioner_api, partnership):
    one, fifty = counts_for_1_and_50(commissioner_api, partnership, make_lsoas, "/api/lsoas/")

    assert one == fifty
    # session with the user + one page of LSOAs JOIN local authority, CSP, with their count
    assert fifty == SIGNED_IN + 1


def test_the_needs_assessment_api_list_does_not_query_per_row(commissioner_api, partnership):
    one, fifty = counts_for_1_and_50(
        commissioner_api, partnership, make_needs_assessments, "/api/needs-assessments/"
    )

    assert one == fifty
    # session with the user
    # + needs assessments with COUNT(recommendations), and their count
    assert fifty == SIGNED_IN + 1


def test_the_recommendation_api_list_does_not_query_per_row(commissioner_api, partnership):
    one, fifty = counts_for_1_and_50(
        commissioner_api, partnership, make_needs_assessments, "/api/recommendations/"
    )

    assert one == fifty
    # session with the user + COUNT for pagination + recommendations JOIN needs assessment
    # + their themes (one prefetch)
    assert fifty == SIGNED_IN + 3


def test_the_success_measure_api_list_does_not_query_per_row(commissioner_api, partnership):
    one, fifty = counts_for_1_and_50(
        commissioner_api, partnership, make_success_measures, "/api/success-measures/"
    )

    assert one == fifty
    # session with the user + success measures with their count
    # + their values (one prefetch) + their comparisons (one prefetch)
    assert fifty == SIGNED_IN + 3


def test_a_filtered_lsoa_api_list_runs_the_same_queries(commissioner_api, partnership):
    make_lsoas(partnership, 50)

    queries = count_queries(
        commissioner_api, "/api/lsoas/", imd_decile="5", ordering="-population", q="Testtown"
    )

    assert queries == SIGNED_IN + 1  # + the page with its count


def test_the_api_list_with_django_assert_num_queries(
    commissioner_api, partnership, django_assert_num_queries
):
    make_needs_assessments(partnership, 10)

    # session with the user + COUNT for pagination + recommendations JOIN needs assessment
    # + themes
    with django_assert_num_queries(SIGNED_IN + 3):
        response = commissioner_api.get("/api/recommendations/")

    assert response.json()["count"] == 20
