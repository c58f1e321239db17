"""Notices about cases come as digests, not floods: one e-mail per person per sweep listing
the cases, historical imports notify nobody, and a safeguarding alert raised meanwhile goes
to its own queue, never behind the bulk."""

import datetime
import io
import sys
import time
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.utils import timezone

from evaluation import services as evaluation_services
from evaluation.models import SafeguardingContact
from programmes import selectors, services
from programmes.models import (
    BreachNotification,
    NewReferralNotice,
    NoticeDigest,
    Referral,
)
from tests.evaluation.factories import ListeningExerciseFactory
from tests.factories import ProgrammeFactory, ReferralFactory, UserFactory, programme_staff
from vru.celery import app as celery_app
from vru.models import OutboxMessage, Role
from vru.services import outbox
from vru.services import queue as task_queue

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

HEADER = "first_name,last_name,date_of_birth,reason,event_at,assigned_to\n"


@pytest.fixture
def team(partnership):
    """ReRoute with two managers and three practitioners, all with e-mail addresses."""
    programme = ProgrammeFactory(partnership=partnership, name="ReRoute")
    managers = [programme_staff(programme, "manager", email=f"m{n}@example.org") for n in (1, 2)]
    practitioners = [
        programme_staff(programme, "practitioner", email=f"p{n}@example.org", username=f"p{n}")
        for n in (1, 2, 3)
    ]
    return programme, managers, practitioners


def _custody_file(rows: int, *, days_ago: tuple[float, float], practitioners) -> bytes:
    """`rows` distinct young people arrested between the given days ago (spread evenly),
    assigned in turn to the practitioners."""
    now = timezone.localtime().replace(second=0, microsecond=0)
    newest, oldest = days_ago
    out = io.StringIO()
    out.write(HEADER)
    for n in range(rows):
        event = now - datetime.timedelta(days=newest + (oldest - newest) * n / max(rows - 1, 1))
        born = datetime.date(2008, 1, 1) + datetime.timedelta(days=n % 1500)
        who = practitioners[n % len(practitioners)].username
        out.write(f"Flood,Case{n},{born},knife,{event:%Y-%m-%d %H:%M},{who}\n")
    return out.getvalue().encode()


def _import(programme, content: bytes):
    rows = services.read_rows(file_name="custody.csv", content=content)
    outcome = services.referrals_import(actor=None, programme=programme, rows=rows)
    assert outcome.errors == [], outcome.errors[:3]
    return outcome


def _queue_of(task_name: str) -> str:
    """The queue the settings' routes send a task to."""
    return celery_app.amqp.router.route({}, task_name)["queue"].name


@pytest.fixture
def published(monkeypatch):
    """Every task handed to Celery by name (vru.services.queue), with the queue it goes to."""
    sent: list[tuple[str, str]] = []
    real = task_queue.run_later

    def run_later(name, *args):
        sent.append((name, _queue_of(name)))
        real(name, *args)

    monkeypatch.setattr(task_queue, "run_later", run_later)
    return sent


# --- A flood of overdue referrals: a handful of e-mails ---------------------------------------


@pytest.mark.parametrize("rows", [2_000, 100_000], ids=["2k", "100k"])
def test_an_import_of_overdue_referrals_sends_a_handful_of_digests_and_an_alert_goes_first(
    rows, team, partnership, published, django_capture_on_commit_callbacks
):
    if rows > 10_000 and connection.vendor != "postgresql":
        pytest.skip("100,000 rows are loaded with COPY: PostgreSQL (set DATABASE_URL)")
    programme, _, practitioners = team
    lead = UserFactory(partnership=partnership, roles=[Role.ADMINISTRATOR], email="dsl@x.org")
    SafeguardingContact.objects.create(partnership=partnership, user=lead)
    exercise = ListeningExerciseFactory(partnership=partnership)
    # given a custody file of referrals arrested 2 to 6 days ago: all past their 24-hour
    # target, none long enough ago to be historical
    content = _custody_file(rows, days_ago=(2, 6), practitioners=practitioners)

    # when it is imported, a safeguarding concern is recorded meanwhile, and the sweep runs
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        _import(programme, content)
    imported = time.monotonic() - started
    with django_capture_on_commit_callbacks(execute=True):
        evaluation_services.response_record(
            actor=None,
            exercise=exercise,
            responded_on=datetime.date(2023, 1, 10),
            age_band="14_15",
            question="What would make you feel safer?",
            words="Lights by the station.",
            safeguarding_concern=True,
        )
    alert_mails = len(mail.outbox)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        digests = services.notices_sweep()
    swept = time.monotonic() - started
    sys.stdout.write(f"\n{rows:,} rows: imported in {imported:.1f} s, swept in {swept:.1f} s\n")

    # then the alert went to the urgent queue and was e-mailed at once, before any digest
    assert alert_mails == 1
    assert mail.outbox[0].to == ["dsl@x.org"]
    assert published[0] == ("vru.tasks.outbox_deliver_urgent", settings.VRU_URGENT_QUEUE)
    assert {queue for _, queue in published[1:]} == {settings.CELERY_TASK_DEFAULT_QUEUE}
    # and the flood is seven e-mails: each manager one about the breaches and one about the
    # new referrals, each practitioner one about the referrals assigned to them
    assert len(digests) == 7
    assert OutboxMessage.objects.filter(kind="programmes.notice_digest").count() == 7
    assert OutboxMessage.objects.count() == 8  # and the alert's
    digest_mails = mail.outbox[1:]
    assert sorted(m.to[0] for m in digest_mails) == [
        "m1@example.org",
        "m1@example.org",
        "m2@example.org",
        "m2@example.org",
        "p1@example.org",
        "p2@example.org",
        "p3@example.org",
    ]
    subjects = sorted(m.subject for m in digest_mails if m.to[0] == "m1@example.org")
    assert subjects == [
        f"{rows:,} new referrals",
        f"{rows:,} referrals missed their contact target",
    ]
    assigned = sorted(
        NoticeDigest.objects.filter(recipient__in=practitioners).values_list("total", flat=True)
    )
    assert sum(assigned) == rows
    assert max(len(m.body) for m in digest_mails) < 20_000  # fifty cases listed, the rest counted
    assert BreachNotification.objects.filter(digested_at__isnull=False).count() == rows
    assert not NewReferralNotice.objects.exists()

    # and the next sweep finds nothing more to tell
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notices_sweep() == []
    assert len(mail.outbox) == 8


# --- Historical imports notify nobody -------------------------------------------------------


def test_an_import_of_referrals_long_past_marks_them_historical_and_notifies_nobody(
    team, django_capture_on_commit_callbacks, user_with_role
):
    programme, managers, practitioners = team
    days = settings.VRU_HISTORICAL_REFERRAL_DAYS
    # given last year's custody records (past their target by months), and two recent ones
    old = _custody_file(300, days_ago=(days + 2, 365), practitioners=practitioners)
    recent = "\n".join(
        line.replace("Flood,Case", "Recent,Case")
        for line in _custody_file(2, days_ago=(0.1, 0.2), practitioners=practitioners)
        .decode()
        .splitlines()[1:]
    )

    with django_capture_on_commit_callbacks(execute=True):
        _import(programme, old + recent.encode() + b"\n")
        digests = services.notices_sweep()

    # then the old ones are historical: no notice, no breach noted, no e-mail about them
    assert Referral.objects.filter(historical=True).count() == 300
    assert not BreachNotification.objects.exists()
    told = NoticeDigest.objects.filter(pk__in=digests)
    assert {d.kind for d in told} == {"new_referrals"}  # the two recent ones, as new
    assert {d.total for d in told if d.recipient in managers} == {2}
    assert len(mail.outbox) == len(told) == 4  # two managers, the two assignees
    # while the 24-hour clock still counts them, as it counts every referral
    dashboard = selectors.programme_dashboard(
        viewer=user_with_role(Role.ANALYST), programme=programme, now=timezone.now()
    )
    assert dashboard.open_breaches == "300"


def test_the_import_check_says_how_many_referrals_are_historical(
    team, django_capture_on_commit_callbacks
):
    from vru.models import ImportJob

    programme, managers, practitioners = team
    days = settings.VRU_HISTORICAL_REFERRAL_DAYS
    content = _custody_file(5, days_ago=(days + 1, days + 30), practitioners=practitioners)
    content += b"Fresh,One,2010-01-01,knife,2026-01-01 10:00,p1\n".replace(
        b"2026-01-01 10:00", f"{timezone.localtime():%Y-%m-%d %H:%M}".encode()
    )

    with django_capture_on_commit_callbacks(execute=True):
        job = services.referral_import_job_create(
            actor=managers[0], programme=programme, file_name="custody.csv", content=content
        )
    job.refresh_from_db()

    assert job.status == ImportJob.Status.CHECKED
    assert job.preview["rows_to_add"] == 6
    assert job.preview["rows_historical"] == 5


def test_a_referral_closed_before_the_sweep_is_not_announced_as_new(
    team, django_capture_on_commit_callbacks
):
    programme, _managers, practitioners = team
    referral = ReferralFactory(programme=programme, assigned_to=practitioners[0])
    services.referral_status_change(
        actor=None, referral=referral, to_status="closed", closure_reason="declined"
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert services.notices_sweep() == []

    assert mail.outbox == []
    assert not NewReferralNotice.objects.exists()


# --- One e-mail per person per sweep --------------------------------------------------------


def test_each_person_gets_at_most_one_digest_of_each_kind_per_sweep_naming_only_their_cases(
    team, partnership, django_capture_on_commit_callbacks
):
    programme, _managers, practitioners = team
    other = ProgrammeFactory(partnership=partnership, name="Navigators")
    their_manager = programme_staff(other, "manager", email="nav@example.org")
    ours = [ReferralFactory(programme=programme, assigned_to=practitioners[0]) for _ in range(3)]
    theirs = ReferralFactory(programme=other)

    with django_capture_on_commit_callbacks(execute=True):
        services.notices_sweep()

    by_person = {}
    for message in mail.outbox:
        assert len(message.to) == 1  # nobody sees who else was told
        by_person.setdefault(message.to[0], []).append(message)
    assert sorted(by_person) == [
        "m1@example.org",
        "m2@example.org",
        "nav@example.org",
        "p1@example.org",
    ]
    assert all(len(messages) == 1 for messages in by_person.values())
    manager_mail = by_person["m1@example.org"][0]
    for referral in ours:
        assert referral.young_person.reference in manager_mail.body
    assert theirs.young_person.reference not in manager_mail.body
    assert theirs.young_person.reference in by_person[their_manager.email][0].subject


def test_notices_waiting_from_before_digests_are_told_in_the_next_digest(
    team, django_capture_on_commit_callbacks
):
    programme, managers, practitioners = team
    # given work enqueued the old way, one outbox message per case, not yet delivered
    now = timezone.now()
    new = ReferralFactory(programme=programme, assigned_to=practitioners[0])
    NewReferralNotice.objects.all().delete()  # as the old code left it: no notice
    overdue = ReferralFactory(
        programme=programme,
        event_at=now - datetime.timedelta(hours=30),
        referred_at=now - datetime.timedelta(hours=29),
    )
    NewReferralNotice.objects.filter(referral=overdue).delete()
    breach = BreachNotification.objects.create(referral=overdue)
    with django_capture_on_commit_callbacks(execute=False):
        from django.db import transaction

        with transaction.atomic():
            old_new = outbox.enqueue(kind="programmes.referral_created", target_id=new.pk)
            old_breach = outbox.enqueue(kind="programmes.breach_notification", target_id=breach.pk)

    # when the relay delivers them, then the sweep runs
    with django_capture_on_commit_callbacks(execute=True):
        outbox.relay()
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.notices_sweep()

    # then each case is told once, in the digests
    for message in (old_new, old_breach):
        message.refresh_from_db()
        assert message.status == OutboxMessage.Status.DONE
    kinds = sorted(NoticeDigest.objects.filter(recipient=managers[0]).values_list("kind", "total"))
    assert kinds == [("breaches", 1), ("new_referrals", 1)]
    assert sum(new.young_person.reference in m.body for m in mail.outbox) == 3  # m1, m2, p1


# --- Queues ---------------------------------------------------------------------------------


def test_urgent_work_and_the_relay_have_their_own_queue_and_bulk_work_the_default():
    urgent, default = settings.VRU_URGENT_QUEUE, settings.CELERY_TASK_DEFAULT_QUEUE

    assert urgent != default
    assert {q.name for q in celery_app.conf.task_queues} == {urgent, default}
    assert _queue_of("vru.tasks.outbox_relay") == urgent
    assert _queue_of("vru.tasks.outbox_deliver_urgent") == urgent
    for bulk in (
        "vru.tasks.outbox_deliver",
        "vru.tasks.import_job_run",
        "programmes.tasks.referral_import_run",
        "programmes.tasks.referral_sla_sweep",
        "evaluation.tasks.report_impact_build",
    ):
        assert _queue_of(bulk) == default, bulk
    relay = next(
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "vru.tasks.outbox_relay"
    )
    assert relay["options"]["queue"] == urgent
    assert (
        outbox.delivery_task("evaluation.safeguarding_alert") == "vru.tasks.outbox_deliver_urgent"
    )
    assert outbox.delivery_task("programmes.break_glass_notification") == (
        "vru.tasks.outbox_deliver_urgent"
    )
    assert outbox.delivery_task("programmes.notice_digest") == "vru.tasks.outbox_deliver"


def test_the_relay_hands_over_urgent_work_first_however_much_else_waits(
    partnership, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from vru.models import OutboxMessage as Message

    # given 30 ordinary messages waiting (the broker was down), then an alert
    with django_capture_on_commit_callbacks(execute=False), transaction.atomic():
        for n in range(30):
            outbox.enqueue(kind="vru.import_job_run", target_id=10_000 + n)
        alert = outbox.enqueue(kind="evaluation.safeguarding_alert", target_id=1)
    sent = []
    with mock.patch.object(task_queue, "run_later", lambda name, pk: sent.append((name, pk))):
        # when the relay may hand over only ten this sweep
        outbox.relay(limit=10)

    # then the alert is among them, first
    assert sent[0] == ("vru.tasks.outbox_deliver_urgent", alert.pk)
    assert len(sent) == 10
    assert Message.objects.filter(status="pending").count() == 21
