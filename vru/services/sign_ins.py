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
  largest table there is, so its entries are cleared a batch at a time, each batch
  committed on its own (vru.services.batches), after the deletions have committed in their
  own transaction: no lock outlives its batch, and a run that fails part-way keeps the
  batches done, the next run carrying on with the entries still holding either.

The run is audited once, after the batches, as counts per record type, never which records
or whose: what was actually done, even when a batch failed (the record then says the run
was interrupted, and the failure is raised).
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
from vru.services.batches import updated_in_batches


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


def sign_in_records_expire(*, now: datetime.datetime, months: int) -> int:
    """Returns the number of records deleted or cleared. Not to be called inside a
    transaction: the audit trail's batches commit on their own."""
    cutoff = now - relativedelta(months=months)
    with transaction.atomic():
        removed = _sign_in_records_delete(now=now, cutoff=cutoff)
    removed["audit_addresses"] = 0
    holding = AuditEvent.objects.filter(created_at__lte=cutoff).filter(
        Q(ip_address__isnull=False) | ~Q(user_agent="")
    )
    finished = False
    try:
        for cleared in updated_in_batches(holding, ip_address=None, user_agent=""):
            removed["audit_addresses"] += cleared
        finished = True
    finally:
        # what was done is recorded whether or not every batch was: the deletions and the
        # batches before a failure have committed
        _audit(removed, cutoff=cutoff, finished=finished)
    return sum(removed.values())


def _sign_in_records_delete(*, now: datetime.datetime, cutoff: datetime.datetime) -> dict:
    live_sessions = Session.objects.filter(expire_date__gt=now).values("session_key")
    return {
        "sign_ins": _deleted(AccessLog.objects.filter(attempt_time__lte=cutoff)),
        "failed_sign_ins": _deleted(AccessFailureLog.objects.filter(attempt_time__lte=cutoff)),
        "failed_attempts": _deleted(_attempts_no_longer_counting(now=now, cutoff=cutoff)),
        "ended_sessions": _deleted(
            UserSession.objects.filter(last_seen_at__lte=cutoff).exclude(
                session_key__in=live_sessions
            )
        ),
        "expired_sessions": _deleted(Session.objects.filter(expire_date__lte=now)),
    }


def _audit(removed: dict, *, cutoff: datetime.datetime, finished: bool) -> None:
    if not sum(removed.values()) and finished:
        return
    changes = {**removed, "before": cutoff.isoformat()}
    if not finished:
        changes["interrupted"] = True
    audit_record(
        actor=None,
        action=AuditEvent.Action.DELETE,
        verb="sign_in_records.expired",
        changes=changes,
    )
