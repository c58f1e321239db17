from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse

from vru.models.accounts import Partnership
from vru.models.scoping import PartnershipQuerySet

lsoa_code_validator = RegexValidator(
    r"^[EW]01\d{6}$", "Enter an LSOA code like E01017529 (E or W, 01, six digits)."
)
area_code_validator = RegexValidator(
    r"^[EW]0[6-9]\d{6}$", "Enter a local authority code like E07000066."
)


class LocalAuthority(models.Model):
    code = models.CharField(max_length=9, unique=True, validators=[area_code_validator])
    name = models.CharField(max_length=200)
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="local_authorities"
    )
    community_safety_partnership = models.ForeignKey(
        "CommunitySafetyPartnership",
        on_delete=models.PROTECT,
        related_name="local_authorities",
    )
    # The one place a partnership's police forces are known (vru.selectors.police_forces_of):
    # police.uk files name their force in "Reported by" and "Falls within".
    police_force = models.CharField(
        max_length=100,
        blank=True,
        help_text="The police force area it lies in, as police.uk names it, e.g. Essex Police.",
    )

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        return self.name


class CommunitySafetyPartnership(models.Model):
    name = models.CharField(max_length=200)
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="community_safety_partnerships"
    )

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "community safety partnership"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="csp_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class LSOA(models.Model):
    """An ONS Lower Layer Super Output Area (2021 boundaries): the neighbourhood unit."""

    code = models.CharField(max_length=9, unique=True, validators=[lsoa_code_validator])
    name = models.CharField(max_length=200)
    # The 2011 LSOA it comes from: the same code when unchanged, the parent when split.
    lsoa11_code = models.CharField(
        "2011 LSOA code", max_length=9, blank=True, validators=[lsoa_code_validator]
    )
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="lsoas")
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="lsoas"
    )
    community_safety_partnership = models.ForeignKey(
        CommunitySafetyPartnership, on_delete=models.PROTECT, related_name="lsoas"
    )
    population = models.PositiveIntegerField(null=True, blank=True)
    imd_score = models.DecimalField(
        "IMD score", max_digits=6, decimal_places=3, null=True, blank=True
    )
    imd_decile = models.PositiveSmallIntegerField(
        "IMD decile",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="1 is the most deprived 10% of neighbourhoods in England.",
    )
    # Written only through vru.services.lsoa_boundaries_set, which draws map_path with it.
    boundary = models.JSONField(
        null=True, blank=True, help_text="GeoJSON geometry (WGS84), generalised."
    )
    # The boundary drawn once as an SVG path in its partnership's map frame (Partnership.
    # map_view_box), so that a map of the partnership is a join, not a projection.
    map_path = models.TextField(blank=True, default="", db_default="", editable=False)

    objects = PartnershipQuerySet.as_manager()

    # The columns that draw the neighbourhood (kilobytes each): lists and joins leave them
    # out (`.defer(*LSOA.drawing())`, `.defer(*LSOA.drawing("lsoa"))` through a relation);
    # only its own page, the maps and the service that draws them read them.
    DRAWING = ("boundary", "map_path")

    class Meta:
        ordering = ["code"]
        verbose_name = "LSOA"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(imd_decile__isnull=True)
                | models.Q(imd_decile__gte=1, imd_decile__lte=10),
                name="lsoa_imd_decile_range",
            )
        ]
        indexes = [models.Index(fields=["partnership", "name"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("vru:lsoa_detail", kwargs={"code": self.code})

    @classmethod
    def drawing(cls, via: str = "") -> tuple[str, ...]:
        return tuple(f"{via}__{name}" if via else name for name in cls.DRAWING)


class Postcode(models.Model):
    """A postcode of the ONS postcode directory (NSPL or ONSPD) and the neighbourhood it lies
    in, kept only for postcodes in the neighbourhoods the product holds. Imported whole by
    `manage.py import_postcodes` (vru.services.postcodes); the place picker works without."""

    postcode = models.CharField(max_length=8, unique=True, help_text="Without spaces: CM11AA.")
    lsoa = models.ForeignKey(LSOA, on_delete=models.CASCADE, related_name="postcodes")

    class Meta:
        ordering = ["postcode"]

    def __str__(self) -> str:
        return f"{self.postcode} {self.lsoa_id}"
