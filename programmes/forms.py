"""Forms of the programme pages. They parse input; the services hold the rules."""

from django import forms

from programmes.models import (
    AgeBand,
    Contact,
    EducationStatus,
    Ethnicity,
    Gender,
    Outcome,
    Programme,
    Referral,
    Session,
)
from vru.forms import GovukDateField, GovukDateTimeField, GovukForm
from vru.models import LSOA
from vru.validators import validate_import_file

DATETIME_HINT = "For example, 27 3 2026 and 14:30 (UK time)"


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class LSOACodeField(forms.CharField):
    def __init__(self, *, partnership_id=None, **kwargs):
        self.partnership_id = partnership_id
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 9)
        kwargs.setdefault("help_text", "The LSOA code, for example E01021234")
        super().__init__(**kwargs)

    def clean(self, value):
        code = (super().clean(value) or "").strip().upper()
        if not code:
            return None
        lsoa = LSOA.objects.filter(partnership_id=self.partnership_id, code=code).first()
        if lsoa is None:
            raise forms.ValidationError("Enter an LSOA code of your partnership's area.")
        return lsoa


class ReferralForm(GovukForm):
    programme = forms.ModelChoiceField(queryset=Programme.objects.none())
    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    date_of_birth = GovukDateField(label="Date of birth", help_text="For example, 27 3 2010")
    gender = forms.ChoiceField(choices=Gender.choices, initial=Gender.NOT_SAID)
    ethnicity = forms.ChoiceField(choices=Ethnicity.choices, initial=Ethnicity.NOT_SAID)
    education_status = forms.ChoiceField(
        choices=EducationStatus.choices, initial=EducationStatus.UNKNOWN
    )
    address = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    postcode = forms.CharField(max_length=10, required=False)
    phone = forms.CharField(max_length=30, required=False)
    email = forms.EmailField(required=False)
    source = forms.ChoiceField(choices=Referral.Source.choices)
    reason = forms.ChoiceField(choices=Referral.Reason.choices)
    event_at = GovukDateTimeField(
        label="When the event happened (for example, an arrest)", help_text=DATETIME_HINT
    )
    referred_at = GovukDateTimeField(label="When the referral was made", help_text=DATETIME_HINT)
    consent_given_by = forms.ChoiceField(
        choices=Referral.ConsentBy.choices, required=False, label="Consent given by"
    )
    consent_given_at = GovukDateTimeField(
        required=False, label="When consent was given", help_text=DATETIME_HINT
    )
    assigned_to = forms.ModelChoiceField(
        queryset=None, required=False, label="Assigned practitioner"
    )
    risk_factors = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="One per line"
    )
    protective_factors = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="One per line"
    )

    error_names = {
        "first_name": "the young person's first name",
        "last_name": "the young person's last name",
        "source": "where the referral came from",
        "reason": "the reason for the referral",
    }

    def __init__(self, *args, programmes, staff, partnership_id, may_override=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["assigned_to"].queryset = staff
        self.fields["home_lsoa"] = LSOACodeField(
            partnership_id=partnership_id, label="Home neighbourhood (LSOA)"
        )
        if may_override:  # managers only: the service checks again
            self.fields["eligibility_override_reason"] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                label="Reason for accepting outside the programme's eligibility (managers)",
                help_text="Only if the referral's reason or the young person's area is not one "
                "the programme takes. Recorded on the referral and in the audit trail.",
            )

    def clean_risk_factors(self):
        return _lines(self.cleaned_data["risk_factors"])

    def clean_protective_factors(self):
        return _lines(self.cleaned_data["protective_factors"])


class ContactForm(GovukForm):
    error_names = {"duration_minutes": "the duration in minutes"}

    occurred_at = GovukDateTimeField(label="When the contact happened", help_text=DATETIME_HINT)
    method = forms.ChoiceField(choices=Contact.Method.choices)
    duration_minutes = forms.IntegerField(min_value=0, max_value=1440, initial=30)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    next_step = forms.CharField(max_length=300, required=False)


class StatusForm(GovukForm):
    to_status = forms.ChoiceField(choices=Referral.Status.choices, label="New status")
    closure_reason = forms.ChoiceField(
        choices=[("", "Not closing"), *Referral.ClosureReason.choices], required=False
    )


class OutcomeForm(GovukForm):
    kind = forms.ChoiceField(choices=Outcome.Kind.choices, label="Outcome")
    achieved_on = GovukDateField(label="Date achieved", help_text="For example, 27 3 2026")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class AssignForm(GovukForm):
    assigned_to = forms.ModelChoiceField(
        queryset=None, required=False, label="Assigned practitioner", empty_label="Unassigned"
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = staff


class SessionForm(GovukForm):
    programme = forms.ModelChoiceField(queryset=Programme.objects.none())
    kind = forms.ChoiceField(choices=Session.Kind.choices)
    held_on = GovukDateField(label="Date of the session", help_text="For example, 27 3 2026")
    place = forms.CharField(max_length=200)
    issues_raised = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, programmes, partnership_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["lsoa"] = LSOACodeField(
            partnership_id=partnership_id, label="Neighbourhood (LSOA)"
        )
        for band, band_label in AgeBand.choices:
            for gender, gender_label in Gender.choices:
                self.fields[f"count_{band}_{gender}"] = forms.IntegerField(
                    min_value=0, required=False, label=f"{band_label}, {gender_label.lower()}"
                )

    def counts(self) -> dict[tuple[str, str], int]:
        return {
            (band, gender): self.cleaned_data.get(f"count_{band}_{gender}") or 0
            for band in AgeBand.values
            for gender in Gender.values
        }


class ReferralImportForm(GovukForm):
    programme = forms.ModelChoiceField(queryset=Programme.objects.none())
    file = forms.FileField(
        validators=[validate_import_file],
        label="Custody spreadsheet",
        help_text="CSV (UTF-8) or XLSX with columns first_name, last_name, date_of_birth, reason, "
        "event_at, and optionally source, referred_at, gender, ethnicity, education_status, "
        "home_lsoa, postcode, assigned_to (a username).",
    )

    skip_invalid_rows = forms.BooleanField(
        required=False,
        label="Import the valid rows even if some rows have errors",
        help_text="Otherwise nothing is imported while any row has an error.",
    )

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("Upload a .csv or .xlsx file.")
        return upload


class DetachedContactForm(GovukForm):
    age_band = forms.ChoiceField(choices=AgeBand.choices)
    gender = forms.ChoiceField(choices=Gender.choices)
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="No names: what was talked about, any concern.",
    )


class BreakGlassForm(GovukForm):
    error_names = {
        "reference": "the young person's reference",
        "reason": "why you need to see who this young person is",
    }

    reference = forms.CharField(
        label="Young person's reference",
        max_length=20,
        help_text="The pseudonymous reference, for example YP-4F7K2Q",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    reason = forms.CharField(
        label="Why do you need to see who this young person is?",
        max_length=1000,
        help_text="For example, the police have asked us to confirm who is at risk tonight. "
        "Your reason is recorded and sent to the designated safeguarding lead.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AttendeeForm(GovukForm):
    reference = forms.CharField(
        max_length=20,
        label="Reference of the young person",
        help_text="For example YP-3F2A1042. Someone on your caseload or your programme's.",
    )
