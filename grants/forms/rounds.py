"""A round's forms: its fields (page and admin), criteria, eligibility questions and panel members."""

from decimal import Decimal

from django import forms

from grants.forms.applications import YES_NO, lsoa_codes
from grants.models import GrantRound
from grants.models.rounds import GRANT_ROUND_FIELDS
from vru.forms import GovukDateField, GovukDateTimeField, GovukForm, GovukModelForm, PlaceField


class GrantRoundFields(GovukModelForm):
    """A grant round's fields and rules, written once for every door that writes one: the
    round page's form and the admin's are this form, and its rules are GrantRound's (fields,
    clean, constraints), which the service checks again for a direct call."""

    error_names = {"opens_at": "when the round opens", "closes_at": "when the round closes"}

    class Meta:
        model = GrantRound
        fields = [name for name in GRANT_ROUND_FIELDS if name != "listening_themes"]
        help_texts = {
            "opens_at": "For example, 1 4 2027 and 09:00",
            "closes_at": "Applicants see this deadline.",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class GrantRoundForm(GrantRoundFields):
    """The round page: GOV.UK date boxes, neighbourhoods by LSOA code or name (the place picker), themes one a line and
    the recommendations of the partnership's needs assessments."""

    target_lsoa_codes = PlaceField(label="Priority neighbourhoods", many=True)
    listening_themes = forms.CharField(
        label="Listening-project themes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line.",
    )
    recommendations = forms.MultipleChoiceField(
        label="Needs-assessment recommendations",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta(GrantRoundFields.Meta):
        fields = list(GRANT_ROUND_FIELDS)
        field_classes = {
            "opens_at": GovukDateTimeField,
            "closes_at": GovukDateTimeField,
            "panel_deadline": GovukDateTimeField,
        }

    field_order = [
        *(name for name in GRANT_ROUND_FIELDS if name != "listening_themes"),
        "target_lsoa_codes",
        "listening_themes",
        "recommendations",
    ]

    def __init__(self, *args, recommendations, viewer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_lsoa_codes"].viewer = viewer
        self.fields["recommendations"].choices = [
            (str(r.pk), r.full_label) for r in recommendations
        ]

    def clean_target_lsoa_codes(self) -> list[str]:
        return lsoa_codes(",".join(self.cleaned_data["target_lsoa_codes"]))

    def clean_listening_themes(self) -> list[str]:
        return [
            line.strip()
            for line in self.cleaned_data["listening_themes"].splitlines()
            if line.strip()
        ]


class GrantRoundAdminForm(GrantRoundFields):
    """The same round in the admin (its own date pickers, neighbourhoods and recommendations
    chosen from lists): saved through the same service as the page."""

    class Meta(GrantRoundFields.Meta):
        fields = [*GRANT_ROUND_FIELDS, "target_lsoas", "recommendations"]


class CriterionForm(GovukForm):
    title = forms.CharField(label="Criterion", max_length=200, required=False)
    guidance = forms.CharField(
        label="Guidance for young reviewers",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    worked_example = forms.CharField(
        label="Worked example", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    weight = forms.DecimalField(
        label="Weight",
        min_value=Decimal("0.01"),
        max_digits=4,
        decimal_places=2,
        required=False,
        initial=1,
    )
    descriptor_1 = forms.CharField(label="What a 1 means", max_length=200, required=False)
    descriptor_2 = forms.CharField(label="What a 2 means", max_length=200, required=False)
    descriptor_3 = forms.CharField(label="What a 3 means", max_length=200, required=False)
    descriptor_4 = forms.CharField(label="What a 4 means", max_length=200, required=False)
    descriptor_5 = forms.CharField(label="What a 5 means", max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("title"):
            for name in (
                "guidance",
                "worked_example",
                "weight",
                *(f"descriptor_{n}" for n in range(1, 6)),
            ):
                if data.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, self.required_message(name))
        return data


class QuestionForm(GovukForm):
    text = forms.CharField(label="Eligibility question", max_length=300, required=False)
    pass_answer = forms.ChoiceField(
        label="Which answer passes?",
        choices=YES_NO,
        initial="yes",
        widget=forms.RadioSelect,
        required=False,
    )


CriterionFormSet = forms.formset_factory(CriterionForm, extra=3, max_num=12)
QuestionFormSet = forms.formset_factory(QuestionForm, extra=3, max_num=12)


class PanelMemberForm(GovukForm):
    """Staff record a young reviewer's details."""

    user = forms.ModelChoiceField(label="Reviewer", queryset=None)
    date_of_birth = GovukDateField(label="Date of birth", help_text="For example, 27 3 2010")
    training_completed_on = GovukDateField(label="Training completed on", required=False)
    guardian_consent_recorded_on = GovukDateField(
        label="Parent or guardian consent recorded on",
        required=False,
        help_text="Needed for reviewers under 18 before they can score.",
    )

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users


class PanelMemberUpdateForm(GovukForm):
    training_completed_on = GovukDateField(label="Training completed on", required=False)
    guardian_consent_recorded_on = GovukDateField(
        label="Parent or guardian consent recorded on", required=False
    )
    active = forms.BooleanField(label="On the panel", required=False)
