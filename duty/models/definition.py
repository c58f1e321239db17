"""The partnership's local definition of serious violence (the PCSC Act 2022 leaves it to
each area, to be decided with the four factors of section 13(6) in mind)."""

from django.db import models

from vru.messages import field_messages
from vru.models import Partnership
from vru.models.scoping import PartnershipQuerySet, scoped_to


class ViolenceDefinition(models.Model):
    partnership = models.OneToOneField(
        Partnership, on_delete=models.PROTECT, related_name="violence_definition"
    )
    summary = models.TextField(
        "definition",
        help_text="The definition in a sentence or two.",
        error_messages=field_messages("the definition"),
    )
    # the four factors the Act lists: how each was taken into account
    maximum_penalty = models.TextField("maximum penalty", blank=True)
    impact_on_victims = models.TextField("impact on the victim", blank=True)
    prevalence = models.TextField("prevalence in the area", blank=True)
    impact_on_community = models.TextField("impact on the community", blank=True)
    agreed_on = models.DateField(
        "agreed on", null=True, blank=True, error_messages=field_messages("the date", kind="date")
    )
    source = models.CharField(max_length=300, blank=True, help_text="Where it is published.")

    objects = PartnershipQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Definition of serious violence ({self.partnership})"

    @property
    def factors(self) -> list[tuple[str, str]]:
        return [
            (self._meta.get_field(name).verbose_name.capitalize(), getattr(self, name))
            for name in (
                "maximum_penalty",
                "impact_on_victims",
                "prevalence",
                "impact_on_community",
            )
        ]


class ItemKind(models.TextChoices):
    INCLUDED = "included", "Included"
    EXCLUDED = "excluded", "Excluded"


class DefinitionItem(models.Model):
    """A kind of violence the definition includes or leaves out, and why."""

    Kind = ItemKind

    definition = models.ForeignKey(
        ViolenceDefinition, on_delete=models.CASCADE, related_name="items"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.CharField(
        "kind of violence", max_length=300, error_messages=field_messages("the kind of violence")
    )
    reason = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    objects = scoped_to("definition__partnership").as_manager()

    class Meta:
        ordering = ["kind", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ItemKind.values), name="definition_item_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return self.text
