"""HTML input for the area pages: validation only, no saving."""

from datetime import date
from decimal import Decimal

from django import forms

from vru.forms import GovukForm
from vru.models import AreaProfile
from vru.validators import validate_import_file


class RiskRunForm(GovukForm):
    label = forms.CharField(
        max_length=200, required=False, help_text="For example “2026 refresh, weights agreed”."
    )
    period_start = forms.DateField(
        label="Data from", help_text="Crime counts from this date (YYYY-MM-DD)."
    )
    period_end = forms.DateField(
        label="Data to",
        help_text="Up to this date. Indicators use their latest value up to it.",
    )
    top_percent = forms.DecimalField(
        label="Priority share (%)",
        min_value=Decimal("0.01"),
        max_value=Decimal(100),
        decimal_places=2,
        initial=Decimal(5),
        help_text="The top share of LSOAs flagged as priority. Essex uses 5%.",
    )

    def __init__(self, *args, factors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.factor_keys = []
        for factor in factors:
            name = f"weight_{factor.key}"
            self.fields[name] = forms.DecimalField(
                label=f"Weight: {factor}",
                min_value=Decimal(0),
                max_digits=6,
                decimal_places=3,
                initial=factor.default_weight,
                help_text=(factor.description + " " if factor.description else "")
                + "0 leaves it out.",
            )
            self.factor_keys.append(factor.key)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and start > end:
            self.add_error("period_end", "Data to must be the same as or after data from")
        if self.factor_keys and not any(cleaned.get(f"weight_{key}") for key in self.factor_keys):
            raise forms.ValidationError("Give at least one factor a weight above 0.")
        return cleaned

    def weights(self) -> dict[str, Decimal]:
        return {key: self.cleaned_data[f"weight_{key}"] for key in self.factor_keys}


class CrimeFileForm(GovukForm):
    file = forms.FileField(
        validators=[validate_import_file],
        label="police.uk street-level crime file",
        help_text="A monthly “street” CSV from data.police.uk, e.g. 2019-01-essex-street.csv. "
        "It is checked first: you see what it would change, and confirm, before anything is "
        "imported.",
    )


class CrimeImportConfirmForm(GovukForm):
    """The confirmation of a checked police.uk file; replacing stored months needs the box
    ticked (the rule itself is the service's: vru.services.import_job_confirm)."""

    replace = forms.BooleanField(required=False)

    def __init__(self, *args, replaced=(), **kwargs):
        super().__init__(*args, **kwargs)
        if not replaced:
            del self.fields["replace"]
            return
        months = [m["label"] for m in replaced]
        names = months[0] if len(months) == 1 else ", ".join(months[:-1]) + " and " + months[-1]
        before = sum(m["before"] for m in replaced)
        after = sum(m["after"] for m in replaced)
        self.fields[
            "replace"
        ].label = (
            f"Replace the {before:,} crime counts stored for {names} with this file's {after:,}"
        )


class ProfileMonthForm(GovukForm):
    month = forms.DateField(
        label="Month",
        input_formats=["%Y-%m"],
        help_text="For example 2019-01.",
        widget=forms.DateInput(format="%Y-%m"),
    )

    def clean_month(self) -> date:
        return self.cleaned_data["month"].replace(day=1)


PROFILE_KINDS = AreaProfile.Kind.choices


class HotspotThresholdForm(GovukForm):
    alpha = forms.FloatField(
        label="Threshold (α)",
        min_value=1e-9,
        max_value=0.5,
        initial=0.01,
        help_text="An LSOA is a hotspot when P(X ≥ its count) is below this. 0.01 is usual; "
        "0.05 finds more, weaker hotspots.",
    )


class IndicatorFileForm(GovukForm):
    file = forms.FileField(
        validators=[validate_import_file],
        label="Indicator file",
        help_text="CSV (UTF-8) or XLSX with columns lsoa_code, factor, period (year or month), "
        "period_start (YYYY, YYYY-MM or YYYY-MM-DD), value, source. It is checked first: you "
        "see what it would store and replace, and confirm, before anything is imported. Any "
        "bad row imports nothing.",
    )


class IndicatorImportConfirmForm(GovukForm):
    """The confirmation of a checked indicator file; replacing stored values needs the box
    ticked (the rule itself is the service's: vru.services.import_job_confirm)."""

    replace = forms.BooleanField(required=False)

    def __init__(self, *args, replaced=(), **kwargs):
        super().__init__(*args, **kwargs)
        if not replaced:
            del self.fields["replace"]
            return
        n = sum(g["replaced"] for g in replaced)
        where = "; ".join(g["label"] for g in replaced)
        noun = "value" if n == 1 else "values"
        self.fields[
            "replace"
        ].label = f"Replace the {n:,} stored indicator {noun} this file changes ({where})"


class PostcodeFileForm(GovukForm):
    file = forms.FileField(
        validators=[validate_import_file],
        label="Postcode directory file",
        help_text="The ONS postcode directory as published (NSPL or ONSPD, CSV): the postcode "
        "column (pcds, pcd, pcd2 or postcode) and the neighbourhood column (lsoa21cd, or "
        "lsoa11cd in older editions). Only the postcodes in the partnership's neighbourhoods "
        "are kept. It is checked first, and any bad row imports nothing.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("Upload the directory's CSV file (.csv).")
        return upload


class PostcodeImportConfirmForm(GovukForm):
    """The confirmation of a checked directory file; replacing the stored postcodes needs
    the box ticked (the rule itself is the service's: vru.services.import_job_confirm)."""

    replace = forms.BooleanField(required=False)

    def __init__(self, *args, replaced=(), **kwargs):
        super().__init__(*args, **kwargs)
        if not replaced:
            del self.fields["replace"]
            return
        n = sum(r["replaced"] for r in replaced)
        self.fields[
            "replace"
        ].label = f"Replace the {n:,} postcodes stored for the partnership's neighbourhoods"
