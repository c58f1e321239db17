"""Organisations that apply for grants, and the people who act for them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower

from vru.models import LocalAuthority, Partnership
from vru.models.scoping import PartnershipQuerySet

# What every door that writes an organisation (the pages, the admin, the admin import) says
# about the same mistake: the model's fields and clean() and grants.forms.OrganisationForm
# use these, so a refusal reads the same whichever door it came through.
ORGANISATION_NAME_REQUIRED = "Enter the organisation's name"
ORGANISATION_NAME_TOO_LONG = "The organisation's name must be 200 characters or less"
ORGANISATION_EMAIL_INVALID = "Enter contact email in the correct format, like name@example.com"
ORGANISATION_NAME_TAKEN = "An organisation with this name already exists."
ORGANISATION_KIND_REQUIRED = "Choose the type of organisation"
ORGANISATION_KIND_INVALID = "Choose a type of organisation from the list"


class Organisation(models.Model):
    """A community group, charity or company that applies for grants."""

    class Kind(models.TextChoices):
        CHARITY = "charity", "Registered charity"
        CIO = "cio", "Charitable incorporated organisation"
        COMPANY = "company", "Company limited by guarantee"
        CIC = "cic", "Community interest company"
        CONSTITUTED_GROUP = "group", "Constituted community group"
        SCHOOL = "school", "School or college"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="grant_organisations"
    )
    name = models.CharField(
        max_length=200,
        error_messages={
            "blank": ORGANISATION_NAME_REQUIRED,
            "max_length": ORGANISATION_NAME_TOO_LONG,  # as the pages say it
        },
    )
    kind = models.CharField(
        "type",
        max_length=12,
        choices=Kind.choices,
        error_messages={
            "blank": ORGANISATION_KIND_REQUIRED,
            "invalid_choice": ORGANISATION_KIND_INVALID,
        },
    )
    charity_number = models.CharField(max_length=20, blank=True)
    company_number = models.CharField(max_length=20, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contact_email = models.EmailField(
        blank=True, error_messages={"invalid": ORGANISATION_EMAIL_INVALID}
    )
    contact_phone = models.CharField(max_length=30, blank=True)
    safeguarding_policy_date = models.DateField(
        null=True, blank=True, help_text="When the safeguarding policy was last reviewed."
    )

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            # one name per partnership whatever the capitals (names identify organisations
            # in imports and 360Giving files), held by the database for every door: the
            # pages' service, the admin and the admin import
            models.UniqueConstraint(
                "partnership",
                Lower("name"),
                name="grants_organisation_name_unique",
                violation_error_message=ORGANISATION_NAME_TAKEN,
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # Every door runs this: the pages' services on create and change, the admin's form,
        # the admin import (each row).
        errors = {}
        stripped = (self.name or "").strip()
        if stripped != self.name:
            self.name = stripped
            if not stripped:  # only spaces (an empty name is refused as blank already)
                errors["name"] = ORGANISATION_NAME_REQUIRED
        # One name per partnership whatever the capitals or spaces around it (the database
        # constraint holds the capitals against races; this says it on the name field).
        if (
            self.name
            and self.partnership_id is not None
            and Organisation.objects.filter(
                partnership_id=self.partnership_id, name__iexact=self.name
            )
            .exclude(pk=self.pk)
            .exists()
        ):
            errors["name"] = ORGANISATION_NAME_TAKEN
        if (
            self.local_authority_id is not None
            and self.partnership_id is not None
            and self.local_authority.partnership_id != self.partnership_id
        ):
            errors["local_authority"] = "Choose a local authority in this partnership."
        if errors:
            raise ValidationError(errors)


class OrganisationMembership(models.Model):
    """An applicant user belongs to exactly one organisation."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grant_membership"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )

    class Meta:
        ordering = ["organisation", "user"]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation}"


# A round's rules, in the words every door that writes a round says them (the round page, the
# admin, a direct call of the service): GrantRound.clean holds them, and its database
# constraints are the backstop, naming the same field.
