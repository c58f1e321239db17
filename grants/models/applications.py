"""Applications to a round, with their eligibility answers, budget lines and attachments."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from grants.models.organisations import Organisation
from grants.models.rounds import EligibilityQuestion, GrantRound
from grants.validators import validate_attachment
from vru.messages import field_messages
from vru.models import LSOA, Recommendation
from vru.models.scoping import scoped_to
from vru.uploads import RandomName

# the fields an applicant writes (the applicant's page, the service)
APPLICATION_FIELDS = (
    "title",
    "summary",
    "amount_requested",
    "young_people_expected",
    "themes",
    "contact_name",
    "contact_email",
    "contact_phone",
)


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        ELIGIBLE = "eligible", "Eligible: with the youth panel"
        INELIGIBLE = "ineligible", "Not eligible"
        DECIDED = "decided", "Decided"

    ALLOWED_TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.ELIGIBLE, Status.INELIGIBLE},
        Status.ELIGIBLE: {Status.DECIDED},
        Status.INELIGIBLE: set(),
        Status.DECIDED: set(),
    }

    grant_round = models.ForeignKey(
        GrantRound, on_delete=models.PROTECT, related_name="applications"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    # The fields the applicant writes (APPLICATION_FIELDS), with the words every door uses
    # for their mistakes: the applicant's page (a model form of these fields) and the
    # service say the same. Nothing is needed to save a draft; submitting checks the rest.
    title = models.CharField(
        "project title", max_length=200, blank=True, error_messages=field_messages("project title")
    )
    summary = models.TextField("project summary", blank=True)
    amount_requested = models.DecimalField(
        "amount you are asking for (£)",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        error_messages=field_messages("amount you are asking for", kind="number"),
    )
    young_people_expected = models.PositiveIntegerField(
        "how many young people do you expect to reach?",
        null=True,
        blank=True,
        error_messages=field_messages(
            "the number of young people you expect to reach", kind="whole number"
        ),
    )
    lsoas = models.ManyToManyField(LSOA, blank=True, related_name="+")
    recommendations = models.ManyToManyField(Recommendation, blank=True, related_name="+")
    themes = models.JSONField(default=list, blank=True)
    # The applicant's contact: never shown to youth reviewers.
    contact_name = models.CharField(
        max_length=200, blank=True, error_messages=field_messages("contact name")
    )
    contact_email = models.EmailField(
        "contact email address",
        blank=True,
        error_messages=field_messages("contact email address", kind="email"),
    )
    contact_phone = models.CharField(
        "contact phone number",
        max_length=30,
        blank=True,
        error_messages=field_messages("contact phone number"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    eligibility_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    eligibility_checked_at = models.DateTimeField(null=True, blank=True)
    eligibility_notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = scoped_to("grant_round__partnership").as_manager()

    class Meta:
        ordering = ["grant_round", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_requested__isnull=True) | Q(amount_requested__gt=0),
                name="grant_application_amount_positive",
                violation_error_message="Amount you are asking for must be 0.01 or more",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="grant_application_submitted_has_time",
            ),
            # "Start an application" returns to the draft an organisation has for a round
            models.UniqueConstraint(
                fields=["grant_round", "organisation"],
                condition=Q(status="draft"),
                name="grant_application_one_draft_per_round",
                violation_error_message="Your organisation already has a draft for this round.",
            ),
        ]
        indexes = [models.Index(fields=["grant_round", "status"])]

    def __str__(self) -> str:
        return self.title or f"Draft application {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("grants:application_detail", kwargs={"pk": self.pk})

    def can_move_to(self, status: str) -> bool:
        return status in self.ALLOWED_TRANSITIONS[self.Status(self.status)]


class EligibilityAnswer(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="eligibility_answers"
    )
    question = models.ForeignKey(EligibilityQuestion, on_delete=models.CASCADE, related_name="+")
    answer = models.BooleanField()

    class Meta:
        ordering = ["application", "question"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "question"], name="grant_eligibility_answer_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question}: {'yes' if self.answer else 'no'}"

    @property
    def passes(self) -> bool:
        return self.answer == self.question.pass_answer


class BudgetLine(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines"
    )
    description = models.CharField(max_length=200)
    amount = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["application", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="grant_budget_line_positive")
        ]

    def __str__(self) -> str:
        return f"{self.description}: £{self.amount}"


class Attachment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(max_length=200)
    file = models.FileField(
        upload_to=RandomName("grants/attachments"), validators=[validate_attachment]
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "pk"]

    def __str__(self) -> str:
        return self.title
