"""Password hashers standing for a Django upgrade that raises PBKDF2's iterations: a hash
stored with BeforeTheUpgrade must be made again (re-hashed) once AfterTheUpgrade is the
first hasher (few iterations, for speed: what counts is that the upgrade raises them)."""

from django.contrib.auth.hashers import PBKDF2PasswordHasher

BEFORE = "tests.hashers.BeforeTheUpgrade"
AFTER = "tests.hashers.AfterTheUpgrade"


class BeforeTheUpgrade(PBKDF2PasswordHasher):
    iterations = 1


class AfterTheUpgrade(PBKDF2PasswordHasher):
    iterations = 2
