"""The youth panel's and the grants officer's forms: conflicts, scores, assignments, decisions and monitoring returns."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from grants.forms.applications import LSOA_CODE
from grants.models import Decision
from grants.models.awards import award_dates_errors
from vru.age_bands import AgeBand
from vru.forms import GovukDateField, GovukForm


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
    new_starts = forms.IntegerField(
        label="New starts",
        min_value=0,
        help_text="Young people who started with the project in this period (each once).",
    )
    completions = forms.IntegerField(
        label="Completions",
        min_value=0,
        help_text="Young people who completed the project in this period (each once).",
    )
    outcomes_achieved = forms.IntegerField(
        label="Outcomes achieved",
        min_value=0,
        help_text="Outcomes young people achieved in this period, e.g. back in education.",
    )
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
