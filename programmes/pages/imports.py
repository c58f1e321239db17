"""The custody-spreadsheet import page. Thin: parse, call a service, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from programmes import forms, selectors, services
from programmes.pages.common import require as _require


@require_http_methods(["GET", "POST"])
def referral_import(request):
    programmes = selectors.managed_programmes(viewer=request.user)
    _require(programmes.exists())
    form = forms.ReferralImportForm(
        request.POST or None, request.FILES or None, programmes=programmes
    )
    outcome = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = services.read_rows(file_name=upload.name, content=upload.read())
        except ValidationError as error:
            form.add_error("file", error)
        else:
            outcome = services.referrals_import(
                actor=request.user,
                programme=form.cleaned_data["programme"],
                rows=rows,
            )
            if not outcome.errors:
                messages.success(
                    request,
                    f"{outcome.imported_rows} referrals imported"
                    f" ({outcome.possible_duplicates} flagged as possible duplicates).",
                )
                return redirect("programmes:caseload")
    return render(
        request,
        "programmes/referral_import.html",
        {"form": form, "outcome": outcome},
        status=400 if outcome and outcome.errors else 200,
    )
