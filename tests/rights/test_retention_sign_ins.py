"""Sign-in records (the register's SIGN_IN kind) go by the same daily retention run as every
other kind: each sign-in, failed attempt and ended session at the period after its own
event, not a day before, and the audit trail's entries lose the address and browser then. A
lockout still in force and a session still signed in are kept, however old. The run is
audited as counts, never usernames, addresses or browsers."""

import datetime
import json

import pytest
import time_machine
from allauth.usersessions.models import UserSession
from axes.models import AccessAttempt, AccessLog
from dateutil.relativedelta import relativedelta
from django.contrib.sessions.models import Session
from django.db import DatabaseError, connection
from django.db.models import QuerySet
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from rights import services
from rights.models import KindRetentionRun
from tests.factories import TEST_PASSWORD
from vru import data_kinds
from vru.data_kinds import DataKind, retention_months
from vru.models import AuditEvent, Role
from vru.services import batches

pytestmark = pytest.mark.django_db

SIGNED_IN = datetime.datetime(2026, 1, 15, 12, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)
OFFICE, HOME, ATTACKER = "198.51.100.20", "203.0.113.9", "192.0.2.66"
LAPTOP = "Mozilla/5.0 (X11; Linux x86_64) Chrome/140 Office laptop"
PHONE = "Mozilla/5.0 (iPhone) Mobile Safari Home phone"
SCRIPT = "curl/8.5 guessing script"


def end(signed_in=SIGNED_IN):
    return signed_in + relativedelta(months=retention_months(DataKind.SIGN_IN))


def device(*, agent, address):
    return Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)


def sign_in(client, username, password=TEST_PASSWORD):
    return client.post("/accounts/login/", {"login": username, "password": password})


def guess(username, *, times, address=ATTACKER):
    """Wrong passwords from a script; the last answer (a 429 once locked out)."""
    script = device(agent=SCRIPT, address=address)
    for _ in range(times):
        response = sign_in(script, username, "not-the-password")
    return response


def addressed_events():
    return AuditEvent.objects.exclude(ip_address=None)


@pytest.fixture
def signed_in(user_with_role):
    """Ana signed in at the office and at home, ended the home session from the office, and
    someone guessed at her password twice; the office session then timed out by itself."""
    ana = user_with_role(Role.ANALYST, username="ana.lyst")
    with time_machine.travel(SIGNED_IN, tick=False):
        laptop = device(agent=LAPTOP, address=OFFICE)
        assert sign_in(laptop, "ana.lyst").status_code == 302
        assert sign_in(device(agent=PHONE, address=HOME), "ana.lyst").status_code == 302
        laptop.post(reverse("session_end"))  # audited with the office's address and browser
        guess("ana.lyst", times=2)
    return ana


def test_nothing_goes_a_day_before_the_period_ends(signed_in):
    # given the records a day of sign-ins left
    assert AccessLog.objects.count() == 2
    assert AccessAttempt.objects.get().failures_since_start == 2
    assert UserSession.objects.get().user_agent == LAPTOP  # the home one was ended
    assert addressed_events().filter(verb="user.sessions_ended", user_agent=LAPTOP).exists()

    # when
    run = services.retention_apply(now=end() - DAY)

    # then every one of them is still there
    assert AccessLog.objects.count() == 2
    assert AccessAttempt.objects.count() == 1
    assert UserSession.objects.filter(ip=OFFICE).exists()
    event = AuditEvent.objects.get(verb="user.sessions_ended")
    assert (event.ip_address, event.user_agent) == (OFFICE, LAPTOP)
    # only the server's copy of the timed-out session went (nothing can use it again)
    assert not Session.objects.exists()
    assert run.removed["sign_in"] == 1


def test_at_the_period_sign_ins_attempts_and_ended_sessions_go_and_the_audit_loses_addresses(
    signed_in,
):
    addressed = addressed_events().count()  # each audited with where from and what browser
    assert addressed >= 1

    run = services.retention_apply(now=end())

    assert not AccessLog.objects.exists()
    assert not AccessAttempt.objects.exists()
    assert not UserSession.objects.exists()
    # the audit trail keeps who did what and when, without where from or on what browser
    event = AuditEvent.objects.get(verb="user.sessions_ended")
    assert (event.actor, event.created_at) == (signed_in, SIGNED_IN)
    assert (event.ip_address, event.user_agent) == (None, "")
    assert not AuditEvent.objects.filter(created_at__lte=end()).exclude(user_agent="").exists()
    expired = AuditEvent.objects.get(verb="sign_in_records.expired").changes
    assert {key: n for key, n in expired.items() if key != "before"} == {
        "sign_ins": 2,
        "failed_sign_ins": 0,
        "failed_attempts": 1,
        "ended_sessions": 1,
        "expired_sessions": 1,
        "audit_addresses": addressed,
    }
    assert run.removed["sign_in"] == sum(n for key, n in expired.items() if key != "before")


def test_a_second_run_removes_nothing_more(signed_in):
    services.retention_apply(now=end())

    assert services.retention_apply(now=end() + DAY).removed["sign_in"] == 0
    assert AuditEvent.objects.filter(verb="sign_in_records.expired").count() == 1


def test_an_audit_trail_longer_than_a_batch_is_cleared_in_batches_and_counted_once(
    signed_in, monkeypatch
):
    # given batches of three, and more addressed entries older than the period than that
    monkeypatch.setattr(batches, "BATCH", 3)
    with time_machine.travel(SIGNED_IN, tick=False):
        for n in range(7):
            AuditEvent.objects.create(
                action=AuditEvent.Action.VIEW,
                verb="report.viewed",
                ip_address=HOME if n % 2 else None,
                user_agent=PHONE,
            )
    addressed = AuditEvent.objects.exclude(ip_address=None, user_agent="").count()
    assert addressed > 2 * 3

    # when the period ends
    with CaptureQueriesContext(connection) as queries:
        run = services.retention_apply(now=end())

    # then every one of them is cleared, a batch to a statement, and counted in one audit
    old = AuditEvent.objects.filter(created_at__lte=end())
    assert not old.exclude(ip_address=None, user_agent="").exists()
    clearing = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith('UPDATE "vru_auditevent"')
    ]
    assert len(clearing) == -(-addressed // 3)
    expired = AuditEvent.objects.get(verb="sign_in_records.expired").changes
    assert expired["audit_addresses"] == addressed
    assert run.removed["sign_in"] == sum(n for key, n in expired.items() if key != "before")


def test_records_newer_than_the_period_stay_when_older_ones_go(signed_in):
    # given Ana signed in again and was guessed at again a month later
    with time_machine.travel(SIGNED_IN + relativedelta(months=1), tick=False):
        assert sign_in(device(agent=LAPTOP, address=OFFICE), "ana.lyst").status_code == 302
        guess("ana.lyst", times=1, address=HOME)

    # when
    services.retention_apply(now=end())

    # then
    assert AccessLog.objects.get().attempt_time == SIGNED_IN + relativedelta(months=1)
    assert AccessAttempt.objects.get().ip_address == HOME
    assert UserSession.objects.get().created_at == SIGNED_IN + relativedelta(months=1)


def test_a_lockout_that_lasts_until_lifted_is_kept_and_still_locks(user_with_role, settings):
    # given a deployment whose lockouts last until an administrator lifts them
    settings.AXES_COOLOFF_TIME = None
    user_with_role(Role.ANALYST, username="ana.lyst")
    with time_machine.travel(SIGNED_IN, tick=False):
        assert guess("ana.lyst", times=settings.AXES_FAILURE_LIMIT).status_code == 429
        guess("ana.lyst", times=1, address=HOME)  # a slip from home: no lockout

    # when
    run = services.retention_apply(now=end() + relativedelta(years=2))

    # then the lockout stays in force; the lone slip went
    assert AccessAttempt.objects.get().ip_address == ATTACKER
    assert run.removed["sign_in"] == 1
    with time_machine.travel(end() + relativedelta(years=2), tick=False):
        response = sign_in(device(agent=SCRIPT, address=ATTACKER), "ana.lyst")
    assert response.status_code == 429


def test_a_lockout_within_its_cool_off_is_kept_until_the_cool_off_ends(user_with_role, settings):
    # given a deployment whose cool-off outlasts the period
    settings.AXES_COOLOFF_TIME = datetime.timedelta(days=500)
    user_with_role(Role.ANALYST, username="ana.lyst")
    with time_machine.travel(SIGNED_IN, tick=False):
        assert guess("ana.lyst", times=settings.AXES_FAILURE_LIMIT).status_code == 429
    assert end() < SIGNED_IN + datetime.timedelta(days=500)

    services.retention_apply(now=end())
    assert AccessAttempt.objects.count() == 1

    services.retention_apply(now=SIGNED_IN + datetime.timedelta(days=500))
    assert not AccessAttempt.objects.exists()


def test_a_session_still_signed_in_is_kept_however_old(user_with_role, settings):
    # given a session that lasts longer than the period (a deployment's long session age)
    settings.SESSION_COOKIE_AGE = int(datetime.timedelta(days=800).total_seconds())
    user_with_role(Role.ANALYST, username="ana.lyst")
    with time_machine.travel(SIGNED_IN, tick=False):
        laptop = device(agent=LAPTOP, address=OFFICE)
        assert sign_in(laptop, "ana.lyst").status_code == 302
    key = laptop.session.session_key

    # when
    services.retention_apply(now=end() + DAY)

    # then the session and its row on "Your account" stay; the sign-in's log entry went
    assert Session.objects.filter(session_key=key).exists()
    assert UserSession.objects.filter(session_key=key, ip=OFFICE).exists()
    assert not AccessLog.objects.exists()


def test_the_audit_holds_counts_and_never_usernames_addresses_or_browsers(signed_in):
    services.retention_apply(now=end())

    for verb in ["sign_in_records.expired", "retention.kinds_applied"]:
        event = AuditEvent.objects.get(verb=verb)
        written = json.dumps(event.changes) + event.target_repr
        for value in ["ana.lyst", OFFICE, HOME, ATTACKER, "Chrome", "Safari", "curl"]:
            assert value not in written
        assert all(isinstance(n, int) for key, n in event.changes.items() if key != "before")


def test_a_deployment_may_set_the_sign_in_period(signed_in, settings):
    settings.VRU_RETENTION_MONTHS = {"sign_in": 6}

    services.retention_apply(now=SIGNED_IN + relativedelta(months=6) - DAY)
    assert AccessLog.objects.count() == 2

    services.retention_apply(now=SIGNED_IN + relativedelta(months=6))
    assert not AccessLog.objects.exists()


def test_the_period_is_thirteen_months_and_the_notices_for_staff_and_applicants_say_so(client):
    rule = data_kinds.RULES[DataKind.SIGN_IN]
    assert rule.retention_months == 13
    assert rule.young_people == ""  # young people do not sign in

    for audience in ["staff", "applicants"]:
        page = client.get(reverse("rights:privacy_notice", args=[audience])).content.decode()
        assert escape(rule.staff) in page
        assert f"Kept for 13 months after {escape(rule.retention_from)}" in page
    page = client.get(reverse("rights:privacy_notice", args=["young-people"])).content.decode()
    assert escape(DataKind.SIGN_IN.label) not in page


@pytest.mark.django_db(transaction=True)
def test_a_run_stopped_in_the_audit_trail_keeps_what_it_cleared_and_the_next_run_finishes(
    signed_in, monkeypatch
):
    # given batches of two, five more old addressed entries, and the third batch failing
    monkeypatch.setattr(batches, "BATCH", 2)
    with time_machine.travel(SIGNED_IN, tick=False):
        for _ in range(5):
            AuditEvent.objects.create(
                action=AuditEvent.Action.VIEW, verb="report.viewed", ip_address=HOME
            )
    old = AuditEvent.objects.filter(created_at__lte=SIGNED_IN)
    addressed = old.exclude(ip_address=None, user_agent="").count()
    update, calls = QuerySet.update, []

    def third_fails(queryset, **values):
        if queryset.model is AuditEvent:
            calls.append(values)
            if len(calls) == 3:
                raise DatabaseError("the connection was lost")
        return update(queryset, **values)

    # when the daily run meets the failure
    with monkeypatch.context() as patch:
        patch.setattr(QuerySet, "update", third_fails)
        with pytest.raises(DatabaseError):
            services.retention_apply(now=end())

    # then the sign-ins went, two batches of the audit trail stay cleared, and the run and the
    # kind each record what was done
    assert not AccessLog.objects.exists()
    assert old.exclude(ip_address=None, user_agent="").count() == addressed - 4
    stopped = KindRetentionRun.objects.get()
    assert stopped.failed == DataKind.SIGN_IN
    assert DataKind.SIGN_IN not in stopped.removed
    expired = AuditEvent.objects.get(verb="sign_in_records.expired").changes
    assert (expired["audit_addresses"], expired["interrupted"]) == (4, True)
    assert expired["sign_ins"] == 2

    # and the next day's run clears the rest
    run = services.retention_apply(now=end() + DAY)
    assert not old.exclude(ip_address=None, user_agent="").exists()
    assert run.failed == ""
    assert run.removed["sign_in"] == addressed - 4
