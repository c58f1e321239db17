"""Readiness for the Duty: the eight areas of the Home Office's readiness assessment, each
scored 1 to 5, kept over time and compared with the assessment before."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from duty import selectors, services
from duty.models import ReadinessArea, ReadinessAssessment
from tests.factories import govuk_date
from vru.models import Role

pytestmark = pytest.mark.django_db

ALL_THREES = {area.value: 3 for area in ReadinessArea}


def assess(partnership, day, scores, actor=None):
    return services.readiness_assessment_record(
        actor=actor, partnership=partnership, assessed_on=day, kind="self", scores=scores
    )


def test_an_assessment_scores_all_eight_areas_or_is_refused_naming_the_missing_one(partnership):
    scores = dict(ALL_THREES)
    del scores["counter_narrative"]

    with pytest.raises(ValidationError) as refused:
        assess(partnership, datetime.date(2025, 6, 1), scores)

    assert refused.value.message_dict == {
        "counter_narrative": ["Enter a score for counter-narrative"]
    }
    assert not ReadinessAssessment.objects.exists()


@pytest.mark.parametrize("score", [0, 6])
def test_a_score_outside_1_to_5_is_refused(partnership, score):
    with pytest.raises(ValidationError) as refused:
        assess(partnership, datetime.date(2025, 6, 1), {**ALL_THREES, "data": score})

    assert "must be from 1 to 5" in refused.value.message_dict["data"][0]


def test_each_area_is_compared_with_the_assessment_before(partnership, user_with_role):
    assess(partnership, datetime.date(2023, 6, 30), ALL_THREES)
    assess(partnership, datetime.date(2025, 6, 30), {**ALL_THREES, "data": 5, "consensus": 2})
    viewer = user_with_role(Role.COMMISSIONER)

    comparison = selectors.readiness_comparison(viewer=viewer)

    rows = {row.area: row for row in comparison.rows}
    assert comparison.assessment.assessed_on == datetime.date(2025, 6, 30)
    assert (
        rows["Co-operation on information and data"].change,
        rows["Community consensus"].change,
    ) == (2, -1)
    assert rows["Collaboration"].change == 0
    assert rows["Co-operation on information and data"].label == "Mature, best practice"


def test_the_readiness_page_shows_the_chart_and_its_table(client, partnership, user_with_role):
    assess(partnership, datetime.date(2025, 6, 30), ALL_THREES)
    client.force_login(user_with_role(Role.PRACTITIONER))

    page = client.get("/duty/readiness/").content.decode()

    assert 'role="img"' in page
    assert "Data for the chart: score by area" in page
    assert page.count('<th scope="row" class="govuk-table__header">') == 8


def test_an_analyst_records_an_assessment_from_the_page(client, partnership, user_with_role):
    client.force_login(user_with_role(Role.ANALYST))
    data = {**govuk_date("assessed_on", "2025-06-30"), "kind": "self"}
    data.update({area.value: "4" for area in ReadinessArea})

    response = client.post("/duty/readiness/new/", data)

    assert response.status_code == 302
    assessment = ReadinessAssessment.objects.get(partnership=partnership)
    assert sorted(assessment.scores.values_list("score", flat=True)) == [4] * 8


def test_another_partnerships_assessment_is_not_found(
    client, partnership, other_partnership, user_with_role
):
    theirs = assess(other_partnership, datetime.date(2025, 6, 30), ALL_THREES)
    client.force_login(user_with_role(Role.ANALYST))

    assert client.get(f"/duty/readiness/?assessment={theirs.pk}").status_code == 404
