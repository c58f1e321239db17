"""Rights requests' pages: thin doors over rights.selectors and rights.services. Every door
is for administrators and the data protection lead only (rights.permissions); anyone else
gets a 404, as if nothing were there."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from rights import forms, permissions, selectors, services
from rights.filters import RequestFilter
from rights.models import GatheredItem, Redaction, SubjectAccessRequest
from rights.models.requests import redacted_text
from vru import accounts, doors

Request = SubjectAccessRequest


def _get(request, pk: int) -> SubjectAccessRequest:
    doors.require(permissions.can_handle_requests(request.user))
    return doors.found(selectors.request_get(viewer=request.user, pk=pk))


@require_GET
def request_list(request):
    doors.require(permissions.can_handle_requests(request.user))
    filters = doors.checked_filters(request, RequestFilter)
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    requests = selectors.request_list(viewer=request.user, filters=request.GET)
    return render(
        request,
        "rights/request_list.html",
        {
            "filter_form": filters,
            "requests": requests,
            "statuses": Request.Status.choices,
            "kinds": Request.Kind.choices,
            "chosen_status": status,
            "chosen_kind": kind,
            "filtered": bool(status or kind),
            "sort": request.GET.get("sort") or "due",
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def request_create(request):
    doors.require(permissions.can_handle_requests(request.user))
    form = forms.RequestForm(
        request.POST if request.method == "POST" else None,
        initial={"kind": Request.Kind.ACCESS, "received_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        person = selectors.young_person_by_reference(
            viewer=request.user, reference=data.pop("reference")
        )
        if person is None:
            form.add_error("reference", "No young person in your partnership has this reference.")
        else:
            try:
                sar = services.request_create(actor=request.user, young_person=person, **data)
            except ValidationError as exc:
                doors.add_errors(form, exc)
            else:
                doors.flash(request, f"Request logged: due by {sar.due_on:%-d %B %Y}.")
                return redirect(sar)
    return render(
        request,
        "rights/form.html",
        {"form": form, "title": "Log a request", "button": "Log the request"},
    )


@require_GET
def request_detail(request, pk: int):
    sar = _get(request, pk)
    today = timezone.localdate()
    context = {
        "sar": sar,
        "today": today,
        "stalled": sar.stalled(timezone.now()),
        "overdue": sar.overdue(today),
        "days_left": sar.days_left(today),
        "item_count": sar.items.count(),
        "copy_days": settings.VRU_SAR_COPY_DAYS,
        "can_extend": sar.is_open and sar.extended_months < 2,
    }
    if sar.kind == Request.Kind.ERASURE and sar.is_open:
        context["obstacles"] = services.erasure_obstacles(young_person=sar.young_person)
    if sar.kind == Request.Kind.CORRECTION:
        from programmes.models import Referral

        context["referrals"] = Referral.objects.filter(young_person=sar.young_person)
    return render(request, "rights/request_detail.html", context)


def _form_page(request, sar, form_class, title, button, act):
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data)
        except ValidationError as exc:
            doors.add_errors(form, exc)
        else:
            return redirect(sar)
    return render(
        request,
        "rights/form.html",
        {"form": form, "title": title, "button": button, "sar": sar},
    )


@require_http_methods(["GET", "POST"])
def request_extend(request, pk: int):
    sar = _get(request, pk)

    def act(data):
        services.request_extend(actor=request.user, request=sar, **data)
        doors.flash(request, "The request's clock is extended.")

    return _form_page(request, sar, forms.ExtendForm, "Extend the time to answer", "Extend", act)


@require_http_methods(["GET", "POST"])
def request_finish(request, pk: int):
    sar = _get(request, pk)

    def act(data):
        services.request_finish(actor=request.user, request=sar, **data)
        doors.flash(request, "The request is finished and the reason recorded.")

    return _form_page(request, sar, forms.FinishForm, "Refuse or close the request", "Save", act)


@require_http_methods(["POST"])
def request_gather(request, pk: int):
    sar = _get(request, pk)
    try:
        services.request_gather_start(actor=request.user, request=sar)
    except ValidationError as exc:
        doors.flash_error(request, exc.messages[0])
    return redirect(sar)


@require_http_methods(["POST"])
def request_gather_again(request, pk: int):
    sar = _get(request, pk)
    try:
        services.request_gather_again(actor=request.user, request=sar)
    except ValidationError as exc:
        doors.flash_error(request, exc.messages[0])
    else:
        doors.flash(request, "Gathering again from the start.")
    return redirect(sar)


@require_http_methods(["POST"])
def erasure_decide(request, pk: int):
    sar = _get(request, pk)
    try:
        sar = services.erasure_decide(actor=request.user, request=sar)
    except ValidationError as exc:
        doors.flash_error(request, exc.messages[0])
    else:
        doors.flash(request, f"Erasure {sar.get_status_display().lower()}: {sar.outcome_reason}")
    return redirect(sar)


@require_GET
def request_review(request, pk: int):
    sar = _get(request, pk)
    items = selectors.items_for(viewer=request.user, request=sar)
    services.items_viewed(actor=request.user, request=sar)
    sections = []
    for kind, label in GatheredItem.Kind.choices:
        rows = [
            (item, redacted_text(item.text, list(item.redactions.all())))
            for item in items
            if item.kind == kind
        ]
        sections.append({"title": label, "rows": rows, "kind": kind})
    return render(
        request,
        "rights/request_review.html",
        {"sar": sar, "sections": sections, "editable": sar.status == Request.Status.IN_REVIEW},
    )


@require_http_methods(["GET", "POST"])
def item_redact(request, pk: int, item_pk: int):
    sar = _get(request, pk)
    item = get_object_or_404(selectors.items_for(viewer=request.user, request=sar), pk=item_pk)
    form = forms.RedactForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        services.items_viewed(actor=request.user, request=sar)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_redact(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            doors.add_errors(form, exc)
        else:
            doors.flash(request, "Redacted.")
            return redirect("rights:request_review", pk=sar.pk)
    return render(
        request,
        "rights/redact.html",
        {
            "form": form,
            "sar": sar,
            "item": item,
            "shown": redacted_text(item.text, list(item.redactions.all())),
        },
    )


@require_http_methods(["POST"])
def redaction_remove(request, pk: int, redaction_pk: int):
    sar = _get(request, pk)
    redaction = get_object_or_404(
        Redaction.objects.filter(item__request=sar).select_related("item__request"),
        pk=redaction_pk,
    )
    try:
        services.redaction_remove(actor=request.user, redaction=redaction)
    except ValidationError as exc:
        doors.flash_error(request, exc.messages[0])
    else:
        doors.flash(request, "Redaction undone.")
    return redirect("rights:request_review", pk=sar.pk)


@never_cache
@require_http_methods(["GET", "POST"])
def bundle_download(request, pk: int):
    """The bundle, once, after the password (or second factor) is asked for again."""
    sar = _get(request, pk)
    if not accounts.recently_authenticated(request):
        return accounts.reauthenticate(request)
    if request.method == "POST":
        try:
            name, data = services.bundle_download(actor=request.user, request=sar)
        except ValidationError as exc:
            doors.flash_error(request, exc.messages[0])
            return redirect(sar)
        response = HttpResponse(data, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(request, "rights/download.html", {"sar": sar})
