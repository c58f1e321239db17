"""A funded group's monitoring return gives its new starts, completions and outcomes achieved
(the quarterly return's columns for a grant award): whole numbers, 0 or more, and no more
young people starting or completing than it reached, each refusal naming the field."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from grants import services as grant_services
from tests.factories import ApplicationFactory, GrantRoundFactory, applicant_for
from vru.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def monitoring_return(partnership, user_with_role, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # the decision letter is written here
    officer = user_with_role(Role.GRANTS_OFFICER)
    application = ApplicationFactory(
        grant_round=GrantRoundFactory(partnership=partnership), status="eligible"
    )
    decision = grant_services.decision_record(
        actor=officer,
        override_reason="Decided early to set up this test.",
        application=application,
        outcome="fund",
        amount=Decimal("3000"),
        reasons="Good",
    )
    award = grant_services.award_create(
        actor=officer,
        decision=decision,
        starts_on=datetime.date(2027, 1, 1),
        ends_on=datetime.date(2027, 12, 31),
        tranche_count=2,
    )
    return award.monitoring_returns.get(number=1)


def submit(monitoring_return, **figures):
    return grant_services.monitoring_return_submit(
        actor=applicant_for(monitoring_return.award.decision.application.organisation),
        monitoring_return=monitoring_return,
        young_people_by_age_band={"14-17": 6, "18-24": 4},
        young_people_by_lsoa={},
        sessions_delivered=4,
        spend_to_date=Decimal("100"),
        case_study="A club night.",
        **figures,
    )


def test_a_monitoring_return_keeps_its_starts_completions_and_outcomes(monitoring_return):
    item = submit(monitoring_return, new_starts=7, completions=3, outcomes_achieved=12)

    item.refresh_from_db()
    assert (item.new_starts, item.completions, item.outcomes_achieved) == (7, 3, 12)


@pytest.mark.parametrize("field", ["new_starts", "completions"])
def test_no_more_young_people_start_or_complete_than_were_reached(monitoring_return, field):
    with pytest.raises(ValidationError) as refused:
        submit(monitoring_return, **{field: 11})

    assert field in refused.value.message_dict
    assert "young people reached (10)" in refused.value.message_dict[field][0]


@pytest.mark.parametrize("field", ["new_starts", "completions", "outcomes_achieved"])
def test_a_figure_below_0_or_not_whole_is_refused_by_name(monitoring_return, field):
    for bad in (-1, 2.5, True):
        with pytest.raises(ValidationError) as refused:
            submit(monitoring_return, **{field: bad})
        assert field in refused.value.message_dict


def test_the_group_gives_the_figures_on_the_monitoring_return_page(client, monitoring_return):
    client.force_login(applicant_for(monitoring_return.award.decision.application.organisation))
    url = reverse("grants:monitoring_return", args=[monitoring_return.pk])
    form = {
        "band_14-17": 6,
        "band_18-24": 4,
        "band_u10": 0,
        "band_10-13": 0,
        "band_25+": 0,
        "sessions_delivered": 4,
        "spend_to_date": "100",
        "case_study": "A club night.",
        "new_starts": 11,
        "completions": 2,
        "outcomes_achieved": 1,
    }

    refused = client.post(url, form)
    assert refused.status_code == 200
    assert "New starts cannot be more than the young people reached" in refused.content.decode()

    sent = client.post(url, {**form, "new_starts": 5})
    assert sent.status_code == 302
    monitoring_return.refresh_from_db()
    assert (monitoring_return.new_starts, monitoring_return.outcomes_achieved) == (5, 1)
    page = client.get(url).content.decode()
    assert "Outcomes achieved" in page
