"""Personal API tokens: made, named, seen and revoked by their owner on "Your account";
shown once, stored hashed, expiring, read-only or the owner's role, ended when the owner is
deactivated; each use audited like a sign-in (at most once every 15 minutes)."""

import importlib
from datetime import timedelta

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import ProgrammeFactory, UserFactory
from vru import services
from vru.models import ApiToken, AuditEvent, Role, token_digest

pytestmark = pytest.mark.django_db


def _api(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def analyst(user_with_role):
    return user_with_role(Role.ANALYST)


# --- making one ----------------------------------------------------------------------------


def test_a_token_is_stored_only_as_its_hash_and_a_short_prefix(analyst):
    token, key = services.api_token_create(actor=analyst, name="Power BI")

    stored = ApiToken.objects.values().get(pk=token.pk)
    assert key not in {str(value) for value in stored.values()}
    assert stored["key_digest"] == token_digest(key)
    assert key.startswith(stored["prefix"])
    assert len(stored["prefix"]) < len(key) // 2


def test_a_token_expires_after_the_configured_days_unless_its_owner_says(analyst, settings):
    settings.VRU_API_TOKEN_DAYS = 90
    default, _ = services.api_token_create(actor=analyst, name="default")
    week, _ = services.api_token_create(actor=analyst, name="week", days=7)

    assert default.expires_at - default.created_at == pytest.approx(
        timedelta(days=90), abs=timedelta(seconds=5)
    )
    assert week.expires_at - week.created_at == pytest.approx(
        timedelta(days=7), abs=timedelta(seconds=5)
    )
    with pytest.raises(ValidationError):
        services.api_token_create(actor=analyst, name="forever", days=10_000)


def test_a_token_needs_a_name(analyst):
    with pytest.raises(ValidationError):
        services.api_token_create(actor=analyst, name="  ")


def test_making_and_revoking_a_token_is_audited(analyst):
    token, _ = services.api_token_create(actor=analyst, name="script")
    services.api_token_revoke(actor=analyst, token=token)

    verbs = set(AuditEvent.objects.filter(actor=analyst).values_list("verb", flat=True))
    assert {"api_token.created", "api_token.revoked"} <= verbs


def test_nobody_revokes_someone_elses_token(analyst, user_with_role):
    token, _ = services.api_token_create(actor=analyst, name="script")

    with pytest.raises(PermissionDenied):
        services.api_token_revoke(actor=user_with_role(Role.ADMINISTRATOR), token=token)


# --- using one -----------------------------------------------------------------------------


def test_a_token_signs_in_as_its_owner(analyst):
    _token, key = services.api_token_create(actor=analyst, name="script")

    assert _api(key).get("/api/lsoas/").status_code == 200


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"revoked_at": timezone.now()}, "This token has been revoked."),
        ({"expires_at": timezone.now() - timedelta(seconds=1)}, "This token has expired."),
    ],
)
def test_a_revoked_or_expired_token_is_a_401(analyst, change, message):
    token, key = services.api_token_create(actor=analyst, name="script")
    ApiToken.objects.filter(pk=token.pk).update(**change)

    response = _api(key).get("/api/lsoas/")

    assert response.status_code == 401
    assert response.json() == {"detail": message}
    assert response["WWW-Authenticate"] == 'Token realm="api"'


def test_a_token_expires_with_time(analyst):
    _token, key = services.api_token_create(actor=analyst, name="script", days=7)

    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        response = _api(key).get("/api/lsoas/")

    assert response.status_code == 401


def test_deactivating_a_user_revokes_their_tokens(analyst, user_with_role):
    token, key = services.api_token_create(actor=analyst, name="script", scope="role")

    services.user_deactivate(actor=user_with_role(Role.ADMINISTRATOR), user=analyst)

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert _api(key).get("/api/lsoas/").status_code == 401
    event = AuditEvent.objects.get(verb="user.deactivated")
    assert event.changes["tokens_revoked"] == 1


def test_an_inactive_users_token_is_refused_even_if_not_revoked(analyst):
    _token, key = services.api_token_create(actor=analyst, name="script")
    analyst.is_active = False
    analyst.save(update_fields=["is_active"])

    response = _api(key).get("/api/lsoas/")

    assert response.status_code == 401
    assert response.json() == {"detail": "This token's user is inactive."}


def test_a_read_only_token_reads_but_never_writes(user_with_role):
    practitioner = user_with_role(Role.PRACTITIONER)
    _token, key = services.api_token_create(actor=practitioner, name="dashboard")
    client = _api(key)

    assert client.get("/api/referrals/").status_code == 200
    response = client.post("/api/referrals/", {}, format="json")

    assert response.status_code == 403
    assert response.json() == {"detail": "This token is read-only."}


def test_a_role_token_writes_what_its_owner_may(user_with_role, partnership):
    practitioner = user_with_role(Role.PRACTITIONER)
    ProgrammeFactory(partnership=partnership)
    _token, key = services.api_token_create(actor=practitioner, name="sync", scope="role")

    response = _api(key).post("/api/referrals/", {}, format="json")

    # judged like any write by the practitioner: the empty body's errors, not a refusal
    assert response.status_code == 400


def test_a_tokens_use_is_audited_like_a_sign_in_at_most_every_15_minutes(analyst):
    token, key = services.api_token_create(actor=analyst, name="poller")
    client = _api(key)
    start = timezone.now()

    with time_machine.travel(start, tick=False):
        for _ in range(3):
            client.get("/api/lsoas/")
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        client.get("/api/lsoas/")
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        client.get("/api/lsoas/")

    uses = AuditEvent.objects.filter(verb="api_token.used", target_id=str(token.pk))
    assert uses.count() == 2
    assert set(uses.values_list("action", flat=True)) == {AuditEvent.Action.SIGN_IN}
    assert uses.first().actor == analyst
    token.refresh_from_db()
    assert token.last_used_at == start + timedelta(minutes=16)


# --- on "Your account" ---------------------------------------------------------------------


@pytest.fixture
def signed_in(client, analyst):
    client.force_login(analyst)
    return client


def test_a_user_makes_a_token_and_sees_it_once(signed_in, analyst):
    form = signed_in.get("/accounts/tokens/new/")
    assert form.status_code == 200

    made = signed_in.post(
        "/accounts/tokens/new/", {"name": "Power BI", "scope": "read_only", "days": "30"}
    )

    assert made.status_code == 200
    key = made.context["key"]
    assert key in made.text
    assert made["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(owner=analyst)
    assert token.name == "Power BI"
    assert token.read_only
    account = signed_in.get("/accounts/sessions/")
    assert "Power BI" in account.text
    assert token.prefix in account.text
    assert key not in account.text
    assert _api(key).get("/api/lsoas/").status_code == 200


def test_the_token_form_names_what_is_missing(signed_in):
    response = signed_in.post("/accounts/tokens/new/", {"scope": "everything"})

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "scope", "days"}
    assert not ApiToken.objects.exists()


def test_the_account_page_lists_working_tokens_with_their_use_and_expiry(signed_in, analyst):
    used, _ = services.api_token_create(actor=analyst, name="Used one")
    ApiToken.objects.filter(pk=used.pk).update(last_used_at=timezone.now())
    gone, _ = services.api_token_create(actor=analyst, name="Revoked one")
    services.api_token_revoke(actor=analyst, token=gone)

    page = signed_in.get("/accounts/sessions/")

    assert "Used one" in page.text
    assert "Revoked one" not in page.text
    assert used.expires_at.strftime("%-d %b %Y") in page.text


def test_a_token_is_revoked_after_a_confirmation_page(signed_in, analyst):
    token, key = services.api_token_create(actor=analyst, name="Old script")

    confirm = signed_in.get(f"/accounts/tokens/{token.pk}/revoke/")
    assert confirm.status_code == 200
    assert "Old script" in confirm.text
    token.refresh_from_db()
    assert token.revoked_at is None

    done = signed_in.post(f"/accounts/tokens/{token.pk}/revoke/")

    assert done["Location"] == "/accounts/sessions/"
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert _api(key).get("/api/lsoas/").status_code == 401


def test_someone_elses_token_cannot_be_revoked_from_the_page(signed_in, partnership):
    other = UserFactory(partnership=partnership, roles=[Role.ANALYST])
    token, _ = services.api_token_create(actor=other, name="Theirs")

    assert signed_in.get(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert signed_in.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


# --- the tokens DRF made before ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_tokens_made_by_drf_authtoken_keep_working_hashed_and_its_table_goes(partnership):
    user = UserFactory(partnership=partnership, roles=[Role.ANALYST])
    old_key = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
            "created timestamp NOT NULL, user_id integer NOT NULL)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token VALUES (%s, %s, %s)", [old_key, timezone.now(), user.pk]
        )
    migration = importlib.import_module("vru.migrations.0014_authtoken_to_api_tokens")

    with connection.schema_editor() as editor:
        migration.move_authtokens(apps, editor)

    token = ApiToken.objects.get(owner=user)
    assert token.key_digest == token_digest(old_key)
    assert token.scope == ApiToken.Scope.ROLE
    assert "authtoken_token" not in connection.introspection.table_names()
    assert _api(old_key).get("/api/lsoas/").status_code == 200


def test_the_command_makes_a_token_through_the_same_service(analyst, capsys):
    from django.core.management import call_command

    call_command("api_token_create", analyst.username, "--name", "nightly sync", "--days", "7")

    key = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(owner=analyst)
    assert token.key_digest == token_digest(key)
    assert token.read_only
    assert AuditEvent.objects.filter(verb="api_token.created", actor=analyst).exists()
    assert _api(key).get("/api/lsoas/").status_code == 200
