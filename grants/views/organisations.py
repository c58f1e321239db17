"""Grants staff keep the partnership's applicant organisations and who acts for them."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from grants import permissions, selectors, services
from grants.filters import OrganisationFilter
from grants.forms import MemberAddForm, OrganisationForm
from grants.models import OrganisationMembership
from grants.resources import OrganisationResource
from sharing import doors as sharing_doors
from sharing.rules import Record
from vru import doors
from vru import selectors as core_selectors
from vru.data_kinds import DataKind


def _staff_organisation(request, pk: int):
    doors.require(permissions.can_manage_rounds(request.user))
    return get_object_or_404(selectors.organisation_list(viewer=request.user), pk=pk)


def _organisation_form(request, instance=None) -> OrganisationForm:
    return OrganisationForm(
        doors.posted(request),
        instance=instance,
        local_authorities=core_selectors.local_authority_list(viewer=request.user),
    )


@require_GET
def organisation_list(request):
    doors.require(permissions.can_manage_rounds(request.user))
    filters = doors.checked_filters(request, OrganisationFilter)
    organisations = selectors.organisation_list(viewer=request.user, filters=request.GET)
    export_format = request.GET.get("format")
    if export_format in {"csv", "xlsx"} and filters.is_valid():
        # applicants' contact details: to a partner organisation only under an agreement the
        # rule offers (sharing.doors)
        return sharing_doors.guarded_download(
            request,
            kind=DataKind.APPLICANT,
            # Scoped to the partnership, as the admin import of this resource is.
            build=lambda: OrganisationResource(partnership=request.user.partnership).export(
                queryset=organisations
            ),
            records=lambda: [
                Record("grants.organisation", pk)
                for pk in organisations.order_by().values_list("pk", flat=True)
            ],
            door="Applicant organisations export",
            file_stem="organisations",
            file_format=export_format,
            verb="organisations.exported",
        )
    return render(
        request,
        "grants/organisation_list.html",
        {
            "filter_form": filters,
            "page_obj": Paginator(organisations, doors.PAGE_SIZE).get_page(request.GET.get("page")),
            "current_sort": request.GET.get("sort", ""),
            "kinds": OrganisationForm.base_fields["kind"].choices,
            **sharing_doors.page_choice(
                request, kind=DataKind.APPLICANT, formats=[("csv", "CSV"), ("xlsx", "XLSX")]
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def organisation_create(request):
    doors.require(permissions.can_manage_rounds(request.user))
    form = _organisation_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(
                actor=request.user, partnership=request.user.partnership, **form.cleaned_data
            )
        except ValidationError as error:
            doors.add_errors(form, error)
        else:
            doors.flash(request, f"{organisation.name} added.")
            return redirect("grants:organisation_detail", pk=organisation.pk)
    return render(request, "grants/organisation_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def organisation_edit(request, pk: int):
    organisation = _staff_organisation(request, pk)
    form = _organisation_form(request, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                actor=request.user,
                organisation=selectors.organisation_list(viewer=request.user).get(pk=pk),
                **form.cleaned_data,
            )
        except ValidationError as error:
            doors.add_errors(form, error)
        else:
            doors.flash(request, "Changes saved.")
            return redirect("grants:organisation_detail", pk=pk)
    return render(
        request, "grants/organisation_form.html", {"form": form, "organisation": organisation}
    )


@require_http_methods(["GET", "POST"])
def organisation_detail(request, pk: int):
    """The organisation, its applications, and the people who act for it (add one here)."""
    organisation = _staff_organisation(request, pk)
    form = MemberAddForm(doors.posted(request))
    if request.method == "POST" and form.is_valid():
        user = selectors.user_to_add_to_organisation(
            viewer=request.user, username=form.cleaned_data["username"]
        )
        if user is None:
            form.add_error("username", "No user with that username in this partnership.")
        else:
            try:
                services.organisation_member_add(
                    actor=request.user, organisation=organisation, user=user
                )
            except ValidationError as error:
                doors.add_errors(form, error)
            else:
                doors.flash(request, f"{user.username} can now apply for {organisation.name}.")
                return redirect("grants:organisation_detail", pk=pk)
    applications = selectors.application_list(
        viewer=request.user, filters={"sort": "-submitted"}
    ).filter(organisation=organisation)
    return render(
        request,
        "grants/organisation_detail.html",
        {
            "organisation": organisation,
            "members": selectors.organisation_members(
                viewer=request.user, organisation=organisation
            ),
            "applications": applications[: doors.PAGE_SIZE],
            "application_total": applications.count(),
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
def organisation_member_remove(request, pk: int):
    doors.require(permissions.can_manage_rounds(request.user))
    membership = get_object_or_404(
        OrganisationMembership.objects.select_related("user", "organisation").filter(
            organisation__in=selectors.organisation_list(viewer=request.user)
        ),
        pk=pk,
    )
    if request.method == "POST":
        services.organisation_member_remove(actor=request.user, membership=membership)
        doors.flash(
            request, f"{membership.user.username} no longer acts for {membership.organisation}."
        )
        return redirect("grants:organisation_detail", pk=membership.organisation_id)
    return render(request, "grants/organisation_member_remove.html", {"membership": membership})
