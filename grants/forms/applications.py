"""The applicant's forms: the application, its budget lines, attachments and eligibility answers. HTML input only: services do the writing."""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from grants.models import Application
from grants.models.applications import APPLICATION_FIELDS
from grants.validators import validate_attachment
from vru.forms import GovukForm, GovukModelForm, PlaceField

YES_NO = [("yes", "Yes"), ("no", "No")]
LSOA_CODE = re.compile(r"^[EW]01\d{6}$")


def lsoa_codes(raw: str | None) -> list[str]:
    codes = [c.strip().upper() for c in re.split(r"[,\s]+", raw or "") if c.strip()]
    bad = [c for c in codes if not LSOA_CODE.match(c)]
    if bad:
        raise ValidationError(f"These are not LSOA codes: {', '.join(bad)}")
    return codes


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


class ApplicationForm(GovukModelForm):
    """The applicant's draft: the application's own fields (APPLICATION_FIELDS, with the
    model's words for their mistakes, as the service says them), the round's neighbourhoods,
    recommendations, themes and eligibility questions. Nothing is required to save;
    submission checks completeness (grants.services.applications.submission_problems)."""

    lsoa_codes = PlaceField(label="Neighbourhoods you will work in", many=True)
    recommendations = forms.MultipleChoiceField(
        label="Which needs-assessment recommendations does your project address?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    themes = forms.MultipleChoiceField(
        label="Which listening-project themes does your project respond to?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Application
        fields = [name for name in APPLICATION_FIELDS if name != "themes"]
        help_texts = {
            "summary": "What you will do, with whom and where. Young reviewers will read this."
        }
        widgets = {"summary": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, grant_round, viewer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.grant_round = grant_round
        self.fields["lsoa_codes"].viewer = viewer
        self.fields["recommendations"].choices = [
            (str(r.pk), r.full_label) for r in grant_round.recommendations.all()
        ]
        self.fields["themes"].choices = [(t, t) for t in grant_round.listening_themes]
        if not self.fields["recommendations"].choices:
            del self.fields["recommendations"]
        if not self.fields["themes"].choices:
            del self.fields["themes"]
        self.question_fields = []
        for question in grant_round.eligibility_questions.all():
            name = f"question_{question.pk}"
            self.fields[name] = forms.ChoiceField(
                label=question.text, choices=YES_NO, required=False, widget=forms.RadioSelect
            )
            self.question_fields.append((question, name))

    def clean_lsoa_codes(self) -> list[str]:
        return lsoa_codes(",".join(self.cleaned_data["lsoa_codes"]))

    def answers(self) -> dict[int, bool]:
        return {
            q.pk: answer
            for q, name in self.question_fields
            if (answer := _yes_no(self.cleaned_data.get(name))) is not None
        }


class BudgetLineForm(GovukForm):
    description = forms.CharField(label="What it pays for", max_length=200, required=False)
    amount = forms.DecimalField(
        label="Amount (£)",
        required=False,
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("description")) != (data.get("amount") is not None):
            raise ValidationError("Give both what the line pays for and its amount.")
        return data


BudgetLineFormSet = forms.formset_factory(BudgetLineForm, extra=3, max_num=30)


class AttachmentForm(GovukForm):
    error_names = {"title": "what the document is", "file": "a file to upload"}

    title = forms.CharField(label="What is this document?", max_length=200)
    file = forms.FileField(
        label="Upload a file",
        validators=[validate_attachment],
        help_text="PDF, Word, OpenDocument text, PNG or JPEG, smaller than 10 MB.",
    )


class EligibilityForm(GovukForm):
    error_names = {"eligible": "whether this application is eligible"}

    eligible = forms.ChoiceField(
        label="Is this application eligible?", choices=YES_NO, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when it is not eligible: the applicant is told why.",
    )
