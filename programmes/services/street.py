"""Records sent late from the street-work page on a phone: each stored once, whatever the
number of tries, through the same services (and so the same rules) as the session pages."""

import base64

from cryptography.hazmat.primitives.asymmetric import ec
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from programmes import permissions
from programmes.inputs import street as street_input
from programmes.models import Programme, StreetRecord
from programmes.services.sessions import detached_contact_record, session_record
from vru import selectors as vru_selectors
from vru.models import AuditEvent, User
from vru.services import audit_record

STORED = "stored"
DUPLICATE = "duplicate"
REFUSED = "refused"
NOT_STAFF = "You are not on the staff of that programme."
NO_SESSION = "Its session has not been stored: a contact is stored with its session."


class RefusedError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _reason(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return " ".join(m for messages in error.message_dict.values() for m in messages)
    return " ".join(error.messages)


def _store_session(actor: User, values: dict, made_at) -> StreetRecord:
    fields, errors = street_input.session_values(values)
    if errors:
        raise RefusedError(" ".join(m for messages in errors.values() for m in messages))
    programme = Programme.objects.filter(
        partnership_id=actor.partnership_id, pk=fields["programme"]
    ).first()
    if programme is None or not permissions.can_record_session(actor, programme):
        raise RefusedError(NOT_STAFF)
    lsoa = fields["lsoa"]
    if lsoa is not None:
        # a code or a name, from the usual places or the place picker
        match = vru_selectors.place_find(viewer=actor, text=str(lsoa))
        if match.lsoa is None:
            raise RefusedError(f"No one neighbourhood of your partnership is called “{lsoa}”.")
        lsoa = match.lsoa
    elif fields["location"] is not None:
        # the phone's location: the neighbourhood of the partnership's boundaries holding it
        latitude, longitude = fields["location"]
        lsoa = vru_selectors.lsoa_at(viewer=actor, latitude=latitude, longitude=longitude)
    place = fields["place"] or (lsoa.name if lsoa is not None else "")
    session = session_record(
        actor=actor,
        programme=programme,
        kind=fields["kind"],
        held_on=timezone.localdate(made_at),
        place=place,
        lsoa=lsoa,
        counts=fields["counts"],
        issues_raised=fields["issues_raised"],
        # the worker, and those of the programme's staff they said were there
        staff=[
            actor,
            *User.objects.filter(
                pk__in=fields["staff"], programme_memberships__programme=programme
            ),
        ],
    )
    return StreetRecord(kind=StreetRecord.Kind.SESSION, session=session)


def _store_contact(actor: User, values: dict) -> StreetRecord:
    fields = street_input.contact_values(values)
    parent = (
        StreetRecord.objects.filter(
            partnership_id=actor.partnership_id,
            client_id=fields.pop("session"),
            kind=StreetRecord.Kind.SESSION,
        )
        .select_related("session__programme")
        .first()
    )
    if parent is None or parent.session is None:
        raise RefusedError(NO_SESSION)
    contact = detached_contact_record(actor=actor, session=parent.session, **fields)
    return StreetRecord(kind=StreetRecord.Kind.CONTACT, session=parent.session, contact=contact)


def _store_one(actor: User, record, now) -> dict:
    envelope, errors = street_input.check_envelope(record, now=now)
    client_id = envelope.get("client_id")
    answer = {"id": str(client_id) if client_id else str((record or {}).get("id", ""))}
    if errors:
        reasons = " ".join(m for messages in errors.values() for m in messages)
        return answer | {"status": REFUSED, "reason": reasons}
    if StreetRecord.objects.filter(
        partnership_id=actor.partnership_id, client_id=client_id
    ).exists():
        return answer | {"status": DUPLICATE}
    try:
        with transaction.atomic():
            if envelope["kind"] == StreetRecord.Kind.SESSION:
                stored = _store_session(actor, record, envelope["made_at"])
            else:
                stored = _store_contact(actor, record)
            stored.partnership_id = actor.partnership_id
            stored.client_id = client_id
            stored.made_at = envelope["made_at"]
            stored.sent_by = actor
            stored.save()
    except RefusedError as refused:
        return answer | {"status": REFUSED, "reason": refused.reason}
    except PermissionDenied:
        return answer | {"status": REFUSED, "reason": NOT_STAFF}
    except ValidationError as error:
        return answer | {"status": REFUSED, "reason": _reason(error)}
    except IntegrityError:
        # the same record, stored by a try that overlapped this one: everything this try
        # wrote was rolled back with it
        return answer | {"status": DUPLICATE}
    return answer | {"status": STORED, "session": stored.session.get_absolute_url()}


def street_records_store(*, actor: User, records: list, now=None) -> list[dict]:
    """Store a batch from the phone, each record on its own: stored, duplicate (stored by
    an earlier try: nothing written) or refused with the reason, in the batch's order (a
    contact after its session). Audited once a batch, as well as each record stored."""
    if not permissions.can_use_street_work(actor):
        raise PermissionDenied
    now = now or timezone.now()
    answers = [_store_one(actor, record, now) for record in records[: street_input.MAX_RECORDS]]
    tally = dict.fromkeys((STORED, DUPLICATE, REFUSED), 0)
    for answer in answers:
        tally[answer["status"]] += 1
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="street.records_sent",
        partnership=actor.partnership,
        changes=tally,
    )
    return answers


# --- The phone's key: an ECDH (P-256) pair made for one signed-in session ------------------

SESSION_KEY = "street_work_key"


def _b64(number: int) -> str:
    return base64.urlsafe_b64encode(number.to_bytes(32, "big")).rstrip(b"=").decode()


def street_key(*, actor: User, session) -> dict:
    """The key pair the street-work page encrypts its store with, made once for this signed-in
    session and kept in it (so it ends with it: signing out, or the session ending, leaves
    what a phone holds unreadable). JWKs as Web Crypto imports them: the public one the
    phone may keep (it only encrypts), the private one the page holds in memory only."""
    if not permissions.can_use_street_work(actor):
        raise PermissionDenied
    pair = session.get(SESSION_KEY)
    if pair is None:
        key = ec.generate_private_key(ec.SECP256R1())
        numbers = key.private_numbers()
        public = {
            "kty": "EC",
            "crv": "P-256",
            "x": _b64(numbers.public_numbers.x),
            "y": _b64(numbers.public_numbers.y),
        }
        pair = {"public": public, "private": public | {"d": _b64(numbers.private_value)}}
        session[SESSION_KEY] = pair
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            verb="street.key_issued",
            partnership=actor.partnership,
        )
    return pair
