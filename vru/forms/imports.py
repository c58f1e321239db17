"""Uploading a file to import, and choosing what an import belongs to."""

from django import forms

from vru.forms.govuk import GovukForm
from vru.validators import validate_import_file


class ImportForm(GovukForm):
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
