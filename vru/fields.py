"""Encryption at rest for identity fields and safeguarding notes.

Keys are dedicated (settings.VRU_FIELD_ENCRYPTION_KEYS, never SECRET_KEY): the first key
encrypts, every listed key decrypts, so keys are rotated by putting a new one first, running
`manage.py rotate_field_keys`, then removing the old one. Values are AES-256-GCM tokens
(authenticated, random 96-bit nonce), so equal values never look equal in the database:
filtering on an encrypted column is refused rather than silently matching nothing. To find
duplicates, store a blind index (vru.blind_index: a keyed hash of the normalised value) beside it.

Why AES-GCM and not Fernet (which the first version used): a bulk import encrypts four
values per row, and a Fernet token costs about 11 us against GCM's 2.6 us, most of it
Python around the cipher. Fernet tokens written before still read ("fernet:" prefix), and
rotate_field_keys rewrites them as GCM tokens. The keys are the same settings (32 random
bytes, base64): each AES key is derived from its setting with HKDF, so no key changes.

Each value is bound to its place ("aesgcm2:" tokens): its table, its column and its row go
into the cipher as associated data, so a token copied or moved to another row or column
(by anyone with write access to the database) does not decrypt there: reading it fails
loudly (MisplacedValue) instead of showing one child's name on another's record. The row
is the primary key, or the field's `row_field` where the model names one that is known
before the INSERT and says whose value it is (an identity: the young person it belongs to).

The primary key of a new row is not known before its INSERT (the database gives it), so a
field bound to its primary key cannot seal a new row's value in the INSERT itself. It writes
a placeholder that never decrypts (UNSEALED), and right after the INSERT, in the same
transaction, the sealed value replaces it (post_save: the only point after the INSERT where
Django hands over the new id; a storage matter of this field, not domain flow). A door that
inserts many rows at once (bulk_create sends no post_save) calls `seal(rows)` afterwards; one
that forgets leaves values that refuse to decrypt, never values readable from another row.
Reserving ids first (nextval) would avoid the second write on PostgreSQL only; SQLite has no
sequences, and the import's COPY, which does reserve them, seals in the COPY.

Tokens written before the binding ("aesgcm:", "fernet:") still read; the next save of their
row, or a key rotation (vru.services.encryption), rewrites them bound.

A bound value is decrypted when read from its model instance (the row is known there); a
`.values()` or `.values_list()` of an encrypted field gives the stored token, not the text:
read encrypted fields through instances.
"""

import base64
import binascii
import functools
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models, transaction
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_save

PLACED_PREFIX = "aesgcm2:"  # bound to its table, column and row (associated data)
PREFIX = "aesgcm:"  # not bound: written before the binding, or secrets outside a table's row
FERNET_PREFIX = "fernet:"  # tokens written before GCM: still read, rewritten by rotation
UNSEALED = PLACED_PREFIX + "unsealed"  # a new row's value until its id is known (see above)
NONCE_BYTES = 12


class MisplacedValue(ImproperlyConfigured):
    """An encrypted value that does not decrypt in the place it is read from."""


class Token(str):
    """A token as stored, not yet decrypted (a bound value is decrypted when its row is
    known: on first access through the model's attribute). Saved back as it is."""


@dataclass(frozen=True)
class Place:
    table: str
    column: str
    row: str

    def associated_data(self) -> bytes:
        return _head(self.table, self.column) + self.row.encode()

    def __str__(self) -> str:
        return f"{self.table}.{self.column} of row {self.row}"


def _head(table: str, column: str) -> bytes:
    return f"vru.fields\x1f{table}\x1f{column}\x1f".encode()


def binder(table: str, column: str) -> Callable[[object], bytes]:
    """Place(table, column, row).associated_data() for many rows of one column (a bulk
    import): the same bytes, without a Place a value."""
    head = _head(table, column)
    return lambda row: head + str(row).encode()


def is_encrypted(stored: str) -> bool:
    return stored.startswith((PLACED_PREFIX, PREFIX, FERNET_PREFIX))


def is_bound(stored: str) -> bool:
    return stored.startswith(PLACED_PREFIX) and stored != UNSEALED


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


def encrypt(text: str, place: Place | None = None) -> str:
    """A token of `text` with the first key: bound to `place` when given (every field of a
    model is), unbound otherwise (secrets kept outside a column of their own: MFA seeds)."""
    nonce = os.urandom(NONCE_BYTES)
    aad = place.associated_data() if place else None
    sealed = _keys().ciphers[0].encrypt(nonce, text.encode("utf-8"), aad)
    prefix = PLACED_PREFIX if place else PREFIX
    return prefix + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


_URLSAFE = bytes.maketrans(b"+/", b"-_")


def encrypt_many(texts: Sequence[str], places: Sequence[bytes]) -> list[str]:
    """encrypt() for many values (a bulk import), each bound to its place (its associated
    data: Place.associated_data(), or a binder's): the same tokens, each value with its own
    random nonce, but the cipher and the randomness fetched once per call instead of once
    per value (a third of the cost)."""
    seal = _keys().ciphers[0].encrypt
    nonces = os.urandom(NONCE_BYTES * len(texts))
    b64 = binascii.b2a_base64  # + translate: urlsafe_b64encode without its Python wrapper
    tokens = []
    for i, (text, aad) in enumerate(zip(texts, places, strict=True)):
        nonce = nonces[i * NONCE_BYTES : (i + 1) * NONCE_BYTES]
        sealed = b64(nonce + seal(nonce, text.encode("utf-8"), aad), newline=False)
        tokens.append(PLACED_PREFIX + sealed.translate(_URLSAFE).decode("ascii"))
    return tokens


def decrypt(stored: str, place: Place | None = None) -> str:
    """The text of a token. A bound token reads only in the place it was sealed for."""
    keys = _keys()
    if stored.startswith(PLACED_PREFIX):
        if stored == UNSEALED:
            raise MisplacedValue(
                f"The encrypted value in {place or 'this column'} was inserted but never "
                "sealed to its row (rows inserted in bulk need vru.fields.seal)."
            )
        if place is None:
            raise MisplacedValue("A value bound to its place can only be read in its place.")
        data = base64.urlsafe_b64decode(stored[len(PLACED_PREFIX) :])
        nonce, sealed = data[:NONCE_BYTES], data[NONCE_BYTES:]
        aad = place.associated_data()
        for cipher in keys.ciphers:
            try:
                return cipher.decrypt(nonce, sealed, aad).decode("utf-8")
            except InvalidTag:
                continue
        raise MisplacedValue(
            f"The encrypted value in {place} cannot be read: it was sealed for another row "
            "or column (copied or moved in the database), or altered, or its key is missing "
            "from VRU_FIELD_ENCRYPTION_KEYS."
        )
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
    """The same unbound value (an MFA secret), encrypted again with the first (newest) key."""
    return encrypt(decrypt(stored))


class _DecryptOnRead(DeferredAttribute):
    """The model attribute of an encrypted field: a stored bound token is decrypted on first
    access, with its row's place (from_db_value is not told the row), then kept plain."""

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Token):
            value = self.field.from_text(decrypt(value, self.field.place_of(instance)))
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance, value):
        # a data descriptor (with __set__), so that __get__ runs even when the value is in
        # the instance's __dict__ (a plain DeferredAttribute is only asked when it is not)
        instance.__dict__[self.field.attname] = value


class EncryptedMixin:
    """Stores its value encrypted in a text column, bound to its table, column and row;
    empty stays empty (never NULL).

    `row_field`: the attribute naming the row in the binding, when not the primary key: one
    known before the INSERT, never changed, and saying whose value it is (a one-to-one key)."""

    encrypted = True
    descriptor_class = _DecryptOnRead

    def __init__(self, *args, row_field: str | None = None, **kwargs):
        self.row_field = row_field
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.row_field:
            kwargs["row_field"] = self.row_field
        return name, path, args, kwargs

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        if self.row_field is None and not cls._meta.abstract:
            # one receiver per model class (historical models of migrations included)
            post_save.connect(
                _seal_after_insert, sender=cls, weak=False, dispatch_uid=f"vru.seal.{id(cls)}"
            )

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

    def place_of(self, instance) -> Place | None:
        """Where a value of this field on `instance` is bound; None while its row is unknown
        (a new row bound to a primary key the database has not given yet)."""
        row = getattr(instance, self.row_field or instance._meta.pk.attname)
        if row is None:
            return None
        return Place(self.model._meta.db_table, self.column, str(row))

    def seal(self, instance) -> str:
        """The token to store for the instance's current value, bound to its place."""
        value = getattr(instance, self.attname)  # plain: decrypted on access
        if value in (None, ""):
            return value
        place = self.place_of(instance)
        if place is None:
            return Token(UNSEALED)
        return Token(encrypt(self.to_text(value), place))

    def pre_save(self, model_instance, add):
        return self.seal(model_instance)

    def get_prep_value(self, value):
        if isinstance(value, Token):  # sealed for its row by pre_save, seal() or rotation
            return str(value)
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        raise FieldError(
            f"{self.name} is encrypted and bound to its row: write it by saving the model "
            "(or with vru.fields.seal), not with QuerySet.update or bulk_update."
        )

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        if value.startswith(PLACED_PREFIX):
            return Token(value)  # decrypted on access, when the row is known
        return self.from_text(decrypt(value))  # written before the binding: rewritten on save


class EncryptedTextField(EncryptedMixin, models.TextField):
    pass


class EncryptedCharField(EncryptedMixin, models.CharField):
    """Validated for max_length in Python (as typed); stored as a text column, since the
    ciphertext is much longer than the text."""

    def db_type(self, connection):
        return models.TextField().db_type(connection)


class EncryptedDateField(EncryptedMixin, models.DateField):
    def to_text(self, value) -> str:
        return models.DateField.to_python(self, value).isoformat()

    def from_text(self, text: str):
        return date.fromisoformat(text)

    def db_type(self, connection):
        return models.TextField().db_type(connection)

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        return value

    def get_prep_value(self, value):
        if isinstance(value, Token):
            return str(value)
        value = models.DateField.to_python(self, value)
        if value in (None, ""):
            return value
        raise FieldError(
            f"{self.name} is encrypted and bound to its row: write it by saving the model."
        )


def encrypted_fields(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if getattr(f, "encrypted", False)]


def seal(rows: Iterable[models.Model]) -> int:
    """Bind the values of rows just inserted in bulk (bulk_create sends no post_save) to
    their new primary keys, in the caller's transaction. Returns how many rows it wrote."""
    rows = list(rows)
    if not rows:
        return 0
    model = type(rows[0])
    fields = [f for f in encrypted_fields(model) if f.row_field is None]
    plain = [{f.attname: getattr(row, f.attname) for f in fields} for row in rows]
    for row in rows:
        for field in fields:
            # an expression: bulk_update stores it as it is (a plain value would be refused)
            setattr(row, field.attname, models.Value(field.seal(row), output_field=field))
    model._base_manager.bulk_update(rows, [f.name for f in fields], batch_size=1000)
    for row, values in zip(rows, plain, strict=True):  # the instances keep their plain values
        row.__dict__.update(values)
    return len(rows)


def _seal_after_insert(sender, instance, created, raw=False, using=None, **kwargs):
    """A new row bound to its primary key: its values were inserted as UNSEALED (the key was
    not known); now that it is, write them sealed, in the same transaction."""
    if not created or raw:
        return
    values = {}
    for field in encrypted_fields(sender):
        if field.row_field is None:
            token = field.seal(instance)
            if token not in (None, ""):
                values[field.attname] = token
    if values:
        with transaction.atomic(using=using, savepoint=False):
            sender._base_manager.using(using).filter(pk=instance.pk).update(**values)
