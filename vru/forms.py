from django import forms
from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    """Render every form field as a GOV.UK Design System form group."""

    form_template_name = "partials/form.html"
    field_template_name = "partials/field.html"


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
