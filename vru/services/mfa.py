"""Second factors set up on someone's behalf (the demo; a support desk re-enrolling a user).
People normally set up their own through allauth's pages (templates/mfa)."""

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import transaction

from vru import viewer
from vru.models import AuditEvent, User
from vru.services.audit import audit_record


@transaction.atomic
def mfa_totp_enrol(*, actor: User | None, user: User, secret: str | None = None) -> str:
    """Give ``user`` an authenticator-app secret (stored encrypted by allauth) and recovery
    codes, replacing any app secret they had. Returns the secret (base32)."""
    secret = secret or generate_totp_secret()
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    TOTP.activate(user, secret)
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists():
        RecoveryCodes.activate(user)
    viewer.forget(user)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        verb="user.mfa_enrolled",
        target=user,
        partnership=user.partnership,
        changes={"type": "totp"},
    )
    return secret
