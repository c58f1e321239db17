"""Case data removed kind by kind, at the period of the register of kinds of personal data
(vru.data_kinds), each counted from the event the register names: the daily retention per
kind (rights.services.retention) calls these with the kind's period; this app alone removes
its own records.

A programme may keep its case records for less than the register, never longer: each case's
period is the earlier of the register's and its programme's own (Programme.retention_months).

A contact's or outcome's corrections keep earlier versions holding its notes before and
after: they go with the notes, in the same batch, not later with the referral details (whose
period may be longer, or which may fail after the case notes have committed).

Detached contacts' summaries (a conversation with a young person whose name was not taken)
are case notes with no case to count from: each goes at the case notes' period (bounded the
same way by its programme's own) counted from its session's day; a contact that became a
referral is part of that case, and goes with the case's notes, never while the case is
still within its period. The contact's age band, gender and session (its place and day)
stay for the counts.

The issues raised noted on a session (group or detached: what young people raised, in a
worker's words, which may name someone) are case notes too, counted the same way from the
session's day; the session's corrections' earlier versions, which may hold them, go with
them. The session's kind, day, place, neighbourhood and headcounts stay.

Each function returns how many records it changed and is idempotent (a record already
removed is not counted again). Contacts, outcomes, detached contacts, referrals and young
people are the largest tables of case data: each is changed a committed batch at a time
(vru.services.batches), a case's or a person's records together in one batch, so no lock is
held over a whole table and a failure keeps the batches done for the next run to carry on
from. These are not to be called inside a transaction; session attendance's is the same
(programmes.services.sla).
"""

from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Length
from django.utils import timezone

from programmes.models import (
    Contact,
    DetachedContact,
    Outcome,
    Programme,
    RecordVersion,
    Referral,
    SearchToken,
    Session,
    YoungPerson,
    YoungPersonIdentity,
)
from vru.services.batches import Progress, changed_in_batches, updated_in_batches


def _past_period(*, now: datetime, months: int) -> Q:
    """Closed cases whose period (the earlier of ``months`` and their programme's own)
    ended on or before ``now``, counted from the case's closing."""
    expired = Q(pk__in=[])
    for programme_id, own in Programme.objects.values_list("pk", "retention_months"):
        cutoff = now - relativedelta(months=min(months, own))
        expired |= Q(programme_id=programme_id, closed_at__lte=cutoff)
    return Q(status=Referral.Status.CLOSED, closed_at__isnull=False) & expired


def cases_past_retention(*, now: datetime, months: int) -> QuerySet[Referral]:
    """The closed cases whose period for a kind of data (``months``, bounded by their
    programme's own) has ended: for other apps' expiry of data kept on a case (evaluation's
    outcome scores)."""
    return Referral.objects.filter(_past_period(now=now, months=months))


def referral_details_expire(*, now: datetime, months: int, progress: Progress | None = None) -> int:
    """Referral and offence details (criminal-offence data) of cases closed more than
    ``months`` ago: the risk and protective factors, the free-text reasons and the earlier
    versions kept by corrections go, and the case is marked anonymised. What the aggregates
    count stays (source, reason, dates, age at referral, neighbourhood, status). Returns the
    number of cases."""
    due = Referral.objects.filter(_past_period(now=now, months=months), anonymised_at__isnull=True)

    def clear(cases: QuerySet[Referral]) -> int:
        # the versions first: once marked anonymised the cases leave the batch's query
        RecordVersion.objects.filter(referral_id__in=cases.values("pk")).delete()
        return cases.update(
            anonymised_at=now,
            risk_factors=[],
            protective_factors=[],
            eligibility_override="",
            parental_consent_not_needed="",
        )

    return sum(changed_in_batches(due, clear, progress))


def case_notes_expire(*, now: datetime, months: int, progress: Progress | None = None) -> int:
    """The notes and next steps of contacts, and outcomes' notes, on cases closed more than
    ``months`` ago (when, how and what kind stay), with the contacts' and outcomes' earlier
    versions kept by corrections (which hold the notes before and after), and detached
    contacts' summaries (see above), and the issues raised noted on sessions (see above).
    Returns the number of contacts, outcomes, detached contacts and sessions cleared."""
    cases = cases_past_retention(now=now, months=months).values("pk")
    kind = RecordVersion.Kind
    # encrypted text cannot be compared, only measured: an empty one has no length
    contacts = (
        Contact.objects.filter(referral_id__in=cases)
        .annotate(notes_held=Length("notes"), next_step_held=Length("next_step"))
        .filter(Q(notes_held__gt=0) | Q(next_step_held__gt=0) | _versioned(kind.CONTACT))
    )
    outcomes = (
        Outcome.objects.filter(referral_id__in=cases)
        .annotate(notes_held=Length("notes"))
        .filter(Q(notes_held__gt=0) | _versioned(kind.OUTCOME))
    )
    clear_contacts = _with_versions(kind.CONTACT, notes="", next_step="")
    cleared = sum(changed_in_batches(contacts, clear_contacts, progress))
    cleared += sum(changed_in_batches(outcomes, _with_versions(kind.OUTCOME, notes=""), progress))
    cleared += _detached_summaries_expire(now=now, months=months, progress=progress)
    return cleared + _session_issues_expire(now=now, months=months)


def _versioned(kind: str) -> Q:
    """Records of ``kind`` with earlier versions kept."""
    return Q(pk__in=RecordVersion.objects.filter(kind=kind).values("object_id"))


def _with_versions(kind: str, **values):
    """A batch's change: its records' earlier versions deleted and ``values`` set, together
    (the notes and the versions quoting them go in the same transaction)."""

    def clear(records: QuerySet) -> int:
        ids = list(records.values_list("pk", flat=True))
        RecordVersion.objects.filter(kind=kind, object_id__in=ids).delete()
        return records.model.objects.filter(pk__in=ids).update(**values)

    return clear


def _held_past(*, now: datetime, months: int, session: str = "") -> Q:
    """Sessions held ``months`` ago or more, bounded by their programme's own period
    (``session``: the path to the session from the model filtered)."""
    today = timezone.localdate(now)
    past = Q(pk__in=[])
    for programme_id, own in Programme.objects.values_list("pk", "retention_months"):
        cutoff = today - relativedelta(months=min(months, own))
        past |= Q(**{f"{session}programme_id": programme_id, f"{session}held_on__lte": cutoff})
    return past


@transaction.atomic
def _session_issues_expire(*, now: datetime, months: int) -> int:
    """The issues raised on sessions held ``months`` ago or more (see above), and the
    sessions' earlier versions, in one transaction (a session's issues and its versions go
    together; sessions are far fewer than contacts); returns the sessions cleared."""
    held_past = Session.objects.filter(_held_past(now=now, months=months))
    with_issues = set(held_past.exclude(issues_raised="").values_list("pk", flat=True))
    versions = RecordVersion.objects.filter(
        kind=RecordVersion.Kind.SESSION, object_id__in=held_past.values("pk")
    )
    versioned = set(versions.values_list("object_id", flat=True))
    versions.delete()
    Session.objects.filter(pk__in=with_issues).update(issues_raised="")
    return len(with_issues | versioned)


def _detached_summaries_expire(
    *, now: datetime, months: int, progress: Progress | None = None
) -> int:
    """Detached contacts' summaries from sessions held ``months`` ago or more (bounded by
    the programme's own period); one that became a referral waits for that case's period."""
    past = _held_past(now=now, months=months, session="session__")
    case_kept = Referral.objects.exclude(_past_period(now=now, months=months)).values(
        "from_detached_contact_id"
    )
    held = (
        DetachedContact.objects.filter(past)
        .annotate(summary_held=Length("summary"))  # encrypted: measured, not compared
        .filter(summary_held__gt=0)
        .exclude(pk__in=case_kept.filter(from_detached_contact__isnull=False))
    )
    return sum(updated_in_batches(held, summary="", progress=progress))


def identity_expire(*, now: datetime, months: int, progress: Progress | None = None) -> int:
    """The identity (name, date of birth, address, contact details, search tokens) of young
    people whose last case closed more than ``months`` ago: none of their cases is open or
    within its period. The pseudonymous record stays, marked anonymised. Returns the number
    of young people."""
    kept = Referral.objects.exclude(_past_period(now=now, months=months)).values("young_person")
    people = YoungPerson.objects.filter(anonymised_at__isnull=True, referrals__isnull=False)
    due = people.exclude(pk__in=kept).distinct()

    def anonymise(batch: QuerySet[YoungPerson]) -> int:
        ids = list(batch.values_list("pk", flat=True))
        YoungPersonIdentity.objects.filter(young_person_id__in=ids).delete()
        # corrections' earlier versions may hold names and addresses: they go with the identity
        RecordVersion.objects.filter(referral__young_person_id__in=ids).delete()
        SearchToken.objects.filter(young_person_id__in=ids).delete()
        YoungPerson.objects.filter(pk__in=ids).update(anonymised_at=now)
        for person in YoungPerson.objects.filter(pk__in=ids):
            person.possible_duplicates.clear()
        return len(ids)

    return sum(changed_in_batches(due, anonymise, progress))
