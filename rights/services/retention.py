"""The daily retention per kind of data: each kind of vru.data_kinds goes at its own period,
counted from its own event, through the owning app's own service (this app only calls them).
What went is recorded as counts per kind, never which records or what they said.

- identity (after the last of the young person's cases closes), referral and offence
  details, case notes (after the case closes): programmes.services.identity_expire,
  referral_details_expire, case_notes_expire; case notes include detached contacts'
  summaries, counted from the session (from the case closing for one that became a
  referral), and the issues raised noted on sessions, counted from the session;
- outcome scores (after the case closes): evaluation.services.outcome_scores_expire;
  for these four, a programme may keep its cases for less than the register's period
  (Programme.retention_months), never longer: each case goes at the earlier of the two;
- named session attendance: programmes.services.session_attendance_expire, after the
  session plus the SESSION_ATTENDANCE period;
- listening responses: evaluation.services.listening_responses_expire, after the project
  closes plus the LISTENING period;
- youth reviewers' details and scores: grants.services.reviewers_expire, after the round
  closes plus the REVIEWER period (comments cleared, and the comments decisions quoted and
  older decisions' panel feedback, the reviewer's identity detached from the round's scores,
  accounts with no later round anonymised; the score numbers stay);
- applicants' contact details and accounts: grants.services.applicants_expire, after the
  round closes plus the APPLICANT period (each application's contact and attached files at
  its own round, the files deleted from storage once the kind commits; an
  organisation's contact e-mail and phone once the last round it applied to is past the
  period; an applicant's account with no application in a round still within the period,
  no other role and no sign-in within the period, anonymised);
- monitoring returns' case studies: grants.services.case_studies_expire, after the return
  fell due (or was sent, if later) plus the CASE_STUDIES period (the story; the return's
  figures stay);
- sign-in records: vru.services.sign_in_records_expire, after the sign-in, the failed attempt
  or the session's last use plus the SIGN_IN period (sign-ins, failed attempts no longer
  counting towards a lockout and ended sessions deleted; the audit trail's entries lose the
  address and browser). A lockout in force and a session still signed in are kept;
- rights requests: rights.services.request_retention.requests_expire, after the request was
  answered plus the RIGHTS_REQUEST period (who asked, their words, the identity check's notes
  and the reasons written on it, with the reasons the audit trail recorded for its
  redactions; dates and status stay).

Two working copies have no kind of their own and go far sooner, at a number of days set for
the deployment; the run records them beside the kinds:

- subject_access_copy: the records gathered to answer a request, VRU_SAR_COPY_DAYS after it
  was answered (rights.services.request_retention.request_copies_expire);
- import_details: what a finished import keeps of its file (the name it was uploaded under,
  row errors that may quote a cell, a file still held), VRU_IMPORT_DETAILS_DAYS after it
  finished
  (vru.services.import_details_expire).

Each kind's service owns its transaction: a kind is removed whole, or, for the largest
tables (case notes, referral details, identities, outcome scores, named attendance,
listening responses, the audit trail's addresses, imports' row errors), a committed batch
at a time (vru.services.batches), so no lock is held over a whole table and nothing done
is rolled back by a later failure. Every service is idempotent (what it already removed is
not selected again), so a run that fails keeps the kinds and batches it finished, is
recorded with what it removed (the failing kind's committed batches too) and the kind that
failed, and raises; the next run carries on. A kind's stored files are deleted once that kind's transaction commits. Nothing here
deletes a stored file itself (the bundle is never stored; an import's file is a column of
its job).
"""

from datetime import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone

from evaluation import services as evaluation_services
from grants import services as grant_services
from programmes import services as programme_services
from rights.models import KindRetentionRun
from rights.services import request_retention
from vru import services as vru_services
from vru.data_kinds import DataKind, retention_months
from vru.models import AuditEvent
from vru.services import audit_record
from vru.services.batches import Progress

# Each kind this run applies, and the owning app's service that removes it.
EXPIRERS = {
    DataKind.IDENTITY: programme_services.identity_expire,
    DataKind.REFERRAL: programme_services.referral_details_expire,
    DataKind.CASE_NOTES: programme_services.case_notes_expire,
    DataKind.OUTCOME_SCORES: evaluation_services.outcome_scores_expire,
    DataKind.SESSION_ATTENDANCE: programme_services.session_attendance_expire,
    DataKind.LISTENING: evaluation_services.listening_responses_expire,
    DataKind.REVIEWER: grant_services.reviewers_expire,
    DataKind.APPLICANT: grant_services.applicants_expire,
    DataKind.SIGN_IN: vru_services.sign_in_records_expire,
    DataKind.CASE_STUDIES: grant_services.case_studies_expire,
    DataKind.RIGHTS_REQUEST: request_retention.requests_expire,
}
# The kinds removed a committed batch at a time whose services report the batches done so
# far (vru.services.batches.Progress), so that a kind failing part-way is recorded with
# what it removed. (The audit trail's addresses and imports' row errors, also batched,
# audit their own partial counts.)
BATCHED = {
    DataKind.IDENTITY,
    DataKind.REFERRAL,
    DataKind.CASE_NOTES,
    DataKind.OUTCOME_SCORES,
    DataKind.SESSION_ATTENDANCE,
    DataKind.LISTENING,
}
# Working copies, each cleared a number of days (a setting) after its own event.
COPIES = {
    "subject_access_copy": request_retention.request_copies_expire,
    "import_details": vru_services.import_details_expire,
}


def retention_apply(*, now: datetime | None = None) -> KindRetentionRun:
    """Not to be called inside a transaction: each kind commits on its own (see above)."""
    now = now or timezone.now()
    steps = [
        *((name, partial(expire, now=now), None) for name, expire in COPIES.items()),
        *(
            (
                str(kind),
                partial(expire, now=now, months=retention_months(kind)),
                Progress() if kind in BATCHED else None,
            )
            for kind, expire in EXPIRERS.items()
        ),
    ]
    removed: dict[str, int] = {}
    for name, expire, progress in steps:
        try:
            removed[name] = expire() if progress is None else expire(progress=progress)
        except Exception:
            if progress is not None:  # its committed batches stay removed
                removed[name] = progress.done
            _run_record(now=now, removed=removed, failed=name)
            raise
    return _run_record(now=now, removed=removed)


@transaction.atomic
def _run_record(*, now: datetime, removed: dict[str, int], failed: str = "") -> KindRetentionRun:
    run = KindRetentionRun.objects.create(ran_at=now, removed=removed, failed=failed)
    audit_record(
        actor=None,
        action=AuditEvent.Action.DELETE,
        verb="retention.kinds_applied",
        target=run,
        changes={**removed, "failed": failed} if failed else removed,
    )
    return run
