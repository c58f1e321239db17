"""Casework records: a 1:1 contact and an outcome of a referral, a group or detached
session: their fields and rules at every door."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone

from programmes.inputs.common import (
    MAX_CONTACT_MINUTES,
    Errors,
    Judged,
    _add,
    _choices,
    _given,
    _max,
    _moments,
    _texts,
    unknown_choice,
)
from programmes.models import Contact, Gender, Outcome, Programme, Referral, Session
from programmes.models.programmes import NOT_YOUR_AREA, NOT_YOUR_PROGRAMME
from vru.age_bands import AgeBand
from vru.models import LSOA

CONTACT_METHODS = frozenset(Contact.Method.values)
CONTACT_FIELDS = ("occurred_at", "method", "duration_minutes", "notes", "next_step")
CONTACT_REQUIRED = {
    "occurred_at": "Enter when the contact happened",
    "method": "Select method",
}
CONTACT_UNKNOWN = {"method": unknown_choice("contact method")}


def _after_last_change(referral: Referral, at, field: str, what: str, errors: Errors) -> None:
    if at < referral.status_changed_at:
        when = timezone.localtime(referral.status_changed_at)
        _add(
            errors,
            field,
            f"{what} cannot be before the last status change ({when:%d %b %Y %H:%M}).",
        )


def check_contact(values: dict, *, referral: Referral, now=None, skip=()) -> tuple[dict, Errors]:
    """A 1:1 contact on a referral: when, how, how long, notes and the next step."""
    now = now or timezone.now()
    errors: Errors = {}
    out = Judged()
    if referral is not None and referral.status == Referral.Status.CLOSED:
        _add(errors, NON_FIELD_ERRORS, "A closed referral takes no more contacts.")
    _moments(
        values,
        errors,
        {"occurred_at": ("A contact", CONTACT_REQUIRED["occurred_at"])},
        out,
        skip,
        now,
    )
    at = out.get("occurred_at")
    if at and "occurred_at" not in errors and referral is not None:
        if at < referral.event_at:
            _add(errors, "occurred_at", "A contact cannot be before the event.")
        else:
            _after_last_change(referral, at, "occurred_at", "A contact", errors)
    methods = {"method": (CONTACT_METHODS, CONTACT_REQUIRED["method"], "contact method", None)}
    _choices(values, errors, methods, out, skip)
    minutes = values.get("duration_minutes")
    if "duration_minutes" not in skip:
        minutes = 0 if minutes is None or minutes == "" else minutes
        if not isinstance(minutes, int) or isinstance(minutes, bool):
            _add(errors, "duration_minutes", "Enter the duration in whole minutes.")
        elif minutes < 0:
            _add(errors, "duration_minutes", "A contact cannot last less than 0 minutes.")
        elif minutes > MAX_CONTACT_MINUTES:
            _add(
                errors,
                "duration_minutes",
                f"A contact cannot last more than {MAX_CONTACT_MINUTES} minutes (24 hours).",
            )
        else:
            out["duration_minutes"] = minutes
    texts = {
        "notes": ("the notes", None, None),
        "next_step": ("the next step", _max(Contact, "next_step"), None),
    }
    _texts(values, errors, texts, out, skip)
    return (dict(out) if errors else out), errors


OUTCOME_KINDS = frozenset(Outcome.Kind.values)
OUTCOME_FIELDS = ("kind", "achieved_on", "notes")
OUTCOME_REQUIRED = {"kind": "Select outcome", "achieved_on": "Enter date achieved"}
OUTCOME_UNKNOWN = {"kind": unknown_choice("outcome")}
OUTCOME_ALREADY = "This outcome is already recorded for the referral."


def check_outcome(
    values: dict, *, referral: Referral, now=None, skip=(), instead_of: Outcome | None = None
) -> tuple[dict, Errors]:
    """An outcome of a referral: which, when (one of each kind a referral). `instead_of`:
    the outcome being corrected (its own kind is not "already recorded")."""
    now = now or timezone.now()
    errors: Errors = {}
    out = Judged()
    kinds = {"kind": (OUTCOME_KINDS, OUTCOME_REQUIRED["kind"], "outcome", None)}
    _choices(values, errors, kinds, out, skip)
    _moments(
        values,
        errors,
        {"achieved_on": ("An outcome", OUTCOME_REQUIRED["achieved_on"])},
        out,
        skip,
        now,
    )
    _texts(values, errors, {"notes": ("the notes", None, None)}, out, skip)
    if (
        referral is not None
        and out.get("kind")
        and Outcome.objects.filter(referral=referral, kind=out["kind"])
        .exclude(pk=instead_of.pk if instead_of is not None else None)
        .exists()
    ):
        _add(errors, "kind", OUTCOME_ALREADY)
    return (dict(out) if errors else out), errors


SESSION_FIELDS = ("programme", "kind", "held_on", "place", "lsoa", "counts", "issues_raised")
SESSION_REQUIRED = {
    "programme": "Select programme",
    "kind": "Select kind",
    "held_on": "Enter date of the session",
    "place": "Enter place",
}


def programme_closed(programme: Programme) -> str:
    ended = programme.ends_on
    return f"{programme.name} closed on {ended.day} {ended:%B %Y}: it takes no sessions after that."


SESSION_UNKNOWN = {"kind": unknown_choice("kind of session"), "programme": NOT_YOUR_PROGRAMME}


def check_session(
    values: dict, *, programmes=None, programme: Programme | None = None, now=None, skip=()
) -> tuple[dict, Errors]:
    """A group or detached session: programme, kind, date, place, neighbourhood, counts of
    young people by age band and gender. `programmes`: those the door offers; or
    `programme`: the one a direct call is for."""
    now = now or timezone.now()
    errors: Errors = {}
    out = Judged()
    if programme is None and "programme" not in skip:
        given = values.get("programme")
        if not _given(given):
            _add(errors, "programme", SESSION_REQUIRED["programme"])
        else:
            pk = given.pk if isinstance(given, Programme) else given
            programme = programmes.filter(pk=pk).first() if programmes is not None else None
            if programme is None:
                _add(errors, "programme", NOT_YOUR_PROGRAMME)
    out["programme"] = programme
    kinds = {
        "kind": (
            frozenset(Session.Kind.values),
            SESSION_REQUIRED["kind"],
            "kind of session",
            None,
        )
    }
    _choices(values, errors, kinds, out, skip)
    _moments(
        values, errors, {"held_on": ("A session", SESSION_REQUIRED["held_on"])}, out, skip, now
    )
    held_on = out.get("held_on")
    if programme is not None and programme.ends_on and held_on and held_on > programme.ends_on:
        # a closed programme takes no more sessions (one sent late from a phone, made
        # while it ran, is still taken: it keeps the day it was made)
        _add(errors, "held_on", programme_closed(programme))
    texts = {
        "place": ("the place", _max(Session, "place"), SESSION_REQUIRED["place"]),
        "issues_raised": ("the issues raised", None, None),
    }
    _texts(values, errors, texts, out, skip)
    out["lsoa"] = None
    lsoa = values.get("lsoa")
    if _given(lsoa) and programme is not None and "lsoa" not in skip:
        if isinstance(lsoa, LSOA):
            found = lsoa if lsoa.partnership_id == programme.partnership_id else None
        else:
            code = str(lsoa).strip().upper()
            found = LSOA.objects.filter(partnership_id=programme.partnership_id, code=code).first()
        if found is None:
            _add(errors, "lsoa", NOT_YOUR_AREA)
        out["lsoa"] = found
    counts = {}
    for (band, gender), count in (values.get("counts") or {}).items():
        if band not in AgeBand.values or gender not in Gender.values:
            _add(errors, "counts", f"Unknown age band or gender: {band}, {gender}.")
        elif count is not None and count < 0:
            if "Counts cannot be negative." not in errors.get("counts", []):
                _add(errors, "counts", "Counts cannot be negative.")
        elif count:
            counts[band, gender] = count
    out["counts"] = counts
    return (dict(out) if errors else out), errors
