"""Forms grants staff use to keep the partnership's applicant organisations."""

from django import forms

from grants.models import Organisation
from vru.forms import GovukDateField, GovukForm, GovukModelForm


class OrganisationForm(GovukModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "charity_number",
            "company_number",
            "address",
            "postcode",
            "local_authority",
            "contact_email",
            "contact_phone",
            "safeguarding_policy_date",
        ]
        labels = {
            "name": "Organisation name",
            "kind": "Type of organisation",
            "safeguarding_policy_date": "Safeguarding policy last reviewed",
        }
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"safeguarding_policy_date": GovukDateField}

    def __init__(self, *args, local_authorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local_authority"].queryset = local_authorities
        self.fields["local_authority"].required = False
        self.fields["kind"].widget = forms.RadioSelect(choices=Organisation.Kind.choices)


class MemberAddForm(GovukForm):
    username = forms.CharField(
        label="Username of the applicant",
        max_length=150,
        help_text="An administrator creates the account with the applicant role first.",
    )
