"""Encryption at rest for identity fields and safeguarding notes, and blind indexes.

Keys are dedicated (settings.VRU_FIELD_ENCRYPTION_KEYS, never SECRET_KEY): the first key
encrypts, every listed key decrypts, so keys are rotated by putting a new one first, running
`manage.py rotate_field_keys`, then removing the old one. Values are AES-256-GCM tokens
(authenticated, random 96-bit nonce), so equal values never look equal in the database:
filtering on an encrypted column is refused rather than silently matching nothing. To find
duplicates, store a blind index (a keyed hash of the normalised value) beside it.

Why AES-GCM and not Fernet (which the first version used): a bulk import encrypts four
values per row, and a Fernet token costs about 11 us against GCM's 2.6 us, most of it
Python around the cipher. Fernet tokens written before still read ("fernet:" prefix), and
rotate_field_keys rewrites them as GCM tokens. The keys are the same settings (32 random
bytes, base64): each AES key is derived from its setting with HKDF, so no key changes.
"""

import base64
import binascii
import functools
import hashlib
import hmac
import os
import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models

PREFIX = "aesgcm:"
FERNET_PREFIX = "fernet:"  # tokens written before GCM: still read, rewritten by rotation
NONCE_BYTES = 12


def is_encrypted(stored: str) -> bool:
    return stored.startswith((PREFIX, FERNET_PREFIX))


class _Keys:
    """The ciphers for one key list: GCM for every key (the first encrypts), and Fernet for
    reading tokens written before GCM."""

    def __init__(self, keys: tuple[str, ...]):
        raw = [base64.urlsafe_b64decode(key) for key in keys]
        self.ciphers = [
            AESGCM(
                HKDF(
                    algorithm=hashes.SHA256(), length=32, salt=None, info=b"vru.fields aes-256-gcm"
                ).derive(secret)
            )
            for secret in raw
        ]
        self.fernet = MultiFernet([Fernet(key) for key in keys])


def _keys() -> _Keys:
    from django.conf import settings

    keys = getattr(settings, "VRU_FIELD_ENCRYPTION_KEYS", None) or []
    if not keys:
        raise ImproperlyConfigured(
            "Set VRU_FIELD_ENCRYPTION_KEYS (comma-separated keys of 32 random bytes in base64; "
            "generate one with "
            "`python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`)."
        )
    return _keys_for(tuple(keys))


@functools.lru_cache(maxsize=8)
def _keys_for(keys: tuple[str, ...]) -> _Keys:
    # built once per key list (deriving costs far more than encrypting a value, and a bulk
    # import encrypts hundreds of thousands); a changed setting is a new key list
    return _Keys(keys)


def encrypt(text: str) -> str:
    nonce = os.urandom(NONCE_BYTES)
    sealed = _keys().ciphers[0].encrypt(nonce, text.encode("utf-8"), None)
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


_URLSAFE = bytes.maketrans(b"+/", b"-_")


def encrypt_many(texts: Sequence[str]) -> list[str]:
    """encrypt() for many values (a bulk import): the same tokens, each value with its own
    random nonce, but the cipher and the randomness fetched once per call instead of once
    per value (a third of the cost)."""
    seal = _keys().ciphers[0].encrypt
    nonces = os.urandom(NONCE_BYTES * len(texts))
    b64 = binascii.b2a_base64  # + translate: urlsafe_b64encode without its Python wrapper
    tokens = []
    for i, text in enumerate(texts):
        nonce = nonces[i * NONCE_BYTES : (i + 1) * NONCE_BYTES]
        sealed = b64(nonce + seal(nonce, text.encode("utf-8"), None), newline=False)
        tokens.append(PREFIX + sealed.translate(_URLSAFE).decode("ascii"))
    return tokens


def decrypt(stored: str) -> str:
    keys = _keys()
    if stored.startswith(PREFIX):
        data = base64.urlsafe_b64decode(stored[len(PREFIX) :])
        nonce, sealed = data[:NONCE_BYTES], data[NONCE_BYTES:]
        for cipher in keys.ciphers:
            try:
                return cipher.decrypt(nonce, sealed, None).decode("utf-8")
            except InvalidTag:
                continue
    elif stored.startswith(FERNET_PREFIX):
        try:
            return keys.fernet.decrypt(stored[len(FERNET_PREFIX) :].encode("ascii")).decode("utf-8")
        except InvalidToken:
            pass
    else:
        raise ValueError("This value was not encrypted by vru.fields.")
    raise ImproperlyConfigured(
        "An encrypted value cannot be read with the configured keys: either a key is missing "
        "from VRU_FIELD_ENCRYPTION_KEYS, or the stored value was altered (its authentication "
        "tag does not match)."
    )


def rotate(stored: str) -> str:
    """The same value, encrypted again with the first (newest) key, as a GCM token."""
    return encrypt(decrypt(stored))


_WORDS = re.compile(r"[0-9a-z]+")


@functools.lru_cache(maxsize=65536)
def normalise(value: str) -> str:
    """Case, accents, spacing and punctuation differences do not make a different person.

    Accents are dropped (NFKD, then ASCII only), the rest lower-cased, and the runs of
    letters and digits joined by single spaces. (The first version spelled this as
    casefold and isalnum character by character: on ASCII text they are lower() and
    [0-9a-z], so the result is the same, and a test holds the two together.)"""
    if not value.isascii():
        value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    return " ".join(_WORDS.findall(value.lower()))


def _blind_index_key() -> bytes:
    from django.conf import settings

    key = getattr(settings, "VRU_BLIND_INDEX_KEY", "")
    if not key:
        raise ImproperlyConfigured("Set VRU_BLIND_INDEX_KEY (a long random string).")
    return key.encode("utf-8")


def _index_text(parts) -> bytes:
    return "\x1f".join(
        [part.isoformat() if isinstance(part, date) else normalise(part or "") for part in parts]
    ).encode("utf-8")


def blind_index(*parts: str | date | None) -> str:
    """A keyed hash of normalised values (e.g. name and date of birth) for exact matching
    without decrypting. Keyed separately from the encryption keys."""
    return hmac.new(_blind_index_key(), _index_text(parts), hashlib.sha256).hexdigest()


def blind_indexer() -> Callable[..., str]:
    """blind_index for many values (a bulk import): the same HMAC-SHA256, keyed once and
    copied for each value (the standard library's HMAC.copy), instead of a new HMAC each
    time. (A hand-written HMAC from the hash states was 0.7 us a value faster: 70 ms on
    100,000 rows, not worth writing cryptography ourselves.)"""
    keyed = hmac.new(_blind_index_key(), digestmod=hashlib.sha256)

    def index(*parts: str | date | None) -> str:
        hashed = keyed.copy()
        hashed.update(_index_text(parts))
        return hashed.hexdigest()

    return index


SEARCH_TOKEN_CHARS = 32  # 128 bits of the HMAC: no two search terms meet by chance


def search_token(kind: str, value: str | date) -> str:
    """A keyed hash of one search term: one normalised word of a name (kind "name") or a
    date of birth (kind "born"). Stored beside a young person (programmes' SearchToken) so
    the caseload can find them by a word of their name or their birth date without the
    clear value ever being stored or compared in the database. Keyed with the blind index
    key, the kind and a purpose label in the hashed text keep it apart from match_index."""
    text = value.isoformat() if isinstance(value, date) else normalise(value)
    message = f"search\x1f{kind}\x1f{text}".encode()
    return hmac.new(_blind_index_key(), message, hashlib.sha256).hexdigest()[:SEARCH_TOKEN_CHARS]


def name_words(*names: str) -> list[str]:
    """The words of names as the search index holds them: normalised, each once, so
    "Jay-Ann  O'Neil" gives jay, ann, o, neil."""
    return sorted({word for name in names for word in normalise(name or "").split()})


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
