"""Encryption at rest for identity fields and safeguarding notes, and blind indexes.

Keys are dedicated (settings.VRU_FIELD_ENCRYPTION_KEYS, never SECRET_KEY): the first key
encrypts, every listed key decrypts, so keys are rotated by putting a new one first, running
`manage.py rotate_field_keys`, then removing the old one. Values are Fernet tokens
(AES-128-CBC + HMAC-SHA256, random IV), so equal values never look equal in the database:
filtering on an encrypted column is refused rather than silently matching nothing. To find
duplicates, store a blind index (a keyed hash of the normalised value) beside it.
"""

import functools
import hashlib
import hmac
import unicodedata
from datetime import date

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models

PREFIX = "fernet:"


def _fernet() -> MultiFernet:
    from django.conf import settings

    keys = getattr(settings, "VRU_FIELD_ENCRYPTION_KEYS", None) or []
    if not keys:
        raise ImproperlyConfigured(
            "Set VRU_FIELD_ENCRYPTION_KEYS (comma-separated Fernet keys; generate one with "
            "`python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`)."
        )
    return _fernet_for(tuple(keys))


@functools.lru_cache(maxsize=8)
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    # built once per key list (building costs about as much as encrypting a value, and a
    # bulk import encrypts hundreds of thousands); a changed setting is a new key list
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(text: str) -> str:
    return PREFIX + _fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        raise ValueError("This value was not encrypted by vru.fields.")
    try:
        return _fernet().decrypt(stored[len(PREFIX) :].encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "An encrypted value cannot be read with the configured keys: is a key missing "
            "from VRU_FIELD_ENCRYPTION_KEYS?"
        ) from exc


def rotate(stored: str) -> str:
    """The same value, encrypted again with the first (newest) key."""
    return PREFIX + _fernet().rotate(stored[len(PREFIX) :].encode("ascii")).decode("ascii")


@functools.lru_cache(maxsize=65536)
def normalise(value: str) -> str:
    """Case, accents, spacing and punctuation differences do not make a different person."""
    text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    return " ".join("".join(c if c.isalnum() else " " for c in text.casefold()).split())


def blind_index(*parts: str | date | None) -> str:
    """A keyed hash of normalised values (e.g. name and date of birth) for exact matching
    without decrypting. Keyed separately from the encryption keys."""
    from django.conf import settings

    key = getattr(settings, "VRU_BLIND_INDEX_KEY", "")
    if not key:
        raise ImproperlyConfigured("Set VRU_BLIND_INDEX_KEY (a long random string).")
    text = "\x1f".join(
        part.isoformat() if isinstance(part, date) else normalise(part or "") for part in parts
    )
    return hmac.new(key.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).hexdigest()


class EncryptedMixin:
    """Stores its value encrypted in a text column; empty stays empty (never NULL)."""

    encrypted = True

    def get_internal_type(self):
        return "TextField"

    def get_lookup(self, lookup_name):
        if lookup_name not in {"isnull"}:
            raise FieldError(
                f"{self.name} is encrypted: it cannot be searched with '{lookup_name}'. "
                "Use its blind index instead."
            )
        return super().get_lookup(lookup_name)

    def to_text(self, value) -> str:
        return str(value)

    def from_text(self, text: str):
        return text

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(self.to_text(value))

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return self.from_text(decrypt(value))


class EncryptedTextField(EncryptedMixin, models.TextField):
    pass


class EncryptedCharField(EncryptedMixin, models.CharField):
    """Validated for max_length in Python (as typed); stored as a text column, since the
    ciphertext is much longer than the text."""

    def db_type(self, connection):
        return models.TextField().db_type(connection)


class EncryptedDateField(EncryptedMixin, models.DateField):
    def to_text(self, value) -> str:
        return value.isoformat()

    def from_text(self, text: str):
        return date.fromisoformat(text)

    def db_type(self, connection):
        return models.TextField().db_type(connection)

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        return value

    def get_prep_value(self, value):
        value = models.DateField.to_python(self, value)
        if value in (None, ""):
            return value
        return encrypt(self.to_text(value))


def encrypted_fields(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if getattr(f, "encrypted", False)]
