"""Records sent late from the street-work page on a phone: each stored once, whatever the
number of tries, through the same services (and so the same rules) as the session pages."""

import base64
import hashlib
import json

from cryptography.hazmat.primitives.asymmetric import ec
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from programmes import permissions
from programmes.inputs import street as street_input
from programmes.models import Programme, StreetDevice, StreetRecord
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


# --- The phone's key: an ECDH (P-256) pair made for one device of one user ----------------


class DeviceGoneError(Exception):
    """The device's key is revoked for good: the phone deletes what it holds."""


class NotTheirsError(Exception):
    """The device id is another user's: nothing is said about it."""


def _b64(number: int) -> str:
    return base64.urlsafe_b64encode(number.to_bytes(32, "big")).rstrip(b"=").decode()


def _new_private_jwk() -> dict:
    numbers = ec.generate_private_key(ec.SECP256R1()).private_numbers()
    return {
        "kty": "EC",
        "crv": "P-256",
        "x": _b64(numbers.public_numbers.x),
        "y": _b64(numbers.public_numbers.y),
        "d": _b64(numbers.private_value),
    }


def _ended_why(device: StreetDevice) -> str | None:
    """Why the server has ended this device's access, if it has: revoked, or its user made
    inactive or their password changed since the key was made."""
    if device.revoked:
        return device.revoked_why or StreetDevice.Revoked.ADMINISTRATOR
    if not device.user.is_active:
        return StreetDevice.Revoked.INACTIVE
    if not constant_time_compare(device.password_stamp, device.user.get_session_auth_hash()):
        return StreetDevice.Revoked.PASSWORD_CHANGED
    return None


def street_device_revoke(*, device: StreetDevice, why: str, actor: User | None = None) -> None:
    """End one device: its key is never handed out again, and the phone, told so, deletes
    its store. Audited; nothing done for a device already revoked."""
    if device.revoked:
        return
    device.revoked_at = timezone.now()
    device.revoked_why = why
    device.save(update_fields=["revoked_at", "revoked_why"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="street.device_revoked",
        target=device,
        partnership=device.partnership,
        changes={"why": why},
    )


def street_device_gone(*, device_id) -> bool:
    """Asked by a phone that is not signed in (its session ended): has the server ended
    this device (True: delete the store), or does it wait for its user to sign in again
    (False)? A device the server does not know is gone too. Says nothing else about it."""
    device = StreetDevice.objects.select_related("user").filter(device_id=device_id).first()
    if device is None:
        return True
    why = _ended_why(device)
    if why is not None:
        street_device_revoke(device=device, why=why)
    return why is not None


def _session_hash(session_mark: str) -> str:
    return hashlib.sha256(session_mark.encode()).hexdigest()


def street_key(*, actor: User, device_id, session_mark: str | None = None) -> dict:
    """The key pair the street-work page seals its store with on this device: made the first
    time the device asks, kept (the private half encrypted at rest) and handed again to the
    same user on the same device each time they are signed in, so records made before an idle
    time-out are read and sent after signing in again. JWKs as Web Crypto imports them: the
    public one the phone may keep (it only seals), the private one the page holds in memory
    only. Each hand-out is audited, and remembers (hashed) the signed-in session it was handed
    to (session_mark: a secret that session keeps, for as long as it is signed in). Another
    user's device: NotTheirsError; one ended: DeviceGoneError."""
    if not permissions.can_use_street_work(actor):
        raise PermissionDenied
    device = StreetDevice.objects.select_related("user").filter(device_id=device_id).first()
    if device is not None and device.user_id != actor.pk:
        raise NotTheirsError
    if device is None:
        try:
            with transaction.atomic():
                device = StreetDevice.objects.create(
                    user=actor,
                    partnership_id=actor.partnership_id,
                    device_id=device_id,
                    private_key=json.dumps(_new_private_jwk()),
                    password_stamp=actor.get_session_auth_hash(),
                )
        except IntegrityError:  # two first requests at once, or another user's id
            return street_key(actor=actor, device_id=device_id)
        device.user = actor
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            verb="street.key_issued",
            target=device,
            partnership=actor.partnership,
        )
    why = _ended_why(device)
    if why is not None:
        street_device_revoke(device=device, why=why)
        raise DeviceGoneError
    device.last_used_at = timezone.now()
    device.session_hash = _session_hash(session_mark) if session_mark else ""
    device.save(update_fields=["last_used_at", "session_hash"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        verb="street.key_handed",
        target=device,
        partnership=actor.partnership,
    )
    private = json.loads(device.private_key)
    public = {k: v for k, v in private.items() if k != "d"}
    return {"public": public, "private": private}


def street_device_signed_out(*, user: User, device_id) -> None:
    """Signing out on the phone (the phone tells its device id): that device ends, so what
    it might still hold can never be opened again."""
    device = StreetDevice.objects.filter(user=user, device_id=device_id).first()
    if device is not None:
        street_device_revoke(device=device, why=StreetDevice.Revoked.SIGNED_OUT, actor=user)


def street_password_changed(
    *,
    user: User,
    actor: User | None = None,
    session_mark: str | None = None,
    session_stamp: str | None = None,
) -> tuple[int, int]:
    """The user's password has been changed (by any door): each of their devices not already
    ended ends now, audited, as every session signed in with the old password does. Except,
    when the user changed it themselves from a signed-in session (its session_mark, and the
    password hash it was signed in with, session_stamp): the devices last handed their key in that
    session are the phone in their hand, and keep their store, unsent records and all: they
    are stamped with the new password, audited (street.device_kept). Returns (kept, ended)."""
    kept = ended = 0
    session_hash = _session_hash(session_mark) if session_mark and session_stamp else None
    devices = StreetDevice.objects.filter(user=user, revoked_at__isnull=True).select_related("user")
    for device in devices:
        if (
            session_hash is not None
            and constant_time_compare(device.session_hash, session_hash)
            # live until this change: a device an earlier password had already ended stays so
            and constant_time_compare(device.password_stamp, session_stamp)
        ):
            device.password_stamp = user.get_session_auth_hash()
            device.save(update_fields=["password_stamp"])
            audit_record(
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                verb="street.device_kept",
                target=device,
                partnership=device.partnership,
                changes={"why": StreetDevice.Revoked.PASSWORD_CHANGED},
            )
            kept += 1
        else:
            street_device_revoke(
                device=device, why=StreetDevice.Revoked.PASSWORD_CHANGED, actor=actor
            )
            ended += 1
    return kept, ended


@transaction.atomic
def street_devices_restamp(*, user: User, old_stamp: str) -> int:
    """The user's password hash was re-made for a new hasher, the password unchanged (Django
    does so at a sign-in after an upgrade): their devices live until now (stamped with the
    old session hash, not revoked) are stamped with the new one and keep their store, unsent
    records and all, audited (street.device_restamped, no stamp in it). A device an earlier
    password had already ended stays so. Returns how many were stamped again."""
    new_stamp = user.get_session_auth_hash()
    restamped = 0
    devices = StreetDevice.objects.select_for_update().filter(user=user, revoked_at__isnull=True)
    for device in devices:
        if not constant_time_compare(device.password_stamp, old_stamp):
            continue
        device.password_stamp = new_stamp
        device.save(update_fields=["password_stamp"])
        audit_record(
            actor=None,
            action=AuditEvent.Action.UPDATE,
            verb="street.device_restamped",
            target=device,
            partnership=device.partnership,
            changes={"why": "password_rehashed"},
        )
        restamped += 1
    return restamped
