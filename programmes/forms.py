"""Forms of the programme pages. They parse input; the services hold the rules."""

from django import forms
from django.core.validators import (
    EmailValidator,
    MaxLengthValidator,
    MaxValueValidator,
    MinLengthValidator,
    MinValueValidator,
)

from programmes import inputs
from programmes.models import (
    Contact,
    EducationStatus,
    Ethnicity,
    Gender,
    Outcome,
    Programme,
    Referral,
    Session,
)
from vru.age_bands import AgeBand
from vru.forms import GovukDateField, GovukDateTimeField, GovukForm, PlaceField
from vru.validators import validate_import_file

DATETIME_HINT = "For example, 27 3 2026 and 14:30 (UK time)"


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


_RULE_VALIDATORS = (
    EmailValidator,
    MaxLengthValidator,
    MaxValueValidator,
    MinLengthValidator,
    MinValueValidator,
)


def _leave_the_rules_to(form, *, required: dict, unknown: dict) -> None:
    """The form's fields parse what was typed (a date's boxes, a number); whether a value is
    needed, how long it may be and every other rule are the record's input's
    (programmes.inputs), so the page refuses what every other door refuses, in its words. A
    choice that is not offered (a changed page) is refused in the input's words too."""
    for name, field in form.fields.items():
        if name in required:
            field.required = False
        field.validators = [v for v in field.validators if not isinstance(v, _RULE_VALIDATORS)]
        for attr in ("maxlength", "minlength", "min", "max"):
            field.widget.attrs.pop(attr, None)
        if name in unknown:
            field.error_messages["invalid_choice"] = unknown[name]


def _judged(form, check) -> dict:
    """Run the record's input on what the fields parsed (fields already refused are not
    judged again) and put its refusals on the form, by field."""
    cleaned = form.cleaned_data
    _, errors = check(dict(cleaned), skip=set(form.errors))
    for field, messages in errors.items():
        form.add_error(field if field in form.fields else None, messages)
    return cleaned


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
    # nothing chosen until the person recording chooses (no default a hurried hand keeps)
    source = forms.ChoiceField(
        choices=[("", "Choose where the referral came from"), *Referral.Source.choices]
    )
    reason = forms.ChoiceField(
        choices=[("", "Choose the reason for the referral"), *Referral.Reason.choices]
    )
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
    consent_reconfirm_by = GovukDateField(
        required=False,
        label="Reconfirm consent by (optional)",
        help_text="For example, 27 3 2027. If left empty, the partnership's reconfirmation "
        "period after consent was given.",
    )
    parental_consent_not_needed = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Why a parent's or carer's consent is not needed (under 13s only)",
        help_text="Only when a young person under 13 consented without a parent or carer.",
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

    def __init__(self, *args, programmes, staff, may_override=False, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["assigned_to"].queryset = staff
        self.fields["home_lsoa"] = PlaceField(label="Home neighbourhood (LSOA)", viewer=actor)
        if may_override:  # managers only: the service checks again
            self.fields["eligibility_override_reason"] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                label="Reason for accepting outside the programme's eligibility (managers)",
                help_text="Only if the referral's reason or the young person's area is not one "
                "the programme takes. Recorded on the referral and in the audit trail.",
            )

        _leave_the_rules_to(
            self, required=inputs.REFERRAL_REQUIRED, unknown=inputs.REFERRAL_UNKNOWN
        )
        self.judge = inputs.ReferralInput(programmes=programmes, actor=actor)

    def clean_risk_factors(self):
        return _lines(self.cleaned_data["risk_factors"])

    def clean_protective_factors(self):
        return _lines(self.cleaned_data["protective_factors"])

    def clean(self):
        return _judged(self, self.judge.check)


class ContactForm(GovukForm):
    error_names = {"duration_minutes": "the duration in minutes"}

    occurred_at = GovukDateTimeField(label="When the contact happened", help_text=DATETIME_HINT)
    method = forms.ChoiceField(choices=Contact.Method.choices)
    duration_minutes = forms.IntegerField(min_value=0, max_value=1440, initial=30)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    next_step = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, referral=None, **kwargs):
        super().__init__(*args, **kwargs)
        _leave_the_rules_to(self, required=inputs.CONTACT_REQUIRED, unknown=inputs.CONTACT_UNKNOWN)
        self.referral = referral

    def clean(self):
        return _judged(
            self,
            lambda values, skip: inputs.check_contact(values, referral=self.referral, skip=skip),
        )


class StatusForm(GovukForm):
    to_status = forms.ChoiceField(choices=Referral.Status.choices, label="New status")
    closure_reason = forms.ChoiceField(
        choices=[("", "Not closing"), *Referral.ClosureReason.choices], required=False
    )


class OutcomeForm(GovukForm):
    kind = forms.ChoiceField(choices=Outcome.Kind.choices, label="Outcome")
    achieved_on = GovukDateField(label="Date achieved", help_text="For example, 27 3 2026")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, referral=None, **kwargs):
        super().__init__(*args, **kwargs)
        _leave_the_rules_to(self, required=inputs.OUTCOME_REQUIRED, unknown=inputs.OUTCOME_UNKNOWN)
        self.referral = referral

    def clean(self):
        return _judged(
            self,
            lambda values, skip: inputs.check_outcome(values, referral=self.referral, skip=skip),
        )


class _StaffWithWorkload(forms.ModelChoiceField):
    """Each person with the open cases the selector counted beside them."""

    def label_from_instance(self, obj):
        name = obj.get_full_name() or obj.get_username()
        count = getattr(obj, "open_cases", None)
        if count is None:
            return name
        return f"{name} ({count} open case{'' if count == 1 else 's'})"


class AssignForm(GovukForm):
    assigned_to = _StaffWithWorkload(
        queryset=None,
        required=False,
        label="Assigned practitioner",
        empty_label="Unassigned",
        help_text="Each person's open cases, in all programmes, are shown beside their name.",
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

    def __init__(self, *args, programmes, viewer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["lsoa"] = PlaceField(label="Neighbourhood (LSOA)", viewer=viewer)
        for band, band_label in AgeBand.choices:
            for gender, gender_label in Gender.choices:
                self.fields[f"count_{band}_{gender}"] = forms.IntegerField(
                    min_value=0, required=False, label=f"{band_label}, {gender_label.lower()}"
                )
        _leave_the_rules_to(self, required=inputs.SESSION_REQUIRED, unknown=inputs.SESSION_UNKNOWN)
        self.programmes = programmes

    def clean(self):
        def check(values, skip):
            values["counts"] = self.counts()
            values, errors = inputs.check_session(values, programmes=self.programmes, skip=skip)
            # a count's refusal goes beside each box in error
            negative = [
                f"count_{band}_{gender}"
                for (band, gender), count in self.counts().items()
                if count < 0
            ]
            if negative and "counts" in errors:
                for name in negative:
                    self.add_error(name, errors["counts"])
                del errors["counts"]
            return values, errors

        return _judged(self, check)

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
        "home_lsoa, postcode, assigned_to (a username), consent_given_by, consent_given_at, "
        "consent_reconfirm_by, parental_consent_not_needed.",
    )

    skip_invalid_rows = forms.BooleanField(
        required=False,
        label="Import the valid rows even if some rows have errors",
        help_text="Otherwise nothing is imported while any row has an error.",
    )

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        # the file's programme is the referrals' programme: refused in the input's words
        self.fields["programme"].error_messages.update(
            required=inputs.REFERRAL_REQUIRED["programme"],
            invalid_choice=inputs.NOT_YOUR_PROGRAMME,
        )

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
