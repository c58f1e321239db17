"""The 24-hour clock's breach notifications, and retention (anonymisation)."""

from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from programmes import selectors
from programmes.models import (
    BreachNotification,
    Contact,
    Outcome,
    Referral,
    RetentionRun,
    YoungPerson,
    YoungPersonIdentity,
)
from vru import emails
from vru.models import AuditEvent
from vru.services import audit_record, outbox

BREACH_NOTIFICATION = "programmes.breach_notification"
RETENTION_RUN = "programmes.retention_run"


@transaction.atomic
def breaches_notify(*, now: datetime | None = None) -> list[int]:
    """Find breaches from database state and create one notification per breached referral,
    with its outbox message in the same transaction.

    Idempotent: the unique referral on BreachNotification means a breach is notified once,
    however often the sweep runs; the outbox (vru.services.outbox) retries a failed e-mail
    with backoff and the send checks `emailed_at` under a row lock. Returns the ids of the
    notifications made by this sweep.
    """
    now = now or timezone.now()
    ids = list(
        Referral.objects.filter(Referral.breached_q(now), breach_notification__isnull=True)
        .order_by()
        .values_list("pk", flat=True)[:5000]
    )
    BreachNotification.objects.bulk_create(
        [BreachNotification(referral_id=pk) for pk in ids], ignore_conflicts=True
    )
    made = list(
        BreachNotification.objects.filter(referral_id__in=ids, emailed_at__isnull=True)
        .order_by("pk")
        .values_list("pk", "referral__partnership_id")
    )
    for pk, partnership_id in made:
        outbox.enqueue(kind=BREACH_NOTIFICATION, target_id=pk, partnership_id=partnership_id)
    return [pk for pk, _ in made]


@transaction.atomic
def breach_notification_send(*, notification_id: int) -> bool:
    """E-mail the programme's managers about one breach, once (no personal data in it)."""
    notification = (
        BreachNotification.objects.select_for_update(of=("self",))
        .select_related("referral__programme", "referral__young_person")
        .filter(pk=notification_id)
        .first()
    )
    if notification is None or notification.emailed_at is not None:
        return False
    referral = notification.referral
    recipients = selectors.notice_recipients(programme=referral.programme)
    if recipients:
        # pseudonymous and without the offence: a reference, a time, a link
        emails.send_email(
            "emails/programmes/breach_notification",
            {
                "programme": referral.programme.name,
                "reference": referral.young_person.reference,
                "target_hours": referral.programme.referral_target_hours,
                "due_at": referral.due_at,
                "link": emails.absolute_url(referral.get_absolute_url()),
            },
            to=recipients,
        )
    notification.emailed_at = timezone.now()
    notification.recipients = recipients
    notification.save(update_fields=["emailed_at", "recipients"])
    audit_record(
        actor=None,
        action=AuditEvent.Action.UPDATE,
        verb="referral.breach_notified",
        target=referral,
        partnership=referral.partnership,
        changes={"recipients": len(recipients)},
    )
    return True


@transaction.atomic
def retention_schedule(*, now: datetime | None = None) -> int:
    """The daily beat task: enqueue today's retention run (once a day, whatever the beat
    does); the outbox runs it, retrying with backoff. Returns the outbox message's id."""
    day = timezone.localdate(now or timezone.now())
    return outbox.enqueue(kind=RETENTION_RUN, key=f"{RETENTION_RUN}:{day.isoformat()}").pk


@transaction.atomic
def retention_anonymise(*, now: datetime | None = None) -> RetentionRun:
    """Anonymise closed referrals whose programme's retention period has ended.

    The identity (name, date of birth, address, contact details) is deleted and free-text
    notes are cleared; the pseudonymous counts (status, source, reason, dates, age at
    referral, neighbourhood, outcomes' kinds) stay, so aggregates are unchanged. A young
    person's identity goes once none of their referrals is still within retention.
    """
    now = now or timezone.now()
    expired_ids = []
    rows = Referral.objects.filter(
        status=Referral.Status.CLOSED, anonymised_at__isnull=True
    ).values_list("pk", "closed_at", "programme__retention_months")
    for pk, closed_at, months in rows.iterator(chunk_size=2000):
        if closed_at + relativedelta(months=months) <= now:
            expired_ids.append(pk)
    Referral.objects.filter(pk__in=expired_ids).update(
        anonymised_at=now, risk_factors=[], protective_factors=[]
    )
    Contact.objects.filter(referral_id__in=expired_ids).update(notes="", next_step="")
    Outcome.objects.filter(referral_id__in=expired_ids).update(notes="")
    people = (
        YoungPerson.objects.filter(referrals__pk__in=expired_ids, anonymised_at__isnull=True)
        .exclude(referrals__anonymised_at__isnull=True)
        .distinct()
    )
    people_ids = list(people.values_list("pk", flat=True))
    YoungPersonIdentity.objects.filter(young_person_id__in=people_ids).delete()
    YoungPerson.objects.filter(pk__in=people_ids).update(anonymised_at=now)
    for person in YoungPerson.objects.filter(pk__in=people_ids):
        person.possible_duplicates.clear()
    run = RetentionRun.objects.create(
        ran_at=now,
        referrals_anonymised=len(expired_ids),
        young_people_anonymised=len(people_ids),
        referral_ids=expired_ids,
    )
    audit_record(
        actor=None,
        action=AuditEvent.Action.DELETE,
        verb="retention.anonymised",
        target=run,
        changes={"referrals": len(expired_ids), "young_people": len(people_ids)},
    )
    return run
