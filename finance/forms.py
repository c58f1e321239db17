"""The money forms only parse; the services judge (finance.services)."""

from django import forms

from finance.models import FundingStream, Quarter
from vru.forms import GovukDateField, GovukForm
from vru.validators import validate_import_file

YEAR_HINT = "The year it starts: 2024 for 2024/25."


class FundingStreamForm(GovukForm):
    funder = forms.CharField(max_length=200, help_text="For example, the Home Office.")
    grant_name = forms.CharField(max_length=200, label="Grant name")
    financial_year = forms.IntegerField(
        min_value=2000, max_value=2100, label="Financial year", help_text=YEAR_HINT
    )
    amount = forms.DecimalField(min_value=0.01, max_digits=12, decimal_places=2, label="Amount (£)")
    spend_type = forms.ChoiceField(
        choices=FundingStream.SpendType.choices, label="Core or intervention spend"
    )
    conditions = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Conditions (optional)"
    )


class AllocationForm(GovukForm):
    target = forms.ChoiceField(label="Allocate to", help_text="A programme or a grant round.")
    amount = forms.DecimalField(min_value=0.01, max_digits=12, decimal_places=2, label="Amount (£)")

    def __init__(self, *args, programmes=(), grant_rounds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [
            ("", "Choose a programme or a grant round"),
            ("Programmes", [(f"programme:{p.pk}", p.name) for p in programmes]),
            ("Grant rounds", [(f"round:{r.pk}", r.title) for r in grant_rounds]),
        ]


class SpendForm(GovukForm):
    programme = forms.ChoiceField(label="Programme")
    financial_year = forms.IntegerField(
        min_value=2000, max_value=2100, label="Financial year", help_text=YEAR_HINT
    )
    quarter = forms.TypedChoiceField(coerce=int, choices=Quarter.choices, label="Quarter")
    amount = forms.DecimalField(
        min_value=0, max_digits=12, decimal_places=2, label="Amount spent (£)"
    )
    note = forms.CharField(max_length=300, required=False, label="Note (optional)")

    def __init__(self, *args, programmes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [
            ("", "Choose a programme"),
            *((str(p.pk), p.name) for p in programmes),
        ]


class SpendImportForm(GovukForm):
    file = forms.FileField(
        validators=[validate_import_file],
        label="Spreadsheet of spend",
        help_text="CSV (UTF-8) or XLSX with the columns programme, financial_year (2024/25), "
        "quarter (1 to 4; April to June is 1), amount; optionally note.",
    )


class ReturnProduceForm(GovukForm):
    financial_year = forms.IntegerField(
        min_value=2000, max_value=2100, label="Financial year", help_text=YEAR_HINT
    )
    quarter = forms.TypedChoiceField(coerce=int, choices=Quarter.choices, label="Quarter")


class ReturnCorrectForm(GovukForm):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Why is the return corrected?",
        help_text="The locked version stays as it was; the correction is a new version.",
    )


class KPIFigureForm(GovukForm):
    kpi = forms.ChoiceField(label="KPI")
    financial_year = forms.IntegerField(
        min_value=2000, max_value=2100, label="Financial year", help_text=YEAR_HINT
    )
    quarter = forms.TypedChoiceField(coerce=int, choices=Quarter.choices, label="Quarter")
    value = forms.DecimalField(max_digits=12, decimal_places=2, label="Figure")

    def __init__(self, *args, kpis=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kpi"].choices = [
            ("", "Choose a KPI"),
            *((str(k.pk), f"{k.name} (target {k.target:g} {k.unit})".strip()) for k in kpis),
        ]


class ProviderForm(GovukForm):
    name = forms.CharField(max_length=200, label="Provider organisation's name")


class ProviderStaffForm(GovukForm):
    """Link a user to a provider: the choices are finance.selectors.provider_staff_choices;
    the rule is ProviderStaff.clean, through the service."""

    user = forms.ModelChoiceField(
        queryset=None,
        label="Staff member",
        help_text="A user of your partnership with the provider staff role.",
        error_messages={"required": "Choose the staff member to link"},
    )

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = _staff_label


def _staff_label(user) -> str:
    name = user.get_full_name() or user.username
    link = getattr(user, "provider_link", None)
    return f"{name} ({user.email}), works for {link.provider}" if link else f"{name} ({user.email})"


class ContractTermsForm(GovukForm):
    value = forms.DecimalField(min_value=0, max_digits=12, decimal_places=2, label="Value (£)")
    starts_on = GovukDateField(label="Start date", help_text="For example, 1 4 2025")
    ends_on = GovukDateField(label="End date", help_text="For example, 31 3 2026")


class ContractForm(ContractTermsForm):
    provider = forms.ChoiceField(label="Provider")
    programme = forms.ChoiceField(label="Programme it delivers")
    field_order = ["provider", "programme", "value", "starts_on", "ends_on"]

    def __init__(self, *args, providers=(), programmes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [
            ("", "Choose a provider"),
            *((str(p.pk), p.name) for p in providers),
        ]
        self.fields["programme"].choices = [
            ("", "Choose a programme"),
            *((str(p.pk), p.name) for p in programmes),
        ]
        self.order_fields(self.field_order)


class KPIForm(GovukForm):
    name = forms.CharField(
        max_length=200, label="KPI", help_text="For example, young people engaged."
    )
    target = forms.DecimalField(max_digits=12, decimal_places=2, label="Target")
    unit = forms.CharField(
        max_length=50,
        required=False,
        label="Unit (optional)",
        help_text="For example, young people or sessions.",
    )


class PopulationImportForm(GovukForm):
    file = forms.FileField(
        validators=[validate_import_file],
        label="Population table",
        help_text="CSV (UTF-8) or XLSX with the columns local_authority_code, age, sex, "
        "ethnic_group, observation; optionally year and source (docs: Money, fair reach).",
    )


class FairReachForm(GovukForm):
    """The period (a financial year, or one of its quarters) and programme of fair reach."""

    year = forms.IntegerField(
        min_value=2000, max_value=2100, label="Financial year", help_text=YEAR_HINT
    )
    quarter = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "The whole year"), *Quarter.choices],
        label="Quarter",
    )
    programme = forms.ChoiceField(required=False, label="Programme")

    def __init__(self, *args, programmes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [
            ("", "All programmes"),
            *((str(p.pk), p.name) for p in programmes),
        ]
