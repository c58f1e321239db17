"""HTML input validation only: services do the writing."""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from grants.models import Application, Decision, GrantRound
from grants.models.applications import APPLICATION_FIELDS
from grants.models.awards import award_dates_errors
from grants.models.rounds import GRANT_ROUND_FIELDS
from grants.validators import validate_attachment
from vru.age_bands import AgeBand
from vru.forms import GovukDateField, GovukDateTimeField, GovukForm, GovukModelForm

YES_NO = [("yes", "Yes"), ("no", "No")]
LSOA_CODE = re.compile(r"^[EW]01\d{6}$")


def _lsoa_codes(raw: str | None) -> list[str]:
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

    lsoa_codes = forms.CharField(
        label="Neighbourhoods you will work in",
        required=False,
        help_text="LSOA codes separated by commas, for example E01021234, E01021240.",
    )
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

    def __init__(self, *args, grant_round, **kwargs):
        super().__init__(*args, **kwargs)
        self.grant_round = grant_round
        self.fields["recommendations"].choices = [
            (str(r.pk), str(r)) for r in grant_round.recommendations.all()
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
        return _lsoa_codes(self.cleaned_data["lsoa_codes"])

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


class DecisionForm(GovukForm):
    outcome = forms.ChoiceField(
        label="Decision", choices=Decision.Outcome.choices, widget=forms.RadioSelect
    )
    amount = forms.DecimalField(
        label="Amount to award (£)",
        required=False,
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
    )
    conditions = forms.CharField(
        label="Conditions", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reasons = forms.CharField(label="Reasons", widget=forms.Textarea(attrs={"rows": 4}))
    quoted_comments = forms.TypedMultipleChoiceField(
        label="Reviewers' comments to quote in the letter",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The letter gives the youth panel's score and quotes only the comments you "
        "choose, without reviewers' names. Choose none and it quotes none.",
    )
    override_reason = forms.CharField(
        label="Why must this be decided before the youth panel has finished?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only needed to decide now. The reason is kept with the decision and shown "
        "on the moderation page.",
    )
    starts_on = GovukDateField(
        label="Project start date", required=False, help_text="For example, 1 4 2027"
    )
    ends_on = GovukDateField(label="Project end date", required=False)
    tranche_count = forms.IntegerField(
        label="Number of payments", min_value=1, max_value=12, initial=2, required=False
    )

    def __init__(self, *args, comments=(), waits=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quoted_comments"].choices = [
            (c.pk, f"{c.criterion}: “{c.comment}”") for c in comments
        ]
        if not comments:
            del self.fields["quoted_comments"]
        if not waits:
            del self.fields["override_reason"]

    def clean(self):
        data = super().clean()
        if data.get("outcome") in {"fund", "fund_conditions"}:
            for name in ("amount", "starts_on", "ends_on", "tranche_count"):
                if data.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, self.required_message(name))
        if data.get("outcome") == "fund_conditions" and not data.get("conditions"):
            self.add_error("conditions", "Enter the conditions")
        if data.get("outcome") in {"fund", "fund_conditions"} and (
            dates := self.present("starts_on", "ends_on")
        ):
            for name, message in award_dates_errors(*dates).items():  # the award's rule
                self.add_error(name, message)
        return data


class ConflictForm(GovukForm):
    error_names = {"knows_someone": "whether you know anyone involved in this project"}

    knows_someone = forms.ChoiceField(
        label="Do you know anyone involved in this project?",
        choices=[
            ("no", "No, I don't know anyone involved"),
            ("yes", "Yes, I know someone involved, or I am involved myself"),
        ],
        widget=forms.RadioSelect,
        help_text="For example, a family member or friend works or volunteers there, or you "
        "go to their sessions. If you are not sure, say yes: it is fine, and someone "
        "else will review it instead.",
    )
    reason = forms.CharField(
        label="How do you know them? (only if you said yes)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A few words are enough, for example “my cousin volunteers there”.",
    )

    def clean(self):
        data = super().clean()
        if data.get("knows_someone") == "yes" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Tell us in a few words how you know them")
        return data


class ScoreForm(GovukForm):
    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=f"Your score for “{criterion.title}”",
                choices=[(str(n), f"{n} – {text}") for n, text in criterion.descriptors],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=f"Why did you give this score? ({criterion.title})",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def scores(self) -> dict[int, tuple[int | None, str]]:
        return {
            c.pk: (
                self.cleaned_data.get(f"score_{c.pk}"),
                self.cleaned_data.get(f"comment_{c.pk}", ""),
            )
            for c in self.criteria
        }

    def sections(self):
        return [(c, self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]


class AssignmentReleaseForm(GovukForm):
    error_names = {"reason": "the reason for releasing this reviewer"}

    reason = forms.CharField(
        label="Why is this reviewer released?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, “ill and cannot score before the panel deadline”. It is kept "
        "with the application's record.",
        error_messages={"required": "Give the reason for releasing this reviewer"},
    )


class AssignmentAddForm(GovukForm):
    error_names = {"reviewer": "a reviewer to add"}

    reviewer = forms.ModelChoiceField(label="Add a reviewer", queryset=None)

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers


class MonitoringReturnForm(GovukForm):
    sessions_delivered = forms.IntegerField(label="Sessions delivered", min_value=0)
    spend_to_date = forms.DecimalField(
        label="Spend to date (£)", min_value=Decimal("0"), max_digits=12, decimal_places=2
    )
    lsoa_counts = forms.CharField(
        label="Young people reached by neighbourhood",
        required=False,
        help_text="One per line: LSOA code, then the number, e.g. E01021234 25",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    case_study = forms.CharField(
        label="A short case study",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Do not name young people.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for band, label in AgeBand.choices:
            self.fields[f"band_{band}"] = forms.IntegerField(
                label=f"Young people reached aged {label.lower()}", min_value=0, initial=0
            )

    def clean_lsoa_counts(self) -> dict[str, int]:
        counts = {}
        for line in (self.cleaned_data["lsoa_counts"] or "").splitlines():
            if not line.strip():
                continue
            parts = line.replace(",", " ").split()
            if len(parts) != 2 or not LSOA_CODE.match(parts[0].upper()) or not parts[1].isdigit():
                raise ValidationError(f"Write each line as a code and a number, not “{line}”")
            counts[parts[0].upper()] = int(parts[1])
        return counts

    def by_age_band(self) -> dict[str, int]:
        return {band: self.cleaned_data[f"band_{band}"] for band in AgeBand.values}


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
    """The round page: GOV.UK date boxes, neighbourhoods by LSOA code, themes one a line and
    the recommendations of the partnership's needs assessments."""

    target_lsoa_codes = forms.CharField(
        label="Priority neighbourhoods",
        required=False,
        help_text="LSOA codes separated by commas. (Until the risk index ranks them, choose them here.)",
    )
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

    def __init__(self, *args, recommendations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recommendations"].choices = [(str(r.pk), str(r)) for r in recommendations]

    def clean_target_lsoa_codes(self) -> list[str]:
        return _lsoa_codes(self.cleaned_data["target_lsoa_codes"])

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
