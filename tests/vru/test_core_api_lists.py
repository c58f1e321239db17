"""The neighbourhood and success-measure API lists write exactly what DRF's own serializers
write for the same records (the neighbourhoods read as plain rows, each page and its count
one query; the measures through serializers made once), filtered, ordered and paged as
DRF's list does, in a fixed number of queries."""

import datetime
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from tests.factories import (
    LocalAuthorityFactory,
    LSOAFactory,
    RecommendationFactory,
    StrategicNeedsAssessmentFactory,
    SuccessMeasureComparisonFactory,
    SuccessMeasureFactory,
    SuccessMeasureValueFactory,
)
from vru import selectors
from vru.models import LSOA, Role, SuccessMeasure
from vru.serializers import (
    LSOAOutputSerializer,
    NeedsAssessmentOutputSerializer,
    SuccessMeasureComparisonOutputSerializer,
    SuccessMeasureValueOutputSerializer,
)

pytestmark = pytest.mark.django_db

SIGNED_IN = 1  # session with the user, partnership, roles and programmes (vru.viewer)


def as_json(data):
    return json.loads(JSONRenderer().render(data))


@pytest.fixture
def analyst_api(api_client, user_with_role):
    user = user_with_role(Role.ANALYST)
    api_client.force_login(user)  # a session, as the browser's (the roles are read each time)
    api_client.user = user
    return api_client


@pytest.fixture
def places(partnership):
    """Neighbourhoods that differ in every field the list shows and every filter reads,
    one with no population, score or decile; and another partnership's."""
    north = LocalAuthorityFactory(partnership=partnership, code="E07000066", name="Basildon")
    south = LocalAuthorityFactory(partnership=partnership, code="E06000033", name="Southend")
    LSOAFactory(
        local_authority=north,
        code="E01021234",
        name="Basildon 001A",
        lsoa11_code="E01021200",
        population=2100,
        imd_score=Decimal("41.250"),
        imd_decile=1,
    )
    LSOAFactory(
        local_authority=south,
        code="E01015814",
        name="Southend-on-Sea 003A",
        population=1337,
        imd_score=Decimal("5.100"),
        imd_decile=9,
    )
    LSOAFactory(
        local_authority=south,
        code="E01015815",
        name="Southend-on-Sea 003B",
        population=None,
        imd_score=None,
        imd_decile=None,
    )
    LSOAFactory(
        local_authority=north,
        code="E01021240",
        name="Basildon 002C",
        population=1650,
        imd_score=Decimal("33.007"),
        imd_decile=2,
    )
    LSOAFactory(code="E01099999", name="Elsewhere 001A")  # another partnership's


def listed(client, url, params=None) -> dict:
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content
    return response.json()


def full_serializer(queryset) -> list[dict]:
    return as_json(LSOAOutputSerializer(queryset, many=True).data)


# --- Neighbourhoods ---------------------------------------------------------------------


def test_each_neighbourhood_row_is_what_the_full_serializer_writes(analyst_api, places):
    body = listed(analyst_api, "/api/lsoas/")

    expected = full_serializer(selectors.lsoa_list(viewer=analyst_api.user))
    assert body["results"] == expected
    assert body["count"] == 4
    assert [row["code"] for row in body["results"]] == [
        "E01015814",
        "E01015815",
        "E01021234",
        "E01021240",
    ]
    empty = next(row for row in body["results"] if row["code"] == "E01015815")
    assert (empty["population"], empty["imd_score"], empty["imd_decile"]) == (None, None, None)
    score = next(row for row in body["results"] if row["code"] == "E01015814")
    assert score["imd_score"] == "5.100"  # the model's three decimals, as a string


def test_a_filtered_and_ordered_list_is_the_full_serializer_over_the_same_filter(
    analyst_api, places
):
    params = {"imd_decile": ["1", "2", "9"], "ordering": "-imd_score", "q": "Basildon"}

    body = listed(analyst_api, "/api/lsoas/", params)

    visible = selectors.lsoa_list(viewer=analyst_api.user)
    expected = visible.filter(imd_decile__in=[1, 2, 9], name__icontains="Basildon")
    assert body["results"] == full_serializer(expected.order_by("-imd_score"))
    assert [row["code"] for row in body["results"]] == ["E01021234", "E01021240"]
    assert body["count"] == 2


@pytest.mark.parametrize(
    "ordering", ["name", "-population", "imd_decile", "imd_score", "-imd_decile,code"]
)
@pytest.mark.parametrize("page", [{}, {"page": 2, "page_size": 2}])
def test_each_order_the_list_takes_is_the_full_serializer_in_that_order(
    analyst_api, places, ordering, page
):
    body = listed(analyst_api, "/api/lsoas/", {"ordering": ordering, **page})

    visible = selectors.lsoa_list(viewer=analyst_api.user).order_by(*ordering.split(","))
    expected = full_serializer(visible)
    assert body["results"] == (expected[2:4] if page else expected)
    assert body["count"] == 4


def test_an_order_the_list_cannot_take_is_still_refused(analyst_api, places):
    response = analyst_api.get("/api/lsoas/", {"ordering": "bogus"})

    assert response.status_code == 400
    assert "ordering" in response.json()


def test_pages_hold_the_whole_list_once_with_the_count_and_links(analyst_api, places):
    first = listed(analyst_api, "/api/lsoas/", {"page_size": 3})
    second = listed(analyst_api, "/api/lsoas/", {"page_size": 3, "page": 2})
    last = listed(analyst_api, "/api/lsoas/", {"page_size": 3, "page": "last"})

    whole = listed(analyst_api, "/api/lsoas/")["results"]
    assert first["results"] + second["results"] == whole
    assert (first["count"], second["count"]) == (4, 4)
    assert first["previous"] is None
    assert first["next"].endswith("page=2&page_size=3")
    assert second["next"] is None
    assert second["previous"].endswith("page_size=3")
    assert last == second


def test_a_page_past_the_end_is_a_404_and_an_empty_list_a_page_of_nothing(analyst_api, places):
    past = analyst_api.get("/api/lsoas/", {"page": 3, "page_size": 3})
    nothing = listed(analyst_api, "/api/lsoas/", {"q": "Nowhere"})

    assert past.status_code == 404
    assert past.json() == {"detail": "Invalid page."}
    assert nothing == {"count": 0, "next": None, "previous": None, "results": []}


def test_the_neighbourhood_list_is_one_query_for_1_row_or_50(
    analyst_api, partnership, django_assert_max_num_queries
):
    local_authority = LocalAuthorityFactory(partnership=partnership)
    LSOAFactory(local_authority=local_authority)
    # session with the user + one page of LSOAs JOIN local authority, CSP with their count
    with django_assert_max_num_queries(SIGNED_IN + 1):
        one = listed(analyst_api, "/api/lsoas/")
    LSOAFactory.create_batch(49, local_authority=local_authority)
    with django_assert_max_num_queries(SIGNED_IN + 1):
        fifty = listed(analyst_api, "/api/lsoas/", {"imd_decile": "5", "ordering": "-name"})

    assert (one["count"], len(fifty["results"]), fifty["count"]) == (1, 50, 50)


def test_a_list_never_reads_the_drawings(analyst_api, places):
    with CaptureQueriesContext(connection) as queries:
        listed(analyst_api, "/api/lsoas/")

    page = queries.captured_queries[-1]["sql"]
    assert "vru_lsoa" in page
    assert all(f'"{column}"' not in page for column in LSOA.DRAWING)


# --- Success measures -------------------------------------------------------------------


class DRFSuccessMeasureSerializer(serializers.ModelSerializer):
    """The measure as DRF's own serializers write it, field by field: what the list
    wrote before it made its serializers once."""

    values = serializers.SerializerMethodField()
    comparisons = serializers.SerializerMethodField()
    headline = serializers.SerializerMethodField()

    class Meta:
        model = SuccessMeasure
        fields = [
            "id",
            "name",
            "unit",
            "direction",
            "counts_people",
            "description",
            "values",
            "comparisons",
            "headline",
        ]

    def _figures(self, measure):
        return selectors.success_measure_figures(viewer=self.context["viewer"], measure=measure)

    def get_values(self, measure):
        return SuccessMeasureValueOutputSerializer(self._figures(measure).rows, many=True).data

    def get_comparisons(self, measure):
        comparisons = self._figures(measure).comparisons
        return SuccessMeasureComparisonOutputSerializer(comparisons, many=True).data

    def get_headline(self, measure):
        headline = self._figures(measure).headline
        return SuccessMeasureComparisonOutputSerializer(headline).data if headline else None


@pytest.fixture
def measures(partnership):
    """A count of people with a small figure (suppressed for commissioners), a measure of
    offences compared with a baseline across periods of different kinds, and one with no
    values at all."""
    people = SuccessMeasureFactory(
        partnership=partnership,
        name="Under-25 hospital admissions",
        unit="people",
        counts_people=True,
        description="Admissions for assault with a sharp object.",
    )
    baseline = SuccessMeasureValueFactory(measure=people, value=40, is_baseline=True)
    small = SuccessMeasureValueFactory(measure=people, value=3, source_table="Table C")
    latest = SuccessMeasureValueFactory(measure=people, value=Decimal("27.50"))
    SuccessMeasureComparisonFactory(earlier=small, later=latest, kind="previous")
    SuccessMeasureComparisonFactory(
        earlier=baseline, later=latest, kind="baseline", source_table="Table A"
    )
    offences = SuccessMeasureFactory(
        partnership=partnership, name="Knife enabled serious violence", position=1
    )
    financial = SuccessMeasureValueFactory(
        measure=offences,
        period_start=datetime.date(2018, 4, 1),
        period_end=datetime.date(2019, 3, 31),
        label="FY2018/19",
        value=1176,
        is_baseline=True,
    )
    calendar = SuccessMeasureValueFactory(
        measure=offences,
        period_start=datetime.date(2023, 1, 1),
        period_end=datetime.date(2023, 12, 31),
        label="calendar 2023",
        value=1066,
    )
    SuccessMeasureComparisonFactory(
        earlier=financial,
        later=calendar,
        kind="baseline",
        note="Figures for FY2018/19 have been compared with the calendar year 2023.",
    )
    SuccessMeasureFactory(partnership=partnership, name="Homicides", position=2)
    SuccessMeasureFactory(name="Another partnership's measure")


@pytest.mark.parametrize("role", [Role.ANALYST, Role.COMMISSIONER])
def test_each_measure_is_what_drfs_own_serializers_write(
    api_client, user_with_role, measures, role
):
    viewer = user_with_role(role)
    api_client.force_login(viewer)

    body = listed(api_client, "/api/success-measures/")

    visible = selectors.success_measure_list(viewer=viewer)
    expected = DRFSuccessMeasureSerializer(visible, many=True, context={"viewer": viewer}).data
    assert body["results"] == as_json(expected)
    assert body["count"] == 3
    shown = {row["name"]: row for row in body["results"]}
    small = shown["Under-25 hospital admissions"]["values"][1]["value"]
    assert small == ("<5" if role == Role.COMMISSIONER else "3")
    assert shown["Homicides"]["headline"] is None


def test_one_measure_is_what_drfs_own_serializers_write(analyst_api, measures):
    measure = selectors.success_measure_list(viewer=analyst_api.user).first()

    body = listed(analyst_api, f"/api/success-measures/{measure.pk}/")

    context = {"viewer": analyst_api.user}
    assert body == as_json(DRFSuccessMeasureSerializer(measure, context=context).data)


def test_the_measure_list_runs_a_fixed_number_of_queries(
    analyst_api, partnership, measures, django_assert_max_num_queries
):
    # session with the user + the page of measures with their count
    # + their values (one prefetch) + their comparisons (one prefetch)
    with django_assert_max_num_queries(SIGNED_IN + 3):
        three = listed(analyst_api, "/api/success-measures/")
    for n in range(10):
        measure = SuccessMeasureFactory(partnership=partnership, name=f"Measure {n}")
        earlier = SuccessMeasureValueFactory(measure=measure)
        SuccessMeasureComparisonFactory(earlier=earlier, later__measure=measure)
    with django_assert_max_num_queries(SIGNED_IN + 3):
        thirteen = listed(analyst_api, "/api/success-measures/")

    assert (three["count"], thirteen["count"]) == (3, 13)


# --- Needs assessments ------------------------------------------------------------------


class DRFNeedsAssessmentSerializer(serializers.ModelSerializer):
    """NeedsAssessmentOutputSerializer as DRF writes it, its fields made for each list."""

    recommendation_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = NeedsAssessmentOutputSerializer.Meta.model
        fields = NeedsAssessmentOutputSerializer.Meta.fields


def test_the_needs_assessment_list_counts_in_the_query_of_its_page(
    analyst_api, partnership, django_assert_max_num_queries
):
    for year, recommendations in ((2021, 2), (2022, 0), (2023, 1)):
        sna = StrategicNeedsAssessmentFactory(
            partnership=partnership,
            published=year != 2022,  # a draft: analysts see it too
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
        )
        RecommendationFactory.create_batch(recommendations, needs_assessment=sna)
    StrategicNeedsAssessmentFactory(published=True)  # another partnership's

    # session with the user + the page of needs assessments with their count
    with django_assert_max_num_queries(SIGNED_IN + 1):
        first = listed(analyst_api, "/api/needs-assessments/", {"ordering": "period_start"})
    second = listed(
        analyst_api,
        "/api/needs-assessments/",
        {"ordering": "period_start", "page_size": 2, "page": 2},
    )

    visible = selectors.needs_assessment_list(viewer=analyst_api.user).order_by("period_start")
    assert first["results"] == as_json(DRFNeedsAssessmentSerializer(visible, many=True).data)
    assert [row["recommendation_count"] for row in first["results"]] == [2, 0, 1]
    assert (first["count"], second["count"]) == (3, 3)
    assert second["results"] == first["results"][2:]


def test_needs_assessments_are_listed_latest_first_in_pages_that_neither_repeat_nor_skip(
    analyst_api, partnership
):
    """With no ?ordering=, the list keeps the model's order (latest period first, then by
    title; the id settles ties), though counting its recommendations groups the query."""
    made = [
        StrategicNeedsAssessmentFactory(
            partnership=partnership,
            published=True,
            title=title,
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
        )
        for year, title in ((2022, "B"), (2024, "A"), (2022, "A"), (2023, "Same"), (2023, "Same"))
    ]

    pages = [
        listed(analyst_api, "/api/needs-assessments/", {"page_size": 2, "page": page})
        for page in (1, 2, 3)
    ]

    listed_ids = [row["id"] for page in pages for row in page["results"]]
    expected = sorted(made, key=lambda s: (-s.period_start.toordinal(), s.title, s.pk))
    assert listed_ids == [s.pk for s in expected]


@pytest.mark.parametrize("params", [{}, {"imd_decile": "1"}, {"page": "last"}])
def test_a_role_that_may_not_see_neighbourhoods_lists_none(
    api_client, user_with_role, places, params
):
    api_client.force_login(user_with_role(Role.YOUTH_REVIEWER))

    body = listed(api_client, "/api/lsoas/", params)

    assert (body["count"], body["results"]) == (0, [])


def test_page_sizes_and_orders_cannot_fill_the_store_of_compiled_shapes(analyst_api, places):
    """Only the first page of the usual size is compiled: other sizes go through the ORM, so
    a client asking every size in every order cannot push the caseload's shapes out."""
    from vru import compiled

    compiled._templates[("referral_page", "kept")] = None
    try:
        for ordering in ["code", "-code", "name"]:
            for size in range(1, 201, 7):
                response = analyst_api.get(f"/api/lsoas/?page_size={size}&ordering={ordering}")
                assert response.status_code == 200
        assert ("referral_page", "kept") in compiled._templates
        assert not [key for key in compiled._templates if key[0] == "lsoa rows" and key[4] != 50]
    finally:
        compiled._templates.pop(("referral_page", "kept"), None)
