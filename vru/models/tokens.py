import hashlib

from django.conf import settings
from django.db import models


def token_digest(key: str) -> str:
    """What is stored of a token's key: its SHA-256, never the key itself."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token: made, named and revoked by its owner on "Your account".

    The key is shown once, when the token is made; only its SHA-256 and a short prefix (to
    tell tokens apart) are kept. A token works until it expires or is revoked, and only
    while its owner is active; a read-only token never writes.
    """

    class Scope(models.TextChoices):
        READ_ONLY = "read_only", "Read only"
        ROLE = "role", "Everything my role may do"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for.")
    prefix = models.CharField(max_length=16, help_text="The key's first characters.")
    key_digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the key.")
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.READ_ONLY)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def read_only(self) -> bool:
        return self.scope == self.Scope.READ_ONLY
