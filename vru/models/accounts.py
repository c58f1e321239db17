from asgiref.sync import sync_to_async
from django.contrib.auth import hashers
from django.contrib.auth.models import AbstractUser
from django.db import models, transaction

from vru.signals import password_rehashed


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
    # Moved on each time an outline or the frame is drawn differently: the risk maps kept in
    # the cache are named by it, so a map drawn from older outlines is never served.
    map_version = models.PositiveIntegerField(default=0, db_default=0, editable=False)

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

    def check_password(self, raw_password) -> bool:
        """Django's, except that a hash re-made for a new hasher is announced (_rehash)."""
        return hashers.check_password(raw_password, self.password, self._rehash)

    async def acheck_password(self, raw_password) -> bool:
        return await hashers.acheck_password(
            raw_password, self.password, sync_to_async(self._rehash)
        )

    def _rehash(self, raw_password) -> None:
        """The password was right but its stored hash must be updated (the hasher or its
        parameters changed since it was made): store the new hash as Django does (not a
        password change: ``_password`` stays unset, so no password-changed rule runs), and
        tell the apps in the same transaction (vru.signals.password_rehashed)."""
        old_session_auth_hash = self.get_session_auth_hash()
        with transaction.atomic():
            self.set_password(raw_password)
            self._password = None
            self.save(update_fields=["password"])
            password_rehashed.send(
                sender=type(self), user=self, old_session_auth_hash=old_session_auth_hash
            )

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
