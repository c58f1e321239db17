"""Commissioned providers: an organisation delivering a programme under a contract (value,
dates, KPIs with targets), the quarterly KPI figures it reports, and its staff (users with
the provider role, linked to one provider)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q

from finance.models.funding import Quarter, financial_year_label
from programmes.models import Programme
from vru.models import Partnership, Role
from vru.models.scoping import PartnershipQuerySet, scoped_to


class Provider(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="finance_provider_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """The one rule for every door (pages, services, admin): a name, unique in the
        partnership, named on the field."""
        self.name = (self.name or "").strip()
        if (
            self.name
            and self.partnership_id
            and Provider.objects.filter(partnership_id=self.partnership_id, name__iexact=self.name)
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError({"name": "Your partnership already has a provider of that name."})


PROVIDER_STAFF_ROLE_NEEDED = "Choose a user with the provider staff role"
PROVIDER_STAFF_OTHER_PARTNERSHIP = "Choose a user of your partnership"
PROVIDER_STAFF_TAKEN = "This user already works for a provider: unlink them there first"


class ProviderStaff(models.Model):
    """A user with the provider role, working for one provider."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="staff")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="provider_link",
        error_messages={"unique": PROVIDER_STAFF_TAKEN},
    )

    objects = scoped_to("provider__partnership").as_manager()

    class Meta:
        ordering = ["provider", "user"]
        verbose_name_plural = "provider staff"

    def __str__(self) -> str:
        return f"{self.user} ({self.provider})"

    def clean(self) -> None:
        """The one rule for every door that links staff (the provider's staff page, the
        admin, finance.services.provider_staff_add): a user of the provider's partnership
        holding the provider staff role, named on the user field."""
        if not self.user_id or not self.provider_id:
            return
        if self.user.partnership_id != self.provider.partnership_id:
            raise ValidationError({"user": PROVIDER_STAFF_OTHER_PARTNERSHIP})
        if Role.PROVIDER not in self.user.role_names:
            raise ValidationError({"user": PROVIDER_STAFF_ROLE_NEEDED})


class Contract(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="contracts")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(
        "value (£)", max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    starts_on = models.DateField()
    ends_on = models.DateField()

    objects = scoped_to("provider__partnership").as_manager()

    class Meta:
        ordering = ["provider", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")),
                name="finance_contract_dates_order",
                violation_error_message="The end date must be after the start date",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="finance_contract_value"),
        ]

    def __str__(self) -> str:
        return f"{self.provider}: {self.programme}"

    def clean(self) -> None:
        errors = {}
        if (
            self.provider_id
            and self.programme_id
            and self.provider.partnership_id != self.programme.partnership_id
        ):
            errors["programme"] = "Choose one of your partnership's programmes."
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            errors["ends_on"] = "The end date must be after the start date."
        if errors:
            raise ValidationError(errors)


class KPI(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(max_length=200)
    target = models.DecimalField(max_digits=12, decimal_places=2)
    unit = models.CharField(max_length=50, blank=True, help_text="e.g. young people, sessions")

    objects = scoped_to("contract__provider__partnership").as_manager()

    class Meta:
        ordering = ["contract", "name"]
        verbose_name = "KPI"
        constraints = [
            models.UniqueConstraint(fields=["contract", "name"], name="finance_kpi_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        self.name = (self.name or "").strip()
        if self.target is not None and self.target < 0:
            errors["target"] = "The target must be 0 or more."
        if (
            self.name
            and self.contract_id
            and KPI.objects.filter(contract_id=self.contract_id, name__iexact=self.name)
            .exclude(pk=self.pk)
            .exists()
        ):
            errors["name"] = "This contract already has a KPI of that name."
        if errors:
            raise ValidationError(errors)


class KPIFigure(models.Model):
    """What a provider reports against a KPI for one quarter of a financial year."""

    kpi = models.ForeignKey(KPI, on_delete=models.CASCADE, related_name="figures")
    financial_year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField(choices=Quarter.choices)
    value = models.DecimalField(max_digits=12, decimal_places=2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    objects = scoped_to("kpi__contract__provider__partnership").as_manager()

    class Meta:
        ordering = ["kpi", "financial_year", "quarter"]
        verbose_name = "KPI figure"
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "financial_year", "quarter"], name="finance_kpi_figure_unique"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1) & Q(quarter__lte=4), name="finance_kpi_quarter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kpi} {financial_year_label(self.financial_year)} Q{self.quarter}"
