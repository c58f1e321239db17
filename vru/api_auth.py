"""How the API knows who is calling: a personal API token (vru.models.ApiToken) sent as
``Authorization: Token <key>``, or the browser's session (DRF's SessionAuthentication, after
this one, with CSRF checked on writes).

Tokens come first in the settings, so a request with no credentials or a bad token is a 401
carrying this class's ``WWW-Authenticate`` header, as the schema documents.
"""

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.permissions import SAFE_METHODS

KEYWORD = "Token"


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = KEYWORD

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Send the header as: Token <key>.")
        try:
            key = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        return self.authenticate_credentials(key, request)

    def authenticate_credentials(self, key: str, request):
        from vru import services
        from vru.models import ApiToken, token_digest

        token = (
            ApiToken.objects.select_related("owner", "owner__partnership")
            .filter(key_digest=token_digest(key))
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed("This token has been revoked.")
        if token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed("This token has expired.")
        if not token.owner.is_active:
            raise exceptions.AuthenticationFailed("This token's user is inactive.")
        if token.read_only and request.method not in SAFE_METHODS:
            # not a credentials problem: the token is good, but may only read
            raise exceptions.PermissionDenied("This token is read-only.")
        services.api_token_used(token=token)
        return token.owner, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The token in the OpenAPI schema's security schemes."""

    target_class = "vru.api_auth.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'A personal API token from "Your account", sent as '
            "`Token <key>`. Read-only tokens may only use GET, HEAD and OPTIONS.",
        }
