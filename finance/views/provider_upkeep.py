"""Keeping commissioned providers: add and rename provider organisations, link their staff
(users with the provider staff role) and unlink them, add a contract
(provider, programme, value, dates) and change its value and dates, add, change and delete
its KPIs (name, target, unit). For those who keep funding (finance.permissions
.can_keep_providers); anyone else gets 404. The rules are the models' clean(), run by the
services (finance.services.providers), which audit every write. Thin: parse, call, render."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from finance import permissions, selectors, services
from finance.forms import ContractForm, ContractTermsForm, KPIForm, ProviderForm, ProviderStaffForm
from vru import doors


def _form_page(request, form, title: str, back: str):
    return render(
        request,
        "finance/form.html",
        {"form": form, "title": title, "back": back},
        status=400 if form.errors else 200,
    )


def _keeper(request) -> None:
    doors.require(permissions.can_keep_providers(request.user))


def _contract(request, pk: int):
    _keeper(request)
    return get_object_or_404(selectors.contracts(viewer=request.user), pk=pk)


@require_http_methods(["GET", "POST"])
def provider_list(request):
    """The partnership's providers, and adding one."""
    _keeper(request)
    form = ProviderForm(doors.posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            provider = services.provider_create(
                actor=request.user, partnership=request.user.partnership, **form.cleaned_data
            )
        except ValidationError as error:
            doors.add_errors(form, error)
        else:
            doors.flash(request, f"{provider} added.")
            return redirect("finance:provider_list")
    return render(
        request,
        "finance/provider_list.html",
        {"providers": selectors.providers(viewer=request.user), "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def provider_edit(request, pk: int):
    _keeper(request)
    provider = get_object_or_404(selectors.providers(viewer=request.user), pk=pk)
    form = ProviderForm(doors.posted(request), initial={"name": provider.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_update(actor=request.user, provider=provider, **form.cleaned_data)
        except ValidationError as error:
            doors.add_errors(form, error)
        else:
            doors.flash(request, "Provider renamed.")
            return redirect("finance:provider_list")
    return _form_page(request, form, f"Rename {provider.name}", reverse("finance:provider_list"))


def _provider(request, pk: int):
    _keeper(request)
    return get_object_or_404(selectors.providers(viewer=request.user), pk=pk)


@require_http_methods(["GET", "POST"])
def provider_staff(request, pk: int):
    """The provider's staff, and linking another (finance.services.provider_staff_add)."""
    provider = _provider(request, pk)
    form = ProviderStaffForm(
        doors.posted(request),
        users=selectors.provider_staff_choices(viewer=request.user, provider=provider),
    )
    if request.method == "POST" and form.is_valid():
        user = form.cleaned_data["user"]
        try:
            services.provider_staff_add(actor=request.user, provider=provider, user=user)
        except ValidationError as error:
            doors.add_errors(form, error)
        else:
            doors.flash(request, f"{user.get_full_name() or user.username} linked to {provider}.")
            return redirect("finance:provider_staff", pk=provider.pk)
    return render(
        request,
        "finance/provider_staff.html",
        {
            "provider": provider,
            "staff": selectors.provider_staff(viewer=request.user, provider=provider),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def provider_staff_remove(request, pk: int, staff_pk: int):
    """Asks first, then unlinks (finance.services.provider_staff_remove)."""
    provider = _provider(request, pk)
    link = get_object_or_404(
        selectors.provider_staff(viewer=request.user, provider=provider), pk=staff_pk
    )
    if request.method == "POST":
        services.provider_staff_remove(actor=request.user, link=link)
        doors.flash(
            request, f"{link.user.get_full_name() or link.user.username} unlinked from {provider}."
        )
        return redirect("finance:provider_staff", pk=provider.pk)
    return render(
        request, "finance/provider_staff_remove.html", {"provider": provider, "link": link}
    )


@require_http_methods(["GET", "POST"])
def contract_create(request):
    _keeper(request)
    providers = list(selectors.providers(viewer=request.user))
    programmes = list(selectors.contract_programmes(viewer=request.user))
    form = ContractForm(doors.posted(request), providers=providers, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["provider"] = next(p for p in providers if str(p.pk) == data["provider"])
        data["programme"] = next(p for p in programmes if str(p.pk) == data["programme"])
        try:
            contract = services.contract_create(actor=request.user, **data)
        except ValidationError as error:
            doors.add_errors(form, error)
        else:
            doors.flash(request, f"Contract added: {contract}. Add its KPIs.")
            return redirect("finance:contract_detail", pk=contract.pk)
    return _form_page(request, form, "Add a contract", reverse("finance:contract_list"))


@require_http_methods(["GET", "POST"])
def contract_edit(request, pk: int):
    contract = _contract(request, pk)
    form = ContractTermsForm(
        doors.posted(request),
        initial={
            "value": contract.value,
            "starts_on": contract.starts_on,
            "ends_on": contract.ends_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.contract_update(actor=request.user, contract=contract, **form.cleaned_data)
        except ValidationError as error:
            doors.add_errors(form, error)
        else:
            doors.flash(request, "Contract changed.")
            return redirect("finance:contract_detail", pk=contract.pk)
    return _form_page(
        request,
        form,
        f"Change the value and dates: {contract}",
        reverse("finance:contract_detail", args=[contract.pk]),
    )


@require_http_methods(["GET", "POST"])
def kpi_create(request, pk: int):
    return _kpi_form(request, _contract(request, pk), None)


@require_http_methods(["GET", "POST"])
def kpi_edit(request, pk: int, kpi_pk: int):
    contract = _contract(request, pk)
    kpi = doors.found(selectors.contract_kpi(contract=contract, pk=kpi_pk))
    return _kpi_form(request, contract, kpi)


def _kpi_form(request, contract, kpi):
    initial = {} if kpi is None else {"name": kpi.name, "target": kpi.target, "unit": kpi.unit}
    form = KPIForm(doors.posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.kpi_save(actor=request.user, contract=contract, kpi=kpi, **form.cleaned_data)
        except ValidationError as error:
            doors.add_errors(form, error)
        else:
            doors.flash(request, "KPI added." if kpi is None else "KPI changed.")
            return redirect("finance:contract_detail", pk=contract.pk)
    return _form_page(
        request,
        form,
        f"Add a KPI: {contract}" if kpi is None else f"Change the KPI {kpi.name}",
        reverse("finance:contract_detail", args=[contract.pk]),
    )


@require_http_methods(["GET", "POST"])
def kpi_delete(request, pk: int, kpi_pk: int):
    """Asks first; a KPI with figures is refused (its figures stay on record)."""
    contract = _contract(request, pk)
    kpi = doors.found(selectors.contract_kpi(contract=contract, pk=kpi_pk))
    figures = kpi.figures.count()
    if request.method == "POST":
        try:
            services.kpi_delete(actor=request.user, kpi=kpi)
        except ValidationError as error:
            doors.flash_error(request, " ".join(error.messages))
        else:
            doors.flash(request, f"KPI {kpi.name} deleted.")
        return redirect("finance:contract_detail", pk=contract.pk)
    return render(
        request,
        "finance/kpi_delete.html",
        {"contract": contract, "kpi": kpi, "figures": figures},
    )
