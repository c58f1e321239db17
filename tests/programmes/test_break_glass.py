"""Break-glass and re-authentication around a young person's identity.

A programme manager may open the identity on a case outside their own programmes only by
giving a reason: the read is audited with the reason and the partnership's designated
safeguarding lead is e-mailed. Every identity view needs a recent password or second factor.
"""

import datetime

import pytest
import time_machine

from programmes import permissions, services
from tests.factories import TEST_PASSWORD, ProgrammeFactory, ReferralFactory, UserFactory
from vru import services as vru_services
from vru.models import AuditEvent, OutboxMessage, Role
from vru.services import outbox

pytestmark = pytest.mark.django_db

ALL_ROLES = list(Role)
URL = "/programmes/break-glass/"
REASON = "Police called: missing from home tonight, need to confirm who he is."


@pytest.fixture
def world(partnership, other_partnership):
    mine = ProgrammeFactory(partnership=partnership, name="ReRoute")
    elsewhere = ProgrammeFactory(partnership=partnership, name="Hospital Navigators")
    theirs = ProgrammeFactory(partnership=other_partnership, name="ReRoute")
    return {
        "mine": ReferralFactory(programme=mine, first_name="Mina", last_name="Mine"),
        "elsewhere": ReferralFactory(programme=elsewhere, first_name="Zed", last_name="Hidden"),
        "theirs": ReferralFactory(programme=theirs, first_name="Tara", last_name="Theirs"),
        "programme": mine,
    }


def make(role, world, partnership, **kwargs):
    user = UserFactory(partnership=partnership, roles=[role], **kwargs)
    if role in {Role.PROGRAMME_MANAGER, Role.PRACTITIONER}:
        services.programme_staff_set(
            actor=None,
            programme=world["programme"],
            user=user,
            role="manager" if role == Role.PROGRAMME_MANAGER else "practitioner",
        )
    return user


@pytest.fixture
def dsl(partnership):
    lead = UserFactory(partnership=partnership, roles=[Role.ADMINISTRATOR], email="dsl@example.org")
    partnership.designated_safeguarding_lead = lead
    partnership.save(update_fields=["designated_safeguarding_lead"])
    return lead


@pytest.mark.parametrize("role", ALL_ROLES, ids=[r.value for r in ALL_ROLES])
def test_only_programme_managers_have_the_break_glass_page(client, world, partnership, role):
    client.force_login(make(role, world, partnership))

    response = client.get(URL)

    assert response.status_code == (200 if role == Role.PROGRAMME_MANAGER else 404)


@pytest.mark.parametrize("role", ALL_ROLES, ids=[r.value for r in ALL_ROLES])
def test_break_glass_applies_only_to_managers_outside_their_programmes(world, partnership, role):
    user = make(role, world, partnership)

    assert permissions.can_break_glass(user, world["elsewhere"]) == (role == Role.PROGRAMME_MANAGER)
    assert not permissions.can_break_glass(user, world["mine"])  # no need: already theirs
    assert not permissions.can_break_glass(user, world["theirs"])  # another partnership


def test_a_manager_opens_a_case_outside_their_programmes_with_a_reason(
    client, world, partnership, dsl, mailoutbox, django_capture_on_commit_callbacks
):
    # given
    manager = make(Role.PROGRAMME_MANAGER, world, partnership, username="mo.manager")
    client.force_login(manager)
    reference = world["elsewhere"].young_person.reference
    # the case is otherwise invisible to them
    assert client.get(world["elsewhere"].get_absolute_url()).status_code == 404

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"reference": reference.lower(), "reason": REASON})

    # then the identity is shown
    assert response.status_code == 200
    assert "Zed Hidden" in response.text
    assert "designated safeguarding lead has been told" in response.text
    # the read is audited with the reason
    event = AuditEvent.objects.get(verb="young_person.identity_viewed_break_glass")
    assert event.actor == manager
    assert event.action == AuditEvent.Action.VIEW
    assert event.changes["reason"] == REASON
    assert event.changes["referral"] == world["elsewhere"].pk
    assert event.target_repr == reference
    # and the lead is told who, what and why, without the young person's name
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["dsl@example.org"]
    assert "mo.manager" in mail.body
    assert reference in mail.body
    assert REASON in mail.body
    assert "Hidden" not in mail.body
    assert "Zed" not in mail.body


def test_without_a_lead_the_administrators_are_told(
    client, world, partnership, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(partnership=partnership, roles=[Role.ADMINISTRATOR], email="admin@example.org")
    client.force_login(make(Role.PROGRAMME_MANAGER, world, partnership))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"reference": world["elsewhere"].young_person.reference, "reason": REASON})

    assert [m.to for m in mailoutbox] == [["admin@example.org"]]


def test_the_email_is_sent_only_after_the_audit_is_committed(
    world, partnership, dsl, django_capture_on_commit_callbacks, mailoutbox
):
    manager = make(Role.PROGRAMME_MANAGER, world, partnership)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.identity_break_glass(actor=manager, referral=world["elsewhere"], reason=REASON)

    assert len(callbacks) == 1
    assert mailoutbox == []


def test_the_email_goes_through_the_outbox_and_is_sent_once(
    world, partnership, dsl, django_capture_on_commit_callbacks, mailoutbox
):
    manager = make(Role.PROGRAMME_MANAGER, world, partnership)

    with django_capture_on_commit_callbacks(execute=True):
        services.identity_break_glass(actor=manager, referral=world["elsewhere"], reason=REASON)

    message = OutboxMessage.objects.get(kind="programmes.break_glass_notification")
    assert message.status == OutboxMessage.Status.DONE
    assert len(mailoutbox) == 1
    # a second delivery of the same message (a redelivered task) sends nothing more
    assert outbox.deliver(message_id=message.pk) is False
    assert len(mailoutbox) == 1


def test_a_reason_is_required(client, world, partnership, dsl, mailoutbox):
    client.force_login(make(Role.PROGRAMME_MANAGER, world, partnership))
    reference = world["elsewhere"].young_person.reference

    for reason in ["", "   ", "because"]:
        response = client.post(URL, {"reference": reference, "reason": reason})
        assert response.status_code == 200
        assert response.context["form"].errors["reason"]
        assert "Hidden" not in response.text

    assert not AuditEvent.objects.filter(verb__contains="break_glass").exists()
    assert mailoutbox == []


def test_another_partnerships_case_cannot_be_opened(client, world, partnership, dsl):
    client.force_login(make(Role.PROGRAMME_MANAGER, world, partnership))

    response = client.post(
        URL, {"reference": world["theirs"].young_person.reference, "reason": REASON}
    )

    assert response.status_code == 200
    assert "No open case in your partnership" in response.text
    assert "Theirs" not in response.text
    assert not AuditEvent.objects.filter(verb__contains="break_glass").exists()


def test_an_anonymised_case_cannot_be_opened(client, world, partnership, dsl):
    referral = world["elsewhere"]
    referral.anonymised_at = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    referral.save(update_fields=["anonymised_at"])
    client.force_login(make(Role.PROGRAMME_MANAGER, world, partnership))

    response = client.post(URL, {"reference": referral.young_person.reference, "reason": REASON})

    assert "No open case in your partnership" in response.text


def test_a_case_in_ones_own_programme_needs_no_break_glass(client, world, partnership, dsl):
    client.force_login(make(Role.PROGRAMME_MANAGER, world, partnership))

    response = client.post(
        URL, {"reference": world["mine"].young_person.reference, "reason": REASON}
    )

    assert response.status_code == 302
    assert response["Location"] == world["mine"].get_absolute_url()
    assert not AuditEvent.objects.filter(verb__contains="break_glass").exists()


# --- Re-authentication before identity views ----------------------------------------------


def _sign_in_with_mfa(client, user):
    from vru import accounts

    client.post("/accounts/login/", {"login": user.username, "password": TEST_PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": accounts.current_totp_code(user)})


def test_the_identity_on_a_case_shows_only_after_recent_authentication(
    client, world, partnership, settings
):
    # given MFA and re-authentication on, and a manager signed in through the forms
    settings.VRU_MFA_REQUIRED = True
    settings.VRU_REAUTH_REQUIRED = True
    manager = make(Role.PROGRAMME_MANAGER, world, partnership, username="mo")
    vru_services.mfa_totp_enrol(actor=None, user=manager)
    url = world["mine"].get_absolute_url()
    start = datetime.datetime(2026, 11, 2, 9, 0, 5, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        _sign_in_with_mfa(client, manager)
        assert "Mina Mine" in client.get(url).text

        # when the proof is more than 15 minutes old
        clock.shift(datetime.timedelta(minutes=16))
        client.get("/")
        stale = client.get(url)

        # then the page asks to confirm first, and does not read (or audit) the identity
        assert stale.status_code == 200
        assert "Mina Mine" not in stale.text
        assert "Confirm it is you" in stale.text
        views = AuditEvent.objects.filter(verb="young_person.identity_viewed").count()
        assert views == 1
        # and after confirming, it shows again
        back = client.post(f"/accounts/reauthenticate/?next={url}", {"password": TEST_PASSWORD})
        assert back["Location"] == url
        assert "Mina Mine" in client.get(url).text


def test_the_api_identity_needs_recent_authentication(client, world, partnership, settings):
    settings.VRU_REAUTH_REQUIRED = True
    manager = make(Role.PROGRAMME_MANAGER, world, partnership)
    client.force_login(manager)  # a session without a recent sign-in proof

    response = client.get(f"/api/referrals/{world['mine'].pk}/identity/")

    assert response.status_code == 403
    assert "Confirm it is you" in response.json()["detail"]
    assert not AuditEvent.objects.filter(verb="young_person.identity_viewed").exists()


def test_break_glass_needs_recent_authentication(client, world, partnership, settings):
    settings.VRU_REAUTH_REQUIRED = True
    client.force_login(make(Role.PROGRAMME_MANAGER, world, partnership))

    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/?next=")
