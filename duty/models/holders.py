"""Who holds the Serious Violence Duty in a partnership, and the board that governs it."""

from django.db import models

from vru.messages import field_messages
from vru.models import Partnership
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
