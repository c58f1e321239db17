"""One age-band vocabulary (vru.age_bands): the reach bands every app counts in, the finer
listening bands and how they map, and every session, contact, grant return and report using
them."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from evaluation.models import FeedbackResponse, ImpactReport
from evaluation.selectors.report_content import ReportScope, build_reach
from evaluation.selectors.report_content.outputs import grant_reach_by_organisation
from finance.models.population import ALL_AGES, PopulationFigure
from grants import services as grant_services
from grants.forms import MonitoringReturnForm
from grants.models import MonitoringReturn
from programmes.forms import DetachedContactForm, SessionForm
from programmes.inputs import check_session
from programmes.models import DetachedContact, Programme, Referral, SessionCount
from tests.factories import ApplicationFactory, GrantRoundFactory, ReferralFactory, applicant_for
from tests.published import published_count
from vru import age_bands
from vru.age_bands import AGE_NOT_KNOWN, AgeBand, ListeningAgeBand
from vru.models import Role

REACH = [
    ("u10", "Under 10"),
    ("10-13", "10 to 13"),
    ("14-17", "14 to 17"),
    ("18-24", "18 to 24"),
    ("25+", "25 and over"),
]


def test_the_reach_bands_are_under_10_10_to_13_14_to_17_18_to_24_and_25_and_over():
    # the stored values are those sessions have always held
    assert AgeBand.choices == REACH


def test_the_listening_bands_are_finer_and_keep_their_stored_values():
    assert ListeningAgeBand.choices == [
        ("under_11", "Under 11"),
        ("11_13", "11 to 13"),
        ("14_15", "14 to 15"),
        ("16_17", "16 to 17"),
        ("18_21", "18 to 21"),
        ("22_25", "22 to 25"),
        ("not_known", "Not known"),
    ]


def test_a_listening_band_maps_to_the_reach_band_holding_all_its_ages_or_to_none():
    assert age_bands.LISTENING_TO_REACH == {
        "under_11": None,  # holds 10 (10 to 13) and the under 10s
        "11_13": "10-13",
        "14_15": "14-17",
        "16_17": "14-17",
        "18_21": "18-24",
        "22_25": None,  # holds 25 (25 and over) and 22 to 24
        "not_known": None,
    }
    assert age_bands.reach_band_of_listening("16_17") == "14-17"
    assert age_bands.reach_band_of_listening("under_11") is None


def test_the_mapping_agrees_with_the_ages_of_each_band():
    for band, (youngest, oldest) in age_bands.LISTENING_AGES.items():
        ages = range(youngest if youngest is not None else 0, (oldest or 99) + 1)
        reach = {age_bands.band_of(age) for age in ages}
        mapped = age_bands.reach_band_of_listening(band)
        assert (reach == {mapped}) if mapped else len(reach) > 1, band


def test_an_age_falls_in_exactly_one_reach_band():
    assert [age_bands.band_of(age) for age in (0, 9, 10, 13, 14, 17, 18, 24, 25, 90)] == [
        "u10",
        "u10",
        "10-13",
        "10-13",
        "14-17",
        "14-17",
        "18-24",
        "18-24",
        "25+",
        "25+",
    ]
    assert age_bands.band_of(None) is None


@pytest.mark.django_db
def test_the_database_bands_an_age_as_python_does(partnership):
    ages = [None, *range(31)]
    referrals = [ReferralFactory(programme__partnership=partnership) for _ in ages]
    for referral, age in zip(referrals, ages, strict=True):
        Referral.objects.filter(pk=referral.pk).update(age_at_referral=age)

    banded = dict(
        Referral.objects.filter(pk__in=[r.pk for r in referrals])
        .annotate(band=age_bands.band_expression("age_at_referral"))
        .values_list("age_at_referral", "band")
    )

    assert banded == {age: age_bands.band_of(age) or AGE_NOT_KNOWN[0] for age in ages}


def test_every_age_band_column_stores_the_core_vocabulary():
    columns = {
        model: model._meta.get_field("age_band").choices
        for model in apps.get_models()
        if any(f.name == "age_band" for f in model._meta.get_fields())
    }

    assert columns == {
        SessionCount: AgeBand.choices,
        DetachedContact: AgeBand.choices,
        FeedbackResponse: ListeningAgeBand.choices,
        # the census population: the same bands, or a table's figure for all ages
        PopulationFigure: [*AgeBand.choices, (ALL_AGES, "All ages")],
    }


def test_a_session_counts_young_people_in_the_reach_bands_and_nothing_else():
    form = SessionForm(programmes=Programme.objects.none())
    bands = {name.split("_")[1] for name in form.fields if name.startswith("count_")}

    assert bands == set(AgeBand.values)
    assert DetachedContactForm().fields["age_band"].choices == REACH
    _, errors = check_session(
        {"counts": {("under 10", "male"): 3}}, programmes=Programme.objects.none()
    )
    assert "Unknown age band or gender: under 10, male." in errors["counts"]


def test_a_grant_return_asks_for_young_people_reached_in_the_reach_bands():
    form = MonitoringReturnForm()

    assert [(n, f.label) for n, f in form.fields.items() if n.startswith("band_")] == [
        ("band_u10", "Young people reached aged under 10"),
        ("band_10-13", "Young people reached aged 10 to 13"),
        ("band_14-17", "Young people reached aged 14 to 17"),
        ("band_18-24", "Young people reached aged 18 to 24"),
        ("band_25+", "Young people reached aged 25 and over"),
    ]


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
    return award.monitoring_returns.get(number=1), officer


def submit(monitoring_return, by_band):
    award = monitoring_return.award
    return grant_services.monitoring_return_submit(
        actor=applicant_for(award.decision.application.organisation),
        monitoring_return=monitoring_return,
        young_people_by_age_band=by_band,
        young_people_by_lsoa={},
        sessions_delivered=4,
        spend_to_date=Decimal("100"),
        case_study="A club night.",
    )


@pytest.mark.django_db
def test_a_grant_return_keeps_counts_by_reach_band_and_refuses_other_bands(monitoring_return):
    item, _ = monitoring_return
    with pytest.raises(ValidationError, match="Use the age bands given"):
        submit(item, {"under 10": 3})  # the returns' old name for the youngest band

    item = submit(item, {"u10": 3, "14-17": 5, "25+": 1})

    assert item.young_people_reached == 9
    assert item.reached_by_band == [("Under 10", 3), ("14 to 17", 5), ("25 and over", 1)]


@pytest.mark.django_db
def test_a_group_sends_its_return_in_the_reach_bands_and_reads_them_back(client, monitoring_return):
    item, _ = monitoring_return
    client.force_login(applicant_for(item.award.decision.application.organisation))
    url = reverse("grants:monitoring_return", args=[item.pk])
    counts = {"u10": 1, "10-13": 6, "14-17": 0, "18-24": 2, "25+": 3}

    response = client.post(
        url,
        {
            **{f"band_{band}": n for band, n in counts.items()},
            "sessions_delivered": 4,
            "new_starts": 5,
            "completions": 2,
            "outcomes_achieved": 1,
            "spend_to_date": "100",
            "case_study": "A club night.",
        },
    )

    assert response.status_code == 302, response.context["form"].errors
    item.refresh_from_db()
    assert item.young_people_by_age_band == counts
    page = client.get(url).content.decode()
    assert "12 (Under 10: 1, 10 to 13: 6, 14 to 17: 0, 18 to 24: 2, 25 and over: 3)" in page


@pytest.mark.django_db
def test_the_returns_old_youngest_band_is_renamed_with_its_count_kept(monitoring_return):
    item, _ = monitoring_return
    MonitoringReturn.objects.filter(pk=item.pk).update(
        young_people_by_age_band={"under 10": 3, "10-13": 4}
    )
    migration = importlib.import_module("grants.migrations.0007_returns_in_the_reach_bands")

    migration.forwards(apps, None)
    item.refresh_from_db()
    assert item.young_people_by_age_band == {"u10": 3, "10-13": 4}

    migration.backwards(apps, None)
    item.refresh_from_db()
    assert item.young_people_by_age_band == {"under 10": 3, "10-13": 4}


def report_scope(partnership, start, end) -> ReportScope:
    return ReportScope(
        report=ImpactReport(
            partnership=partnership,
            period_start=start,
            period_end=end,
            scope=ImpactReport.Scope.PARTNERSHIP,
        )
    )


@pytest.mark.django_db
def test_the_impact_report_counts_reach_in_the_reach_bands(partnership):
    today = timezone.localdate()
    reach = build_reach(report_scope(partnership, today.replace(day=1), today))
    tables = {b["id"]: b for b in reach["blocks"] if b.get("type") == "table"}

    referral_rows = [row[0] for row in tables["table-reach"]["rows"]]
    detached_rows = [row[0] for row in tables["table-detached-reach"]["rows"]]
    assert referral_rows == [*[label for _, label in REACH], "Age not recorded"]
    assert detached_rows == [label for _, label in REACH]


@pytest.mark.django_db
def test_the_impact_report_adds_every_reach_band_of_a_grant_return(partnership, monitoring_return):
    item, officer = monitoring_return
    item = submit(item, {"u10": 3, "10-13": 2, "25+": 4})
    grant_services.monitoring_return_approve(actor=officer, monitoring_return=item)
    item.refresh_from_db()
    day = item.approved_at.date()

    rows = grant_reach_by_organisation(report_scope(partnership, day, day))

    expected = published_count("monitoring_return", [item], lambda r: r.young_people_reached)
    assert [row["reached"] for row in rows] == [expected]
