"""Who holds the Serious Violence Duty in a partnership, and the board that governs it."""

from django.db import models

from vru.messages import field_messages
from vru.models import LocalAuthority, Partnership, User
from vru.models.scoping import PartnershipQuerySet


class GoverningBoard(models.Model):
    """The partnership agreed to deliver the Duty (Essex: the VVP Board; Bedfordshire: the
    Serious Harm Partnership Board)."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.PROTECT, related_name="governing_board"
    )
    name = models.CharField(max_length=200, error_messages=field_messages("the board's name"))
    remit = models.TextField(blank=True)

    objects = PartnershipQuerySet.as_manager()

    def __str__(self) -> str:
        return self.name


class HolderKind(models.TextChoices):
    # specified authorities (PCSC Act 2022, Schedule 1)
    POLICE = "police", "Chief officer of police"
    FIRE_RESCUE = "fire_rescue", "Fire and rescue authority"
    HEALTH = "health", "Integrated care board or local health board"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    YOUTH_OFFENDING = "youth_offending", "Youth offending team"
    PROBATION = "probation", "Probation service"
    # relevant authorities, which co-operate when asked
    PRISON = "prison", "Prison"
    YOUTH_CUSTODY = "youth_custody", "Youth custody"
    EDUCATION = "education", "Educational authority"
    # and the others who take part
    POLICING_BODY = "policing_body", "Local policing body"
    COMMUNITY_SAFETY = "community_safety", "Community safety partnership"
    VOLUNTARY = "voluntary", "Voluntary or community partner"


class DutyHolder(models.Model):
    """An organisation under the Duty, or one that co-operates with those under it."""

    Kind = HolderKind

    SPECIFIED = frozenset(
        {
            Kind.POLICE,
            Kind.FIRE_RESCUE,
            Kind.HEALTH,
            Kind.LOCAL_AUTHORITY,
            Kind.YOUTH_OFFENDING,
            Kind.PROBATION,
        }
    )
    RELEVANT = frozenset({Kind.PRISON, Kind.YOUTH_CUSTODY, Kind.EDUCATION})

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="duty_holders"
    )
    name = models.CharField(
        max_length=200, error_messages=field_messages("the organisation's name")
    )
    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        error_messages=field_messages("what kind of organisation it is", choose=True),
    )
    lead_name = models.CharField(
        "named lead", max_length=200, blank=True, error_messages=field_messages("the named lead")
    )
    contact_email = models.EmailField(
        "contact e-mail",
        blank=True,
        error_messages=field_messages("the contact e-mail", kind="email"),
    )
    commitment = models.TextField(
        "what it has committed to", blank=True, help_text="In the partnership's own words."
    )
    on_board = models.BooleanField("member of the governing board", default=False)
    # What its people who sign in as partners may read figures of (a council: itself; a CSP
    # or an ICB: the local authorities it covers; the police: the whole partnership's).
    areas = models.ManyToManyField(
        LocalAuthority,
        blank=True,
        related_name="+",
        verbose_name="areas it covers",
        help_text="The local authorities whose figures its partner users see.",
    )

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name"],
                name="duty_holder_name_unique_per_partnership",
                violation_error_message="This partnership already lists an organisation "
                "with this name.",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=HolderKind.values), name="duty_holder_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def duty(self) -> str:
        """How the Duty applies to it, in the Act's words."""
        if self.kind in self.SPECIFIED:
            return "Specified authority"
        if self.kind in self.RELEVANT:
            return "Relevant authority"
        return "Partner"


class PartnerMember(models.Model):
    """A person of a duty-holder organisation who signs in with the partner role: they see
    their organisation's areas' protected figures and update the actions it owns."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="partner_member")
    holder = models.ForeignKey(DutyHolder, on_delete=models.CASCADE, related_name="members")

    class Meta:
        ordering = ["holder", "user"]

    def __str__(self) -> str:
        return f"{self.user} – {self.holder}"

    def clean(self) -> None:
        """The one rule for every door (admin, demo, services): a partner of this
        partnership's organisation, holding the partner role."""
        from django.core.exceptions import ValidationError

        from vru.models import Role

        if self.user_id is None or self.holder_id is None:
            return
        if self.user.partnership_id != self.holder.partnership_id:
            raise ValidationError({"user": "Choose a user of this organisation's partnership."})
        if not self.user.role_assignments.filter(role=Role.PARTNER).exists():
            raise ValidationError({"user": "Give this user the partner agency role first."})
