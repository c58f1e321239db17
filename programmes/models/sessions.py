"""Group and detached sessions: anonymous counts by age band and gender, named attendees,
and detached contacts (which can later become referrals)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from programmes.models.programmes import NOT_YOUR_AREA, Programme
from programmes.models.young_people import Gender, YoungPerson
from vru.age_bands import AgeBand
from vru.fields import EncryptedTextField
from vru.models import LSOA


class Session(models.Model):
    """A group or detached (street-based) session: anonymous counts, optional names."""

    class Kind(models.TextChoices):
        GROUP = "group", "Group session"
        DETACHED = "detached", "Detached session"

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="sessions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    held_on = models.DateField()
    place = models.CharField(max_length=200)
    lsoa = models.ForeignKey(
        LSOA, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    attendees = models.ManyToManyField(YoungPerson, blank=True, related_name="sessions")
    issues_raised = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on} {self.place}"

    def get_absolute_url(self) -> str:
        return reverse("programmes:session_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if (
            self.lsoa_id
            and self.programme_id
            and self.lsoa.partnership_id != self.programme.partnership_id
        ):
            raise ValidationError({"lsoa": NOT_YOUR_AREA})


class SessionCount(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="counts")
    age_band = models.CharField(max_length=5, choices=AgeBand.choices)
    gender = models.CharField(max_length=12, choices=Gender.choices)
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["session", "age_band", "gender"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "age_band", "gender"], name="session_count_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.count} {self.gender} {self.age_band}"


class DetachedContact(models.Model):
    """An anonymous conversation on a detached session; may later become a referral."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="detached_contacts")
    age_band = models.CharField(max_length=5, choices=AgeBand.choices)
    gender = models.CharField(max_length=12, choices=Gender.choices)
    # what was said often names or describes the young person: a case note, encrypted at rest
    summary = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["session", "id"]

    def __str__(self) -> str:
        return f"Detached contact {self.pk}"
