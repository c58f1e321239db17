from django.contrib.auth.models import AbstractUser
from django.db import models


class Partnership(models.Model):
    """A Violence Reduction Unit and the area it serves (e.g. Essex VVP)."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40)
    slug = models.SlugField(unique=True)
    designated_safeguarding_lead = models.ForeignKey(
        "vru.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Told by e-mail whenever someone opens a young person's identity outside "
        "their own programmes (break-glass access). Without one, the administrators are.",
    )
    data_protection_lead = models.ForeignKey(
        "vru.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Answers subject access requests and owns the information-sharing "
        "agreements: reminded as a request's one-month clock runs down and when an "
        "agreement falls due for review. Without one, the administrators are.",
    )
    # The frame its neighbourhoods' outlines are drawn in (LSOA.map_path), as an SVG viewBox:
    # set with them whenever boundaries are loaded (vru.services.areas.maps).
    map_view_box = models.CharField(max_length=60, blank=True, db_default="", editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "Administrator"
    ANALYST = "analyst", "Analyst"
    PROGRAMME_MANAGER = "programme_manager", "Programme manager"
    PRACTITIONER = "practitioner", "Practitioner"
    GRANTS_OFFICER = "grants_officer", "Grants officer"
    YOUTH_REVIEWER = "youth_reviewer", "Youth reviewer"
    APPLICANT = "applicant", "Applicant"
    COMMISSIONER = "commissioner", "Commissioner"
    # People in a duty-holder organisation (police, a council, the ICB...): their area's
    # protected figures and their organisation's actions; nothing about a young person.
    PARTNER = "partner", "Partner agency"
    # Staff of a commissioned provider: their own contract's programme only.
    PROVIDER = "provider", "Provider staff"


class User(AbstractUser):
    """A person who signs in. Belongs to one partnership and holds one or more roles."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="users", null=True, blank=True
    )

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def role_names(self) -> frozenset[str]:
        """The user's roles: loaded with the signed-in user (vru.viewer), otherwise read once
        per request (vru.viewer.remembered)."""
        if not self.pk:
            return frozenset()
        from vru import viewer

        return viewer.remembered(
            self, "roles", lambda: frozenset(self.role_assignments.values_list("role", flat=True))
        )


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=32, choices=Role.choices)

    class Meta:
        ordering = ["user", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="role_assignment_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="role_assignment_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"
