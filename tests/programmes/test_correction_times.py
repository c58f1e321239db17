"""Correcting a referral's times and its assignee: a corrected event or referral time sets the
24-hour clock again from the corrected times (the referral's own target kept); neither may
pass the case's first contact; the assignee is corrected only by whoever may assign the case,
to one of the programme's staff, kept as a version like every correction."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from programmes import inputs, selectors, services
from programmes.models import RecordVersion, Referral, StatusChange
from tests.factories import ProgrammeFactory, UserFactory, govuk_date, programme_staff
from tests.programmes.test_corrections import form_values
from vru.models import AuditEvent, Role

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(second=0, microsecond=0)
PAST = NOW - datetime.timedelta(days=3)
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def case(partnership):
    programme = ProgrammeFactory(partnership=partnership, name="ReRoute", max_age=25)
    manager = programme_staff(programme, "manager", username="meg")
    practitioner = programme_staff(programme, "practitioner", username="pat")
    colleague = programme_staff(programme, "practitioner", username="cal", first_name="Cal")
    referral = services.referral_create(
        actor=practitioner,
        programme=programme,
        first_name="Sam",
        last_name="Smith",
        date_of_birth=datetime.date(2010, 5, 1),
        source="custody",
        reason="knife",
        event_at=PAST,
        referred_at=PAST + HOUR,
    )
    return {
        "programme": programme,
        "manager": manager,
        "practitioner": practitioner,
        "colleague": colleague,
        "referral": Referral.objects.get(pk=referral.pk),
    }


def _contact(case, at):
    services.contact_record(
        actor=case["practitioner"], referral=case["referral"], occurred_at=at, method="phone"
    )
    return Referral.objects.get(pk=case["referral"].pk)


def test_a_corrected_arrest_time_sets_the_24_hour_clock_again(case):
    referral = _contact(case, PAST + 20 * HOUR)  # 20 h after the arrest as first recorded
    assert referral.first_contact_clock.endswith("within 24 hours")
    assert Referral.objects.filter(Referral.met_q()).count() == 1

    services.referral_correct(
        actor=case["practitioner"],
        referral=referral,
        why="The arrest was the evening before",
        event_at=PAST - 10 * HOUR,
    )

    referral = Referral.objects.get(pk=referral.pk)
    assert referral.event_at == PAST - 10 * HOUR
    assert referral.due_at == PAST - 10 * HOUR + 24 * HOUR  # the referral's own target kept
    assert referral.first_contact_clock == "First contact 30 h after the arrest: missed by 6 h"
    assert Referral.objects.filter(Referral.met_q()).count() == 0
    version = RecordVersion.objects.get(object_id=referral.pk)
    assert version.fields == ["event_at"]


def test_a_corrected_referral_time_moves_the_cases_first_status_with_it(case):
    referral = case["referral"]

    services.referral_correct(
        actor=case["practitioner"], referral=referral, why="typo", referred_at=PAST + 2 * HOUR
    )

    referral = Referral.objects.get(pk=referral.pk)
    assert referral.referred_at == referral.status_changed_at == PAST + 2 * HOUR
    assert StatusChange.objects.get(referral=referral).changed_at == PAST + 2 * HOUR
    assert referral.due_at == PAST + 24 * HOUR  # the clock runs from the event


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"event_at": PAST + 6 * HOUR, "referred_at": PAST + 6 * HOUR},
            "event_at",
            "The event cannot be after the first contact",
        ),
        (
            {"referred_at": PAST + 6 * HOUR},
            "referred_at",
            "The referral cannot be after the first contact",
        ),
        ({"event_at": PAST + 2 * HOUR}, "event_at", "The event must be before the referral."),
        ({"referred_at": NOW + 2 * HOUR}, "referred_at", "cannot be in the future"),
    ],
)
def test_corrected_times_keep_the_cases_order(case, changes, field, message):
    referral = _contact(case, PAST + 5 * HOUR)

    with pytest.raises(ValidationError) as refused:
        services.referral_correct(actor=case["practitioner"], referral=referral, why="x", **changes)

    assert message in " ".join(refused.value.message_dict[field])
    assert Referral.objects.get(pk=referral.pk).event_at == PAST


def test_the_referral_time_cannot_pass_the_cases_next_status_change(case):
    referral = case["referral"]
    services.referral_status_change(
        actor=case["practitioner"], referral=referral, to_status="contacted"
    )
    later = PAST + 2 * HOUR  # recorded then
    StatusChange.objects.exclude(from_status="").update(changed_at=later)

    with pytest.raises(ValidationError) as refused:
        services.referral_correct(
            actor=case["practitioner"],
            referral=referral,
            why="x",
            referred_at=later + datetime.timedelta(minutes=1),
        )

    assert "next status change" in refused.value.message_dict["referred_at"][0]


def test_the_manager_reassigns_the_case_by_correction_kept_as_a_version_and_audited(case):
    referral = case["referral"]

    services.referral_correct(
        actor=case["manager"],
        referral=referral,
        why="Assigned to the wrong practitioner",
        assigned_to=case["colleague"],
    )

    assert Referral.objects.get(pk=referral.pk).assigned_to == case["colleague"]
    history = selectors.case_history(viewer=case["manager"], referral=referral, show_identity=False)
    change = history[0].changes[0]
    assert (change.field, change.label) == ("assigned_to", "Assigned practitioner")
    assert change.before == str(case["practitioner"].get_full_name() or "pat")
    assert change.after == case["colleague"].get_full_name()
    audit = AuditEvent.objects.get(verb="referral.assigned")
    assert audit.changes["to"] == case["colleague"].pk
    assert audit.changes["version"] == 2


def test_only_whoever_may_assign_the_case_corrects_its_assignee(case):
    with pytest.raises(PermissionDenied):
        services.referral_correct(
            actor=case["practitioner"],
            referral=case["referral"],
            why="mine now",
            assigned_to=case["colleague"],
        )
    assert Referral.objects.get().assigned_to == case["practitioner"]


def test_a_case_is_assigned_only_to_the_programmes_staff(case, partnership):
    stranger = UserFactory(partnership=partnership, roles=[Role.PRACTITIONER])

    with pytest.raises(ValidationError) as refused:
        services.referral_correct(
            actor=case["manager"], referral=case["referral"], why="x", assigned_to=stranger
        )

    assert refused.value.message_dict["assigned_to"] == [inputs.NOT_STAFF]


def test_the_page_corrects_the_times_and_only_a_manager_sees_the_assignee(client, case):
    url = f"/programmes/referrals/{case['referral'].pk}/correct/"
    client.force_login(case["practitioner"])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    assert {"event_at", "referred_at"} <= set(form.fields)
    assert "assigned_to" not in form.fields

    client.force_login(case["manager"])
    form = client.get(url).context["form"]
    assert "assigned_to" in form.fields
    assert "programme" not in form.fields

    earlier = PAST - 2 * HOUR
    data = form_values(client.get(url))
    response = client.post(
        url,
        {
            **data,
            **govuk_date("event_at", timezone.localtime(earlier).strftime("%Y-%m-%d %H:%M")),
            **govuk_date("referred_at", timezone.localtime(PAST + HOUR).strftime("%Y-%m-%d %H:%M")),
            "why": "The arrest was earlier",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    referral = Referral.objects.get()
    assert referral.event_at == earlier
    assert referral.due_at == earlier + 24 * HOUR
