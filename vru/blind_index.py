"""Blind indexes: keyed hashes of normalised values, so that a person can be matched (the
same name and date of birth) or found (a word of their name, their birth date) without the
clear value being stored or compared in the database. Keyed with VRU_BLIND_INDEX_KEY, apart
from the encryption keys (vru.fields)."""

import functools
import hashlib
import hmac
import re
import unicodedata
from collections.abc import Callable
from datetime import date

from django.core.exceptions import ImproperlyConfigured

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
