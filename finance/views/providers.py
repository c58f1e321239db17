"""Commissioned providers' contracts: the contract with its KPIs and quarterly figures, and
recording a quarter's figure. Those who keep funding see every contract; provider staff
their own ("Your contract"). Thin: parse, call a selector or a service, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from finance import permissions, selectors, services
from finance.forms import KPIFigureForm
from finance.models import KPI, financial_year_label, financial_year_of, quarter_of
from vru import doors


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404


@require_GET
def contract_list(request):
    user = request.user
    _require(permissions.can_view_contracts(user))
    return render(
        request,
        "finance/contract_list.html",
        {
            "contracts": selectors.contracts(viewer=user),
            "provider": permissions.provider_of(user),
            "can_keep": permissions.can_keep_providers(user),
        },
    )


@require_GET
def contract_detail(request, pk: int):
    user = request.user
    contract = get_object_or_404(selectors.contracts(viewer=user), pk=pk)
    rows = selectors.contract_kpis(contract=contract)
    for row in rows:
        for figure in row["figures"]:
            figure.year_label = financial_year_label(figure.financial_year)
    return render(
        request,
        "finance/contract_detail.html",
        {
            "contract": contract,
            "rows": rows,
            "can_record": permissions.can_record_kpi_figures(user, contract),
            "can_keep": permissions.can_keep_providers(user),
        },
    )


@require_http_methods(["GET", "POST"])
def kpi_figure_record(request, pk: int):
    """Record (or correct) one KPI's figure for a quarter of the contract."""
    user = request.user
    contract = get_object_or_404(selectors.contracts(viewer=user), pk=pk)
    _require(permissions.can_record_kpi_figures(user, contract))
    kpis = list(KPI.objects.filter(contract=contract).order_by("name"))
    today = timezone.localdate()
    form = KPIFigureForm(
        doors.posted(request),
        kpis=kpis,
        initial={"financial_year": financial_year_of(today), "quarter": quarter_of(today)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kpi = next(k for k in kpis if str(k.pk) == data.pop("kpi"))
        try:
            figure = services.kpi_figure_record(actor=user, kpi=kpi, **data)
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Recorded {figure}.")
            return redirect(reverse("finance:contract_detail", args=[contract.pk]))
    return render(
        request,
        "finance/form.html",
        {
            "form": form,
            "title": f"Record a KPI figure: {contract}",
            "back": reverse("finance:contract_detail", args=[contract.pk]),
        },
        status=400 if form.errors else 200,
    )
