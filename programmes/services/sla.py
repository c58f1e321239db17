"""Retention (anonymisation). The 24-hour clock's breaches are told in digests
(programmes.services.notices)."""

from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from programmes.models import (
    Contact,
    DetachedContact,
    Outcome,
    RecordVersion,
    Referral,
    RetentionRun,
    SearchToken,
    Session,
    YoungPerson,
    YoungPersonIdentity,
)
from vru.models import AuditEvent
from vru.services import audit_record, outbox
from vru.services.batches import Progress, deleted_in_batches

# Before digests, each breach had an outbox message of its own: those still waiting when the
# digests came are told in the next digest instead (programmes.handlers).
BREACH_NOTIFICATION = "programmes.breach_notification"
RETENTION_RUN = "programmes.retention_run"


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
    people_ids = _anonymise_referrals(expired_ids, now)
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


def _anonymise_referrals(expired_ids: list[int], now: datetime) -> list[int]:
    """Anonymise these referrals; returns the young people whose identity went with them
    (those with no referral left that is not anonymised)."""
    Referral.objects.filter(pk__in=expired_ids).update(
        anonymised_at=now, risk_factors=[], protective_factors=[]
    )
    Contact.objects.filter(referral_id__in=expired_ids).update(notes="", next_step="")
    Outcome.objects.filter(referral_id__in=expired_ids).update(notes="")
    # the detached contact a case came from is part of its notes (retention: case notes)
    DetachedContact.objects.filter(referral__in=expired_ids).update(summary="")
    # corrections keep what a case said before (names, addresses, notes): they go with it
    RecordVersion.objects.filter(referral_id__in=expired_ids).delete()
    people = (
        YoungPerson.objects.filter(referrals__pk__in=expired_ids, anonymised_at__isnull=True)
        .exclude(referrals__anonymised_at__isnull=True)
        .distinct()
    )
    people_ids = list(people.values_list("pk", flat=True))
    YoungPersonIdentity.objects.filter(young_person_id__in=people_ids).delete()
    SearchToken.objects.filter(young_person_id__in=people_ids).delete()
    YoungPerson.objects.filter(pk__in=people_ids).update(anonymised_at=now)
    for person in YoungPerson.objects.filter(pk__in=people_ids):
        person.possible_duplicates.clear()
    return people_ids


@transaction.atomic
def young_person_erase(*, actor, young_person: YoungPerson, now: datetime | None = None) -> int:
    """Erase a young person at their request (UK GDPR Article 17), once the caller has found
    no legal obligation to keep the records: every referral anonymised as the retention run
    does, the identity deleted and their named session attendance removed. Returns the
    number of records changed or removed."""
    now = now or timezone.now()
    referral_ids = list(
        Referral.objects.filter(young_person=young_person, anonymised_at__isnull=True)
        .exclude(status__in=OPEN_STATUSES_KEPT)
        .values_list("pk", flat=True)
    )
    _anonymise_referrals(referral_ids, now)
    identity = YoungPersonIdentity.objects.filter(young_person=young_person).delete()[0]
    SearchToken.objects.filter(young_person=young_person).delete()
    attendance = Session.attendees.through.objects.filter(youngperson_id=young_person.pk)
    attended = attendance.delete()[0]
    YoungPerson.objects.filter(pk=young_person.pk).update(anonymised_at=now)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        verb="young_person.erased",
        target=young_person,
        changes={"referrals": len(referral_ids), "identity": identity, "sessions": attended},
    )
    return len(referral_ids) + identity + attended


# An erasure never reaches an open case (the caller refuses it); this keeps it so regardless.
OPEN_STATUSES_KEPT = [s for s in Referral.Status.values if s != Referral.Status.CLOSED]


def session_attendance_expire(
    *, now: datetime, months: int, progress: Progress | None = None
) -> int:
    """Remove named attendance from sessions held more than ``months`` ago (the headcounts
    by age band and gender stay), a committed batch at a time (vru.services.batches: not to
    be called inside a transaction). Returns the number of attendance records removed."""
    cutoff = timezone.localdate(now) - relativedelta(months=months)
    attendance = Session.attendees.through.objects.filter(session__held_on__lte=cutoff)
    return sum(deleted_in_batches(attendance, progress))
