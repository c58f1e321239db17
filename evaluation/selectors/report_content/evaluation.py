"""Evaluation findings and outcomes: what evaluations found, how young people's scores
changed, and what the work is worth against what it cost.

Built from the evaluation selectors as a commissioner sees them (always suppressed):
`published_evaluations`, `published_outcome_summaries` and `published_cost_benefit`.

Scope:
- programme: that programme's evaluations and outcome scores only (no grant evaluations);
- CSP or local authority: programmes serve the whole partnership, so their evaluations are
  shown whole; grant evaluations only of groups based in the area; outcome scores only of
  young people living in the area (as referrals are counted elsewhere in the report).
  Cost and benefit are of each evaluation as a whole (they cannot be split by area).

Evaluations are about programmes, not young people: they carry no name or reference. A
findings text is written by staff, so as a safeguard any young person's reference of the
partnership found in it is removed before it is published.
"""

import re
from decimal import Decimal

from django.db.models import Q

from evaluation.models import PUBLISHED_BENEFIT_COST_RATIO, Evaluation, ImpactReport
from evaluation.selectors.evaluations import (
    OutcomeSummary,
    published_evaluations,
    published_outcome_summaries,
)
from evaluation.selectors.report_content.scope import ReportScope, money
from evaluation.selectors.value_for_money import CostBenefit, published_cost_benefit
from programmes.models import Referral, YoungPerson

NOT_SHOWN = "not shown"
REMOVED = "[reference removed]"
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_-]{2,19}")


def _evaluations(scope: ReportScope) -> list[Evaluation]:
    qs = published_evaluations(
        partnership=scope.report.partnership, start=scope.start, end=scope.end
    )
    if scope.kind == ImpactReport.Scope.PROGRAMME:
        return list(qs.filter(programme_id=scope.report.scope_programme_id))
    return list(
        qs.filter(
            Q(programme__isnull=False)
            | Q(award__isnull=False)
            & scope.local_authority_scope_q(
                "award__decision__application__organisation__local_authority"
            )
        )
    )


def _referrals(scope: ReportScope):
    referrals = Referral.objects.filter(partnership_id=scope.partnership_id)
    if scope.kind == ImpactReport.Scope.PROGRAMME:
        return referrals.filter(programme_id=scope.report.scope_programme_id)
    return referrals.filter(scope.lsoa_scope_q("lsoa"))


def _without_references(texts: list[str], partnership_id: int) -> list[str]:
    """`texts` with any young person's reference of the partnership replaced (one query)."""
    tokens = {
        variant
        for text in texts
        for token in _TOKEN.findall(text)
        for variant in (token, token.upper())
    }
    if not tokens:
        return texts
    found = set(
        YoungPerson.objects.filter(partnership_id=partnership_id, reference__in=tokens).values_list(
            "reference", flat=True
        )
    )
    if not found:
        return texts
    pattern = re.compile(
        "|".join(re.escape(ref) for ref in sorted(found, key=len, reverse=True)), re.IGNORECASE
    )
    return [pattern.sub(REMOVED, text) for text in texts]


def _what(evaluation: Evaluation) -> str:
    if evaluation.programme is not None:
        return f"Programme: {evaluation.programme.name}"
    return f"Grant: {evaluation.award.decision.application.organisation.name}"


def _signed(value: float | None) -> str:
    return "–" if value is None else f"{value:+.1f}"


def _outcome_row(summary: OutcomeSummary) -> list[str]:
    if summary.participants is None:
        mean = interval = NOT_SHOWN  # fewer than 5 participants
    else:
        mean = _signed(summary.mean_change)
        interval = (
            "–"
            if summary.ci_low is None
            else f"{_signed(summary.ci_low)} to {_signed(summary.ci_high)}"
        )
    share = NOT_SHOWN if summary.share_improved is None else f"{summary.share_improved}%"
    return [
        summary.programme.name,
        summary.instrument.name,
        summary.participants_shown,
        mean,
        interval,
        summary.improved_shown,
        share,
    ]


def _ratio(value: Decimal | None) -> str:
    return "–" if value is None else f"{value:.2f}x"


def _vfm_row(row: CostBenefit, published: str) -> list[str]:
    hidden = row.participants is None
    return [
        row.evaluation.title,
        f"{money(row.cost)} ({row.cost_source})" if row.cost is not None else "–",
        row.participants_shown,
        NOT_SHOWN
        if hidden
        else ("–" if row.cost_per_participant is None else money(row.cost_per_participant)),
        NOT_SHOWN if hidden else ("–" if row.benefit is None else money(row.benefit)),
        NOT_SHOWN if hidden else _ratio(row.ratio),
        published,
    ]


def _table(id: str, caption: str, headers: list[str], rows: list[list[str]], numeric) -> dict:
    return {
        "type": "table",
        "id": id,
        "caption": caption,
        "headers": headers,
        "rows": rows,
        "foot": None,
        "numeric": numeric,
        "highlight": [False] * len(rows),
    }


def build_evaluation(scope: ReportScope) -> dict:
    """Evaluations running in the period (with their findings and evidence rating), outcome
    summaries of scores dated in the period, and value for money beside the Essex ratio."""
    evaluations = _evaluations(scope)
    findings = _without_references([e.findings for e in evaluations], scope.partnership_id)
    summaries = published_outcome_summaries(
        partnership=scope.report.partnership,
        referrals=_referrals(scope),
        start=scope.start,
        end=scope.end,
    )
    values = published_cost_benefit(
        Evaluation.objects.filter(pk__in=[e.pk for e in evaluations]).select_related(
            "programme", "award__decision__application__organisation"
        )
    )
    order = {e.pk: index for index, e in enumerate(evaluations)}
    values.sort(key=lambda row: order[row.evaluation.pk])
    published = f"{PUBLISHED_BENEFIT_COST_RATIO['ratio']:.1f}x"
    t = scope.threshold

    if scope.kind == ImpactReport.Scope.PROGRAMME:
        scope_text = "This section covers the programme's own evaluations and outcome scores."
    elif scope.kind in {ImpactReport.Scope.CSP, ImpactReport.Scope.LOCAL_AUTHORITY}:
        scope_text = (
            "Programmes serve the whole partnership, so their evaluations are shown whole; "
            "grant evaluations are those of groups based in the area; outcome scores are those "
            "of young people living in the area. Cost and benefit are of each evaluation as a "
            "whole."
        )
    else:
        scope_text = "This section covers every evaluation of the partnership's programmes "
        scope_text += "and grants."
    summary_text = (
        f"{len(evaluations)} evaluation{'s' if len(evaluations) != 1 else ''} ran at some time "
        f"in the period. {scope_text}"
        if evaluations
        else f"No evaluation reported in this period. {scope_text}"
    )
    blocks: list[dict] = [
        {"type": "paragraph", "text": summary_text},
        _table(
            "table-evaluations",
            "Evaluations in the period (evidence rated on the Maryland Scientific Methods "
            "Scale, 1 weakest to 5 randomised)",
            [
                "Evaluation",
                "What is evaluated",
                "Internal or independent",
                "Method",
                "Evaluator",
                "Status",
                "Evidence rating (Maryland SMS)",
            ],
            [
                [
                    e.title,
                    _what(e),
                    e.get_kind_display(),
                    e.get_method_display(),
                    e.evaluator,
                    e.get_status_display(),
                    f"Level {e.evidence_rating}" if e.evidence_rating else "Not rated yet",
                ]
                for e in evaluations
            ],
            [False] * 7,
        ),
        _table(
            "table-evaluation-findings",
            "What the evaluations found",
            ["Evaluation", "Findings"],
            [
                [e.title, text.strip() or "No findings reported yet."]
                for e, text in zip(evaluations, findings, strict=True)
            ],
            [False, False],
        ),
        {
            "type": "paragraph",
            "text": "Outcome measures: for each young person scored two or more times in the "
            "period, the change from the first score to the last. Improved means by at least "
            "the questionnaire's meaningful change. "
            + (
                f"Counts of 1 to {t - 1} young people are shown as “<{t}”; with fewer than {t} "
                "participants no mean or interval is shown, and the share improved is not shown "
                f"when either those improved or those not improved number 1 to {t - 1}."
            )
            + ("" if summaries else " No outcome measures were scored in this period."),
        },
        _table(
            "table-outcomes",
            "Change in outcome scores (mean change with its 95% confidence interval)",
            [
                "Programme",
                "Questionnaire",
                "Participants",
                "Mean change",
                "95% confidence interval",
                "Improved",
                "Share improved",
            ],
            [_outcome_row(s) for s in summaries],
            [False, False, True, True, True, True, True],
        ),
        {
            "type": "paragraph",
            "text": "Value for money: the benefit estimate is participants × offences averted "
            "per participant × the published cost of one such offence; the ratio is benefit "
            f"divided by cost. The Essex SNA reports a ratio of {published} "
            f"({PUBLISHED_BENEFIT_COST_RATIO['source']}); it is shown beside each computed "
            "ratio, never in its place."
            + ("" if values else " No evaluation in this period has a cost to compare."),
        },
        _table(
            "table-value-for-money",
            "Cost and benefit of each evaluation",
            [
                "Evaluation",
                "Cost",
                "Participants",
                "Cost per participant",
                "Benefit estimate",
                "Benefit-cost ratio",
                "Essex SNA published ratio",
            ],
            [_vfm_row(row, published) for row in values],
            [False, True, True, True, True, True, True],
        ),
        _table(
            "table-unit-costs",
            "How each benefit is estimated (unit costs of crime and their sources)",
            [
                "Evaluation",
                "Offence",
                "Unit cost",
                "Offences averted per participant",
                "Unit-cost source",
            ],
            [
                [
                    row.evaluation.title,
                    line.unit_cost.offence,
                    f"{money(line.unit_cost.amount)} ({line.unit_cost.price_year} prices)",
                    f"{line.averted_per_participant.normalize():f}",
                    line.unit_cost.source,
                ]
                for row in values
                for line in row.lines
            ],
            [False, False, True, True, False],
        ),
    ]
    return {
        "key": "evaluation",
        "title": "Evaluation findings and outcomes",
        "blocks": blocks,
    }
