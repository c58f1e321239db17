"""Listening projects: what young people said, how it was themed, and what was done about it."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from vru.age_bands import ListeningAgeBand
from vru.fields import EncryptedTextField
from vru.models.scoping import PartnershipQuerySet

DEFAULT_THEMES = [
    ("Youth facilities and safe spaces", "Places to go and things to do that feel safe."),
    ("Street lighting and CCTV", "Feeling safe on the way: lighting, cameras, routes."),
    ("Trusted adults", "Someone to talk to who listens and can be trusted."),
    ("Targeted education and support", "Help in and out of school for those who need it."),
    ("Awareness raising", "Knowing the risks, the law and where to get help."),
]


class ListeningExercise(models.Model):
    partnership = models.ForeignKey(
        "vru.Partnership", on_delete=models.PROTECT, related_name="listening_exercises"
    )
    name = models.CharField(max_length=200)
    period_start = models.DateField()
    period_end = models.DateField()
    delivery_partner = models.CharField(max_length=200, blank=True)
    venues = models.TextField(blank=True, help_text="Where conversations took place.")
    public_slug = models.SlugField(
        unique=True, help_text='Address of the public "you said, we did" page.'
    )
    is_public = models.BooleanField(
        default=False, help_text='Show the "you said, we did" page to anyone with the link.'
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="listening_exercise_period_order",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("evaluation:exercise_detail", kwargs={"pk": self.pk})


class CodebookTheme(models.Model):
    """A theme young people's words are coded to (the exercise's codebook)."""

    exercise = models.ForeignKey(ListeningExercise, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["exercise", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["exercise", "name"], name="codebook_theme_unique_per_exercise"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Gender(models.TextChoices):
    GIRL = "girl", "Girl or young woman"
    BOY = "boy", "Boy or young man"
    OTHER = "other", "In another way"
    NOT_SAID = "not_said", "Prefer not to say"


class FeedbackResponse(models.Model):
    """One young person's answer to one question. Anonymous, but their words may still be
    sensitive: only partnership staff read them; aggregates go further."""

    exercise = models.ForeignKey(
        ListeningExercise, on_delete=models.CASCADE, related_name="responses"
    )
    responded_on = models.DateField()
    venue = models.CharField(max_length=200, blank=True)
    local_authority = models.ForeignKey(
        "vru.LocalAuthority", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lsoa = models.ForeignKey(
        "vru.LSOA", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    age_band = models.CharField(max_length=10, choices=ListeningAgeBand.choices)
    gender = models.CharField(max_length=10, choices=Gender.choices, blank=True)
    question = models.CharField(max_length=300)
    # Encrypted at rest: a child's own words can identify them or disclose harm.
    words = EncryptedTextField(help_text="The young person's words, as they said them.")
    may_be_quoted = models.BooleanField(default=False)
    safeguarding_concern = models.BooleanField(
        default=False, help_text="Tick if what was said needs a safeguarding response."
    )
    themes = models.ManyToManyField(CodebookTheme, related_name="responses", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-responded_on", "-id"]
        indexes = [models.Index(fields=["exercise", "responded_on"])]

    def __str__(self) -> str:
        return f"Response {self.pk} ({self.responded_on:%d %b %Y})"


class SafeguardingAlert(models.Model):
    """Written in the same transaction as a flagged response, with its outbox message (see
    vru.services.outbox), so it survives a broker outage; `notified_at` marks it sent once."""

    response = models.OneToOneField(
        FeedbackResponse, on_delete=models.CASCADE, related_name="safeguarding_alert"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    notified_to = models.JSONField(default=list, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Safeguarding alert for {self.response}"


class SafeguardingContact(models.Model):
    """A designated safeguarding lead who is alerted at once to a flagged response."""

    partnership = models.ForeignKey("vru.Partnership", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "user"], name="safeguarding_contact_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.user)


class ListeningAction(models.Model):
    """ "We did": what the partnership does about a theme young people raised."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        DELIVERED = "delivered", "Delivered"

    theme = models.ForeignKey(CodebookTheme, on_delete=models.PROTECT, related_name="actions")
    what = models.TextField(help_text="What will be done, in words young people understand.")
    who = models.CharField(max_length=200, help_text="Who is doing it.")
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    delivered_on = models.DateField(null=True, blank=True)
    spend = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    delivered_through = models.CharField(
        max_length=300, blank=True, help_text="The grant or programme that delivers it."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["theme", "status", "due_on"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="delivered") | models.Q(delivered_on__isnull=False),
                name="listening_action_delivered_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(spend__isnull=True) | models.Q(spend__gte=0),
                name="listening_action_spend_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.what[:80]
