"""The caseload: the referrals a viewer may see, awaiting first contact first, soonest due at
the top. Built for big lists (an administrator sees every referral of the partnership):

- seek pagination with next/previous links and a count capped at 1,000 (programmes.paging),
  never a COUNT(*) over the whole set, its query compiled once per shape
  (selectors.referral_page);
- plain rows of only the listed columns (selectors.referral_rows), pseudonymous, nothing
  decrypted;
- the table body is built here in one pass (every record value escaped), not by the
  template engine cell by cell: at 50 rows that was most of the page's cost;
- the viewer's programmes are fetched once (selectors.caseload_programmes).
"""

from html import escape

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.timesince import timeuntil
from django.views.decorators.http import require_GET

from programmes import permissions, selectors, services
from programmes.filters import ReferralFilter
from programmes.models import Referral, consent_tag
from programmes.resources import ReferralResource
from programmes.search import parse_search
from sharing import doors as sharing_doors
from sharing.rules import Record
from vru import doors
from vru.data_kinds import DataKind

# the labels as they appear in a cell, escaped once rather than once a row
REASONS = {value: escape(str(label)) for value, label in Referral.Reason.choices}
STATUSES = {value: escape(str(label)) for value, label in Referral.Status.choices}
MISSED = mark_safe(' <strong class="govuk-tag govuk-tag--red">Missed</strong>')
HARMFUL = (
    ' <strong class="govuk-tag govuk-tag--red">Harmful approach</strong>'  # as _harmful_tag.html
)
_PK = 987654321  # stands for the row's id in URLs reversed once per page

PAGE_SIZE = doors.PAGE_SIZE


def _when(value, fmt: str, zone) -> str:
    """A time as the cell shows it: digits, month names and colons only (nothing to escape)."""
    local = value.astimezone(zone)
    return f"{local.day} {local:{fmt}}"


def _person(row: dict) -> str:
    full = f"{row['assigned_to__first_name']} {row['assigned_to__last_name']}".strip()
    return full or row["assigned_to__username"] or "Unassigned"


def table_rows(
    rows: list[dict], *, can_assign: bool, programmes: list[selectors.MyProgramme], now=None
) -> str:
    """The <tr> of each referral row. Every value that comes from a record is escaped
    (html.escape; the rest is fixed markup): one f-string a row, since format_html's
    per-argument escaping was a sixth of the page's time at 50 rows."""
    now = now or timezone.now()
    zone = timezone.get_current_timezone()  # once a page, not twice a row
    today = timezone.localdate(now, zone)
    detail = reverse("programmes:referral_detail", kwargs={"pk": _PK})
    assign = reverse("programmes:referral_assign", kwargs={"pk": _PK})
    # each cell names its column: on a narrow screen the rows show as cards (casework.css)
    cell = '<td class="govuk-table__cell" data-label="{}">'.format
    # each programme's cell once a page: its name, and a warning if its approach is harmful
    programme_cells = {p.id: escape(p.name) + (HARMFUL if p.harmful else "") for p in programmes}

    cells = [
        cell(label)
        for label in (
            "Reference",
            "Programme",
            "Reason",
            "Event",
            "Contact due",
            "Status",
            "Practitioner",
        )
    ]

    def row_html(row) -> str:
        pk = str(row["id"])
        reference = escape(row["young_person__reference"])
        if row["breached"]:
            tag = MISSED
        elif row["awaiting_contact"]:
            tag = (
                ' <strong class="govuk-tag govuk-tag--yellow">'
                f"{escape(timeuntil(row['due_at'], now))} left</strong>"
            )
        else:
            tag = ""
        assign_link = (
            f' <a class="govuk-link" href="{assign.replace(str(_PK), pk)}">Assign'
            f'<span class="govuk-visually-hidden"> {reference}</span></a>'
            if can_assign
            else ""
        )
        person = _person(row) if row["assigned_to_id"] else "Unassigned"
        consent = consent_tag(
            given_by=row["consent_given_by"],
            withdrawn_at=row["consent_withdrawn_at"],
            reconfirm_by=row["consent_reconfirm_by"],
            today=today,
        )
        consent_html = (
            f' <strong class="govuk-tag govuk-tag--{consent[1]}">{escape(consent[0])}</strong>'
            if consent
            else ""
        )
        return (
            f'<tr class="govuk-table__row">{cells[0]}<a class="govuk-link"'
            f' href="{detail.replace(str(_PK), pk)}">{reference}</a></td>'
            f"{cells[1]}{programme_cells.get(row['programme_id'], '')}</td>"
            f"{cells[2]}{REASONS.get(row['reason']) or escape(row['reason'])}</td>"
            f"{cells[3]}{_when(row['event_at'], '%b %Y %H:%M', zone)}</td>"
            f"{cells[4]}{_when(row['due_at'], '%b %H:%M', zone)}{tag}</td>"
            f"{cells[5]}{STATUSES.get(row['status']) or escape(row['status'])}{consent_html}</td>"
            f"{cells[6]}{escape(person)}{assign_link}</td></tr>"
        )

    return mark_safe("\n".join(row_html(row) for row in rows))


def _options(choices, chosen) -> str:
    """<option>s of a filter's <select>, the chosen one selected (values escaped)."""
    return "".join(
        f'<option value="{escape(str(value))}"{" selected" if str(value) == chosen else ""}>'
        f"{escape(str(label))}</option>"
        for value, label in choices
    )


def filter_options(params, programmes: list[selectors.MyProgramme]) -> dict[str, str]:
    """The filter panel's choices, each as it was asked for in the query string: built here
    in one pass, like the rows (the template engine's loops and comparisons were a seventh
    of the page)."""
    chosen = set(params.getlist("status"))
    statuses = "".join(
        f'<div class="govuk-checkboxes__item"><input class="govuk-checkboxes__input"'
        f' id="status_{value}" name="status" type="checkbox" value="{value}"'
        f'{" checked" if value in chosen else ""}><label class="govuk-label'
        f' govuk-checkboxes__label" for="status_{value}">{escape(str(label))}</label></div>'
        for value, label in Referral.Status.choices
    )
    return {
        "programme": mark_safe(
            _options([(p.id, p.name) for p in programmes], params.get("programme"))
        ),
        "status": mark_safe(statuses),
        "source": mark_safe(_options(Referral.Source.choices, params.get("source"))),
        "reason": mark_safe(_options(Referral.Reason.choices, params.get("reason"))),
        "breached": mark_safe(
            _options([("true", "Missed"), ("false", "Met or still open")], params.get("breached"))
        ),
    }


def _recent(rows: list[dict]) -> list[dict]:
    """The recently viewed cases with their addresses (reversed once, not once a case)."""
    detail = reverse("programmes:referral_detail", kwargs={"pk": _PK})
    return [{**row, "href": detail.replace(str(_PK), str(row["referral_id"]))} for row in rows]


def _searched(request, referral_ids) -> None:
    """A search by name or date of birth is an identity read: audited, with what it showed."""
    search = parse_search(request.GET.get("q"))
    if search.reads_identity:
        services.identity_search_record(
            actor=request.user,
            by=search.identity_read_by,
            referral_ids=list(referral_ids),
        )


def _referral_records(referrals) -> list[Record]:
    return [
        Record("programmes.referral", pk, young_person_id)
        for pk, young_person_id in referrals.order_by().values_list("pk", "young_person_id")
    ]


def _sharing_choice(request) -> dict:
    """The "Who is this for?" choice beside the downloads (sharing.doors)."""
    return sharing_doors.page_choice(
        request, kind=DataKind.REFERRAL, formats=[("csv", "CSV"), ("xlsx", "XLSX")]
    )


@require_GET
def caseload(request):
    """My open cases: referrals awaiting first contact first, by due time; then the rest.
    Closed ones only when a status is chosen."""
    doors.require(permissions.can_use_caseload(request.user))
    filters = doors.checked_filters(request, ReferralFilter)
    open_only = selectors.open_only(request.GET)
    if request.GET.get("format") in {"csv", "xlsx"} and filters.is_valid():
        referrals = selectors.referral_list(
            viewer=request.user, filters=request.GET, open_only=open_only
        )

        def build():
            _searched(request, referrals.values_list("pk", flat=True))  # read only if searched
            return ReferralResource().export(queryset=referrals)

        # to a partner organisation: only under an agreement the rule offers (sharing.doors)
        return sharing_doors.guarded_download(
            request,
            kind=DataKind.REFERRAL,
            build=build,
            records=lambda: _referral_records(referrals),
            door="Referral export",
            file_stem="referrals",
            file_format=request.GET["format"],
            verb="referral.exported",
        )
    page = selectors.referral_page(
        viewer=request.user,
        filters=request.GET,
        sort=request.GET.get("sort"),
        cursor=request.GET.get("cursor"),
        size=PAGE_SIZE,
        fields=selectors.CASELOAD_ROW_FIELDS,
        open_only=open_only,
    )
    _searched(request, [row["id"] for row in page.object_list])
    mine = selectors.caseload_programmes(viewer=request.user)
    # managers assign caseloads from this list (each link re-checks the referral)
    can_assign = any(p.manages for p in mine)
    return render(
        request,
        "programmes/caseload.html",
        {
            "filter_form": filters,
            "page_obj": page,
            "rows_html": table_rows(
                page.object_list,
                can_assign=can_assign,
                programmes=mine,
            ),
            "filter_options": filter_options(request.GET, mine),
            "can_assign": can_assign,
            "can_break_glass": permissions.can_use_break_glass(request.user),
            "current_sort": request.GET.get("sort", ""),
            "open_only": open_only,
            "recently_viewed": _recent(selectors.recently_viewed(viewer=request.user)),
            "filtered": any(
                request.GET.get(name) for name in ("programme", "source", "reason", "breached")
            )
            or not open_only
            or request.GET.get("unassigned"),
            **_sharing_choice(request),
        },
    )
