"""Gathering a subject access request: everything the product holds on one young person,
across every app, stored as rows (rights.models.GatheredItem) a reviewer can redact.

Runs in a Celery task (rights.tasks.request_gather) and saves its progress as it goes, outside
any long transaction, so the request's page shows it. Each source is a function returning
(source label, source id, field, text) rows; nothing about any other young person is read:
every query starts from this young person.

A referral made from a conversation on a detached (street) session carries that conversation
(programmes.DetachedContact) among the case's notes, as programmes' retention treats it; the
session's other anonymous contacts are other young people and are never read.

Listening responses are recorded anonymously (evaluation.FeedbackResponse has no link to a
young person), so none can be gathered; the bundle says so. Disclosures to other
organisations come from the sharing app's disclosure log (``disclosures_made``).
"""

import contextlib
import logging
from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone

from evaluation.models import OutcomeScore
from programmes.models import (
    Contact,
    DetachedContact,
    Outcome,
    Referral,
    YoungPersonIdentity,
)
from rights.models import GatheredItem, SubjectAccessRequest
from sharing.models import DisclosureLog
from vru import fields
from vru.models import AuditEvent
from vru.services import audit_record

logger = logging.getLogger(__name__)

Kind = GatheredItem.Kind
Row = tuple[str, str, str, str]  # source label, source id, field, text

# The audit verbs that are reads of a young person's identity (programmes' services).
IDENTITY_READ_VERBS = (
    "young_person.identity_viewed",
    "young_person.identity_viewed_break_glass",
)
LISTENING_NOTE = (
    "Listening responses are recorded anonymously: none is linked to a young person, so "
    "none can be found for this request."
)


def disclosures_made(young_person) -> list[Row]:
    """What has been shared about this young person with other organisations, under which
    agreement: the sharing app's disclosure log (what left, never the data itself). Read
    for the request, not for a viewer: the request's own permission has been checked."""
    logs = (
        DisclosureLog.objects.filter(
            partnership_id=young_person.partnership_id,
            records__young_person_id=young_person.pk,
        )
        .select_related("agreement", "recipient")
        .distinct()
        .order_by("at", "pk")
    )
    rows = []
    for log in logs:
        rows.append(
            (
                "Disclosure",
                str(log.pk),
                "shared",
                f"{_date(log.at)}: {log.get_kind_display()} ({', '.join(log.fields)}) shared "
                f"with {log.recipient} under the agreement ‘{log.agreement}’, for: {log.purpose}",
            )
        )
    return rows


def _date(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        return f"{timezone.localtime(value):%-d %B %Y %H:%M}"
    return f"{value:%-d %B %Y}"


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _identity(sar: SubjectAccessRequest) -> Iterable[Row]:
    person = sar.young_person
    audit_record(
        actor=sar.gathered_by,
        action=AuditEvent.Action.VIEW,
        verb="young_person.identity_viewed",
        target=person,
        partnership=sar.partnership,
        changes={"subject_access_request": sar.pk},
    )
    label = "Young person"
    yield label, str(person.pk), "Reference", person.reference
    yield label, str(person.pk), "Gender", person.get_gender_display()
    yield label, str(person.pk), "Ethnicity", person.get_ethnicity_display()
    yield label, str(person.pk), "Education", person.get_education_status_display()
    if person.home_lsoa_id:
        yield label, str(person.pk), "Home neighbourhood", str(person.home_lsoa)
    identity = YoungPersonIdentity.objects.filter(young_person=person).first()
    if identity is None:
        return
    for field, name in (
        ("first_name", "First name"),
        ("last_name", "Last name"),
        ("date_of_birth", "Date of birth"),
        ("address", "Address"),
        ("postcode", "Postcode"),
        ("phone", "Phone"),
        ("email", "E-mail"),
    ):
        value = getattr(identity, field)  # decrypted by the field on read
        if value:
            text = _date(value) if field == "date_of_birth" else str(value)
            yield "Identity", str(identity.pk), name, text


def _referrals(sar: SubjectAccessRequest) -> Iterable[Row]:
    referrals = Referral.objects.filter(young_person=sar.young_person).select_related(
        "programme", "assigned_to", "lsoa"
    )
    for referral in referrals.order_by("referred_at", "pk"):
        label, pk = f"Referral to {referral.programme.name}", str(referral.pk)
        yield label, pk, "Source", referral.get_source_display()
        yield label, pk, "Reason", referral.get_reason_display()
        yield label, pk, "When it happened", _date(referral.event_at)
        yield label, pk, "Referred", _date(referral.referred_at)
        yield label, pk, "Status", referral.get_status_display()
        if referral.closure_reason:
            yield label, pk, "Closed because", referral.get_closure_reason_display()
        if referral.closed_at:
            yield label, pk, "Closed", _date(referral.closed_at)
        if referral.age_at_referral is not None:
            yield label, pk, "Age when referred", str(referral.age_at_referral)
        if referral.lsoa_id:
            yield label, pk, "Neighbourhood", str(referral.lsoa)
        if referral.consent_given_by:
            yield label, pk, "Consent given by", referral.get_consent_given_by_display()
            yield label, pk, "Consent given", _date(referral.consent_given_at)
        if referral.consent_withdrawn_at:
            yield label, pk, "Consent withdrawn", _date(referral.consent_withdrawn_at)
        if referral.risk_factors:
            yield label, pk, "Risk factors", ", ".join(map(str, referral.risk_factors))
        if referral.protective_factors:
            yield label, pk, "Protective factors", ", ".join(map(str, referral.protective_factors))
        if referral.eligibility_override:
            yield label, pk, "Why taken on outside the criteria", referral.eligibility_override
        if referral.assigned_to_id:
            yield label, pk, "Worker", _person(referral.assigned_to)


def _street_conversations(sar: SubjectAccessRequest) -> Iterable[Row]:
    """The detached contact each of the young person's referrals was made from: only the one
    a referral points at, never the session's other contacts. A summary cleared at the end
    of its period is left out, as contacts' cleared notes are."""
    conversations = DetachedContact.objects.filter(
        referral__young_person=sar.young_person
    ).select_related("session__programme", "session__lsoa", "referral__programme")
    for conversation in conversations.order_by("session__held_on", "pk"):
        session = conversation.session
        label = f"Street conversation on {_date(session.held_on)}"
        pk = str(conversation.pk)
        place = f"{session.place} ({session.lsoa})" if session.lsoa_id else session.place
        yield (
            label,
            pk,
            "Where",
            f"{session.get_kind_display()} of {session.programme.name} at {place}",
        )
        yield (
            label,
            pk,
            "Recorded as",
            f"{conversation.get_gender_display()}, {conversation.get_age_band_display()}",
        )
        if conversation.summary:  # decrypted by the field on read
            yield label, pk, "Summary", conversation.summary
        referral = conversation.referral
        yield (
            label,
            pk,
            "Led to",
            f"Referral to {referral.programme.name}, {_date(referral.referred_at)}",
        )


def _contacts(sar: SubjectAccessRequest) -> Iterable[Row]:
    # where a case began comes before the contacts that followed it
    yield from _street_conversations(sar)
    contacts = Contact.objects.filter(referral__young_person=sar.young_person).select_related(
        "recorded_by"
    )
    for contact in contacts.order_by("occurred_at", "pk"):
        label, pk = f"Contact on {_date(contact.occurred_at)}", str(contact.pk)
        yield label, pk, "How", contact.get_method_display()
        if contact.duration_minutes:
            yield label, pk, "Minutes", str(contact.duration_minutes)
        if contact.notes:
            yield label, pk, "Notes", contact.notes
        if contact.next_step:
            yield label, pk, "Next step", contact.next_step
        if contact.recorded_by_id:
            yield label, pk, "Recorded by", _person(contact.recorded_by)


def _outcomes(sar: SubjectAccessRequest) -> Iterable[Row]:
    outcomes = Outcome.objects.filter(referral__young_person=sar.young_person)
    for outcome in outcomes.order_by("achieved_on", "pk"):
        label, pk = "Outcome", str(outcome.pk)
        yield label, pk, "What", outcome.get_kind_display()
        yield label, pk, "When", _date(outcome.achieved_on)
        if outcome.notes:
            yield label, pk, "Notes", outcome.notes


def _sessions(sar: SubjectAccessRequest) -> Iterable[Row]:
    sessions = sar.young_person.sessions.select_related("programme").order_by("held_on", "pk")
    for session in sessions:
        yield (
            "Session",
            str(session.pk),
            "Attended",
            f"{session.get_kind_display()} of {session.programme.name} at {session.place}, "
            f"{_date(session.held_on)}",
        )


def _outcome_scores(sar: SubjectAccessRequest) -> Iterable[Row]:
    scores = OutcomeScore.objects.filter(referral__young_person=sar.young_person).select_related(
        "instrument"
    )
    for score in scores.order_by("scored_on", "pk"):
        text = f"{score.get_time_point_display()}, {_date(score.scored_on)}: total {score.total}"
        if score.items:
            text += f" (answers: {', '.join(map(str, score.items))})"
        yield f"Questionnaire: {score.instrument.name}", str(score.pk), "Score", text


def _listening(sar: SubjectAccessRequest) -> Iterable[Row]:
    return []  # none can be linked (LISTENING_NOTE)


def _disclosures(sar: SubjectAccessRequest) -> Iterable[Row]:
    return disclosures_made(sar.young_person)


def _identity_reads(sar: SubjectAccessRequest) -> Iterable[Row]:
    person = sar.young_person
    events = (
        AuditEvent.objects.filter(
            partnership_id=sar.partnership_id,
            target_type=person._meta.label_lower,
            target_id=str(person.pk),
            verb__in=IDENTITY_READ_VERBS,
        )
        .select_related("actor")
        .order_by("created_at", "pk")
    )
    for event in events:
        how = "break-glass access" if event.verb.endswith("break_glass") else "viewed"
        who = _person(event.actor) if event.actor_id else "The system"
        yield (
            "Audit trail",
            str(event.pk),
            "Identity read",
            f"{who}, {how}, {_date(event.created_at)}",
        )


SOURCES: list[tuple[str, str, Callable[[SubjectAccessRequest], Iterable[Row]]]] = [
    (Kind.IDENTITY, "Identity", _identity),
    (Kind.REFERRAL, "Referrals", _referrals),
    (Kind.CONTACT, "Contacts and notes", _contacts),
    (Kind.OUTCOME, "Outcomes", _outcomes),
    (Kind.SESSION, "Sessions attended", _sessions),
    (Kind.OUTCOME_SCORE, "Outcome scores", _outcome_scores),
    (Kind.LISTENING, "Listening responses", _listening),
    (Kind.DISCLOSURE, "Disclosures", _disclosures),
    (Kind.IDENTITY_READ, "Who viewed the identity", _identity_reads),
]


class SupersededError(Exception):
    """This attempt at gathering was handed over again (its request's gather_attempt moved
    on) or the request left "gathering": the attempt stops without writing."""


def _set_progress(request_id: int, attempt: int, percent: int, step: str, **fields) -> None:
    """Save the progress of this attempt (and when it moved), or raise SupersededError."""
    moved = SubjectAccessRequest.objects.filter(
        pk=request_id, gather_attempt=attempt, status=SubjectAccessRequest.Status.GATHERING
    ).update(progress=percent, progress_step=step[:200], progress_at=timezone.now(), **fields)
    if not moved:
        raise SupersededError


def request_gather(*, request_id: int) -> SubjectAccessRequest:
    """Gather everything held on the request's young person. Idempotent: a request that is
    not waiting to be gathered is left alone; each attempt starts afresh (the items of an
    earlier attempt are replaced), and an attempt that was handed over again (a stalled
    gathering resumed, services.review) stops at its next step. A failed run puts the
    request back to "received"."""
    sar = SubjectAccessRequest.objects.select_related(
        "young_person__home_lsoa", "partnership", "gathered_by"
    ).get(pk=request_id)
    if sar.status != SubjectAccessRequest.Status.GATHERING:
        return sar
    attempt = sar.gather_attempt
    counts = {}
    try:
        with transaction.atomic():
            _set_progress(sar.pk, attempt, 0, "Starting")
            GatheredItem.objects.filter(request=sar).delete()
        position = 0
        for index, (kind, label, source) in enumerate(SOURCES):
            with transaction.atomic():
                # the progress row is locked until this step's items are in: a hand-over
                # waits for it, and the next attempt's clean start comes after it
                _set_progress(
                    sar.pk, attempt, round(100 * index / len(SOURCES)), f"Gathering {label.lower()}"
                )
                items = []
                for source_label, source_id, field, text in source(sar):
                    position += 1
                    items.append(
                        GatheredItem(
                            request=sar,
                            position=position,
                            kind=kind,
                            source_label=source_label[:120],
                            source_id=source_id[:40],
                            field=field[:80],
                            text=text,
                        )
                    )
                # bulk inserts send no post_save: bind each text to its new row
                fields.seal(GatheredItem.objects.bulk_create(items))
                counts[str(kind)] = len(items)
        with transaction.atomic():
            _set_progress(
                sar.pk,
                attempt,
                100,
                "Ready for review",
                status=SubjectAccessRequest.Status.IN_REVIEW,
                gathered_at=timezone.now(),
                gather_error="",
            )
            audit_record(
                actor=sar.gathered_by,
                action=AuditEvent.Action.VIEW,
                verb="subject_access.gathered",
                target=sar,
                changes={"items": counts},
            )
    except SupersededError:
        logger.info("Gathering subject access request %s was handed over again", sar.pk)
    except Exception as exc:
        logger.exception("Gathering subject access request %s failed", sar.pk)
        with contextlib.suppress(SupersededError):  # a later attempt has the request
            _set_progress(
                sar.pk,
                attempt,
                0,
                "Failed",
                status=SubjectAccessRequest.Status.RECEIVED,
                gather_error=f"{type(exc).__name__}: gathering stopped; try again.",
            )
        raise
    sar.refresh_from_db()
    return sar
