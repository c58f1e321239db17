"""What a referral, a contact, an outcome and a session are when they come in: their fields and
their rules, written once for every door.

A door parses what it is given into values (a page's GOV.UK date boxes, the API's JSON, a
spreadsheet's cells) and hands them to the record's input, which judges them and answers every
problem at once, keyed by field, in the same words whatever the door. The page forms and the
API serializers run it to show their errors; the referral import runs it on every row (all it
looks up is looked up once a file: never a query a row); the services run it again before
saving, so a direct call (the demo, a command) is held to the same rules. The admin has no
door to these records (programmes/admin.py says why).

This module holds the rules of taking input: what must be given, how long it may be, what may
be chosen, what may not lie in the future, and what must belong to the partnership. Rules
that hold even for a row written without any input are the models' `clean` and database
constraints. Defaults a door offers (the API's referral time "now", the custody import's
source "custody") are the door's, applied before the input judges.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from programmes.models import Contact

Errors = dict[str, list[str]]


class Judged(dict):
    """Values an input has judged and found without a problem: what the services save and
    the only rows the bulk loader takes. (Values with a problem come back a plain dict.)"""


NOT_STAFF = "Assign the referral to a member of the programme's staff."
MAX_CONTACT_MINUTES = Contact.MAX_MINUTES


def _max(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _given(value) -> bool:
    return value is not None and value != "" and value != []


def _texts(values: dict, errors: Errors, spec: dict, out: dict, skip) -> None:
    """Text fields: stripped; required ones given; none longer than its column. (Written for
    speed: the import runs it on every row.)"""
    get = values.get
    for name, (what, longest, required) in spec.items():
        if skip and name in skip:
            continue
        text = get(name)
        if text.__class__ is not str:
            text = "" if text is None else str(text)
        text = text.strip()
        if not text:
            if required:
                _add(errors, name, required)
            out[name] = ""
        elif longest is not None and len(text) > longest:
            _add(
                errors, name, f"{what[0].upper()}{what[1:]} must be {longest} characters or fewer."
            )
        else:
            out[name] = text


def unknown_choice(what: str) -> str:
    """The refusal of a value that is not one of the choices (a %(value)s template, as a
    Django choice field's own message is)."""
    return f"Unknown {what} “%(value)s”."


def _choices(values: dict, errors: Errors, spec: dict, out: dict, skip) -> None:
    """Choice fields: a known key (None or "": the default, or refused when required)."""
    get = values.get
    for name, (keys, message, what, default) in spec.items():
        if skip and name in skip:
            continue
        value = get(name)
        if value in keys:
            out[name] = value
        elif value is None or value == "":
            if default is None:
                _add(errors, name, message)
            else:
                out[name] = default
        else:
            _add(errors, name, unknown_choice(what) % {"value": value})


def _moments(values: dict, errors: Errors, spec: dict, out: dict, skip, now, today=None) -> None:
    """Dates and times: given when required, never in the future (`today`: the local date
    of `now`, when the caller knows it)."""
    get = values.get
    for name, (what, required) in spec.items():
        if skip and name in skip:
            continue
        value = get(name)
        if value is None or value.__class__ is str:  # not given (a door passes "" or None)
            if required:
                _add(errors, name, required)
            out[name] = None
            continue
        if value.__class__ is datetime or isinstance(value, datetime):
            latest = now
        else:
            latest = today or timezone.localdate(now)
        if value > latest:
            _add(errors, name, f"{what} cannot be in the future.")
        else:
            out[name] = value


def raise_if(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def age_on(date_of_birth: date, day: date) -> int:
    """Age in whole years on `day`."""
    return (
        day.year
        - date_of_birth.year
        - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))
    )
