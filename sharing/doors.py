"""What every export door of personal data asks before the data leaves: who is it for?

- Our own partnership's work (the default): no agreement, audited as every export is.
- A partner organisation: the door names the ``recipient`` and the ``disclosure_agreement``
  (query parameters, the same on the pages and the API), checked by the one rule
  (sharing.rules) and written to the disclosure log with the ids of the records and the
  names of the fields that left (sharing.services.record_disclosure).

``requested`` reads and checks the choice (ValidationError naming the parameter);
``guarded_download`` is vru.exports.audited_download with the choice checked and recorded;
``page_choice`` is what a page shows beside its downloads.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from sharing import rules, selectors, services
from sharing.models import Agreement, Organisation
from vru import accounts, exports
from vru.models import User

PARAMETERS = ("shared_with", "recipient", "disclosure_agreement", "disclosure_purpose")
PARTNER = "partner"


@dataclass(frozen=True)
class Disclosure:
    agreement: Agreement
    recipient: Organisation
    kind: str
    purpose: str


def _pick(model, viewer: User, value):
    if value in (None, "") or not str(value).isdigit():
        return None
    return model.objects.for_viewer(viewer).filter(pk=int(value)).first()


def requested(viewer: User, params, *, kind: str) -> Disclosure | None:
    """None for our own work; the checked choice when the data goes to a partner."""
    to_partner = params.get("shared_with") == PARTNER or any(
        params.get(name) for name in ("recipient", "disclosure_agreement")
    )
    if not to_partner:
        return None
    recipient = _pick(Organisation, viewer, params.get("recipient"))
    agreement = _pick(Agreement, viewer, params.get("disclosure_agreement"))
    rules.check_disclosure(viewer=viewer, agreement=agreement, recipient=recipient, kind=kind)
    return Disclosure(agreement, recipient, kind, (params.get("disclosure_purpose") or "").strip())


def record(viewer: User, disclosure: Disclosure | None, *, records, fields, door: str) -> None:
    if disclosure is not None:
        services.record_disclosure(
            viewer=viewer,
            agreement=disclosure.agreement,
            recipient=disclosure.recipient,
            kind=disclosure.kind,
            records=list(records),
            fields=list(fields),
            purpose=disclosure.purpose,
            door=door,
        )


def refused(request, error: ValidationError):
    """A refused choice at a page's export door: nothing leaves; the page says why."""
    from django.contrib import messages
    from django.shortcuts import redirect

    messages.error(request, " ".join(error.messages))
    params = request.GET.copy()
    for name in ("format", *PARAMETERS):
        params.pop(name, None)
    return redirect(f"{request.path}?{params.urlencode()}" if params else request.path)


def guarded_download(
    request,
    *,
    kind: str,
    build,
    records,
    door: str,
    file_stem: str,
    file_format: str,
    verb: str,
    **audit,
):
    """vru.exports.audited_download behind "who is this for?". ``build()`` makes the
    tablib dataset and ``records()`` the sharing.rules.Record of each row; neither is called
    when the choice is refused (nothing exported, nothing logged: the page says why)."""
    try:
        disclosure = requested(request.user, request.GET, kind=kind)
    except ValidationError as error:
        return refused(request, error)
    if not accounts.recently_authenticated(request):
        return accounts.reauthenticate(request)
    dataset = build()
    with transaction.atomic():
        record(
            request.user,
            disclosure,
            records=records() if disclosure is not None else [],
            fields=dataset.headers or [],
            door=door,
        )
        return exports.audited_download(
            request, dataset, file_stem=file_stem, file_format=file_format, verb=verb, **audit
        )


def page_choice(request, *, kind: str, formats=(("csv", "CSV"),)) -> dict:
    """The context of the "Who is this for?" choice (templates/sharing/_who_for.html)
    beside a page's downloads; nothing for a user who may not disclose."""
    from sharing import permissions

    if not permissions.can_disclose(request.user):
        return {"sharing": None}
    params = request.GET.copy()
    for name in ("format", "page", "cursor", *PARAMETERS):
        params.pop(name, None)
    return {
        "sharing": choices(request.user, kind=kind),
        "hidden_params": params,
        "export_formats": list(formats),
    }


def choices(viewer: User, *, kind: str) -> dict:
    """What the "Who is this for?" choice offers: the partner organisations, and the
    agreements in force covering ``kind`` (each with its parties)."""
    agreements = rules.agreements_for_disclosure(viewer=viewer, recipient=None, kind=kind)
    return {
        "kind": kind,
        "agreements": agreements,
        "organisations": selectors.organisation_list(viewer=viewer),  # read only if offered
    }
