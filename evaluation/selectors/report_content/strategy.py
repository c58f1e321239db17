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
from vru import disclosure
from vru.models import Recommendation, StrategicNeedsAssessment, SuccessMeasure
from vru.selectors import percent_change


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
                rec.get_prevention_stage_display() or "All stages",
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
    """Each success measure's latest value in the period, with % change against the
    previous period and the baseline, and a chart of every period with its table."""
    t = scope.threshold
    measures = SuccessMeasure.objects.filter(partnership_id=scope.partnership_id).prefetch_related(
        "values"
    )
    blocks: list[dict] = [
        {
            "type": "paragraph",
            "text": "Success measures are partnership-wide figures; the report's scope does not "
            "narrow them. The latest period ending by the end of the report period is compared "
            "with the period before it and with the baseline.",
        }
    ]
    summary_rows = []
    for measure in measures:
        values = sorted(
            (v for v in measure.values.all() if v.period_end <= scope.end),
            key=lambda v: v.period_start,
        )
        if not values:
            continue

        def hidden(v, measure=measure) -> bool:
            return measure.counts_people and 0 < v.value < t

        def shown(v, measure=measure) -> str:
            if hidden(v):
                return f"<{t}"
            return (
                f"{v.value:,.0f}" if v.value == v.value.to_integral_value() else f"{v.value:,.2f}"
            )

        latest = values[-1]
        earlier = [v for v in values if v.period_end < latest.period_start]
        previous = max(earlier, key=lambda v: v.period_end) if earlier else None
        baseline = next((v for v in measure.values.all() if v.is_baseline), None)

        def change(other, latest=latest) -> str:
            if other is None or other is latest or hidden(other) or hidden(latest):
                return "–"
            pc = percent_change(previous=other.value, current=latest.value)
            return "–" if pc is None else f"{pc:+d}%"

        summary_rows.append(
            [
                f"{measure.name} ({measure.unit})",
                latest.label,
                shown(latest),
                f"{previous.label}: {shown(previous)}" if previous else "–",
                change(previous),
                f"{baseline.label}: {shown(baseline)}" if baseline else "–",
                change(baseline),
            ]
        )
        blocks.append(
            {
                "type": "bar_chart",
                "id": f"chart-measure-{measure.pk}",
                "caption": f"{measure.name} ({measure.unit}), "
                f"{measure.get_direction_display().lower()}",
                "labels": [v.label for v in values],
                "values": [None if hidden(v) else float(v.value) for v in values],
                "shown": [shown(v) for v in values],
                "unit": measure.unit,
            }
        )
    if not summary_rows:
        blocks.append({"type": "paragraph", "text": "No success measure has a value yet."})
    else:
        blocks.insert(
            1,
            {
                "type": "table",
                "id": "table-measures",
                "caption": "Success measures: latest value and change",
                "headers": [
                    "Measure",
                    "Latest period",
                    "Value",
                    "Previous period",
                    "Change",
                    "Baseline",
                    "Change from baseline",
                ],
                "rows": summary_rows,
                "foot": None,
                "numeric": [False, False, True, False, True, False, True],
                "highlight": [False] * len(summary_rows),
            },
        )
    return {"key": "measures", "title": "Success measures", "blocks": blocks}
