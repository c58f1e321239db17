"""The sharing register's pages: thin doors over sharing.selectors and sharing.services."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from sharing import doors as sharing_doors
from sharing import forms, permissions, selectors, services
from sharing.models import AgreementStatus, Organisation
from sharing.resources import DisclosureLogResource
from vru import doors
from vru.data_kinds import DataKind


@require_GET
def agreement_list(request):
    doors.require(permissions.can_view_register(request.user))
    today = timezone.localdate()
    agreements = list(
        selectors.agreement_list(
            viewer=request.user, filters=request.GET, sort=request.GET.get("sort"), today=today
        )
    )
    for agreement in agreements:
        agreement.status = agreement.status_on(today)
    return render(
        request,
        "sharing/agreement_list.html",
        {
            "agreements": agreements,
            "statuses": AgreementStatus.choices,
            "kinds": DataKind.choices,
            "organisations": selectors.organisation_list(viewer=request.user),
            "chosen": request.GET,
            "current_sort": request.GET.get("sort", ""),
            "filtered": any(request.GET.get(n) for n in ("status", "party", "kind")),
            "can_manage": permissions.can_manage_agreements(request.user),
            "can_view_log": permissions.can_view_disclosure_log(request.user),
        },
    )


@require_GET
def agreement_detail(request, pk: int):
    doors.require(permissions.can_view_register(request.user))
    agreement = doors.found(selectors.agreement_get(viewer=request.user, pk=pk))
    today = timezone.localdate()
    can_log = permissions.can_view_disclosure_log(request.user)
    return render(
        request,
        "sharing/agreement_detail.html",
        {
            "agreement": agreement,
            "status": agreement.status_on(today),
            "can_manage": permissions.can_manage_agreements(request.user),
            "can_view_log": can_log,
            "partner_tokens": selectors.partner_tokens(viewer=request.user, agreement=agreement),
            "now": timezone.now(),
            "disclosures": (
                selectors.disclosure_log_list(
                    viewer=request.user, filters={"agreement": agreement.pk}
                )[:20]
                if can_log
                else []
            ),
        },
    )


def _initial(agreement) -> dict | None:
    if agreement is None:
        return None
    initial = {name: getattr(agreement, name) for name in services.AGREEMENT_FIELDS}
    initial["parties"] = list(agreement.parties.all())
    return initial


@require_http_methods(["GET", "POST"])
def agreement_form(request, pk: int | None = None):
    doors.require(permissions.can_manage_agreements(request.user))
    agreement = doors.found(selectors.agreement_get(viewer=request.user, pk=pk)) if pk else None
    form = forms.AgreementForm(
        request.POST if request.method == "POST" else None,
        initial=_initial(agreement),
        partnership=request.user.partnership,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        parties = list(data.pop("parties"))
        try:
            saved = services.agreement_save(
                actor=request.user,
                partnership=request.user.partnership,
                agreement=agreement,
                parties=parties,
                **data,
            )
        except ValidationError as error:
            doors.add_errors(form, error)
        else:
            doors.flash(request, f"{saved.title} saved.")
            return redirect("sharing:agreement_detail", pk=saved.pk)
    title = f"Change {agreement.title}" if agreement else "Add an information-sharing agreement"
    return render(
        request,
        "sharing/form.html",
        {
            "form": form,
            "title": title,
            "has_organisations": form.fields["parties"].queryset.exists(),
        },
    )


@require_http_methods(["GET", "POST"])
def agreement_end(request, pk: int):
    doors.require(permissions.can_manage_agreements(request.user))
    agreement = doors.found(selectors.agreement_get(viewer=request.user, pk=pk))
    form = forms.EndAgreementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_end(actor=request.user, agreement=agreement)
        except ValidationError as error:
            doors.add_errors(form, error)
        else:
            doors.flash(request, f"{agreement.title} has ended. It allows no more sharing.")
            return redirect("sharing:agreement_detail", pk=agreement.pk)
    return render(
        request,
        "sharing/end.html",
        {"form": form, "agreement": agreement, "status": agreement.status_on(timezone.localdate())},
    )


@require_http_methods(["GET", "POST"])
def partner_token_issue(request, pk: int):
    """Issue a read-only API token for a partner's system under this agreement. Its key is
    on the page this answers with, and nowhere else, ever."""
    doors.require(permissions.can_manage_agreements(request.user))
    agreement = doors.found(selectors.agreement_get(viewer=request.user, pk=pk))
    form = forms.PartnerTokenForm(doors.posted(request), agreement=agreement)
    if request.method == "POST" and form.is_valid():
        try:
            bound, key = services.partner_token_issue(
                actor=request.user, agreement=agreement, **form.cleaned_data
            )
        except ValidationError as error:
            doors.add_errors(form, error)
        else:
            return render(
                request, "sharing/partner_token_issued.html", {"bound": bound, "key": key}
            )
    return render(
        request, "sharing/partner_token_form.html", {"form": form, "agreement": agreement}
    )


@require_http_methods(["GET", "POST"])
def partner_token_revoke(request, pk: int, token_pk: int):
    """Ask, then revoke a token issued for a partner under this agreement."""
    doors.require(permissions.can_manage_agreements(request.user))
    agreement = doors.found(selectors.agreement_get(viewer=request.user, pk=pk))
    bound = doors.found(
        selectors.partner_token_get(viewer=request.user, agreement=agreement, pk=token_pk)
    )
    if request.method == "POST":
        services.partner_token_revoke(actor=request.user, partner_token=bound)
        doors.flash(
            request,
            f"The API token for {bound.recipient.name} has been revoked. It no longer works.",
        )
        return redirect("sharing:agreement_detail", pk=agreement.pk)
    return render(
        request, "sharing/partner_token_revoke.html", {"bound": bound, "agreement": agreement}
    )


@require_http_methods(["GET", "POST"])
def organisation_form(request, pk: int | None = None):
    doors.require(permissions.can_manage_agreements(request.user))
    organisation = (
        doors.found(selectors.organisation_get(viewer=request.user, pk=pk)) if pk else None
    )
    initial = (
        {name: getattr(organisation, name) for name in services.ORGANISATION_FIELDS}
        if organisation
        else None
    )
    form = forms.OrganisationForm(
        request.POST if request.method == "POST" else None, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.organisation_save(
                actor=request.user,
                partnership=request.user.partnership,
                organisation=organisation,
                **form.cleaned_data,
            )
        except ValidationError as error:
            doors.add_errors(form, error)
        else:
            doors.flash(request, f"{saved.name} saved.")
            return redirect("sharing:organisation_list")
    title = f"Change {organisation.name}" if organisation else "Add a partner organisation"
    return render(request, "sharing/form.html", {"form": form, "title": title})


@require_GET
def organisation_list(request):
    doors.require(permissions.can_view_register(request.user))
    return render(
        request,
        "sharing/organisation_list.html",
        {
            "organisations": selectors.organisation_list(viewer=request.user),
            "can_manage": permissions.can_manage_agreements(request.user),
            "kinds": dict(Organisation.Kind.choices),
        },
    )


@require_GET
def disclosure_log(request):
    doors.require(permissions.can_view_disclosure_log(request.user))
    logs = selectors.disclosure_log_list(viewer=request.user, filters=request.GET)
    if request.GET.get("format") == "csv":
        return doors.download(
            request,
            resource=DisclosureLogResource(),
            queryset=logs,
            name="disclosure-log",
            export_format="csv",
            verb="disclosure_log.exported",
        )
    page = Paginator(logs, doors.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "sharing/disclosure_log.html",
        {
            "logs": page.object_list,
            "page_obj": page,
            "agreements": selectors.agreement_list(viewer=request.user),
            "organisations": selectors.organisation_list(viewer=request.user),
            "kinds": DataKind.choices,
            "chosen": request.GET,
            "filtered": any(
                request.GET.get(n) for n in ("agreement", "recipient", "kind", "since", "until")
            ),
        },
    )


@require_GET
def partner_download(request):
    """Download a page's data for a partner organisation: the organisation, an agreement in
    force that covers the data, and why (sharing.doors.partner_download). The form asks the
    page itself for its download, whose door checks the choice and records it."""
    doors.require(permissions.can_disclose(request.user))
    choice = sharing_doors.partner_download(request.user, request.GET)
    doors.require(choice is not None)
    return render(request, "sharing/partner_download.html", {"choice": choice})
