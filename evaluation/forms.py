import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from evaluation import permissions, services
from evaluation.models import (
    MARYLAND_SMS,
    CodebookTheme,
    Evaluation,
    Gender,
    Instrument,
    ListeningAction,
    OutcomeScore,
    UnitCost,
)
from evaluation.report_periods import (
    WHOLE_PERIOD_KINDS,
    PeriodKind,
    period_end_of,
    period_options,
)
from vru.age_bands import ListeningAgeBand
from vru.forms import GovukDateField, GovukForm, PeriodFilterForm, PlaceField  # noqa: F401
from vru.models import LSOA, LocalAuthority
from vru.validators import validate_import_file

HINT = "For example, 27 3 2026"


class ExerciseForm(GovukForm):
    name = forms.CharField(max_length=200, label="Name of the listening exercise")
    period_start = GovukDateField(label="First day", help_text=HINT)
    period_end = GovukDateField(label="Last day", help_text=HINT)
    delivery_partner = forms.CharField(max_length=200, required=False)
    venues = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Youth clubs, schools and other places where conversations took place.",
    )
    public_slug = forms.SlugField(
        label="Web address of the public page",
        help_text='Letters, numbers and hyphens, e.g. "listening-2023". The page is hidden '
        "until you publish it.",
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The last day must be on or after the first day.")
        return data


class ResponseForm(GovukForm):
    responded_on = GovukDateField(label="Date of the conversation", help_text=HINT)
    venue = forms.CharField(max_length=200, required=False)
    local_authority = forms.ModelChoiceField(
        queryset=LocalAuthority.objects.none(), required=False, label="Area"
    )
    lsoa = PlaceField(
        label="Neighbourhood",
        help_text="If you know it: an LSOA code or name, or a place, for example Chelmsford 001A",
    )
    age_band = forms.ChoiceField(choices=ListeningAgeBand.choices)
    gender = forms.ChoiceField(choices=[("", "Not recorded"), *Gender.choices], required=False)
    question = forms.CharField(max_length=300, label="Question asked")
    words = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        label="What the young person said",
        help_text="Write their words as they said them. Leave out names.",
    )
    may_be_quoted = forms.BooleanField(required=False, label="They agreed to be quoted")
    safeguarding_concern = forms.BooleanField(
        required=False,
        label="This needs a safeguarding response",
        help_text="The designated safeguarding lead is alerted straight away.",
    )
    themes = forms.ModelMultipleChoiceField(
        queryset=CodebookTheme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, exercise, viewer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.exercise = exercise
        self.fields["local_authority"].queryset = LocalAuthority.objects.filter(
            partnership_id=exercise.partnership_id
        )
        self.fields["lsoa"].viewer = viewer
        self.fields["themes"].queryset = exercise.themes.all()

    def clean_lsoa(self):
        code = self.cleaned_data.get("lsoa")
        if not code:
            return None
        found = LSOA.objects.filter(partnership_id=self.exercise.partnership_id, code=code).first()
        if found is None:
            raise forms.ValidationError("Choose a neighbourhood in your area.")
        return found


class CodingForm(GovukForm):
    themes = forms.ModelMultipleChoiceField(
        queryset=CodebookTheme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Themes in what they said",
    )

    def __init__(self, *args, exercise, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = exercise.themes.all()


class ActionForm(GovukForm):
    error_names = {"theme": "what young people said", "what": "what you did or will do"}

    theme = forms.ModelChoiceField(queryset=CodebookTheme.objects.none(), label="You said")
    what = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="We did (or will do)")
    who = forms.CharField(max_length=200, label="Who is doing it")
    status = forms.ChoiceField(choices=ListeningAction.Status.choices)
    due_on = GovukDateField(required=False, label="Due by", help_text=HINT)
    delivered_on = GovukDateField(required=False, label="Delivered on", help_text=HINT)
    spend = forms.DecimalField(required=False, min_value=0, decimal_places=2, label="Spend (£)")
    delivered_through = forms.CharField(
        max_length=300, required=False, label="Delivered through (grant or programme)"
    )

    def __init__(self, *args, exercise, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = exercise.themes.all()


class ResponsesImportForm(GovukForm):
    file = forms.FileField(
        validators=[validate_import_file],
        label="Spreadsheet of responses",
        help_text="CSV (UTF-8) or XLSX with the columns date, age_band, question, words; "
        "optionally venue, local_authority_code, lsoa_code, gender, may_be_quoted, "
        "safeguarding_concern, themes (separated by |).",
    )
    skip_invalid_rows = forms.BooleanField(
        required=False,
        label="Import only the valid rows and list the others",
    )


# --- Evaluations, outcome scores, benefit assumptions ---------------------------------------


class EvaluationForm(GovukForm):
    title = forms.CharField(max_length=200)
    subject = forms.ChoiceField(
        label="What is evaluated",
        help_text="A programme, or a community grant award.",
    )
    kind = forms.ChoiceField(
        choices=Evaluation.Kind.choices,
        widget=forms.RadioSelect,
        label="Who evaluates it",
    )
    evaluator = forms.CharField(
        max_length=200, help_text="The team or organisation carrying out the evaluation."
    )
    method = forms.ChoiceField(choices=Evaluation.Method.choices, widget=forms.RadioSelect)
    status = forms.ChoiceField(choices=Evaluation.Status.choices, widget=forms.RadioSelect)
    starts_on = GovukDateField(label="Start date", help_text=HINT)
    ends_on = GovukDateField(label="End date", required=False, help_text=HINT)
    reported_on = GovukDateField(
        label="Date reported", required=False, help_text=f"Needed once reported. {HINT}"
    )
    findings = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What the evaluation found, in plain words. No names of young people.",
    )
    evidence_rating = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        choices=[("", "Not rated yet")] + [(k, v) for k, v in MARYLAND_SMS.items()],
        label="Strength of evidence (Maryland Scientific Methods Scale)",
    )
    cost = forms.DecimalField(
        required=False,
        min_value=Decimal("0.01"),
        decimal_places=2,
        label="Cost (£)",
        help_text="Leave empty to use the programme's budget or the award's amount.",
    )
    participants = forms.IntegerField(
        required=False,
        min_value=1,
        help_text="Leave empty to count the programme's referrals between the dates above "
        "(or, for an award, the young people its monitoring returns report).",
    )
    assumptions = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Assumptions behind the benefit estimate",
    )

    def __init__(self, *args, programmes, awards, **kwargs):
        super().__init__(*args, **kwargs)
        self._programmes = {f"programme:{p.pk}": p for p in programmes}
        self._awards = {f"award:{a.pk}": a for a in awards}
        choices = [("", "Choose…")]
        if self._programmes:
            choices.append(("Programmes", [(k, str(p)) for k, p in self._programmes.items()]))
        if self._awards:
            choices.append(
                (
                    "Grant awards",
                    [
                        (
                            k,
                            f"{a.decision.application.title} ({a.decision.application.organisation})",
                        )
                        for k, a in self._awards.items()
                    ],
                )
            )
        self.fields["subject"].choices = choices

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", "The end date must be on or after the start date.")
        if data.get("status") == Evaluation.Status.REPORTED:
            if not data.get("reported_on"):
                self.add_error("reported_on", "Enter the date the evaluation reported.")
            if not (data.get("findings") or "").strip():
                self.add_error("findings", "Write the findings of a reported evaluation.")
        subject = data.pop("subject", None)
        data["programme"] = self._programmes.get(subject)
        data["award"] = self._awards.get(subject)
        return data

    @staticmethod
    def initial_for(evaluation: Evaluation) -> dict:
        subject = (
            f"programme:{evaluation.programme_id}"
            if evaluation.programme_id
            else f"award:{evaluation.award_id}"
        )
        names = [name for name in EvaluationForm.base_fields if name != "subject"]
        return {name: getattr(evaluation, name) for name in names} | {"subject": subject}


class BenefitAssumptionForm(GovukForm):
    unit_cost = forms.ModelChoiceField(
        queryset=UnitCost.objects.none(), label="Kind of offence averted (unit cost)"
    )
    offences_averted_per_participant = forms.DecimalField(
        min_value=Decimal("0.0001"),
        max_digits=8,
        decimal_places=4,
        label="Offences averted per participant",
        help_text="From the evaluation's effect size, e.g. 0.05 if 5 in 100 participants "
        "commit one fewer offence than they otherwise would.",
    )
    basis = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Where the figure comes from",
        help_text="The effect size and its source, and any assumption made.",
    )

    def __init__(self, *args, unit_costs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_cost"].queryset = unit_costs


class OutcomeScoreForm(GovukForm):
    instrument = forms.ModelChoiceField(queryset=Instrument.objects.none())
    time_point = forms.ChoiceField(choices=OutcomeScore.TimePoint.choices)
    scored_on = GovukDateField(label="Date completed", help_text=HINT)
    total = forms.IntegerField(
        required=False, help_text="The total score, or leave empty and give every answer."
    )
    items = forms.CharField(
        required=False,
        label="Answers to each item",
        help_text="In questionnaire order, separated by spaces or commas, e.g. 3 4 2 5 …",
    )

    def __init__(self, *args, instruments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = instruments

    def clean_items(self):
        text = self.cleaned_data.get("items", "").replace(",", " ").split()
        try:
            return [int(value) for value in text]
        except ValueError:
            raise forms.ValidationError("Give each answer as a whole number.") from None

    def clean(self):
        data = super().clean()
        if data.get("total") is None and not data.get("items") and "items" not in self.errors:
            self.add_error("total", "Enter the total score or every item's answer.")


class ImpactReportForm(GovukForm):
    """What a report covers. The choices of programme and area are the viewer's own
    partnership's (set by the view from evaluation.selectors.report_scope_choices). The
    period is a whole month, quarter or financial year; staff who see casework may also give
    any dates. Which periods a viewer may choose is one rule
    (evaluation.services.report_period_check), called here and by the service."""

    period_kind = forms.ChoiceField(
        label="Period the report covers",
        choices=[(k.value, k.label) for k in WHOLE_PERIOD_KINDS],
        initial=PeriodKind.QUARTER,
        widget=forms.RadioSelect,
    )
    month = forms.ChoiceField(label="Month", required=False, help_text="Only for a month.")
    quarter = forms.ChoiceField(label="Quarter", required=False, help_text="Only for a quarter.")
    financial_year = forms.ChoiceField(
        label="Financial year",
        required=False,
        help_text="Only for a financial year (1 April to 31 March).",
    )
    period_start = GovukDateField(
        label="First day of the period",
        help_text=f"Only for other dates. {HINT}",
        required=False,
    )
    period_end = GovukDateField(
        label="Last day of the period",
        help_text=f"Only for other dates. {HINT}",
        required=False,
    )
    scope = forms.ChoiceField(
        label="What the report covers",
        choices=[
            ("partnership", "Whole partnership"),
            ("programme", "One programme"),
            ("csp", "One community safety partnership"),
            ("local_authority", "One local authority"),
        ],
        initial="partnership",
        widget=forms.RadioSelect,
    )
    programme = forms.ModelChoiceField(
        queryset=None, required=False, label="Programme", help_text="Only for one programme."
    )
    csp = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Community safety partnership",
        help_text="Only for one community safety partnership.",
    )
    local_authority = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Local authority",
        help_text="Only for one local authority.",
    )

    PERIOD_FIELDS = {
        PeriodKind.MONTH: "month",
        PeriodKind.QUARTER: "quarter",
        PeriodKind.FINANCIAL_YEAR: "financial_year",
    }

    def __init__(self, *args, choices: dict, viewer, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        self.fields["programme"].queryset = choices["programmes"]
        self.fields["csp"].queryset = choices["csps"]
        self.fields["local_authority"].queryset = choices["local_authorities"]
        for kind, name in self.PERIOD_FIELDS.items():
            options = period_options(kind, today=today)
            self.fields[name].choices = options
            # the last whole period by default (the first option is the one running today)
            self.fields[name].initial = options[1][0]
        if permissions.can_use_custom_report_periods(viewer):
            self.fields["period_kind"].choices = [(k.value, k.label) for k in PeriodKind]
        else:
            # no dates to give: only whole periods
            del self.fields["period_start"]
            del self.fields["period_end"]

    def _period(self, data: dict) -> tuple[datetime.date, datetime.date] | None:
        kind = data.get("period_kind")
        if kind == PeriodKind.CUSTOM:
            start, end = data.get("period_start"), data.get("period_end")
            for name, day in (("period_start", start), ("period_end", end)):
                if day is None and name not in self.errors:
                    self.add_error(name, f"Enter the {self.fields[name].label.lower()}.")
            return (start, end) if start and end else None
        name = self.PERIOD_FIELDS.get(kind)
        if name is None:
            return None
        if not data.get(name):
            self.add_error(name, f"Choose the {self.fields[name].label.lower()}.")
            return None
        start = datetime.date.fromisoformat(data[name])
        return start, period_end_of(kind, start)

    def clean(self):
        data = super().clean()
        period = self._period(data)
        if period is not None:
            data["period_start"], data["period_end"] = period
            try:
                services.report_period_check(
                    actor=self.viewer, period_start=period[0], period_end=period[1]
                )
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    if field not in self.fields:
                        field = "period_kind"
                    elif field in {"period_start", "period_end"} and (
                        data.get("period_kind") != PeriodKind.CUSTOM
                    ):
                        field = self.PERIOD_FIELDS[data["period_kind"]]
                    self.add_error(field, messages)
        scope = data.get("scope")
        for name in ("programme", "csp", "local_authority"):
            if scope == name and not data.get(name):
                self.add_error(name, f"Choose the {self.fields[name].label.lower()}.")
            if scope != name:
                data[name] = None
        return data
