"""Notices about cases, told in digests: one e-mail per person per sweep, listing the cases.

Who hears of what (the same rules as when each case had an e-mail of its own):

- a new referral: its programme's managers and its assignee, not whoever made it;
- a missed contact target (a breach of the 24-hour clock, `Referral.breached_q`): its
  programme's managers.

The service that makes a referral writes a `NewReferralNotice` in its own transaction; the
sweep (beat, every minute) finds new breaches from database state (a `BreachNotification`
once per referral, however often it runs), then puts every waiting notice into one
`NoticeDigest` per person and kind, with its outbox message, in one transaction. A flood of
cases (an import of 100,000 overdue referrals) is one e-mail per person per sweep listing the
first `LISTED` cases due and counting the rest, never one e-mail per case; the outbox
(vru.services.outbox) sends each digest once and retries a failed send.

Historical referrals (`Referral.historical`: imported long after their target passed) notify
nobody, and neither do cases closed or anonymised by the time the sweep reaches them.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Subquery
from django.utils import timezone

from programmes.models import (
    BreachNotification,
    NewReferralNotice,
    NoticeDigest,
    ProgrammeStaff,
    Referral,
)
from vru import emails
from vru.models import AuditEvent, User
from vru.services import audit_record, outbox

NOTICE_DIGEST = "programmes.notice_digest"
LISTED = 50  # cases a digest names; the others are counted, with a link to the caseload

TEMPLATES = {
    NoticeDigest.Kind.BREACHES: "emails/programmes/breach_notification",
    NoticeDigest.Kind.NEW_REFERRALS: "emails/programmes/referral_created",
}
CASELOAD_LINKS = {
    NoticeDigest.Kind.BREACHES: "/programmes/caseload/?breached=true",
    NoticeDigest.Kind.NEW_REFERRALS: "/programmes/caseload/?sort=-referred",
}


def historical_before(now: datetime) -> datetime:
    """An imported referral due before this is historical (VRU_HISTORICAL_REFERRAL_DAYS)."""
    return now - timedelta(days=settings.VRU_HISTORICAL_REFERRAL_DAYS)


def referral_noticed(*, referral: Referral) -> None:
    """A new referral to tell its people about, in the caller's transaction (never a
    historical one)."""
    if not referral.historical:
        NewReferralNotice.objects.create(referral=referral)


def breaches_find(*, now: datetime) -> int:
    """Note every breach not noted yet (historical referrals aside), once per referral: the
    unique referral on BreachNotification means a breach is noted once however often the
    sweep runs. One INSERT ... SELECT in the database (no row passes through Python). Returns
    how many were noted. Call inside the sweep's transaction."""
    breached = (
        Referral.objects.filter(
            Referral.breached_q(now), breach_notification__isnull=True, historical=False
        )
        .order_by()
        .values_list("pk")[: settings.VRU_NOTICE_SWEEP_LIMIT]
    )
    select, params = breached.query.sql_with_params()
    quote = connection.ops.quote_name
    table = BreachNotification._meta
    columns = [table.get_field(name).column for name in ("referral", "created_at")]
    with connection.cursor() as cursor:
        # names from the models' _meta and SQL compiled by Django; values are parameters.
        # "WHERE true": SQLite's grammar needs it before ON CONFLICT after a SELECT.
        insert = f"INSERT INTO {quote(table.db_table)} ({', '.join(map(quote, columns))}) "
        cursor.execute(
            insert + f"SELECT breached.*, %s FROM ({select}) breached "  # noqa: S608
            "WHERE true ON CONFLICT DO NOTHING",
            [now, *params],
        )
        return cursor.rowcount


def _managers(programme_ids: Iterable[int]) -> dict[int, set[int]]:
    """Programme id -> the ids of its managers who can be e-mailed (active, an address)."""
    managers: dict[int, set[int]] = defaultdict(set)
    rows = ProgrammeStaff.objects.filter(
        programme_id__in=set(programme_ids),
        role=ProgrammeStaff.StaffRole.MANAGER,
        user__is_active=True,
    ).exclude(user__email="")
    for programme_id, user_id in rows.values_list("programme_id", "user_id"):
        managers[programme_id].add(user_id)
    return managers


def _reachable(user_ids: Iterable[int]) -> dict[int, int]:
    """User id -> partnership id, of the users who can be e-mailed (active, an address)."""
    return dict(
        User.objects.filter(pk__in=set(user_ids), is_active=True)
        .exclude(email="")
        .values_list("pk", "partnership_id")
    )


def _digests(
    *, kind: str, now: datetime, cases_of: dict[int, list[tuple[datetime, int]]]
) -> list[int]:
    """One digest per person (user id -> [(due, referral id)]) with its outbox message."""
    partnership_of = _reachable(cases_of)
    made = []
    for user_id, cases in sorted(cases_of.items()):
        if user_id not in partnership_of or not cases:
            continue
        cases.sort()
        digest = NoticeDigest.objects.create(
            partnership_id=partnership_of[user_id],
            recipient_id=user_id,
            kind=kind,
            swept_at=now,
            referral_ids=[pk for _, pk in cases[:LISTED]],
            total=len(cases),
        )
        outbox.enqueue(
            kind=NOTICE_DIGEST, target_id=digest.pk, partnership_id=digest.partnership_id
        )
        made.append(digest.pk)
    return made


def _claim(model, mark: str, now: datetime):
    """Mark the waiting notices (`mark` still empty) as this sweep's, oldest first, at most
    VRU_NOTICE_SWEEP_LIMIT, in one UPDATE: exactly the rows committed when it runs, each
    claimed by one sweep (a concurrent sweep waits for the row, then finds it taken). Returns
    the claimed rows' queryset."""
    waiting = model.objects.filter(**{f"{mark}__isnull": True}).order_by("pk")
    model.objects.filter(
        pk__in=Subquery(waiting.values("pk")[: settings.VRU_NOTICE_SWEEP_LIMIT])
    ).update(**{mark: now})
    return model.objects.filter(**{mark: now})


def _digest_breaches(now: datetime) -> list[int]:
    waiting = list(
        _claim(BreachNotification, "digested_at", now).values_list(
            "referral_id",
            "referral__programme_id",
            "referral__due_at",
            "referral__anonymised_at",
        )
    )
    managers = _managers(row[1] for row in waiting)
    cases_of: dict[int, list[tuple[datetime, int]]] = defaultdict(list)
    for referral_id, programme_id, due_at, anonymised_at in waiting:
        if anonymised_at is None:
            for user_id in managers.get(programme_id, ()):
                cases_of[user_id].append((due_at, referral_id))
    return _digests(kind=NoticeDigest.Kind.BREACHES, now=now, cases_of=cases_of)


def _digest_new_referrals(now: datetime) -> list[int]:
    claimed = _claim(NewReferralNotice, "swept_at", now)
    waiting = list(
        claimed.values_list(
            "referral_id",
            "referral__programme_id",
            "referral__due_at",
            "referral__assigned_to_id",
            "referral__created_by_id",
            "referral__status",
            "referral__anonymised_at",
        )
    )
    managers = _managers(row[1] for row in waiting)
    cases_of: dict[int, list[tuple[datetime, int]]] = defaultdict(list)
    for referral_id, programme_id, due_at, assignee, maker, status, anonymised_at in waiting:
        if status == Referral.Status.CLOSED or anonymised_at is not None:
            continue  # closed before anyone was told: nothing to act on
        people = set(managers.get(programme_id, ()))
        if assignee is not None:
            people.add(assignee)
        people.discard(maker)
        for user_id in people:
            cases_of[user_id].append((due_at, referral_id))
    made = _digests(kind=NoticeDigest.Kind.NEW_REFERRALS, now=now, cases_of=cases_of)
    claimed.delete()  # told (or nobody to tell): done with
    return made


@transaction.atomic
def notices_sweep(*, now: datetime | None = None) -> list[int]:
    """The sweep (beat, every minute): note new breaches, then put every waiting notice into
    one digest per person and kind, each with its outbox message. Returns the digests' ids.

    Idempotent and safe to run twice at once: each notice is claimed by one sweep (`_claim`),
    noted breaches are digested once (`digested_at`) and new-referral notices are deleted in
    the transaction that makes their digests."""
    now = now or timezone.now()
    breaches_find(now=now)
    return [*_digest_breaches(now), *_digest_new_referrals(now)]


@transaction.atomic
def notice_digest_send(*, digest_id: int) -> bool:
    """E-mail one digest, once: the cases' pseudonymous references, programmes and due times
    with a link to each, never a name or an offence. Run by the outbox handler, whose row lock
    and "done" mark make it happen once; `emailed_at` makes a second call do nothing.
    Returns whether it sent."""
    digest = (
        NoticeDigest.objects.select_for_update(of=("self",))
        .select_related("recipient")
        .filter(pk=digest_id)
        .first()
    )
    if digest is None or digest.emailed_at is not None:
        return False
    recipient = digest.recipient
    listed = {
        r.pk: r
        for r in Referral.objects.filter(
            pk__in=digest.referral_ids, anonymised_at__isnull=True
        ).select_related("programme", "young_person")
    }
    cases = [
        {
            "reference": referral.young_person.reference,
            "programme": referral.programme.name,
            "target_hours": referral.programme.referral_target_hours,
            "due_at": referral.due_at,
            "link": emails.absolute_url(referral.get_absolute_url()),
        }
        for referral in (listed.get(pk) for pk in digest.referral_ids)
        if referral is not None
    ]
    sent = bool(recipient.is_active and recipient.email and cases)
    if sent:
        emails.send_email(
            TEMPLATES[digest.kind],
            {
                "cases": cases,
                "total": digest.total,
                "more": digest.total - len(cases),
                "programmes": sorted({case["programme"] for case in cases}),
                "caseload_link": emails.absolute_url(CASELOAD_LINKS[digest.kind]),
            },
            to=[recipient.email],
        )
    digest.emailed_at = timezone.now()
    digest.save(update_fields=["emailed_at"])
    audit_record(
        actor=None,
        action=AuditEvent.Action.UPDATE,
        verb=f"referral.{digest.kind}_digest_sent"
        if sent
        else f"referral.{digest.kind}_digest_dropped",
        target=digest,
        partnership=digest.partnership,
        changes={"recipient": recipient.pk, "cases": digest.total, "listed": digest.referral_ids},
    )
    return sent
