"""Quarterly returns: the list (and producing one), a return's page with its review, lock
and correction, and its export (CSV or XLSX, fixed columns: README "The quarterly return").
Thin: parse, call a selector or a service, render."""

import tablib
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from finance import permissions, selectors, services
from finance.forms import ReturnCorrectForm, ReturnProduceForm
from finance.models import COLUMNS, COUNT_COLUMNS, financial_year_of, quarter_of
from vru import doors
from vru.exports import audited_download

LABELS = {
    "young_people_reached": "Young people reached",
    "new_starts": "New starts",
    "completions": "Completions",
    "reached_in_priority_neighbourhoods": "Reached in priority neighbourhoods",
    "outcomes_recorded": "Outcomes recorded",
}


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404


def _return(request, pk: int):
    return get_object_or_404(selectors.returns_for(viewer=request.user), pk=pk)


@require_http_methods(["GET", "POST"])
def return_list(request):
    user = request.user
    _require(permissions.can_view_returns(user))
    can_prepare = permissions.can_prepare_returns(user)
    today = timezone.localdate()
    form = ReturnProduceForm(
        doors.posted(request),
        initial={"financial_year": financial_year_of(today), "quarter": quarter_of(today)},
    )
    if request.method == "POST":
        _require(can_prepare)
        if form.is_valid():
            try:
                produced = services.return_produce(
                    actor=user, partnership=user.partnership, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"{produced} produced as a draft.")
                return redirect(produced)
    return render(
        request,
        "finance/return_list.html",
        {"returns": selectors.returns_for(viewer=user), "form": form, "can_prepare": can_prepare},
        status=400 if form.errors else 200,
    )


def _rows_for(request, quarterly_return, *, external: bool) -> list[dict]:
    if external or not permissions.sees_true_return_counts(request.user):
        return quarterly_return.published_rows
    return quarterly_return.rows


@require_GET
def return_detail(request, pk: int):
    quarterly_return = _return(request, pk)
    true_counts = permissions.sees_true_return_counts(request.user)
    rows = _rows_for(request, quarterly_return, external=False)
    drill = selectors.return_drill_downs(viewer=request.user, quarterly_return=quarterly_return)
    return render(
        request,
        "finance/return_detail.html",
        {
            "return": quarterly_return,
            "rows": rows,
            "table": [(row, drill.get(index)) for index, row in enumerate(rows)],
            "drill_note": bool(drill),
            "columns": COUNT_COLUMNS,
            "labels": LABELS,
            "true_counts": true_counts,
            "can_prepare": permissions.can_prepare_returns(request.user),
            "correct_form": ReturnCorrectForm(),
        },
    )


def _step(request, pk: int, step: str):
    """Produce a draft again, review it, or lock it."""
    quarterly_return = _return(request, pk)
    _require(permissions.can_prepare_returns(request.user))
    service = {
        "refresh": services.return_refresh,
        "review": services.return_review,
        "lock": services.return_lock,
    }[step]
    try:
        service(actor=request.user, quarterly_return=quarterly_return)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            {
                "refresh": "Produced again from the records.",
                "review": "Marked as reviewed.",
                "lock": "Locked.",
            }[step],
        )
    return redirect(quarterly_return)


@require_POST
def return_refresh(request, pk: int):
    return _step(request, pk, "refresh")


@require_POST
def return_review(request, pk: int):
    return _step(request, pk, "review")


@require_POST
def return_lock(request, pk: int):
    return _step(request, pk, "lock")


@require_POST
def return_correct(request, pk: int):
    quarterly_return = _return(request, pk)
    _require(permissions.can_prepare_returns(request.user))
    form = ReturnCorrectForm(request.POST)
    if form.is_valid():
        try:
            correction = services.return_correct(
                actor=request.user,
                quarterly_return=quarterly_return,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{correction} produced as a draft.")
            return redirect(correction)
    else:
        messages.error(request, "Say why the return is corrected.")
    return redirect(quarterly_return)


@require_GET
def return_export(request, pk: int):
    """The return as CSV or XLSX with the fixed columns. `external=1` (or a viewer who sees
    only protected figures) gives the copy that leaves the partnership."""
    quarterly_return = _return(request, pk)
    file_format = request.GET.get("format", "csv")
    if file_format not in {"csv", "xlsx"}:
        raise Http404
    external = request.GET.get("external") == "1" or not permissions.sees_true_return_counts(
        request.user
    )
    dataset = tablib.Dataset(headers=COLUMNS)
    for row in _rows_for(request, quarterly_return, external=external):
        values = {
            **row,
            "financial_year": quarterly_return.year_label,
            "quarter": f"Q{quarterly_return.quarter}",
            "version": quarterly_return.version,
        }
        dataset.append(["" if values[c] is None else values[c] for c in COLUMNS])
    stem = (
        f"quarterly-return-{quarterly_return.financial_year}-q{quarterly_return.quarter}"
        f"-v{quarterly_return.version}{'-external' if external else ''}"
    )
    return audited_download(
        request,
        dataset,
        file_stem=stem,
        file_format=file_format,
        verb="quarterly_return.exported_external" if external else "quarterly_return.exported",
        target=quarterly_return,
        partnership=quarterly_return.partnership,
    )
