from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse

from grants.validators import validate_attachment
from vru.messages import field_messages
from vru.models import LSOA, LocalAuthority, Partnership, Recommendation
from vru.uploads import RandomName

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
ROUND_CLOSES_BEFORE_OPENS = "The round must close after it opens"
ROUND_PANEL_BEFORE_CLOSE = "The panel deadline must be after the round closes"
ROUND_MAXIMUM_BELOW_MINIMUM = "The largest award must be at least the smallest award"
ROUND_BUDGET_BELOW_MAXIMUM = "The budget must be at least the largest award"
ROUND_THEMES_NOT_TEXTS = "Themes must be a list of short texts."
# the fields a round is given (the page's form, the admin's, the service): written once
GRANT_ROUND_FIELDS = (
    "fund",
    "title",
    "description",
    "budget",
    "minimum_award",
    "maximum_award",
    "opens_at",
    "closes_at",
    "panel_deadline",
    "reviewers_per_application",
    "identifier_prefix",
    "listening_themes",
)
_AT_LEAST_A_POUND = [MinValueValidator(Decimal("1"))]
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


class GrantRound(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="grant_rounds"
    )
    fund = models.CharField(
        max_length=200,
        help_text="The fund paying for the round.",
        error_messages=field_messages("fund"),
    )
    title = models.CharField(
        "round title", max_length=200, error_messages=field_messages("round title")
    )
    description = models.TextField(blank=True)
    budget = models.DecimalField(
        "budget (£)",
        max_digits=12,
        decimal_places=2,
        validators=_AT_LEAST_A_POUND,
        error_messages=field_messages("budget", kind="number"),
    )
    minimum_award = models.DecimalField(
        "smallest award (£)",
        max_digits=12,
        decimal_places=2,
        validators=_AT_LEAST_A_POUND,
        error_messages=field_messages("smallest award", kind="number"),
    )
    maximum_award = models.DecimalField(
        "largest award (£)",
        max_digits=12,
        decimal_places=2,
        validators=_AT_LEAST_A_POUND,
        error_messages=field_messages("largest award", kind="number"),
    )
    opens_at = models.DateTimeField(
        "opens", error_messages=field_messages("when the round opens", kind="date")
    )
    closes_at = models.DateTimeField(
        "closes", error_messages=field_messages("when the round closes", kind="date")
    )
    panel_deadline = models.DateTimeField(
        help_text="When reviewers must submit their scores.",
        error_messages=field_messages("panel deadline", kind="date"),
    )
    reviewers_per_application = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        error_messages=field_messages("reviewers per application", kind="whole number"),
    )
    # Priority LSOAs: chosen by the grants officer until the risk index (issue 3) ranks them.
    target_lsoas = models.ManyToManyField(LSOA, blank=True, related_name="+")
    recommendations = models.ManyToManyField(Recommendation, blank=True, related_name="+")
    listening_themes = models.JSONField(
        default=list, blank=True, help_text="Listening-project themes the round responds to."
    )
    identifier_prefix = models.CharField(
        "360Giving identifier prefix",
        max_length=40,
        default="360G-vru",
        help_text="360Giving identifier prefix for grants awarded in this round.",
        error_messages=field_messages("360Giving identifier prefix"),
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opens_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="grant_round_dates_order",
                violation_error_message=ROUND_CLOSES_BEFORE_OPENS,
            ),
            models.CheckConstraint(
                condition=Q(panel_deadline__gt=models.F("closes_at")),
                name="grant_round_panel_after_close",
                violation_error_message=ROUND_PANEL_BEFORE_CLOSE,
            ),
            models.CheckConstraint(
                condition=Q(minimum_award__gt=0),
                name="grant_round_minimum_positive",
                violation_error_message="The smallest award must be more than £0",
            ),
            models.CheckConstraint(
                condition=Q(maximum_award__gte=models.F("minimum_award")),
                name="grant_round_maximum_not_below_minimum",
                violation_error_message=ROUND_MAXIMUM_BELOW_MINIMUM,
            ),
            models.CheckConstraint(
                condition=Q(budget__gte=models.F("maximum_award")),
                name="grant_round_budget_covers_maximum",
                violation_error_message=ROUND_BUDGET_BELOW_MAXIMUM,
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("grants:round_detail", kwargs={"pk": self.pk})

    def is_open(self, now) -> bool:
        return self.opens_at <= now < self.closes_at

    def clean(self) -> None:
        # Every door runs this: the round page (its form is a model form), the admin's form,
        # the services. A rule across fields is judged when both values are there.
        errors = {}
        if not isinstance(self.listening_themes, list) or not all(
            isinstance(t, str) and t.strip() for t in self.listening_themes
        ):
            errors["listening_themes"] = ROUND_THEMES_NOT_TEXTS
        opens, closes, panel = self.opens_at, self.closes_at, self.panel_deadline
        if opens and closes and closes <= opens:
            errors["closes_at"] = ROUND_CLOSES_BEFORE_OPENS
        if closes and panel and panel <= closes:
            errors["panel_deadline"] = ROUND_PANEL_BEFORE_CLOSE
        # amounts of less than £1 are their own fields' mistakes: not compared with others
        smallest, largest, budget = (
            amount if isinstance(amount, int | float | Decimal) and amount >= 1 else None
            for amount in (self.minimum_award, self.maximum_award, self.budget)
        )
        if smallest and largest and largest < smallest:
            errors["maximum_award"] = ROUND_MAXIMUM_BELOW_MINIMUM
        if largest and budget and budget < largest:
            errors["budget"] = ROUND_BUDGET_BELOW_MAXIMUM
        if errors:
            raise ValidationError(errors)


class EligibilityQuestion(models.Model):
    """A yes/no question; the application passes when the answer equals `pass_answer`."""

    grant_round = models.ForeignKey(
        GrantRound, on_delete=models.CASCADE, related_name="eligibility_questions"
    )
    text = models.CharField(max_length=300)
    pass_answer = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["grant_round", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class Criterion(models.Model):
    """A rubric criterion, written for young reviewers, scored 1 to 5."""

    grant_round = models.ForeignKey(GrantRound, on_delete=models.CASCADE, related_name="criteria")
    title = models.CharField(max_length=200)
    guidance = models.TextField(help_text="Plain English, for reviewers aged 14 and over.")
    worked_example = models.TextField()
    weight = models.DecimalField(
        max_digits=4, decimal_places=2, default=Decimal("1"), validators=[MinValueValidator(0)]
    )
    descriptor_1 = models.CharField("what a 1 means", max_length=200)
    descriptor_2 = models.CharField("what a 2 means", max_length=200)
    descriptor_3 = models.CharField("what a 3 means", max_length=200)
    descriptor_4 = models.CharField("what a 4 means", max_length=200)
    descriptor_5 = models.CharField("what a 5 means", max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["grant_round", "position", "pk"]
        verbose_name_plural = "criteria"
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="grant_criterion_weight_pos")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def descriptors(self) -> list[tuple[int, str]]:
        return [(n, getattr(self, f"descriptor_{n}")) for n in range(1, 6)]


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
