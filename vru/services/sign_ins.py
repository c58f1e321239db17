"""Sign-in records (vru.data_kinds SIGN_IN): what signing in leaves behind, each record going
once its own event is more than the kind's period ago. The daily retention per kind
(rights.services.retention) calls ``sign_in_records_expire`` with the period.

- Sign-ins (django-axes' access log: username, address, browser, when signed in and out)
  and failed sign-ins (its failure log, when a deployment turns it on), counted from the
  sign-in or the attempt.
- Failed attempts that count towards a lockout (axes' access attempts), counted from the
  latest failure, and only once they no longer count: past the cool-off
  (``AXES_COOLOFF_TIME``) or, with no cool-off (a lockout that lasts until an administrator
  lifts it), unless they hold a lockout still in force. A live lockout is never lifted here.
- Sessions (allauth's UserSession rows behind "Your account": address, browser, when signed
  in and last seen), counted from the last use, once the session has ended. A session still
  signed in is never ended here, however old.
- Expired server-side sessions (Django's session rows): nothing can use them again, so they
  go at once, as Django's ``clearsessions`` would.
- The audit trail keeps every entry: entries older than the period lose the request's
  address and browser (who did what, to what and when stays). The audit trail is the
  largest table there is, so its entries are cleared a batch at a time (``AUDIT_BATCH``
  entries to a statement, in primary-key order), never in one statement over the whole
  table; all the batches are counted together.

The run is audited as counts per record type, never which records or whose.
"""

import datetime

from allauth.usersessions.models import UserSession
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.db.models import Q, Sum

from vru.models import AuditEvent
from vru.services.audit import audit_record

# Audit entries cleared by one statement.
AUDIT_BATCH = 5000


def _deleted(queryset: models.QuerySet) -> int:
    """Rows of the queryset's own model deleted (not the rows that cascade with them)."""
    _total, per_model = queryset.delete()
    return per_model.get(queryset.model._meta.label, 0)


def _lockouts_in_force() -> Q:
    """With no cool-off: the attempts whose failures, summed as axes sums them (per
    ``AXES_LOCKOUT_PARAMETERS``), reach the failure limit."""
    limit = get_failure_limit(None, None)
    locked = Q(pk__in=[])
    for parameters in settings.AXES_LOCKOUT_PARAMETERS:
        fields = [parameters] if isinstance(parameters, str) else list(parameters)
        groups = (
            AccessAttempt.objects.order_by()
            .values(*fields)
            .annotate(failures=Sum("failures_since_start"))
            .filter(failures__gte=limit)
        )
        for group in groups:
            locked |= Q(**{field: group[field] for field in fields})
    return locked


def _attempts_no_longer_counting(
    *, now: datetime.datetime, cutoff: datetime.datetime
) -> models.QuerySet:
    old = AccessAttempt.objects.filter(attempt_time__lte=cutoff)
    cool_off = get_cool_off()
    if cool_off is None:
        return old.exclude(_lockouts_in_force())
    return old.filter(attempt_time__lte=now - cool_off)


def _audit_addresses_clear(cutoff: datetime.datetime) -> int:
    """Clear the address and browser of audit entries made up to the cutoff, in batches: each
    statement clears the next ``AUDIT_BATCH`` entries that still hold either, by primary-key
    range. Returns the number of entries cleared."""
    holding = AuditEvent.objects.filter(created_at__lte=cutoff).filter(
        Q(ip_address__isnull=False) | ~Q(user_agent="")
    )
    cleared, after = 0, None
    while True:
        batch = holding if after is None else holding.filter(pk__gt=after)
        # the primary key of the batch's last entry (none: fewer than a batch remain)
        last = list(
            batch.order_by("pk").values_list("pk", flat=True)[AUDIT_BATCH - 1 : AUDIT_BATCH]
        )
        if last:
            batch = batch.filter(pk__lte=last[0])
        cleared += batch.update(ip_address=None, user_agent="")
        if not last:
            return cleared
        after = last[0]


@transaction.atomic
def sign_in_records_expire(*, now: datetime.datetime, months: int) -> int:
    """Returns the number of records deleted or cleared."""
    cutoff = now - relativedelta(months=months)
    live_sessions = Session.objects.filter(expire_date__gt=now).values("session_key")
    removed = {
        "sign_ins": _deleted(AccessLog.objects.filter(attempt_time__lte=cutoff)),
        "failed_sign_ins": _deleted(AccessFailureLog.objects.filter(attempt_time__lte=cutoff)),
        "failed_attempts": _deleted(_attempts_no_longer_counting(now=now, cutoff=cutoff)),
        "ended_sessions": _deleted(
            UserSession.objects.filter(last_seen_at__lte=cutoff).exclude(
                session_key__in=live_sessions
            )
        ),
        "expired_sessions": _deleted(Session.objects.filter(expire_date__lte=now)),
        "audit_addresses": _audit_addresses_clear(cutoff),
    }
    total = sum(removed.values())
    if total:
        audit_record(
            actor=None,
            action=AuditEvent.Action.DELETE,
            verb="sign_in_records.expired",
            changes={**removed, "before": cutoff.isoformat()},
        )
    return total
