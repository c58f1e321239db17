"""Personal API tokens: made, used and revoked (vru.models.ApiToken).

A token's key is shown once, by the page that made it; only its SHA-256 and a short prefix
are stored. Using a token is audited like a sign-in, at most once per token every
``USE_RECORDED_EVERY`` (the same pace as its "last used" time), so a script polling the API
does not flood the audit trail.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from vru import permissions
from vru.models import ApiToken, AuditEvent, User, token_digest
from vru.services.audit import audit_record

KEY_PREFIX = "vru_"
PREFIX_LENGTH = 12  # "vru_" and 8 characters of the key: enough to tell tokens apart
MAX_DAYS = 365
USE_RECORDED_EVERY = timedelta(minutes=15)


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(30)


@transaction.atomic
def api_token_create(
    *, actor: User, name: str, scope: str = ApiToken.Scope.READ_ONLY, days: int | None = None
) -> tuple[ApiToken, str]:
    """Make a token for the actor. Returns it with its key, which is not kept: show it once."""
    if not permissions.can_manage_api_tokens(actor):
        raise PermissionDenied("You cannot make API tokens.")
    days = settings.VRU_API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError(
            {"days": f"A token lasts from 1 to {MAX_DAYS} days."}, code="days_out_of_range"
        )
    key = new_key()
    token = ApiToken(
        owner=actor,
        name=(name or "").strip(),
        scope=scope,
        prefix=key[:PREFIX_LENGTH],
        key_digest=token_digest(key),
        expires_at=timezone.now() + timedelta(days=days),
    )
    token.full_clean()
    token.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        verb="api_token.created",
        target=token,
        changes={"name": token.name, "scope": token.scope, "expires_at": str(token.expires_at)},
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke one of the actor's own tokens; it answers 401 from then on. Idempotent."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.owner_id != actor.pk or not permissions.can_manage_api_tokens(actor):
        raise PermissionDenied("You cannot revoke this token.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            verb="api_token.revoked",
            target=token,
            changes={"name": token.name},
        )
    return token


def api_tokens_revoke_all(*, user: User) -> int:
    """Revoke every token of a user still working (deactivation). The caller audits."""
    return ApiToken.objects.filter(owner=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def api_token_used(*, token: ApiToken) -> bool:
    """Note that a token signed a request in: its "last used" time and an audit event like a
    sign-in, at most once per token every USE_RECORDED_EVERY. One conditional UPDATE decides
    which request records it, so parallel requests write one row, not one each. Returns
    whether this call recorded it."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < USE_RECORDED_EVERY:
        return False
    with transaction.atomic():  # the time and its audit row together, or neither
        recorded = (
            ApiToken.objects.filter(pk=token.pk)
            .filter(Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - USE_RECORDED_EVERY))
            .update(last_used_at=now)
        )
        if not recorded:
            return False
        audit_record(
            actor=token.owner,
            action=AuditEvent.Action.SIGN_IN,
            verb="api_token.used",
            target=token,
            changes={"name": token.name, "scope": token.scope, "prefix": token.prefix},
        )
    token.last_used_at = now
    return True
