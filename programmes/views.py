"""Programme pages. Thin: parse, call a selector or a service, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from programmes import forms, permissions, selectors, services
from programmes.filters import ProgrammeFilter, ReferralFilter, SessionFilter
from programmes.models import AgeBand, Gender, Programme, Referral
from programmes.resources import ProgrammeResource, ReferralResource, SessionResource
from vru import accounts, exports
from vru.models import User

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404


def _export(request, resource, queryset, name: str, verb: str) -> HttpResponse:
    export_format = request.GET["format"]
    dataset = resource.export(queryset=queryset)
    return exports.audited_download(
        request, dataset, file_stem=name, file_format=export_format, verb=verb
    )


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _visible_referral(request, pk: int) -> Referral:
    referral = selectors.referral_get(viewer=request.user, pk=pk)
    if referral is None:
        raise Http404
    return referral


def _staff_of(programmes) -> "object":
    return (
        User.objects.filter(programme_memberships__programme__in=programmes)
        .distinct()
        .order_by("first_name", "last_name")
    )


# --- Programmes -------------------------------------------------------------------------


@require_GET
def programme_list(request):
    _require(permissions.can_view_programmes(request.user))
    filterset = ProgrammeFilter(request.GET, queryset=selectors.programme_list(viewer=request.user))
    if request.GET.get("format") in {"csv", "xlsx"}:
        return _export(
            request, ProgrammeResource(), filterset.qs, "programmes", "programme.exported"
        )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "programmes/programme_list.html",
        {
            "page_obj": page,
            "kinds": Programme.Kind.choices,
            "current_sort": request.GET.get("sort", ""),
            "can_use_caseload": permissions.can_use_caseload(request.user),
        },
    )


@require_GET
def programme_detail(request, pk: int):
    programme = selectors.programme_list(viewer=request.user).filter(pk=pk).first()
    _require(programme is not None)
    dashboard = selectors.programme_dashboard(viewer=request.user, programme=programme)
    return render(
        request,
        "programmes/programme_detail.html",
        {
            "programme": programme,
            "dashboard": dashboard,
            "staff": programme.memberships.select_related("user"),
            "recommendations": programme.recommendations.all(),
            "can_manage": permissions.can_manage_programme(request.user, programme),
            "target_lsoa_count": programme.target_lsoas.count(),
        },
    )


# --- Caseload and referrals -------------------------------------------------------------


@require_GET
def caseload(request):
    """My caseload: referrals awaiting first contact first, by due time; then the rest."""
    _require(permissions.can_use_caseload(request.user))
    referrals = selectors.referral_list(viewer=request.user, filters=request.GET)
    if request.GET.get("format") in {"csv", "xlsx"}:
        return _export(request, ReferralResource(), referrals, "referrals", "referral.exported")
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "programmes/caseload.html",
        {
            "page_obj": page,
            "filterset": ReferralFilter(request.GET),
            "statuses": Referral.Status.choices,
            "sources": Referral.Source.choices,
            "reasons": Referral.Reason.choices,
            "programmes": selectors.programmes_for_referrals(viewer=request.user),
            "selected_statuses": request.GET.getlist("status"),
            # managers assign caseloads from this list (each link re-checks the referral)
            "can_assign": selectors.managed_programmes(viewer=request.user).exists(),
            "can_break_glass": permissions.can_use_break_glass(request.user),
            "current_sort": request.GET.get("sort", ""),
        },
    )


@require_http_methods(["GET", "POST"])
def referral_create(request):
    programmes = selectors.programmes_for_referrals(viewer=request.user)
    _require(permissions.can_use_caseload(request.user) and programmes.exists())
    form = forms.ReferralForm(
        request.POST or None,
        programmes=programmes,
        staff=_staff_of(programmes),
        partnership_id=request.user.partnership_id,
    )
    from_contact = None
    if request.GET.get("from_contact"):
        from_contact = selectors.detached_contact_get(
            viewer=request.user, pk=request.GET["from_contact"]
        )
        _require(from_contact is not None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_create(
                actor=request.user, from_detached_contact=from_contact, **form.cleaned_data
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            if referral.young_person.possible_duplicates.exists():
                messages.warning(
                    request,
                    "Possible duplicate: someone with the same name and date of birth is already "
                    "known. The records have been flagged, not merged.",
                )
            messages.success(request, f"Referral {referral.young_person.reference} recorded.")
            return redirect(referral)
    return render(
        request, "programmes/referral_form.html", {"form": form, "from_contact": from_contact}
    )


def _referral_page(request, referral, **forms_in_error):
    # an anonymised case has no identity left to show: only ask (and audit) when allowed
    identity = None
    identity_needs_reauth = False
    if permissions.can_view_identity(request.user, referral):
        # the identity shows only after a recent password or second factor
        if accounts.recently_authenticated(request):
            identity = services.identity_view(actor=request.user, referral=referral)
        else:
            identity_needs_reauth = True
    context = {
        "referral": referral,
        "identity": identity,
        "identity_needs_reauth": identity_needs_reauth,
        "timeline": selectors.referral_timeline(referral=referral),
        "duplicates": referral.young_person.possible_duplicates.all(),
        "can_work": permissions.can_work_on_referral(request.user, referral),
        "can_assign": permissions.can_assign_referral(request.user, referral),
        # three forms on one page: prefixes keep their field names and ids apart
        "contact_form": forms_in_error.get("contact_form") or forms.ContactForm(prefix="contact"),
        "status_form": forms_in_error.get("status_form") or forms.StatusForm(prefix="status"),
        "outcome_form": forms_in_error.get("outcome_form") or forms.OutcomeForm(prefix="outcome"),
    }
    status = 400 if forms_in_error else 200
    return render(request, "programmes/referral_detail.html", context, status=status)


@require_GET
def referral_detail(request, pk: int):
    referral = _visible_referral(request, pk)
    return _referral_page(request, referral)


@require_POST
def referral_contact(request, pk: int):
    referral = _visible_referral(request, pk)
    _require(permissions.can_work_on_referral(request.user, referral))
    form = forms.ContactForm(request.POST, prefix="contact")
    if form.is_valid():
        try:
            services.contact_record(actor=request.user, referral=referral, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, "Contact recorded.")
            return redirect(referral)
    return _referral_page(request, referral, contact_form=form)


@require_POST
def referral_status(request, pk: int):
    referral = _visible_referral(request, pk)
    _require(permissions.can_work_on_referral(request.user, referral))
    form = forms.StatusForm(request.POST, prefix="status")
    if form.is_valid():
        to_status = form.cleaned_data["to_status"]
        if to_status == Referral.Status.CLOSED and request.POST.get("confirm") != "yes":
            return render(
                request,
                "programmes/referral_close_confirm.html",
                {"referral": referral, "form": form},
            )
        try:
            services.referral_status_change(
                actor=request.user,
                referral=referral,
                to_status=to_status,
                closure_reason=form.cleaned_data["closure_reason"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, "Status changed.")
            return redirect(referral)
    return _referral_page(request, referral, status_form=form)


@require_POST
def referral_outcome(request, pk: int):
    referral = _visible_referral(request, pk)
    _require(permissions.can_work_on_referral(request.user, referral))
    form = forms.OutcomeForm(request.POST, prefix="outcome")
    if form.is_valid():
        try:
            services.outcome_record(actor=request.user, referral=referral, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, "Outcome recorded.")
            return redirect(referral)
    return _referral_page(request, referral, outcome_form=form)


@require_http_methods(["GET", "POST"])
def referral_assign(request, pk: int):
    referral = _visible_referral(request, pk)
    _require(permissions.can_assign_referral(request.user, referral))
    staff = User.objects.filter(programme_memberships__programme=referral.programme).order_by(
        "first_name", "last_name"
    )
    form = forms.AssignForm(
        request.POST or None, staff=staff, initial={"assigned_to": referral.assigned_to_id}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_assign(
                actor=request.user, referral=referral, assigned_to=form.cleaned_data["assigned_to"]
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, "Caseload updated.")
            return redirect(referral)
    return render(request, "programmes/referral_assign.html", {"referral": referral, "form": form})


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


# --- Sessions ---------------------------------------------------------------------------


@require_GET
def session_list(request):
    _require(permissions.can_use_caseload(request.user))
    filterset = SessionFilter(request.GET, queryset=selectors.session_list(viewer=request.user))
    if request.GET.get("format") in {"csv", "xlsx"}:
        return _export(request, SessionResource(), filterset.qs, "sessions", "session.exported")
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "programmes/session_list.html",
        {
            "page_obj": page,
            "kinds": [("group", "Group session"), ("detached", "Detached session")],
            "programmes": selectors.programmes_for_referrals(viewer=request.user),
            "current_sort": request.GET.get("sort", ""),
        },
    )


def _session_page(request, session, contact_form=None):
    return render(
        request,
        "programmes/session_detail.html",
        {
            "session": session,
            "counts": session.counts.all(),
            "detached_contacts": session.detached_contacts.select_related("referral"),
            "contact_form": contact_form or forms.DetachedContactForm(),
            "can_record": permissions.can_record_session(request.user, session.programme),
        },
        status=400 if contact_form is not None else 200,
    )


@require_GET
def session_detail(request, pk: int):
    session = selectors.session_get(viewer=request.user, pk=pk)
    _require(session is not None)
    return _session_page(request, session)


@require_POST
def session_detached_contact(request, pk: int):
    session = selectors.session_get(viewer=request.user, pk=pk)
    _require(
        session is not None and permissions.can_record_session(request.user, session.programme)
    )
    form = forms.DetachedContactForm(request.POST)
    if form.is_valid():
        try:
            services.detached_contact_record(
                actor=request.user, session=session, **form.cleaned_data
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, "Anonymous contact recorded.")
            return redirect(session)
    # the errors with an error summary, and what was typed kept
    return _session_page(request, session, contact_form=form)


@require_POST
def referral_consent_withdraw(request, pk: int):
    referral = _visible_referral(request, pk)
    _require(permissions.can_work_on_referral(request.user, referral))
    if request.POST.get("confirm") != "yes":
        return render(request, "programmes/referral_consent_confirm.html", {"referral": referral})
    services.referral_consent_withdraw(actor=request.user, referral=referral)
    messages.success(request, "Consent withdrawal recorded.")
    return redirect(referral)


@require_http_methods(["GET", "POST"])
def session_create(request):
    programmes = selectors.programmes_for_referrals(viewer=request.user)
    _require(permissions.can_use_caseload(request.user) and programmes.exists())
    form = forms.SessionForm(
        request.POST or None, programmes=programmes, partnership_id=request.user.partnership_id
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.session_record(
                actor=request.user,
                programme=data["programme"],
                kind=data["kind"],
                held_on=data["held_on"],
                place=data["place"],
                lsoa=data["lsoa"],
                counts=form.counts(),
                issues_raised=data["issues_raised"],
                staff=[request.user],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, "Session recorded.")
            return redirect(session)
    return render(
        request,
        "programmes/session_form.html",
        {
            "form": form,
            "count_rows": [
                (band_label, [form[f"count_{band}_{g}"] for g in Gender.values])
                for band, band_label in AgeBand.choices
            ],
            "genders": Gender.choices,
        },
    )


@require_http_methods(["GET", "POST"])
def break_glass(request):
    """A programme manager opens the identity on a case outside their programmes: they give
    the reference and a reason; the read is audited and the safeguarding lead is told."""
    _require(permissions.can_use_break_glass(request.user))
    if not accounts.recently_authenticated(request):
        return accounts.reauthenticate(request)
    form = forms.BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        referral = selectors.referral_for_break_glass(
            viewer=request.user, reference=form.cleaned_data["reference"]
        )
        if referral is None:
            form.add_error("reference", "No open case in your partnership has this reference.")
        elif permissions.can_view_identity(request.user, referral):
            messages.info(request, "This case is in your programmes: no break-glass is needed.")
            return redirect(referral)
        else:
            try:
                identity = services.identity_break_glass(
                    actor=request.user, referral=referral, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                return render(
                    request,
                    "programmes/break_glass_identity.html",
                    {"referral": referral, "identity": identity},
                )
    return render(request, "programmes/break_glass.html", {"form": form})
