"""The sharing forms only parse; the services judge (sharing.services)."""

from django import forms

from sharing.models import (
    AgreementStatus,
    Direction,
    Frequency,
    LawfulBasis,
    Organisation,
    Schedule1Condition,
)
from vru.data_kinds import DataKind
from vru.forms import GovukDateField, GovukForm

HINT = "For example, 31 1 2026"
NO_CONDITION = [("", "Not needed")]


class OrganisationForm(GovukForm):
    name = forms.CharField(max_length=200, label="Organisation")
    kind = forms.ChoiceField(
        choices=[("", "Choose the kind of organisation"), *Organisation.Kind.choices],
        label="Kind of organisation",
    )
    contact_name = forms.CharField(max_length=200, required=False, label="Contact name")
    contact_email = forms.EmailField(required=False, label="Contact e-mail")


class AgreementForm(GovukForm):
    title = forms.CharField(max_length=200, label="Title")
    parties = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Partner organisations party to it",
    )
    purpose = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Purpose")
    lawful_basis = forms.ChoiceField(
        choices=[("", "Choose the lawful basis"), *LawfulBasis.choices],
        label="Lawful basis (UK GDPR Article 6)",
    )
    kinds = forms.MultipleChoiceField(
        choices=DataKind.choices,
        widget=forms.CheckboxSelectMultiple,
        label="Kinds of data shared",
    )
    criminal_offence_condition = forms.ChoiceField(
        choices=NO_CONDITION + Schedule1Condition.choices,
        required=False,
        label="Condition for criminal-offence data (Article 10)",
        help_text="Needed when referral and offence details are shared.",
    )
    includes_health_data = forms.BooleanField(required=False, label="Health data is shared")
    special_category_condition = forms.ChoiceField(
        choices=NO_CONDITION + Schedule1Condition.choices,
        required=False,
        label="Condition for special-category data (Article 9)",
        help_text="Needed when health data is shared.",
    )
    direction = forms.ChoiceField(choices=Direction.choices, label="Which way the data goes")
    frequency = forms.ChoiceField(choices=Frequency.choices, label="How often")
    recipient_retention = forms.CharField(max_length=300, label="How long the recipient keeps it")
    dpia_reference = forms.CharField(max_length=100, required=False, label="DPIA reference")
    signatories = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Signatories (optional until signed)",
        help_text="Who signed it for each party, one a line. An unsigned agreement is a draft.",
    )
    starts_on = GovukDateField(required=False, label="Start date (optional)", help_text=HINT)
    review_on = GovukDateField(label="Review date", help_text=HINT)
    ends_on = GovukDateField(required=False, label="End date (optional)", help_text=HINT)
    owner = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Owner (optional)",
        help_text="Reminded when the review is overdue. Left blank: the data protection lead.",
    )

    def __init__(self, *args, partnership, **kwargs):
        from django.contrib.auth import get_user_model

        super().__init__(*args, **kwargs)
        self.fields["parties"].queryset = Organisation.objects.in_partnership(partnership.pk)
        self.fields["owner"].queryset = get_user_model().objects.filter(
            partnership=partnership, is_active=True
        )


class EndAgreementForm(GovukForm):
    confirm = forms.BooleanField(
        label="I confirm this agreement ends today and allows no more sharing"
    )


class PartnerTokenForm(GovukForm):
    """Issue an API token for one of the agreement's parties (sharing.services)."""

    recipient = forms.ModelChoiceField(
        label="Partner organisation",
        queryset=Organisation.objects.none(),
        empty_label=None,
        error_messages={"required": "Select the partner organisation the token is for"},
    )
    name = forms.CharField(
        label="Name", max_length=100, required=False, help_text="What the token is for."
    )
    days = forms.IntegerField(
        label="Lasts for (days)", min_value=1, max_value=365, initial=90, required=False
    )

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = agreement.parties.order_by("name")


class AgreementFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", "Any status"), *AgreementStatus.choices], required=False
    )
