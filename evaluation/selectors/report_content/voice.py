"""Young people's voice (themes, you said / we did) and how the figures are protected."""

from django.db.models import (
    Q,
)

from evaluation.models import CodebookTheme, FeedbackResponse, ImpactReport, ListeningAction
from evaluation.selectors.report_content.outputs import HEADLINE_SOURCES, TABLE_CAPTIONS
from evaluation.selectors.report_content.scope import (
    ReportScope,
    money,
    table_block,
)
from vru.selectors import disclosure


def build_voice(scope: ReportScope) -> dict:
    """Top themes young people raised in the period (coded responses) and the "you said,
    we did" actions answering them. Counts only: never a young person's words."""
    responses = FeedbackResponse.objects.filter(
        exercise__partnership_id=scope.partnership_id,
        responded_on__gte=scope.start,
        responded_on__lte=scope.end,
    )
    if scope.kind in {ImpactReport.Scope.CSP, ImpactReport.Scope.LOCAL_AUTHORITY}:
        la_q = (
            Q(local_authority__community_safety_partnership_id=scope.report.scope_csp_id)
            if scope.kind == ImpactReport.Scope.CSP
            else Q(local_authority_id=scope.report.scope_local_authority_id)
        )
        responses = responses.filter(la_q)
    total = responses.aggregate(n=disclosure.people("feedback_response"))["n"]
    theme_counts = list(
        CodebookTheme.objects.filter(responses__in=responses)
        .order_by()
        .values("name")
        .annotate(n=disclosure.people("feedback_response", pk_field="responses"))
        .order_by("-n", "name")
    )
    actions = list(
        ListeningAction.objects.filter(
            theme__exercise__partnership_id=scope.partnership_id,
            theme__name__in=[row["name"] for row in theme_counts],
        )
        .filter(Q(theme__exercise__period_start__lte=scope.end))
        .select_related("theme")
        .order_by("theme__name", "status", "due_on")
    )
    delivered = {a.theme.name for a in actions if a.status == ListeningAction.Status.DELIVERED}
    themes_table = table_block(
        id="table-themes",
        caption="Themes young people raised (a response may raise several themes, so the "
        "themes do not add up to the responses)",
        row_labels=[row["name"] for row in theme_counts],
        headers=["Theme", "Responses"],
        counts=[[row["n"]] for row in theme_counts],
        row_totals=False,
        column_totals=False,
    )
    for row, theme in zip(themes_table["rows"], theme_counts, strict=True):
        row.append("Yes" if theme["name"] in delivered else "Not yet")
    themes_table["headers"].append("Action delivered")
    themes_table["numeric"].append(False)
    loop = (
        round(100 * len(delivered & {r["name"] for r in theme_counts}) / len(theme_counts))
        if theme_counts
        else None
    )
    blocks: list[dict] = [
        {
            "type": "paragraph",
            "text": f"{scope.shown(total)} responses from young people in the period"
            + (
                f"; {loop}% of the themes they raised have a delivered action (“loop closed”)."
                if loop is not None
                else "."
            ),
        },
        themes_table,
        {
            "type": "table",
            "id": "table-actions",
            "caption": "You said, we did",
            "headers": ["You said", "We did", "Who", "Status", "Spend"],
            "rows": [
                [
                    a.theme.name,
                    a.what,
                    a.who,
                    a.get_status_display(),
                    money(a.spend) if a.spend is not None else "–",
                ]
                for a in actions
            ],
            "foot": None,
            "numeric": [False, False, False, False, True],
            "highlight": [False] * len(actions),
        },
    ]
    return {"key": "voice", "title": "Young people's voice: you said, we did", "blocks": blocks}


def build_method(scope: ReportScope) -> dict:
    """How the figures are made and protected (the disclosure control), and where each
    headline figure comes from (the records, the rule and its table)."""
    sources = [
        [headline, records, TABLE_CAPTIONS[table]]
        for key, headline, records, table in HEADLINE_SOURCES
        if scope.includes_grants or key != "grant_reach"
    ]
    return {
        "key": "method",
        "title": "About these figures",
        "blocks": [
            {
                "type": "paragraph",
                "text": disclosure.method_text(),
            },
            {
                "type": "paragraph",
                "text": "Referrals count referrals received in the period (a young person "
                "referred twice counts twice). Session figures are anonymous head counts. "
                "Grant reach adds up the young people reported in monitoring returns approved "
                "in the period. The report holds no names, references or notes about young "
                "people.",
            },
            {
                "type": "table",
                "id": "table-headline-sources",
                "caption": "Where each headline figure comes from",
                "headers": ["Headline figure", "Counted from", "Table in this report"],
                "rows": sources,
                "foot": None,
                "numeric": [False, False, False],
                "highlight": [False] * len(sources),
            },
        ],
    }
