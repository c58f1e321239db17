"""Fair reach: the page (period and programme filters, tables and a chart with its data
table) and its CSV. Thin: parse, call the selector, render."""

import tablib
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from finance import permissions, selectors
from finance.forms import FairReachForm
from finance.models import financial_year_of
from programmes.models import Programme
from vru.charts import bar_chart
from vru.exports import audited_download

CSV_COLUMNS = [
    "period",
    "programme",
    "breakdown",
    "group",
    "young_people_referred",
    "share_of_referrals_percent",
    "share_of_population_percent",
    "ratio",
    "ratio_95_low",
    "ratio_95_high",
    "note",
    "population_used",
]


def _number(value, places: int) -> str:
    return "" if value is None else f"{value:.{places}f}"


def csv_rows(result) -> list[list]:
    rows = []
    programme = result.programme.name if result.programme else "All programmes"
    population = result.population.description if result.population else "none"
    for breakdown, lines in (("ethnic group", result.ethnicity), ("sex", result.sex)):
        for line in lines:
            rows.append(
                [
                    result.period,
                    programme,
                    breakdown,
                    line.label,
                    line.shown,
                    _number(line.share_of_referrals, 1),
                    _number(line.share_of_population, 1),
                    _number(line.ratio, 2),
                    _number(line.low, 2),
                    _number(line.high, 2),
                    line.verdict,
                    population,
                ]
            )
    return rows


def _chart(result):
    rows = [
        (line.label, "–" if line.ratio is None else f"{line.ratio:.2f}", line.ratio)
        for line in result.ethnicity
        if line.compared
    ]
    return bar_chart(
        id="fair-reach-ratio",
        caption="Ratio of each ethnic group's share of referrals to its share of the population "
        "(1 is in proportion; no bar: too few to say or no population)",
        key="Ethnic group",
        unit="Ratio",
        rows=rows,
    )


@require_GET
def fair_reach(request):
    user = request.user
    if not permissions.can_view_fair_reach(user):
        raise Http404
    programmes = list(Programme.objects.filter(partnership_id=user.partnership_id).order_by("name"))
    default_year = financial_year_of(timezone.localdate())
    form = FairReachForm(
        request.GET if "year" in request.GET else None,
        programmes=programmes,
        initial={"year": default_year},
    )
    year, quarter, programme = default_year, None, None
    if form.is_bound:
        if not form.is_valid():
            return render(
                request, "finance/fair_reach.html", {"form": form, "result": None}, status=400
            )
        year, quarter = form.cleaned_data["year"], form.cleaned_data["quarter"]
        chosen = form.cleaned_data["programme"]
        programme = next((p for p in programmes if str(p.pk) == chosen), None)
    result = selectors.fair_reach(viewer=user, year=year, quarter=quarter, programme=programme)
    if request.GET.get("format") == "csv":
        dataset = tablib.Dataset(*csv_rows(result), headers=CSV_COLUMNS)
        return audited_download(
            request,
            dataset,
            file_stem=f"fair-reach-{year}{f'-q{quarter}' if quarter else ''}",
            file_format="csv",
            verb="fair_reach.exported",
            partnership=user.partnership,
        )
    if request.GET.get("format"):
        raise Http404
    return render(
        request,
        "finance/fair_reach.html",
        {
            "form": form,
            "result": result,
            "chart": _chart(result),
            "can_import": permissions.can_import_population(user),
            "query": request.GET.urlencode(),
        },
    )
