"""Group and detached sessions: list, record, a session's page with anonymous contacts.
Thin: parse, call a selector or a service, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from programmes import forms, permissions, selectors, services
from programmes.filters import SessionFilter
from programmes.models import Gender
from programmes.resources import SessionResource
from vru import doors
from vru.age_bands import AgeBand


@require_GET
def session_list(request):
    doors.require(permissions.can_use_caseload(request.user))
    filterset = SessionFilter(request.GET, queryset=selectors.session_list(viewer=request.user))
    if request.GET.get("format") in {"csv", "xlsx"} and filterset.is_valid():
        return doors.download(
            request,
            resource=SessionResource(),
            queryset=filterset.qs,
            name="sessions",
            export_format=request.GET["format"],
            verb="session.exported",
        )
    page = Paginator(filterset.qs, doors.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "programmes/session_list.html",
        {
            "filter_form": filterset.form,
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
            "history": selectors.record_history(
                viewer=request.user, kind="session", object_id=session.pk
            ),
        },
        status=400 if contact_form is not None else 200,
    )


@require_GET
def session_detail(request, pk: int):
    session = selectors.session_get(viewer=request.user, pk=pk)
    doors.require(session is not None)
    return _session_page(request, session)


@require_POST
def session_detached_contact(request, pk: int):
    session = selectors.session_get(viewer=request.user, pk=pk)
    doors.require(
        session is not None and permissions.can_record_session(request.user, session.programme)
    )
    form = forms.DetachedContactForm(request.POST)
    if form.is_valid():
        try:
            services.detached_contact_record(
                actor=request.user, session=session, **form.cleaned_data
            )
        except ValidationError as error:
            doors.add_errors(form, error)
        else:
            messages.success(request, "Anonymous contact recorded.")
            return redirect(session)
    # the errors with an error summary, and what was typed kept
    return _session_page(request, session, contact_form=form)


@require_http_methods(["GET", "POST"])
def session_create(request):
    programmes = selectors.programmes_for_referrals(viewer=request.user)
    doors.require(permissions.can_use_caseload(request.user) and programmes.exists())
    form = forms.SessionForm(doors.posted(request), programmes=programmes, viewer=request.user)
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
            doors.add_errors(form, error)
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
def session_attendees(request, pk: int):
    """Name (or un-name) the young people who attended: staff of the session's programme."""
    session = selectors.session_get(viewer=request.user, pk=pk)
    doors.require(
        session is not None and permissions.can_record_session(request.user, session.programme)
    )
    form = forms.AttendeeForm(request.POST if request.POST.get("action") == "add" else None)
    if request.method == "POST" and request.POST.get("action") == "remove":
        person = selectors.session_attendees(session=session).filter(
            pk=request.POST.get("young_person") or 0
        )
        if person:
            services.session_attendee_remove(
                actor=request.user, session=session, young_person=person[0]
            )
            messages.success(request, f"{person[0].reference} removed from the attendees.")
        return redirect("programmes:session_attendees", pk=session.pk)
    if request.method == "POST" and form.is_valid():
        person = selectors.attendee_candidate(
            viewer=request.user, reference=form.cleaned_data["reference"]
        )
        if person is None:
            form.add_error(
                "reference", "No young person with that reference on your caseload or programme."
            )
        else:
            try:
                services.session_attendee_add(
                    actor=request.user, session=session, young_person=person
                )
            except ValidationError as error:
                doors.add_errors(form, error)
            else:
                messages.success(request, f"{person.reference} named as an attendee.")
                return redirect("programmes:session_attendees", pk=session.pk)
    return render(
        request,
        "programmes/session_attendees.html",
        {
            "session": session,
            "attendees": selectors.session_attendees(session=session),
            "form": form,
        },
        status=400 if form.errors else 200,
    )
