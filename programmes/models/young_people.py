"""Young people: the pseudonymous record everyone works with, and the identity held apart
(name, date of birth, address, contact details: encrypted, read only by those allowed)."""

from django.core.validators import validate_email
from django.db import models

from vru.blind_index import blind_index
from vru.fields import EncryptedCharField, EncryptedDateField, EncryptedTextField
from vru.models import LSOA, Partnership


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NON_BINARY = "non_binary", "Non-binary"
    OTHER = "other", "Other"
    NOT_SAID = "not_said", "Prefer not to say"


class Ethnicity(models.TextChoices):
    # ONS 2021 census high-level groups
    ASIAN = "asian", "Asian, Asian British or Asian Welsh"
    BLACK = "black", "Black, Black British, Black Welsh, Caribbean or African"
    MIXED = "mixed", "Mixed or Multiple ethnic groups"
    WHITE = "white", "White"
    OTHER = "other", "Other ethnic group"
    NOT_SAID = "not_said", "Prefer not to say"
    # asked, or not asked, and nothing recorded (the quarterly return counts it apart)
    NOT_KNOWN = "not_known", "Not known"


class EducationStatus(models.TextChoices):
    SCHOOL = "school", "In school"
    COLLEGE = "college", "In college or training"
    EMPLOYED = "employed", "In employment"
    EXCLUDED = "excluded", "Excluded or in alternative provision"
    NEET = "neet", "Not in education, employment or training"
    UNKNOWN = "unknown", "Not known"


class YoungPerson(models.Model):
    """The pseudonymous record everyone works with: no name, no date of birth."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    # unique through Meta.constraints, not unique=True: that would add a second,
    # LIKE-pattern index on PostgreSQL, and references are only ever matched exactly
    reference = models.CharField(max_length=20)
    gender = models.CharField(max_length=12, choices=Gender.choices, default=Gender.NOT_SAID)
    ethnicity = models.CharField(
        max_length=12, choices=Ethnicity.choices, default=Ethnicity.NOT_SAID
    )
    home_lsoa = models.ForeignKey(
        LSOA, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    education_status = models.CharField(
        max_length=10, choices=EducationStatus.choices, default=EducationStatus.UNKNOWN
    )
    possible_duplicates = models.ManyToManyField("self", blank=True, symmetrical=True)
    created_at = models.DateTimeField(auto_now_add=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["reference"]
        verbose_name_plural = "young people"
        constraints = [
            models.UniqueConstraint(fields=["reference"], name="young_person_reference_unique")
        ]

    def __str__(self) -> str:
        return self.reference


BOUND_TO = "young_person_id"


class YoungPersonIdentity(models.Model):
    """Who the young person is. Shown only to those allowed; every read is audited."""

    young_person = models.OneToOneField(
        YoungPerson, on_delete=models.CASCADE, related_name="identity"
    )
    # encrypted at rest (vru.fields): never filter on these; use match_index. Each value is
    # bound to the young person it belongs to (row_field: known before the INSERT, so the
    # import's COPY seals in one write): moved to another person's identity, it won't read.
    first_name = EncryptedCharField(max_length=100, row_field=BOUND_TO)
    last_name = EncryptedCharField(max_length=100, row_field=BOUND_TO)
    date_of_birth = EncryptedDateField(row_field=BOUND_TO)
    address = EncryptedTextField(blank=True, row_field=BOUND_TO)
    postcode = EncryptedCharField(max_length=10, blank=True, row_field=BOUND_TO)
    phone = EncryptedCharField(max_length=30, blank=True, row_field=BOUND_TO)
    email = EncryptedCharField(
        max_length=254, blank=True, validators=[validate_email], row_field=BOUND_TO
    )
    # blind index of (first name, last name, date of birth): the possible-duplicate key,
    # matched within a partnership without decrypting
    match_index = models.CharField(max_length=64)

    class Meta:
        verbose_name_plural = "young person identities"
        # in Meta, not db_index=True: that adds a LIKE-pattern index too on PostgreSQL, and
        # the key is only ever matched exactly (a bulk import updates every index it has)
        indexes = [models.Index(fields=["match_index"], name="identity_match_index")]

    def __str__(self) -> str:
        return f"Identity of {self.young_person_id}"

    @staticmethod
    def index_for(first_name: str, last_name: str, date_of_birth) -> str:
        return blind_index(first_name, last_name, date_of_birth)


class SearchToken(models.Model):
    """One keyed hash of a word of a young person's name, or of their date of birth
    (vru.blind_index.search_token): how the caseload finds "Jay" or "14/03/2009" without the
    clear value being stored or compared in the database. Whole words only: "Ja" does not
    find Jay. Written with the identity, by the services that write it
    (programmes.services.search_index); deleted with it."""

    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.CASCADE, related_name="search_tokens"
    )
    token = models.CharField(max_length=32)

    class Meta:
        constraints = [
            # serves the search (by token) and keeps each word once per person
            models.UniqueConstraint(fields=["token", "young_person"], name="search_token_unique")
        ]

    def __str__(self) -> str:
        return f"Search token of {self.young_person_id}"
