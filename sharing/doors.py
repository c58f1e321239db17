"""What every export door of personal data asks before the data leaves: who is it for?

- Our own partnership's work (the default): no agreement, audited as every export is.
- A partner organisation: the door names the ``recipient`` and the ``disclosure_agreement``
  (query parameters, the same on the pages and the API), checked by the one rule
  (sharing.rules) and written to the disclosure log with the ids of the records and the
  names of the fields that left (sharing.services.record_disclosure).

``requested`` reads and checks the choice (ValidationError naming the parameter);
``guarded_download`` is vru.exports.audited_download with the choice checked and recorded;
``page_choice`` is the link a page shows beside its downloads, to the page where the
organisation and the agreement are chosen (``partner_download``).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import QueryDict
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from sharing import rules, selectors, services
from sharing.models import Agreement, Organisation
from vru import accounts, exports
from vru.data_kinds import DataKind
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


FORMATS = {"csv": "CSV", "xlsx": "XLSX"}


def page_choice(request, *, kind: str, formats=(("csv", "CSV"),)) -> dict:
    """The link beside a page's downloads to "Download for a partner organisation"
    (templates/sharing/_who_for.html): the choice of organisation and agreement is a page of
    its own (partner_download), so a list does not read the agreements on every view. The
    link names the kind of data, the formats and the page (with its query, less the page's
    position and any earlier choice). Nothing for a user who may not disclose."""

    from sharing import permissions

    if not permissions.can_disclose(request.user):
        return {"sharing": None}
    params = request.GET.copy()
    for name in ("format", "page", "cursor", *PARAMETERS):
        params.pop(name, None)
    page = f"{request.path}?{params.urlencode()}" if params else request.path
    query = {"kind": kind, "formats": ",".join(value for value, _ in formats), "from": page}
    return {"sharing": f"{reverse('sharing:partner_download')}?{urlencode(query)}"}


@dataclass(frozen=True)
class PartnerDownload:
    """What the "Download for a partner organisation" page offers: the kind of data, the
    page whose download it is (its path and query), the formats, and the choices."""

    kind: str
    path: str
    params: object  # the page's query (a QueryDict), sent back as hidden fields
    formats: list[tuple[str, str]]
    sharing: dict


def partner_download(viewer: User, params) -> PartnerDownload | None:
    """The page behind page_choice's link, read from its query; None when the query does
    not name a kind of data and a page of this site (the door answers 404). The page's own
    export door checks the choice again when the form asks it for the download."""

    kind, page = params.get("kind", ""), params.get("from", "")
    if kind not in DataKind.values or not page.startswith("/"):
        return None
    if not url_has_allowed_host_and_scheme(page, allowed_hosts=None):
        return None
    path, _, query = page.partition("?")
    try:
        resolve(path)
    except Resolver404:
        return None
    formats = [
        (value, FORMATS[value])
        for value in dict.fromkeys(params.get("formats", "csv").split(","))
        if value in FORMATS
    ]
    return PartnerDownload(
        kind=kind,
        path=path,
        params=QueryDict(query),
        formats=formats or [("csv", "CSV")],
        sharing=choices(viewer, kind=kind),
    )


def choices(viewer: User, *, kind: str) -> dict:
    """What the "Who is this for?" choice offers: the partner organisations, and the
    agreements in force covering ``kind`` (each with its parties)."""
    agreements = rules.agreements_for_disclosure(viewer=viewer, recipient=None, kind=kind)
    return {
        "kind": kind,
        "agreements": agreements,
        "organisations": selectors.organisation_list(viewer=viewer),  # read only if offered
    }
