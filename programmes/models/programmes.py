"""Programmes and their staff."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from vru.models import LSOA, LocalAuthority, Partnership, PreventionStage, Recommendation
from vru.models.scoping import PartnershipQuerySet

# The documented default retention: a closed case is anonymised six years after closure
# (the period most youth-justice partners keep case records; each programme may change it).
DEFAULT_RETENTION_MONTHS = 72

# Refusals that the models' clean and the records' inputs (programmes.inputs) share
NOT_YOUR_PROGRAMME = "Choose one of your programmes."
NOT_YOUR_AREA = "Enter a neighbourhood (LSOA code) in your partnership's area."


class Programme(models.Model):
    class Kind(models.TextChoices):
        REFERRAL_CASELOAD = "referral", "Referral caseload"
        DETACHED = "detached", "Detached / outreach"
        GROUP = "group", "Group or school programme"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    delivering_organisation = models.CharField(max_length=200, blank=True)
    prevention_stage = models.CharField(max_length=10, choices=PreventionStage.choices, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.REFERRAL_CASELOAD)
    referral_target_hours = models.PositiveSmallIntegerField(
        default=24, help_text="Hours from the event (e.g. arrest) to first contact."
    )
    min_age = models.PositiveSmallIntegerField(default=10)
    max_age = models.PositiveSmallIntegerField(default=25)
    eligible_reasons = models.JSONField(default=list, blank=True)
    eligible_local_authorities = models.ManyToManyField(
        LocalAuthority, blank=True, related_name="+"
    )
    target_lsoas = models.ManyToManyField(
        LSOA,
        blank=True,
        related_name="+",
        help_text="Priority neighbourhoods; by default those in IMD decile 1.",
    )
    recommendations = models.ManyToManyField(Recommendation, blank=True, related_name="+")
    risk_factors = models.JSONField(default=list, blank=True)
    protective_factors = models.JSONField(default=list, blank=True)
    yef_approach = models.CharField(
        "YEF toolkit approach", max_length=100, blank=True, help_text="From the YEF toolkit."
    )
    budget = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    retention_months = models.PositiveSmallIntegerField(default=DEFAULT_RETENTION_MONTHS)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="ProgrammeStaff", related_name="programmes"
    )

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="programme_name_unique"),
            models.CheckConstraint(
                condition=Q(min_age__lte=models.F("max_age")), name="programme_age_range"
            ),
            models.CheckConstraint(
                condition=Q(referral_target_hours__gt=0), name="programme_target_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programmes:programme_detail", kwargs={"pk": self.pk})

    @property
    def yef(self):
        from programmes import yef

        return yef.approach(self.yef_approach)


class ProgrammeStaff(models.Model):
    class StaffRole(models.TextChoices):
        MANAGER = "manager", "Manager"
        PRACTITIONER = "practitioner", "Practitioner"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_memberships"
    )
    role = models.CharField(max_length=12, choices=StaffRole.choices)

    class Meta:
        ordering = ["programme", "user"]
        verbose_name_plural = "programme staff"
        constraints = [
            models.UniqueConstraint(fields=["programme", "user"], name="programme_staff_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.programme} ({self.get_role_display()})"

    def clean(self) -> None:
        # every door: the staff service and the programme admin's staff rows
        if (
            self.user_id
            and self.programme_id
            and self.user.partnership_id != self.programme.partnership_id
        ):
            raise ValidationError({"user": "Staff must belong to the programme's partnership."})
