"""The Duty's annual report for the board: readiness, the action plan's RAG summary by
recommendation and by duty holder, the strategy's review dates and the success measures.
One content structure (sections of blocks, as impact reports have) feeds both the page and
the PDF, so the two cannot disagree."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from duty import permissions
from duty.selectors.actions import action_plan, rag_by_holder
from duty.selectors.duty import ReadinessComparison, readiness_comparison, strategy_list
from vru import periods
from vru import selectors as core_selectors
from vru.models import User


@dataclass(frozen=True)
class AnnualReport:
    title: str
    partnership: str
    period_name: str
    start: datetime.date
    end: datetime.date
    readiness: ReadinessComparison | None
    sections: list[dict]  # {"key", "title", "blocks"}: tables and paragraphs, page and PDF

    def content(self) -> dict:
        """In the shape evaluation's PDF renderer reads (evaluation.services.report_pdf)."""
        return {
            "meta": {
                "title": self.title,
                "partnership": self.partnership,
                "scope": "Whole partnership",
                "period": f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}",
                "period_name": self.period_name,
                "built_at": timezone.localtime().strftime("%-d %B %Y %H:%M"),
            },
            "sections": self.sections,
        }


def _table(id: str, caption: str, headers: list[str], rows: list[list], numeric: list[bool]):
    return {
        "type": "table",
        "id": id,
        "caption": caption,
        "headers": headers,
        "rows": [[str(cell) for cell in row] for row in rows],
        "foot": None,
        "numeric": numeric,
        "highlight": [False] * len(rows),
    }


def _readiness_section(comparison: ReadinessComparison | None) -> dict:
    if comparison is None:
        blocks = [{"type": "paragraph", "text": "No readiness assessment is recorded yet."}]
    else:
        values = [row.score for row in comparison.rows]
        blocks = [
            {
                "type": "paragraph",
                "text": f"Assessed on {comparison.assessment.assessed_on:%-d %B %Y}, each of "
                "the Home Office's eight areas from 1 (preparing) to 5 (mature, best practice)"
                + (
                    f", beside the assessment of {comparison.previous.assessed_on:%-d %B %Y}."
                    if comparison.previous
                    else "."
                ),
            },
            {
                "type": "bar_chart",
                "id": "chart-readiness",
                "caption": "Readiness score by area (1 to 5)",
                "labels": [row.area for row in comparison.rows],
                "values": [None if v is None else float(v) for v in values],
                "shown": ["–" if v is None else str(v) for v in values],
                "unit": "score",
            },
            _table(
                "table-readiness",
                "Readiness by area",
                ["Area", "Score", "Rating", "Before"],
                [
                    [row.area, row.score or "–", row.label, row.previous or "–"]
                    for row in comparison.rows
                ],
                [False, True, False, True],
            ),
        ]
    return {"key": "readiness", "title": "Readiness for the Duty", "blocks": blocks}


def annual_report(*, viewer: User, today: datetime.date | None = None) -> AnnualReport | None:
    """The report for this financial year so far, as the viewer may see it."""
    if not permissions.can_view_annual_report(viewer):
        return None
    today = today or timezone.localdate()
    start, end = periods.preset_dates(periods.Preset.THIS_FINANCIAL_YEAR, today=today)
    period_name = periods.period_name(periods.period_kind_of(start, end), start, end)
    plan = action_plan(viewer=viewer)
    holders = rag_by_holder(viewer=viewer)
    strategies = list(strategy_list(viewer=viewer))
    measures = [
        figures
        for measure in core_selectors.success_measure_list(viewer=viewer)
        if (figures := core_selectors.success_measure_figures(viewer=viewer, measure=measure)).rows
    ]
    by_recommendation = _table(
        "table-plan",
        "Actions by recommendation: open actions by rating, and done",
        ["Recommendation", "Actions", "Green", "Amber", "Red", "Done", "Overdue"],
        [
            [
                f"{row.recommendation.number}. {row.recommendation.text[:120]}",
                len(row.actions),
                row.green,
                row.amber,
                row.red,
                row.done,
                row.overdue,
            ]
            for row in plan
        ],
        [False] + [True] * 6,
    )
    by_holder = _table(
        "table-holders",
        "Open actions each duty holder owns, by rating",
        ["Duty holder", "All actions", "Green", "Amber", "Red", "Overdue"],
        [[h.holder.name, h.total, h.green, h.amber, h.red, h.overdue] for h in holders],
        [False] + [True] * 5,
    )
    strategy_rows = []
    for strategy in strategies:
        reviews = sorted(strategy.reviews.all(), key=lambda r: r.reviewed_on, reverse=True)
        strategy_rows.append(
            [
                f"{strategy.title} {strategy.version}".strip(),
                f"{strategy.published_on:%-d %B %Y}" if strategy.published_on else "Not published",
                f"{reviews[0].reviewed_on:%-d %B %Y}" if reviews else "Not yet reviewed",
                f"{strategy.next_review_on:%-d %B %Y}" if strategy.next_review_on else "–",
            ]
        )
    measure_rows = []
    for figures in measures:
        headline = figures.headline
        measure = figures.measure
        measure_rows.append(
            [
                f"{measure.name} ({measure.unit})",
                headline.headline if headline else "No comparison recorded",
            ]
        )
    readiness = readiness_comparison(viewer=viewer)
    sections = [
        _readiness_section(readiness),
        {"key": "plan", "title": "The action plan", "blocks": [by_recommendation, by_holder]},
        {
            "key": "strategy",
            "title": "The strategy and its reviews",
            "blocks": [
                _table(
                    "table-strategy",
                    "Strategies: published, last reviewed and next review",
                    ["Strategy", "Published", "Last reviewed", "Next review"],
                    strategy_rows,
                    [False, False, False, False],
                )
            ],
        },
        {
            "key": "measures",
            "title": "Success measures",
            "blocks": [
                _table(
                    "table-measures",
                    "Success measures: latest comparison",
                    ["Measure", "Latest comparison"],
                    measure_rows,
                    [False, False],
                )
            ],
        },
    ]
    return AnnualReport(
        title=f"Serious Violence Duty: annual report, {period_name.lower()}",
        partnership=viewer.partnership.name,
        period_name=period_name,
        start=start,
        end=end,
        readiness=readiness,
        sections=sections,
    )
