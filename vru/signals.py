"""Signals the core sends for the other apps to act on, without the core importing them."""

from django.dispatch import Signal

# A user's stored password hash was remade with the same password, because the hasher or its
# parameters changed since it was made (Django does so at the next correct password check:
# PBKDF2's iteration count rises with each release). Not a password change: the password is
# the same, but the hash, and so the session auth hash made from it, is new. Sent inside the
# transaction that saves the new hash, with ``user`` (the new hash set) and
# ``old_session_auth_hash`` (the user's session auth hash before it), so that what was
# stamped with the old one can be stamped again: a receiver that fails undoes the re-hash.
password_rehashed = Signal()
