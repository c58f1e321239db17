"""The records behind one figure of a programme's row of a quarterly return: pseudonymous
references with a link to each referral (never a name), paginated. Listed by the same code
that counts the cell (finance.selectors.return_records), so the list has as many records as
the figure it opens; for a locked return it is the records as they are now, with whether
they still give the locked figure. Only for those who see the true counts and may read every
case of the programme (finance.permissions.can_drill_into_return); anyone else gets 404."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from finance import permissions, selectors, services
from finance.models import COUNT_COLUMNS
from finance.templatetags.finance_returns import column_label
from programmes import selectors as programme_selectors
from programmes.models import Referral
from vru import doors


@require_GET
def return_records(request, pk: int, programme_pk: int, column: str):
    user = request.user
    quarterly_return = get_object_or_404(selectors.returns_for(viewer=user), pk=pk)
    doors.require(column in COUNT_COLUMNS)
    programme = doors.found(
        selectors.return_programme(quarterly_return=quarterly_return, pk=programme_pk)
    )
    doors.require(permissions.can_drill_into_return(user, programme))
    records = selectors.return_cell_records(
        quarterly_return=quarterly_return, programme=programme, column=column
    )
    cases = doors.found(
        programme_selectors.programme_case_rows(
            viewer=user, programme=programme, pks={referral for _, referral in records}
        )
    )
    by_pk = {case["pk"]: case for case in cases}
    items = [
        {
            "key": key,
            **by_pk[referral],
            "status_label": Referral.Status(by_pk[referral]["status"]).label,
        }
        for key, referral in records
        if referral in by_pk
    ]
    figure = selectors.stored_figure(
        quarterly_return=quarterly_return, programme=programme, column=column
    )
    services.return_records_viewed(
        actor=user,
        quarterly_return=quarterly_return,
        programme=programme,
        column=column,
        count=len(items),
    )
    return render(
        request,
        "finance/return_records.html",
        {
            "return": quarterly_return,
            "programme": programme,
            "column": column,
            "label": column_label(column),
            "outcomes": column == "outcomes_recorded",
            "count": len(items),
            "figure": figure,
            "matches": figure == len(items),
            "page_obj": Paginator(items, doors.PAGE_SIZE).get_page(request.GET.get("page")),
        },
    )
