"""Forms grants staff use to keep the partnership's applicant organisations."""

from django import forms

from grants.models import Organisation
from vru.forms import GovukDateField, GovukForm, GovukModelForm


class OrganisationForm(GovukModelForm):
    """The one validated input for an organisation: the pages and the admin use this form
    (the admin import validates each row with the model's same rules and messages; the form
    takes its messages from the model's fields)."""

    error_names = {"name": "the organisation's name"}

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

    def __init__(self, *args, local_authorities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if local_authorities is not None:  # the admin scopes its own drop-downs
            self.fields["local_authority"].queryset = local_authorities
        self.fields["local_authority"].required = False
        self.fields["kind"].widget = forms.RadioSelect(choices=Organisation.Kind.choices)


class OrganisationAdminForm(OrganisationForm):
    """The same input in the admin, with the admin's own date picker."""

    class Meta(OrganisationForm.Meta):
        field_classes = {}


class MemberAddForm(GovukForm):
    username = forms.CharField(
        label="Username of the applicant",
        max_length=150,
        help_text="An administrator creates the account with the applicant role first.",
    )
