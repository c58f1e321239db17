"""Information-sharing agreements with partner organisations, and the log of every disclosure
of personal data made under one (sharing.rules holds the rule that joins them)."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from vru.data_kinds import DataKind
from vru.messages import field_messages
from vru.models import Partnership
from vru.models.scoping import PartnershipQuerySet


class OrganisationKind(models.TextChoices):
    POLICE = "police", "Police"
    HEALTH = "health", "Health (hospital trust, integrated care board)"
    AMBULANCE = "ambulance", "Ambulance service"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    YOUTH_JUSTICE = "youth_justice", "Youth justice service"
    EDUCATION = "education", "School or college"
    VOLUNTARY = "voluntary", "Voluntary or community organisation"
    OTHER = "other", "Other"


class Organisation(models.Model):
    """A partner organisation the partnership shares personal data with (or receives it
    from): a party to its agreements and the recipient of its disclosures."""

    Kind = OrganisationKind

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="sharing_organisations"
    )
    name = models.CharField(
        max_length=200, error_messages=field_messages("the organisation's name")
    )
    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        error_messages=field_messages("what kind of organisation it is", choose=True),
    )
    contact_name = models.CharField("contact name", max_length=200, blank=True)
    contact_email = models.EmailField(
        "contact e-mail",
        blank=True,
        error_messages=field_messages("the contact e-mail", kind="email"),
    )

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name"],
                name="sharing_organisation_name_unique_per_partnership",
                violation_error_message="This partnership already lists an organisation "
                "with this name.",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=OrganisationKind.values),
                name="sharing_organisation_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class LawfulBasis(models.TextChoices):
    """UK GDPR Article 6(1)."""

    CONSENT = "a", "Article 6(1)(a): consent"
    CONTRACT = "b", "Article 6(1)(b): contract"
    LEGAL_OBLIGATION = "c", "Article 6(1)(c): legal obligation"
    VITAL_INTERESTS = "d", "Article 6(1)(d): vital interests"
    PUBLIC_TASK = "e", "Article 6(1)(e): public task"
    LEGITIMATE_INTERESTS = "f", "Article 6(1)(f): legitimate interests"


class Schedule1Condition(models.TextChoices):
    """Data Protection Act 2018 Schedule 1 conditions used for criminal-offence data
    (Article 10) and special-category data (Article 9)."""

    HEALTH_SOCIAL_CARE = "para2", "Schedule 1 paragraph 2: health or social care purposes"
    PUBLIC_HEALTH = "para3", "Schedule 1 paragraph 3: public health"
    STATUTORY = "para6", "Schedule 1 paragraph 6: statutory and government purposes"
    PREVENTING_CRIME = "para10", "Schedule 1 paragraph 10: preventing or detecting unlawful acts"
    SAFEGUARDING = (
        "para18",
        "Schedule 1 paragraph 18: safeguarding of children and individuals at risk",
    )


class Direction(models.TextChoices):
    SEND = "send", "We send"
    RECEIVE = "receive", "We receive"
    BOTH = "both", "Both ways"


class Frequency(models.TextChoices):
    ONE_OFF = "one_off", "Once"
    AS_NEEDED = "as_needed", "Case by case, as needed"
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_FORCE = "in_force", "In force"
    REVIEW_OVERDUE = "review_overdue", "Review overdue"
    ENDED = "ended", "Ended"


# Kinds that are criminal-offence data (UK GDPR Article 10): sharing them needs a Schedule 1
# condition as well as an Article 6 basis.
CRIMINAL_OFFENCE_KINDS = frozenset({DataKind.REFERRAL})


class Agreement(models.Model):
    """An information-sharing agreement: who shares what with whom, why, under which law,
    for how long. Its status follows from its dates (``status_on``)."""

    Status = AgreementStatus

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="sharing_agreements"
    )
    title = models.CharField(max_length=200, error_messages=field_messages("the agreement's title"))
    parties = models.ManyToManyField(Organisation, related_name="agreements")
    purpose = models.TextField(error_messages=field_messages("the purpose of the sharing"))
    lawful_basis = models.CharField(
        "lawful basis (UK GDPR Article 6)",
        max_length=1,
        choices=LawfulBasis.choices,
        error_messages=field_messages("the lawful basis", choose=True),
    )
    criminal_offence_condition = models.CharField(
        "condition for criminal-offence data (Article 10)",
        max_length=10,
        choices=Schedule1Condition.choices,
        blank=True,
    )
    includes_health_data = models.BooleanField("health data is shared", default=False)
    special_category_condition = models.CharField(
        "condition for special-category data (Article 9)",
        max_length=10,
        choices=Schedule1Condition.choices,
        blank=True,
    )
    kinds = models.JSONField("kinds of data shared", default=list)
    direction = models.CharField(
        max_length=10,
        choices=Direction.choices,
        error_messages=field_messages("which way the data goes", choose=True),
    )
    frequency = models.CharField(
        max_length=10,
        choices=Frequency.choices,
        error_messages=field_messages("how often data is shared", choose=True),
    )
    recipient_retention = models.CharField(
        "how long the recipient keeps it",
        max_length=300,
        error_messages=field_messages("how long the recipient keeps the data"),
    )
    dpia_reference = models.CharField("DPIA reference", max_length=100, blank=True)
    signatories = models.TextField(
        blank=True, help_text="Who signed it for each party, one a line. Unsigned: a draft."
    )
    starts_on = models.DateField("start date", null=True, blank=True)
    review_on = models.DateField(
        "review date", error_messages=field_messages("the review date", kind="date")
    )
    ends_on = models.DateField(
        "end date", null=True, blank=True, help_text="From this day it allows no sharing."
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Reminded when the review falls due. Without one, the partnership's data "
        "protection lead (or its administrators).",
    )
    reminded_for = models.DateField(null=True, blank=True, editable=False)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lawful_basis__in=LawfulBasis.values),
                name="sharing_agreement_basis_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gt=models.F("starts_on")),
                name="sharing_agreement_ends_after_start",
                violation_error_message="The end date must be after the start date.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("sharing:agreement_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        errors: dict[str, str] = {}
        kinds = self.kinds if isinstance(self.kinds, list) else None
        if not kinds:
            errors["kinds"] = "Choose the kinds of data shared"
        elif not set(kinds) <= set(DataKind.values):
            errors["kinds"] = "Choose the kinds of data shared from the list"
        elif set(kinds) & CRIMINAL_OFFENCE_KINDS and not self.criminal_offence_condition:
            errors["criminal_offence_condition"] = (
                "Choose the Schedule 1 condition for sharing criminal-offence data"
            )
        if self.includes_health_data and not self.special_category_condition:
            errors["special_category_condition"] = (
                "Choose the Schedule 1 condition for sharing health data"
            )
        if self.starts_on and self.review_on and self.review_on < self.starts_on:
            errors["review_on"] = "The review date must be on or after the start date"
        if self.ends_on and self.starts_on and self.ends_on <= self.starts_on:
            errors["ends_on"] = "The end date must be after the start date"
        if errors:
            raise ValidationError(errors)

    def status_on(self, today: date) -> str:
        if self.ends_on is not None and self.ends_on <= today:
            return AgreementStatus.ENDED
        if self.starts_on is None or self.starts_on > today or not self.signatories.strip():
            return AgreementStatus.DRAFT
        if self.review_on < today:
            return AgreementStatus.REVIEW_OVERDUE
        return AgreementStatus.IN_FORCE

    def allows_sharing_on(self, today: date) -> bool:
        """In force (a review overdue is flagged to its owner, not a stop)."""
        return self.status_on(today) in (AgreementStatus.IN_FORCE, AgreementStatus.REVIEW_OVERDUE)

    def covers(self, kind: str) -> bool:
        return str(kind) in (self.kinds or [])

    @property
    def kind_labels(self) -> list[str]:
        names = dict(DataKind.choices)
        return [names.get(kind, kind) for kind in self.kinds or []]


class DisclosureLog(models.Model):
    """One disclosure of personal data to a partner under an agreement: who, when, what
    (record ids and field names, never the data), to whom and why."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="disclosures"
    )
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="disclosures")
    recipient = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="disclosures"
    )
    kind = models.CharField(max_length=30, choices=DataKind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    purpose = models.TextField()
    door = models.CharField(max_length=100, help_text="Where it left: an export or the API.")
    fields = models.JSONField(default=list)
    record_count = models.PositiveIntegerField(default=0)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient} ({self.at:%d %b %Y})"


class DisclosedRecord(models.Model):
    """A record that left in a disclosure, by model label and id, and the young person it is
    about (so their record shows what was shared about them)."""

    log = models.ForeignKey(DisclosureLog, on_delete=models.CASCADE, related_name="records")
    model_label = models.CharField(max_length=100)
    record_id = models.BigIntegerField()
    young_person_id = models.BigIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.model_label} {self.record_id}"


class PartnerToken(models.Model):
    """An API token (vru.models.ApiToken, read-only) issued for a partner organisation's
    system under one agreement: every pull of personal data with it is recorded against
    that agreement and recipient without the caller naming them, and refused once the
    agreement is not in force or does not cover the data (sharing.api). It reads only the
    API doors that record disclosures."""

    token = models.OneToOneField(
        "vru.ApiToken", on_delete=models.CASCADE, related_name="partner", editable=False
    )
    recipient = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="tokens")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.token} for {self.recipient}"
