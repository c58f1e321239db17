"""Correcting a record: a referral (with its young person), a contact, an outcome or a
session. Each page is the record's own form, filled with what is saved, with why and the
version it was loaded at; the service judges it as a new record is judged, keeps the old
values as a version and refuses a save over someone else's newer one. Thin: parse, call a
selector or a service, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from programmes import inputs, permissions, selectors, services
from programmes.models import RecordVersion
from programmes.views import correction_forms as forms
from programmes.views.common import visible_referral
from vru import accounts, doors

Kind = RecordVersion.Kind


def _save(request, form, correct, **known) -> bool:
    """Call the service with the form's values; its refusals onto the form."""
    data = form.cleaned_data
    changes = {name: data[name] for name in form.correctable if name in data}
    try:
        correct(
            actor=request.user,
            why=data["why"],
            version=data["version"],
            **known,
            **changes,
        )
    except ValidationError as error:
        doors.add_errors(form, error)
        return False
    messages.success(request, "Correction saved. The earlier values are in the version history.")
    return True


def _page(request, form, *, title: str, caption: str, back, history, **extra):
    return render(
        request,
        "programmes/record_correct.html",
        {
            "form": form,
            "title": title,
            "caption": caption,
            "back": back,
            "history": history,
            **extra,
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def referral_correct(request, pk: int):
    referral = visible_referral(request, pk)
    doors.require(permissions.can_work_on_referral(request.user, referral))
    # the name, date of birth and address are shown and changed only after a recent
    # password; the read is audited like every identity read
    with_identity = accounts.recently_authenticated(request)
    identity = (
        services.identity_view(actor=request.user, referral=referral) if with_identity else None
    )
    form = forms.ReferralCorrectionForm(
        doors.posted(request),
        initial=forms.ReferralCorrectionForm.initial_for(referral, identity),
        referral=referral,
        identity=identity,
        version=services.current_version(Kind.REFERRAL, referral.pk),
        actor=request.user,
        with_identity=with_identity,
        may_override=permissions.can_manage_programme(request.user, referral.programme),
        # the assignee: only for whoever may assign the case (the assign page's rule)
        staff=(
            selectors.assignable_staff(referral=referral)
            if permissions.can_assign_referral(request.user, referral)
            else None
        ),
    )
    # a page loaded with the identity, sent after the password has become too old: its
    # identity is not taken, and nothing is saved without it
    identity_sent = request.method == "POST" and any(
        name in request.POST for name in inputs.IDENTITY_FIELDS
    )
    if identity_sent and not with_identity:
        form.is_valid()
        form.add_error(None, services.REAUTH_NEEDED)
    elif (
        request.method == "POST"
        and form.is_valid()
        and _save(
            request,
            form,
            services.referral_correct,
            referral=referral,
            reauthenticated=with_identity,
        )
    ):
        return redirect(referral)
    return _page(
        request,
        form,
        title="Correct the referral",
        caption=f"Referral {referral.young_person.reference}",
        back=referral.get_absolute_url(),
        history=selectors.case_history(
            viewer=request.user, referral=referral, show_identity=with_identity
        ),
        identity_needs_reauth=not with_identity,
    )


@require_http_methods(["GET", "POST"])
def contact_correct(request, pk: int):
    contact = doors.found(selectors.contact_get(viewer=request.user, pk=pk))
    referral = contact.referral
    doors.require(permissions.can_work_on_referral(request.user, referral))
    form = forms.ContactCorrectionForm(
        doors.posted(request),
        initial={name: getattr(contact, name) for name in inputs.CONTACT_CORRECTABLE},
        contact=contact,
        version=services.current_version(Kind.CONTACT, contact.pk),
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(request, form, services.contact_correct, contact=contact)
    ):
        return redirect(referral)
    return _page(
        request,
        form,
        title="Correct a contact",
        caption=f"Referral {referral.young_person.reference}",
        back=referral.get_absolute_url(),
        history=selectors.record_history(
            viewer=request.user, kind=Kind.CONTACT, object_id=contact.pk
        ),
    )


@require_http_methods(["GET", "POST"])
def outcome_correct(request, pk: int):
    outcome = doors.found(selectors.outcome_get(viewer=request.user, pk=pk))
    referral = outcome.referral
    doors.require(permissions.can_work_on_referral(request.user, referral))
    form = forms.OutcomeCorrectionForm(
        doors.posted(request),
        initial={name: getattr(outcome, name) for name in inputs.OUTCOME_CORRECTABLE},
        outcome=outcome,
        version=services.current_version(Kind.OUTCOME, outcome.pk),
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(request, form, services.outcome_correct, outcome=outcome)
    ):
        return redirect(referral)
    return _page(
        request,
        form,
        title="Correct an outcome",
        caption=f"Referral {referral.young_person.reference}",
        back=referral.get_absolute_url(),
        history=selectors.record_history(
            viewer=request.user, kind=Kind.OUTCOME, object_id=outcome.pk
        ),
    )


@require_http_methods(["GET", "POST"])
def session_correct(request, pk: int):
    session = doors.found(selectors.session_get(viewer=request.user, pk=pk))
    doors.require(permissions.can_record_session(request.user, session.programme))
    form = forms.SessionCorrectionForm(
        doors.posted(request),
        initial=forms.SessionCorrectionForm.initial_for(session),
        session=session,
        version=services.current_version(Kind.SESSION, session.pk),
        viewer=request.user,
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _save(request, form, services.session_correct, session=session)
    ):
        return redirect(session)
    return _page(
        request,
        form,
        title="Correct the session",
        caption=str(session),
        back=session.get_absolute_url(),
        history=selectors.record_history(
            viewer=request.user, kind=Kind.SESSION, object_id=session.pk
        ),
    )


def case_corrections(request, referral, *, identity_shown: bool) -> dict:
    """What the referral's page shows about corrections: the links to correct it, its
    contacts and outcomes, and the case's version history."""
    can_work = permissions.can_work_on_referral(request.user, referral)
    return {
        "correctable_contacts": referral.contacts.all() if can_work else (),
        "correctable_outcomes": referral.outcomes.all() if can_work else (),
        "history": selectors.case_history(
            viewer=request.user, referral=referral, show_identity=identity_shown
        ),
    }
