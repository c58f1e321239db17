"""The SNA coverage matrix and the success measures."""

from collections import defaultdict
from decimal import Decimal

from evaluation.selectors.report_content.outputs import grant_reach_by_organisation
from evaluation.selectors.report_content.scope import (
    ReportScope,
    money,
    programme_names,
)
from programmes.models import Programme
from vru import selectors
from vru.models import Recommendation, StrategicNeedsAssessment
from vru.selectors import disclosure


def _current_needs_assessment(scope: ReportScope) -> StrategicNeedsAssessment | None:
    return (
        StrategicNeedsAssessment.objects.filter(
            partnership_id=scope.partnership_id,
            status=StrategicNeedsAssessment.Status.PUBLISHED,
            period_start__lte=scope.end,
        )
        .order_by("-period_start")
        .first()
    )


def _hidden_in_headline_tables(scope: ReportScope, referral_counts: dict[int, int]) -> set:
    """The programmes and community groups whose counts the headline tables hide (the same
    suppression of the same lists, so the coverage matrix cannot undo it)."""
    names = programme_names(scope)
    ids = sorted(referral_counts, key=lambda pk: names.get(pk, ""))
    table = disclosure.protect_list([referral_counts[pk] for pk in ids])
    hidden = {("programme", pk) for pk, row in zip(ids, table.hidden, strict=True) if row[0]}
    groups = grant_reach_by_organisation(scope)
    table = disclosure.protect_list([g["reached"] for g in groups])
    hidden |= {
        ("group", g["organisation"]) for g, row in zip(groups, table.hidden, strict=True) if row[0]
    }
    return hidden


def build_coverage(scope: ReportScope) -> dict:
    """Each SNA recommendation with the programmes and grants delivering it, their spend
    and reach; recommendations nothing delivers are highlighted."""
    sna = _current_needs_assessment(scope)
    if sna is None:
        return {
            "key": "coverage",
            "title": "Coverage of the needs assessment's recommendations",
            "blocks": [{"type": "paragraph", "text": "No needs assessment has been published."}],
        }
    recommendations = list(Recommendation.objects.filter(needs_assessment=sna).order_by("number"))
    rec_ids = [r.pk for r in recommendations]
    programme_links = defaultdict(list)
    for rec_id, pk, name, budget in (
        Programme.recommendations.through.objects.filter(
            recommendation_id__in=rec_ids,
            programme__in=scope.programmes(),
        )
        .order_by("programme__name")
        .values_list("recommendation_id", "programme_id", "programme__name", "programme__budget")
    ):
        programme_links[rec_id].append((pk, name, budget or Decimal(0)))
    referral_counts: dict[int, int] = defaultdict(int)
    for row in scope.referral_groups():
        referral_counts[row["programme_id"]] += row["n"]

    from grants.models import Application

    award_links = defaultdict(list)
    awards = scope.awards()
    for rec_id, award_id, org, amount in (
        Application.recommendations.through.objects.filter(
            recommendation_id__in=rec_ids,
            application__decision__award__in=awards,
        )
        .order_by("application__organisation__name")
        .values_list(
            "recommendation_id",
            "application__decision__award",
            "application__organisation__name",
            "application__decision__award__amount",
        )
    ):
        award_links[rec_id].append((award_id, org, amount))
    reach_by_org = {
        row["organisation"]: row["reached"] for row in grant_reach_by_organisation(scope)
    }

    hidden = _hidden_in_headline_tables(scope, referral_counts)
    rows, highlight, reach_counts = [], [], []
    for rec in recommendations:
        programmes = programme_links.get(rec.pk, [])
        grants = award_links.get(rec.pk, [])
        spend = sum((b for _, _, b in programmes), Decimal(0)) + sum(
            (a for _, _, a in grants), Decimal(0)
        )
        reach = sum(referral_counts.get(pk, 0) for pk, _, _ in programmes) + sum(
            reach_by_org.get(org, 0) for org in {o for _, o, _ in grants}
        )
        rows.append(
            [
                f"{rec.number}. {rec.text}",
                rec.get_prevention_stage_display() or "No stage given",
                ", ".join(name for _, name, _ in programmes) or "None",
                ", ".join(sorted({org for _, org, _ in grants})) or "None",
                money(spend),
            ]
        )
        # A reach made only of figures published elsewhere adds nothing; one that includes a
        # figure hidden in the headline tables would let it be worked out, so it is hidden.
        contributors = {("programme", pk) for pk, _, _ in programmes} | {
            ("group", org) for _, org, _ in grants
        }
        reach_counts.append(None if contributors & hidden else reach)
        highlight.append(not programmes and not grants)
    # Reach across recommendations is not additive (a programme may deliver several), so
    # there is no total: each reach figure stands alone and is suppressed on its own.
    for row, reach in zip(rows, reach_counts, strict=True):
        row.append(disclosure.SECONDARY_MARK if reach is None else disclosure.shown_count(reach))
    gaps = sum(highlight)
    return {
        "key": "coverage",
        "title": "Coverage of the needs assessment's recommendations",
        "blocks": [
            {
                "type": "paragraph",
                "text": f"Recommendations of “{sna.title}”. Spend is the budget of each "
                "programme and the amount of each grant award running in the period; reach "
                "is referrals received by the programmes plus young people reached by the "
                f"grants. {gaps} of {len(recommendations)} recommendations have nothing "
                "delivering them (marked “Gap”).",
            },
            {
                "type": "table",
                "id": "table-coverage",
                "caption": "SNA recommendations and what delivers them",
                "headers": [
                    "Recommendation",
                    "Stage",
                    "Programmes",
                    "Grants (community groups)",
                    "Spend",
                    "Reach",
                ],
                "rows": rows,
                "foot": None,
                "numeric": [False, False, False, False, True, True],
                "highlight": highlight,
            },
        ],
    }


def build_success_measures(scope: ReportScope) -> dict:
    """Each comparison the needs assessment makes between two values of a measure (both
    ending by the end of the report period), with its % change and note, and a chart of
    every period with its table. No change is worked out between other values: they may
    be periods of different kinds. Small counts of people are hidden by the core's rule
    (vru.selectors.measure_figures), as on the success measures page."""
    blocks: list[dict] = [
        {
            "type": "paragraph",
            "text": "Success measures are partnership-wide figures; the report's scope does not "
            "narrow them. A change is shown only where the needs assessment compares two "
            "periods (against the previous period or against the baseline), each naming both "
            "periods; a note says where the periods differ in kind.",
        }
    ]
    headline_rows, rows = [], []
    for measure in selectors.partnership_success_measures(partnership_id=scope.partnership_id):
        figures = selectors.measure_figures(measure=measure, suppress=True, until=scope.end)
        if not figures.rows:
            continue
        name = f"{measure.name} ({measure.unit})"
        headline = figures.headline
        headline_rows.append([name, headline.headline if headline else "No comparison recorded"])
        for c in figures.comparisons:
            rows.append(
                [
                    name,
                    c.periods,
                    f"{c.kind_label} ({c.source_table})" if c.source_table else c.kind_label,
                    f"{c.earlier.label}: {c.earlier_shown}",
                    f"{c.later.label}: {c.later_shown}",
                    "–" if c.change is None else c.change_text,
                    c.note or "–",
                ]
            )
        blocks.append(
            {
                "type": "bar_chart",
                "id": f"chart-measure-{measure.pk}",
                "caption": f"{measure.name} ({measure.unit}), "
                f"{measure.get_direction_display().lower()}: each period as printed "
                "(periods of different kinds, not a series)",
                "labels": [r.value.label for r in figures.rows],
                "values": [None if r.suppressed else float(r.value.value) for r in figures.rows],
                "shown": [r.shown_value for r in figures.rows],
                "unit": measure.unit,
            }
        )
    if not headline_rows:
        blocks.append({"type": "paragraph", "text": "No success measure has a value yet."})
        return {"key": "measures", "title": "Success measures", "blocks": blocks}
    tables = [
        {
            "type": "table",
            "id": "table-measures",
            "caption": "Success measures: latest comparison",
            "headers": ["Measure", "Latest comparison"],
            "rows": headline_rows,
            "foot": None,
            "numeric": [False, False],
            "highlight": [False] * len(headline_rows),
        },
        {
            "type": "table",
            "id": "table-measure-comparisons",
            "caption": "Success measures: every comparison the needs assessment makes",
            "headers": [
                "Measure",
                "Compared",
                "Kind (table)",
                "Earlier",
                "Later",
                "Change",
                "Note",
            ],
            "rows": rows,
            "foot": None,
            "numeric": [False, False, False, True, True, True, False],
            "highlight": [False] * len(rows),
        },
    ]
    blocks[1:1] = tables if rows else tables[:1]
    return {"key": "measures", "title": "Success measures", "blocks": blocks}
