"""Money pages: spend against allocation, funding streams and their allocations, recording
spend. Thin: parse, call a selector or a service, render."""

import tablib
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from finance import permissions, selectors, services
from finance.forms import AllocationForm, FundingStreamForm, SpendForm
from finance.models import Quarter, financial_year_label, financial_year_of, quarter_of
from grants.models import GrantRound
from programmes.models import Programme
from vru import doors
from vru.exports import audited_download

SPEND_COLUMNS = [
    "kind",
    "name",
    "allocated",
    "q1",
    "q2",
    "q3",
    "q4",
    "year_to_date",
    "profile_to_date",
    "variance",
    "status",
]


def _require(allowed: bool) -> None:
    """A page a role may not open is "not found" (docs/roles.md)."""
    if not allowed:
        raise Http404


def _int(value, default: int, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if low <= number <= high else default


@require_GET
def overview(request):
    """Spend against allocation for a financial year, to the end of a chosen quarter."""
    _require(permissions.can_view_finance(request.user))
    today = timezone.localdate()
    year = _int(request.GET.get("year"), financial_year_of(today), 2000, 2100)
    upto = _int(
        request.GET.get("upto"), 4 if year < financial_year_of(today) else quarter_of(today), 1, 4
    )
    lines = selectors.spend_against_allocation(viewer=request.user, financial_year=year, upto=upto)
    if request.GET.get("format") in {"csv", "xlsx"}:
        dataset = tablib.Dataset(headers=SPEND_COLUMNS)
        for line in lines:
            dataset.append(
                [
                    line.kind,
                    line.name,
                    line.allocated,
                    *line.quarters,
                    line.year_to_date,
                    line.profile_to_date,
                    line.variance,
                    line.status,
                ]
            )
        return audited_download(
            request,
            dataset,
            file_stem=f"spend-{year}-q{upto}",
            file_format=request.GET["format"],
            verb="spend.exported",
            partnership=request.user.partnership,
        )
    user = request.user
    return render(
        request,
        "finance/overview.html",
        {
            "lines": lines,
            "year": year,
            "year_label": financial_year_label(year),
            "upto": upto,
            "quarters": Quarter.choices,
            "years": range(financial_year_of(today) - 4, financial_year_of(today) + 2),
            "can_keep": permissions.can_keep_funding(user),
            "can_import": permissions.can_import_spend(user),
            "can_view_fair_reach": permissions.can_view_fair_reach(user),
            "can_record": permissions.can_keep_funding(user) or bool(_spend_programmes(user)),
        },
    )


@require_http_methods(["GET", "POST"])
def stream_list(request):
    """The partnership's funding streams; those who keep funding add one here."""
    user = request.user
    _require(permissions.can_view_finance(user))
    can_keep = permissions.can_keep_funding(user)
    form = FundingStreamForm(doors.posted(request))
    if request.method == "POST":
        _require(can_keep)
        if form.is_valid():
            try:
                stream = services.funding_stream_save(
                    actor=user, partnership=user.partnership, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"Added {stream}.")
                return redirect(stream)
    return render(
        request,
        "finance/stream_list.html",
        {"streams": selectors.funding_streams(viewer=user), "form": form, "can_keep": can_keep},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def stream_detail(request, pk: int):
    """One stream and its allocations; those who keep funding allocate part of it here."""
    user = request.user
    stream = get_object_or_404(selectors.funding_streams(viewer=user), pk=pk)
    can_keep = permissions.can_keep_funding(user)
    programmes = Programme.objects.filter(partnership_id=user.partnership_id)
    rounds = GrantRound.objects.filter(partnership_id=user.partnership_id)
    form = AllocationForm(doors.posted(request), programmes=programmes, grant_rounds=rounds)
    if request.method == "POST":
        _require(can_keep)
        if form.is_valid():
            kind, _, target_pk = form.cleaned_data["target"].partition(":")
            target = {
                "programme": get_object_or_404(programmes, pk=target_pk)
                if kind == "programme"
                else None,
                "grant_round": get_object_or_404(rounds, pk=target_pk) if kind == "round" else None,
            }
            try:
                services.allocation_add(
                    actor=user, stream=stream, amount=form.cleaned_data["amount"], **target
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Allocation added.")
                return redirect(stream)
    return render(
        request,
        "finance/stream_detail.html",
        {
            "stream": stream,
            "allocations": selectors.allocations(viewer=user).filter(stream=stream),
            "form": form,
            "can_keep": can_keep,
        },
        status=400 if form.errors else 200,
    )


def _spend_programmes(user):
    return [
        p
        for p in Programme.objects.filter(partnership_id=user.partnership_id)
        if permissions.can_record_spend(user, p)
    ]


@require_http_methods(["GET", "POST"])
def spend_record(request):
    """Record or correct what a programme spent in a quarter."""
    user = request.user
    _require(permissions.can_view_finance(user))
    programmes = _spend_programmes(user)
    _require(bool(programmes))
    today = timezone.localdate()
    form = SpendForm(
        doors.posted(request),
        programmes=programmes,
        initial={"financial_year": financial_year_of(today), "quarter": quarter_of(today)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        programme = next(p for p in programmes if str(p.pk) == data.pop("programme"))
        try:
            spend = services.spend_record(actor=user, programme=programme, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Recorded {spend}.")
            return redirect(f"{reverse('finance:overview')}?year={spend.financial_year}")
    return render(
        request,
        "finance/form.html",
        {"form": form, "title": "Record spend"},
        status=400 if form.errors else 200,
    )
