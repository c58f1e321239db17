"""The admin site's export of personal data asks what the pages' export doors ask
(sharing.doors): who is it for? For a partner organisation, the recipient and one of the
agreements the rule offers; a refused choice exports nothing and logs nothing (the export
page says why); an allowed one is written to the disclosure log. Either way the download is
audited, needs a recent password or second factor, and is a safe spreadsheet
(vru.exports.audited_download), as on the pages.

A ModelAdmin with django-import-export's ExportMixin mixes in ``DisclosedExportMixin`` (before
the import-export mixins) and names its ``disclosure_kind`` (vru.data_kinds) and
``disclosure_door``.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from import_export.formats import base_formats
from import_export.forms import SelectableFieldsExportForm

from sharing import doors, permissions
from sharing.rules import Record
from vru import accounts, exports

OWN_WORK = ""


class DisclosureExportForm(SelectableFieldsExportForm):
    """The export form with "Who is it for?"; the rule (not the form) decides what is allowed,
    so the recipient and agreement are read as given and checked by sharing.doors.requested."""

    shared_with = forms.ChoiceField(
        label="Who is it for?",
        choices=[
            (OWN_WORK, "Our partnership's own work"),
            (doors.PARTNER, "A partner organisation"),
        ],
        required=False,
    )
    recipient = forms.CharField(label="Partner organisation", required=False, widget=forms.Select)
    disclosure_agreement = forms.CharField(
        label="Information-sharing agreement", required=False, widget=forms.Select
    )
    disclosure_purpose = forms.CharField(
        label="Why (optional; the agreement's purpose otherwise)", required=False
    )

    def offer(self, viewer, *, kind: str) -> None:
        """Fill the choices with what the rule offers this viewer for this kind of data; a
        user who may not disclose is offered the partnership's own work only."""
        if not permissions.can_disclose(viewer):
            for name in ("shared_with", "recipient", "disclosure_agreement", "disclosure_purpose"):
                self.fields.pop(name, None)
            return
        offered = doors.choices(viewer, kind=kind)
        self.fields["recipient"].widget.choices = [("", "—")] + [
            (o.pk, o.name) for o in offered["organisations"]
        ]
        self.fields["disclosure_agreement"].widget.choices = [("", "—")] + [
            (a.pk, str(a)) for a in offered["agreements"]
        ]


class DisclosedExportMixin:
    disclosure_kind: str = ""
    disclosure_door: str = ""
    export_form_class = DisclosureExportForm
    # the formats of the pages' doors: safe spreadsheets only
    export_formats = [base_formats.CSV, base_formats.XLSX]

    def init_request_context_data(self, request, form):
        if isinstance(form, DisclosureExportForm):
            form.offer(request.user, kind=self.disclosure_kind)
        return super().init_request_context_data(request, form)

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        given = export_form.cleaned_data if export_form is not None else {}
        if not permissions.can_disclose(request.user):
            given = {}
        try:
            disclosure = doors.requested(request.user, given, kind=self.disclosure_kind)
        except ValidationError as error:
            # the import-export page shows a ValueError's words and the form again
            raise ValueError(" ".join(error.messages)) from error
        if not accounts.recently_authenticated(request):
            return accounts.reauthenticate(request)
        dataset = self.get_data_for_export(request, queryset, export_form=export_form)
        model = queryset.model._meta
        with transaction.atomic():
            doors.record(
                request.user,
                disclosure,
                records=[
                    Record(model.label_lower, pk)
                    for pk in queryset.order_by().values_list("pk", flat=True)
                ]
                if disclosure is not None
                else [],
                fields=dataset.headers or [],
                door=self.disclosure_door,
            )
            return exports.audited_download(
                request,
                dataset,
                file_stem=model.verbose_name_plural.replace(" ", "-"),
                file_format=file_format.get_extension(),
                verb=f"{model.model_name}.exported_from_admin",
            )
