from django import forms

from evaluation.models import AgeBand, CodebookTheme, Gender, ListeningAction
from vru.models import LocalAuthority
from vru.validators import validate_import_file


class DateInput(forms.DateInput):
    input_type = "date"


class ExerciseForm(forms.Form):
    name = forms.CharField(max_length=200, label="Name of the listening exercise")
    period_start = forms.DateField(label="First day", widget=DateInput)
    period_end = forms.DateField(label="Last day", widget=DateInput)
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


class ResponseForm(forms.Form):
    responded_on = forms.DateField(label="Date of the conversation", widget=DateInput)
    venue = forms.CharField(max_length=200, required=False)
    local_authority = forms.ModelChoiceField(
        queryset=LocalAuthority.objects.none(), required=False, label="Area"
    )
    age_band = forms.ChoiceField(choices=AgeBand.choices)
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

    def __init__(self, *args, exercise, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local_authority"].queryset = LocalAuthority.objects.filter(
            partnership_id=exercise.partnership_id
        )
        self.fields["themes"].queryset = exercise.themes.all()


class CodingForm(forms.Form):
    themes = forms.ModelMultipleChoiceField(
        queryset=CodebookTheme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Themes in what they said",
    )

    def __init__(self, *args, exercise, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = exercise.themes.all()


class ActionForm(forms.Form):
    theme = forms.ModelChoiceField(queryset=CodebookTheme.objects.none(), label="You said")
    what = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="We did (or will do)")
    who = forms.CharField(max_length=200, label="Who is doing it")
    status = forms.ChoiceField(choices=ListeningAction.Status.choices)
    due_on = forms.DateField(required=False, widget=DateInput, label="Due by")
    delivered_on = forms.DateField(required=False, widget=DateInput, label="Delivered on")
    spend = forms.DecimalField(required=False, min_value=0, decimal_places=2, label="Spend (£)")
    delivered_through = forms.CharField(
        max_length=300, required=False, label="Delivered through (grant or programme)"
    )

    def __init__(self, *args, exercise, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = exercise.themes.all()


class ResponsesImportForm(forms.Form):
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
