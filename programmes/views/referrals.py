"""Referral pages: record a referral, the referral page with its timeline, and the writes
made from it (contacts, status, outcomes, assignment, consent). Thin: parse, call a selector
or a service, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from programmes import forms, permissions, selectors, services
from programmes.models import Referral, consent_tag
from programmes.views import corrections
from programmes.views.common import visible_referral as _visible_referral
from sharing import permissions as sharing_permissions
from sharing import selectors as sharing_selectors
from vru import accounts, doors

# --- Caseload and referrals -------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def referral_create(request):
    programmes = selectors.programmes_for_referrals(viewer=request.user)
    doors.require(permissions.can_use_caseload(request.user) and programmes.exists())
    form = forms.ReferralForm(
        doors.posted(request),
        programmes=programmes,
        staff=selectors.staff_of(programmes),
        may_override=selectors.managed_programmes(viewer=request.user).exists(),
        actor=request.user,
    )
    from_contact = None
    if request.GET.get("from_contact"):
        from_contact = selectors.detached_contact_get(
            viewer=request.user, pk=request.GET["from_contact"]
        )
        doors.require(from_contact is not None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_create(
                actor=request.user, from_detached_contact=from_contact, **form.cleaned_data
            )
        except ValidationError as error:
            doors.add_errors(form, error)
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
        "can_withdraw_consent": permissions.can_withdraw_consent(request.user, referral),
        "consent_tag": consent_tag(
            given_by=referral.consent_given_by,
            withdrawn_at=referral.consent_withdrawn_at,
            reconfirm_by=referral.consent_reconfirm_by,
            today=timezone.localdate(),
        ),
        # three forms on one page: prefixes keep their field names and ids apart
        "contact_form": forms_in_error.get("contact_form") or forms.ContactForm(prefix="contact"),
        "status_form": forms_in_error.get("status_form") or forms.StatusForm(prefix="status"),
        "outcome_form": forms_in_error.get("outcome_form") or forms.OutcomeForm(prefix="outcome"),
        **corrections.case_corrections(request, referral, identity_shown=identity is not None),
        # what has been shared about the young person with partner organisations
        "shows_sharing": sharing_permissions.can_view_register(request.user),
        "shared_with_partners": sharing_selectors.disclosures_about(
            viewer=request.user, young_person_id=referral.young_person_id
        ),
    }
    status = 400 if forms_in_error else 200
    return render(request, "programmes/referral_detail.html", context, status=status)


@require_GET
def referral_detail(request, pk: int):
    referral = _visible_referral(request, pk)
    services.referral_viewed(actor=request.user, referral=referral)  # "Recently viewed"
    return _referral_page(request, referral)


@require_POST
def referral_contact(request, pk: int):
    referral = _visible_referral(request, pk)
    doors.require(permissions.can_work_on_referral(request.user, referral))
    form = forms.ContactForm(request.POST, prefix="contact", referral=referral)
    if form.is_valid():
        try:
            services.contact_record(actor=request.user, referral=referral, **form.cleaned_data)
        except ValidationError as error:
            doors.add_errors(form, error)
        else:
            messages.success(request, "Contact recorded.")
            return redirect(referral)
    return _referral_page(request, referral, contact_form=form)


@require_POST
def referral_status(request, pk: int):
    referral = _visible_referral(request, pk)
    doors.require(permissions.can_work_on_referral(request.user, referral))
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
            doors.add_errors(form, error)
        else:
            messages.success(request, "Status changed.")
            return redirect(referral)
    return _referral_page(request, referral, status_form=form)


@require_POST
def referral_outcome(request, pk: int):
    referral = _visible_referral(request, pk)
    doors.require(permissions.can_work_on_referral(request.user, referral))
    form = forms.OutcomeForm(request.POST, prefix="outcome", referral=referral)
    if form.is_valid():
        try:
            services.outcome_record(actor=request.user, referral=referral, **form.cleaned_data)
        except ValidationError as error:
            doors.add_errors(form, error)
        else:
            messages.success(request, "Outcome recorded.")
            return redirect(referral)
    return _referral_page(request, referral, outcome_form=form)


@require_http_methods(["GET", "POST"])
def referral_assign(request, pk: int):
    referral = _visible_referral(request, pk)
    doors.require(permissions.can_assign_referral(request.user, referral))
    # each practitioner with their open cases, counted in the same query
    staff = selectors.assignable_staff(referral=referral)
    form = forms.AssignForm(
        doors.posted(request), staff=staff, initial={"assigned_to": referral.assigned_to_id}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_assign(
                actor=request.user, referral=referral, assigned_to=form.cleaned_data["assigned_to"]
            )
        except ValidationError as error:
            doors.add_errors(form, error)
        else:
            messages.success(request, "Caseload updated.")
            return redirect(referral)
    return render(request, "programmes/referral_assign.html", {"referral": referral, "form": form})


@require_POST
def referral_consent_withdraw(request, pk: int):
    referral = _visible_referral(request, pk)
    doors.require(permissions.can_withdraw_consent(request.user, referral))
    if request.POST.get("confirm") != "yes":
        return render(request, "programmes/referral_consent_confirm.html", {"referral": referral})
    services.referral_consent_withdraw(actor=request.user, referral=referral)
    messages.success(request, "Consent withdrawal recorded.")
    return redirect(referral)


@require_http_methods(["GET", "POST"])
def break_glass(request):
    """A programme manager opens the identity on a case outside their programmes: they give
    the reference and a reason; the read is audited and the safeguarding lead is told."""
    doors.require(permissions.can_use_break_glass(request.user))
    if not accounts.recently_authenticated(request):
        return accounts.reauthenticate(request)
    form = forms.BreakGlassForm(doors.posted(request))
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
                doors.add_errors(form, error)
            else:
                return render(
                    request,
                    "programmes/break_glass_identity.html",
                    {"referral": referral, "identity": identity},
                )
    return render(request, "programmes/break_glass.html", {"form": form})
