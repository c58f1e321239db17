"""A programme takes the referrals its eligibility names: ages (always), reasons and areas
(which the programme's manager may override with a recorded reason), on the form, the API
and the bulk import."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from programmes import services
from tests.factories import (
    LocalAuthorityFactory,
    LSOAFactory,
    ProgrammeFactory,
    UserFactory,
    govuk_date,
)
from vru.models import AuditEvent, Role

pytestmark = pytest.mark.django_db

EVENT = datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC)


@pytest.fixture
def reroute(partnership):
    """ReRoute takes knife and drug-possession referrals of young people living in Basildon."""
    basildon = LocalAuthorityFactory(partnership=partnership, name="Basildon")
    colchester = LocalAuthorityFactory(partnership=partnership, name="Colchester")
    programme = ProgrammeFactory(
        partnership=partnership,
        name="ReRoute",
        eligible_reasons=["knife", "drug_possession"],
    )
    programme.eligible_local_authorities.set([basildon])
    return {
        "programme": programme,
        "in_area": LSOAFactory(local_authority=basildon),
        "elsewhere": LSOAFactory(local_authority=colchester),
    }


def staff(programme, role):
    user = UserFactory(partnership=programme.partnership, roles=[role])
    staff_role = "manager" if role == Role.PROGRAMME_MANAGER else "practitioner"
    services.programme_staff_set(actor=None, programme=programme, user=user, role=staff_role)
    return user


def refer(programme, *, actor=None, reason="knife", home_lsoa=None, **extra):
    return services.referral_create(
        actor=actor,
        programme=programme,
        first_name="Eli",
        last_name="Gible",
        date_of_birth=datetime.date(2010, 1, 1),
        source="custody",
        reason=reason,
        event_at=EVENT,
        referred_at=EVENT + datetime.timedelta(hours=1),
        home_lsoa=home_lsoa,
        **extra,
    )


def test_a_referral_within_the_eligibility_is_recorded(reroute):
    referral = refer(reroute["programme"], home_lsoa=reroute["in_area"])

    assert referral.eligibility_override == ""


def test_a_reason_the_programme_does_not_take_is_refused_with_the_reasons_it_takes(reroute):
    practitioner = staff(reroute["programme"], Role.PRACTITIONER)

    with pytest.raises(ValidationError) as refused:
        refer(
            reroute["programme"],
            actor=practitioner,
            reason="missing",
            home_lsoa=reroute["in_area"],
        )

    message = refused.value.message_dict["reason"][0]
    assert "ReRoute takes referrals for: Knife possession, Drug possession." in message
    assert "Ask the programme's manager" in message


@pytest.mark.parametrize("where", ["elsewhere", None])
def test_a_home_outside_the_programmes_areas_or_unknown_is_refused(reroute, where):
    with pytest.raises(ValidationError) as refused:
        refer(reroute["programme"], home_lsoa=reroute[where] if where else None)

    assert "takes young people living in Basildon" in refused.value.message_dict["home_lsoa"][0]


def test_a_manager_may_accept_a_referral_outside_the_eligibility_with_a_reason(reroute):
    manager = staff(reroute["programme"], Role.PROGRAMME_MANAGER)

    referral = refer(
        reroute["programme"],
        actor=manager,
        reason="missing",
        home_lsoa=reroute["elsewhere"],
        eligibility_override_reason="Sibling of a current case; agreed with YOT.",
    )

    assert referral.eligibility_override == "Sibling of a current case; agreed with YOT."
    event = AuditEvent.objects.get(verb="referral.created")
    assert event.changes["eligibility_override"] == referral.eligibility_override


def test_a_practitioner_cannot_override_the_eligibility(reroute):
    practitioner = staff(reroute["programme"], Role.PRACTITIONER)

    with pytest.raises(ValidationError) as refused:
        refer(
            reroute["programme"],
            actor=practitioner,
            reason="missing",
            home_lsoa=reroute["in_area"],
            eligibility_override_reason="I think it fits",
        )

    assert "eligibility_override_reason" in refused.value.message_dict


def test_the_age_range_cannot_be_overridden(reroute):
    manager = staff(reroute["programme"], Role.PROGRAMME_MANAGER)
    reroute["programme"].min_age = 18
    reroute["programme"].save()

    with pytest.raises(ValidationError) as refused:
        refer(
            reroute["programme"],
            actor=manager,
            home_lsoa=reroute["in_area"],
            eligibility_override_reason="Please",
        )

    assert "aged 18 to 25" in refused.value.message_dict["date_of_birth"][0]


def test_the_referral_form_keeps_input_and_explains_the_refusal(client, reroute):
    practitioner = staff(reroute["programme"], Role.PRACTITIONER)
    client.force_login(practitioner)

    response = client.post(
        "/programmes/referrals/new/",
        {
            "programme": reroute["programme"].pk,
            "first_name": "Eli",
            "last_name": "Gible",
            **govuk_date("date_of_birth", "2010-01-01"),
            "gender": "not_said",
            "ethnicity": "not_said",
            "education_status": "unknown",
            "source": "custody",
            "reason": "missing",
            **govuk_date("event_at", "2026-03-01 10:00"),
            **govuk_date("referred_at", "2026-03-01 11:00"),
            "home_lsoa": reroute["in_area"].code,
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "ReRoute takes referrals for" in html
    assert 'value="Gible"' in html
    assert "eligibility_override_reason" not in html  # practitioners are not offered it


def test_the_manager_form_offers_the_override(client, reroute):
    client.force_login(staff(reroute["programme"], Role.PROGRAMME_MANAGER))

    html = client.get("/programmes/referrals/new/").content.decode()

    assert "eligibility_override_reason" in html


def test_the_import_refuses_rows_outside_the_eligibility_by_row(reroute):
    rows = services.read_rows(
        file_name="custody.csv",
        content=(
            "first_name,last_name,date_of_birth,reason,event_at,home_lsoa\n"
            f"Ann,One,2010-01-01,knife,2026-03-01 10:00,{reroute['in_area'].code}\n"
            f"Ben,Two,2010-01-01,missing,2026-03-01 10:00,{reroute['in_area'].code}\n"
            f"Cal,Three,2010-01-01,knife,2026-03-01 10:00,{reroute['elsewhere'].code}\n"
        ).encode(),
    )

    outcome = services.referrals_import(actor=None, programme=reroute["programme"], rows=rows)

    assert outcome.imported_rows == 0
    assert [(e.row, e.column) for e in outcome.errors] == [(3, "reason"), (4, "home_lsoa")]
