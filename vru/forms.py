import datetime
import re

from allauth.account.forms import LoginForm
from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils import timezone

from vru.validators import validate_import_file


class GovukFormRenderer(TemplatesSetting):
    """Render every form field as a GOV.UK Design System form group."""

    form_template_name = "partials/form.html"
    field_template_name = "partials/field.html"


class GovukDateInput(forms.MultiWidget):
    """The GOV.UK date input: separate day, month and year boxes (and, for a date and time,
    a 24-hour time box), rendered by partials/widgets/date_input.html."""

    template_name = "partials/widgets/date_input.html"
    use_fieldset = True
    parts = (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4))

    def __init__(self, attrs=None):
        widgets = {
            name: forms.TextInput(attrs={"inputmode": "numeric"}) for name, _, _ in self.parts
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None] * len(self.parts)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, (_, label, width) in zip(
            context["widget"]["subwidgets"], self.parts, strict=True
        ):
            subwidget["label"] = label
            classes = subwidget["attrs"].get("class", "")  # e.g. govuk-input--error
            subwidget["attrs"]["class"] = (
                f"govuk-input govuk-date-input__input govuk-input--width-{width} {classes}"
            ).strip()
        return context


class GovukDateTimeInput(GovukDateInput):
    parts = (*GovukDateInput.parts, ("time", "Time (24-hour)", 5))

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.widgets[-1].attrs = {}  # a time has a colon: the full keyboard, not digits

    def decompress(self, value):
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value) if timezone.is_aware(value) else value
            return [value.day, value.month, value.year, value.strftime("%H:%M")]
        return [None] * len(self.parts)


class GovukDateField(forms.MultiValueField):
    """A date typed into GOV.UK day/month/year boxes, with the Design System's error
    messages ("Date of birth must include a month", "... must be a real date")."""

    widget = GovukDateInput

    def __init__(self, **kwargs):
        parts = self.widget.parts
        label = kwargs.get("label")
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault(
            "required", f"Enter {label[0].lower() + label[1:]}" if label else "Enter a date"
        )
        fields = [forms.CharField(required=False) for _ in parts]
        super().__init__(fields, require_all_fields=False, **kwargs)

    def _name(self) -> str:
        return self.label or "The date"

    def _date(self, day: str, month: str, year: str) -> datetime.date:
        missing = [
            name for name, value in (("day", day), ("month", month), ("year", year)) if not value
        ]
        if missing:
            raise ValidationError(f"{self._name()} must include a {' and a '.join(missing)}")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValidationError(f"{self._name()} must be a real date")
        if len(year) != 4:
            raise ValidationError("Year must include 4 numbers")
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(f"{self._name()} must be a real date") from None

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        day, month, year = (str(part or "").strip() for part in data_list[:3])
        return self._date(day, month, year)


_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")


class GovukDateTimeField(GovukDateField):
    """A date in GOV.UK boxes plus a 24-hour time (14:30), in the site's time zone."""

    widget = GovukDateTimeInput

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        day, month, year, time = (str(part or "").strip() for part in data_list)
        date = self._date(day, month, year)
        if not time:
            raise ValidationError(f"{self._name()} must include a time")
        match = _TIME.match(time)
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            raise ValidationError(
                "Enter the time as hours and minutes on a 24-hour clock, like 14:30"
            )
        moment = datetime.datetime.combine(date, datetime.time(int(match[1]), int(match[2])))
        return timezone.make_aware(moment)


class SignInForm(LoginForm):
    """django-allauth's sign-in form (``login`` is the username) with GOV.UK labels and no
    autofocus or placeholders, so keyboard users meet the skip link and the page heading
    first (GOV.UK advises against autofocus)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Username"
        self.fields["password"].label = "Password"
        # allauth puts a "Forgot your password?" link in the hint, between the two fields in
        # the tab order; the page has its own link after the button
        self.fields["password"].help_text = ""
        for name in ("login", "password"):
            self.fields[name].widget.attrs.pop("autofocus", None)
            self.fields[name].widget.attrs.pop("placeholder", None)
        self.fields["login"].widget.attrs["autocomplete"] = "username"
        self.fields["login"].widget.attrs["spellcheck"] = "false"


class ImportForm(forms.Form):
    file = forms.FileField(
        validators=[validate_import_file],
        label="File to import",
        help_text="A CSV (UTF-8) or XLSX file whose first row names the columns.",
    )
    skip_invalid_rows = forms.BooleanField(
        required=False,
        label="Import only the valid rows and list the others",
        help_text="Leave unticked to import nothing if any row has an error.",
    )


def needs_assessment_choice_forms(partnership_id: int):
    """The admin's recommendation import forms, offering only the partnership's SNAs."""
    from import_export.forms import ConfirmImportForm, ImportForm

    from vru.models import StrategicNeedsAssessment

    def sna_field():
        return forms.ModelChoiceField(
            queryset=StrategicNeedsAssessment.objects.filter(partnership_id=partnership_id),
            label="Needs assessment to import into",
        )

    class RecommendationImportForm(ImportForm):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["needs_assessment"] = sna_field()

    class RecommendationConfirmImportForm(ConfirmImportForm):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["needs_assessment"] = sna_field()
            self.fields["needs_assessment"].widget = forms.HiddenInput()

    return RecommendationImportForm, RecommendationConfirmImportForm
