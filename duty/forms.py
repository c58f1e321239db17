"""The Duty's forms only parse; the services judge (duty.services)."""

from django import forms

from duty.models import SCALE, ActionStatus, DutyHolder, Rag, ReadinessArea, ReadinessAssessment
from vru.forms import GovukDateField, GovukForm

HINT = "For example, 31 1 2025"
SCORES = [("", "Choose a score"), *((str(n), f"{n}: {label}") for n, label in SCALE.items())]


class DutyHolderForm(GovukForm):
    name = forms.CharField(max_length=200, label="Organisation")
    kind = forms.ChoiceField(
        choices=[("", "Choose the kind of organisation"), *DutyHolder.Kind.choices],
        label="Kind of organisation",
        help_text="Specified authorities hold the Duty; relevant authorities co-operate when asked.",
    )
    lead_name = forms.CharField(max_length=200, required=False, label="Named lead")
    contact_email = forms.EmailField(required=False, label="Contact e-mail")
    commitment = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}), label="What it has committed to"
    )
    on_board = forms.BooleanField(required=False, label="Member of the governing board")


class StrategyReviewForm(GovukForm):
    reviewed_on = GovukDateField(label="Date of the review", help_text=HINT)
    what_changed = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        label="What changed",
        help_text="What the review changed in the strategy, or that it changed nothing.",
    )
    next_review_on = GovukDateField(
        required=False,
        label="Next review due (optional)",
        help_text="Leave blank for the strategy's usual period after this review.",
    )


class ReadinessForm(GovukForm):
    assessed_on = GovukDateField(label="Date of the assessment", help_text=HINT)
    kind = forms.ChoiceField(choices=ReadinessAssessment.Kind.choices, label="Who assessed it")
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Note (optional)"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for area in ReadinessArea:
            self.fields[area.value] = forms.TypedChoiceField(
                choices=SCORES, coerce=int, label=area.label
            )
            self.fields[f"{area.value}_evidence"] = forms.CharField(
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                label=f"Evidence for {area.label.lower()} (optional)",
            )

    def scores(self) -> dict[str, int]:
        return {area.value: self.cleaned_data.get(area.value) for area in ReadinessArea}

    def evidence(self) -> dict[str, str]:
        return {
            area.value: self.cleaned_data.get(f"{area.value}_evidence", "")
            for area in ReadinessArea
        }


class ActionForm(GovukForm):
    recommendation = forms.ModelChoiceField(
        queryset=None, label="Recommendation", empty_label="Choose a recommendation"
    )
    title = forms.CharField(
        max_length=300, label="Action", widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = forms.ModelChoiceField(
        queryset=None, label="Owning organisation", empty_label="Choose an organisation"
    )
    owner_name = forms.CharField(max_length=200, label="Named owner")
    due_on = GovukDateField(label="Due date", help_text=HINT)
    rag = forms.ChoiceField(choices=Rag.choices, label="RAG rating", initial=Rag.GREEN)
    rag_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Reason for the rating",
        help_text="Needed for amber or red.",
    )

    def __init__(self, *args, recommendations, holders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recommendation"].queryset = recommendations
        self.fields["owner"].queryset = holders


class ActionUpdateForm(GovukForm):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Progress")
    status = forms.ChoiceField(choices=ActionStatus.choices, label="Status")
    rag = forms.ChoiceField(choices=Rag.choices, label="RAG rating")
    rag_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Reason for the rating",
        help_text="Needed for amber or red.",
    )


RETIRED = "retired"


class CarryForwardForm(GovukForm):
    """For each recommendation of the previous needs assessment: its successor, or retired."""

    def __init__(self, *args, previous, refreshed, **kwargs):
        super().__init__(*args, **kwargs)
        self.old = list(previous.recommendations.order_by("number"))
        choices = [
            ("", "Choose"),
            *(
                (str(r.pk), f"{r.number}. {r.text[:90]}")
                for r in refreshed.recommendations.order_by("number")
            ),
            (RETIRED, "Retired: no successor"),
        ]
        for recommendation in self.old:
            name = f"recommendation_{recommendation.number}"
            self.fields[name] = forms.ChoiceField(
                choices=choices,
                label=f"{recommendation.number}. {recommendation.text[:120]}",
                error_messages={
                    "required": f"Choose what recommendation {recommendation.number} becomes"
                },
            )
            self.fields[f"{name}_retired_because"] = forms.CharField(
                required=False,
                label=f"Why recommendation {recommendation.number} is retired (if it is)",
            )

    def mapping(self) -> tuple[dict[int, int | None], dict[int, str]]:
        successors, reasons = {}, {}
        for recommendation in self.old:
            name = f"recommendation_{recommendation.number}"
            value = self.cleaned_data[name]
            successors[recommendation.pk] = None if value == RETIRED else int(value)
            reasons[recommendation.pk] = self.cleaned_data.get(f"{name}_retired_because", "")
        return successors, reasons
