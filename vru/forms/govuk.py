"""Forms in GOV.UK Design System markup, whose every error message names its field."""

import datetime
import re

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.forms.renderers import TemplatesSetting
from django.forms.utils import pretty_name
from django.utils import timezone

from vru.messages import field_messages

_TRAILING_NOTE = re.compile(r"\s*\([^()]*\)\s*$")


def error_name_from_label(label) -> str:
    """The words a message uses for a field, from its label (GOV.UK: "Enter date of birth",
    "Date of birth must be a real date"): "Last name" -> "last name", "Spend (£)" -> "spend",
    "LSOA codes" stays; a question ("Is this application eligible?") is quoted whole."""
    text = " ".join(str(label or "").split())
    if text.endswith("?"):
        return f"an answer to “{text}”"
    text = _TRAILING_NOTE.sub("", text).rstrip(" :") or text
    first, _, rest = text.partition(" ")
    if not (len(first) > 1 and (first.isupper() or any(c.isdigit() for c in first))):
        first = first[:1].lower() + first[1:]  # keep acronyms: "LSOA codes", "360Giving"
    return f"{first} {rest}".strip()


def _chooses(field: forms.Field) -> bool:
    return isinstance(field, (forms.ChoiceField, forms.ModelChoiceField)) or isinstance(
        field.widget, (forms.Select, forms.RadioSelect, forms.CheckboxSelectMultiple)
    )


def govuk_error_messages(field: forms.Field, name: str) -> dict[str, str]:
    """GOV.UK error messages for a field, naming it (``name`` as from error_name_from_label):
    "Enter last name", "Select programme", "Duration minutes must be a whole number",
    "Place must be 200 characters or less". Replaces "This field is required." and
    Django's other generic messages; the codes of validators (max_length, min_value...) are
    looked up here too, so their messages name the field as well."""
    pct = name.replace("%", "%%")  # messages formatted with %(limit_value)s
    if isinstance(field, forms.FileField):
        return {
            "required": f"Select {name}",
            "missing": f"Select {name}",
            "invalid": f"Select {name}",
            "empty": f"The file you selected for {name} is empty",
            "max_length": f"The name of the file for {pct} must be %(max)d characters or less",
            "contradiction": f"Select a new file for {name} or remove the one there, not both",
        }
    if isinstance(field, forms.EmailField):
        kind = "email"
    elif isinstance(field, forms.URLField):
        kind = "url"
    elif isinstance(field, forms.SlugField):
        kind = "slug"
    elif isinstance(field, (forms.DecimalField, forms.FloatField)):  # before IntegerField,
        kind = "number"  # their base class
    elif isinstance(field, forms.IntegerField):
        kind = "whole number"
    elif isinstance(field, (forms.DateField, forms.DateTimeField)):
        kind = "date"
    elif isinstance(field, forms.TimeField):
        kind = "time"
    else:
        kind = ""
    messages = field_messages(name, choose=_chooses(field), kind=kind)
    for code in ("blank", "null", "invalid_date"):  # a model's codes, not a form's
        messages.pop(code, None)
    return messages


# Codes set only on fields whose class uses them (or typed fields, below): on a plain text
# field, a custom validator raising code="invalid" keeps its own words.
_ONLY_IF_DECLARED = {"invalid", "invalid_choice", "invalid_list", "invalid_pk_value"}


_TYPED = (
    forms.EmailField,
    forms.URLField,
    forms.SlugField,
    forms.IntegerField,
    forms.DateField,
    forms.DateTimeField,
    forms.TimeField,
)


def _typed(field: forms.Field) -> bool:
    return isinstance(field, _TYPED)


def _default_messages(field: forms.Field) -> set[str]:
    """Django's own messages for this field's class (what a form did not choose)."""
    return {
        str(message)
        for cls in type(field).__mro__
        for message in getattr(cls, "default_error_messages", {}).values()
    } | {getattr(field, "auto_required", "")}


class GovukErrorsMixin:
    """Every form of the product reports its errors the GOV.UK way, all at once.

    - Each field's generic messages ("This field is required.", "Enter a whole number.",
      "Ensure this value has at most 200 characters") become messages that name it, from
      its label (govuk_error_messages); a form names a field otherwise in ``error_names``
      ({"last_name": "the young person's last name"}), and a message the form or field
      wrote itself is kept. Fields added in ``__init__`` are named too (done on cleaning).
    - ``clean()`` runs whether or not some fields have errors (Django calls it either
      way): a rule across fields runs when the values it needs are valid (``present``), so
      its error is shown with the others, not after they are fixed.
    - ``required_message(name)`` is the field's "Enter ..."/"Select ..." message, for a
      field a ``clean()`` finds missing ("Enter amount to award").
    """

    error_names: dict[str, str] = {}

    def error_name(self, name: str) -> str:
        field = self.fields[name]
        return self.error_names.get(name) or error_name_from_label(field.label or pretty_name(name))

    def _model_messages(self, name: str) -> dict[str, str]:
        """The messages a model form's model field carries for every door (field_messages
        given to the model field), by the form's codes: the form says the same."""
        model = getattr(getattr(self, "_meta", None), "model", None)
        try:
            model_field = model._meta.get_field(name) if model is not None else None
        except FieldDoesNotExist:  # a form field of its own (no model field of its name)
            return {}
        if model_field is None or not hasattr(model_field, "error_messages"):
            return {}
        generic = {
            str(message)
            for cls in type(model_field).__mro__
            for message in getattr(cls, "default_error_messages", {}).values()
        }
        own = {
            code: str(message)
            for code, message in model_field.error_messages.items()
            if str(message) not in generic
        }
        if "required" not in own and ("blank" in own or "null" in own):
            own["required"] = own.get("blank") or own["null"]
        return own

    def name_errors(self) -> None:
        for name, field in self.fields.items():
            if getattr(field, "_govuk_named", None) == name:
                continue
            error_name = self.error_name(name)
            generic = _default_messages(field)
            messages = {**govuk_error_messages(field, error_name), **self._model_messages(name)}
            for code, message in messages.items():
                current = field.error_messages.get(code)
                if current is None and code in _ONLY_IF_DECLARED and not _typed(field):
                    continue  # a custom validator's own "invalid" message is kept
                if current is None or str(current) in generic:
                    field.error_messages[code] = message
            field.error_name = error_name
            field._govuk_named = name

    def required_message(self, name: str) -> str:
        self.name_errors()
        return str(self.fields[name].error_messages["required"])

    def present(self, *names: str) -> tuple | None:
        """The cleaned values of these fields when every one is valid and given (for a rule
        across them), else None."""
        data = getattr(self, "cleaned_data", {})
        values = tuple(data.get(name) for name in names)
        if any(
            name in self.errors or value in (None, "")
            for name, value in zip(names, values, strict=True)
        ):
            return None
        return values

    def full_clean(self):
        self.name_errors()
        return super().full_clean()


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
        # "Enter date of birth" even on a plain form; GovukErrorsMixin may name it otherwise
        label = kwargs.get("label")
        self.auto_required = f"Enter {error_name_from_label(label)}" if label else "Enter a date"
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("required", self.auto_required)
        fields = [forms.CharField(required=False) for _ in parts]
        super().__init__(fields, require_all_fields=False, **kwargs)

    def _name(self) -> str:
        """The field's name at the start of a message: "Date of birth must include a month"
        (named by GovukErrorsMixin; else from the label)."""
        name = getattr(self, "error_name", "") or error_name_from_label(self.label or "date")
        return name[:1].upper() + name[1:]

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


class GovukForm(GovukErrorsMixin, forms.Form):
    """The base of every form of the product (see GovukErrorsMixin)."""


class GovukModelForm(GovukErrorsMixin, forms.ModelForm):
    """The base of every model form of the product (see GovukErrorsMixin)."""
