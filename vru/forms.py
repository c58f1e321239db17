from allauth.account.forms import LoginForm
from django import forms
from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    """Render every form field as a GOV.UK Design System form group."""

    form_template_name = "partials/form.html"
    field_template_name = "partials/field.html"


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
