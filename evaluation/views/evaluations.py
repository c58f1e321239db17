"""Evaluation, outcome and value-for-money pages. Thin: read through selectors, write through
services; a page a role may not open is a 404."""

import tablib
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from evaluation import permissions, selectors, services
from evaluation.filters import EvaluationFilter, OutcomeScoreFilter
from evaluation.forms import (
    BenefitAssumptionForm,
    EvaluationForm,
    OutcomeScoreForm,
    PeriodFilterForm,
)
from evaluation.models import (
    MARYLAND_SMS,
    PUBLISHED_BENEFIT_COST_RATIO,
    BenefitAssumption,
    Evaluation,
)
from programmes import selectors as programme_selectors
from sharing import doors as sharing_doors
from sharing.rules import Record
from vru import doors, exports
from vru.data_kinds import DataKind

EVALUATIONS_PAGE_SIZE = 25
SCORES_PAGE_SIZE = 50


def _evaluation(request, pk: int) -> Evaluation:
    return doors.found(selectors.evaluation_get(viewer=request.user, pk=pk))


@require_GET
def evaluation_list(request):
    doors.require(permissions.can_view_evaluations(request.user))
    filters = doors.checked_filters(request, EvaluationFilter)
    evaluations = selectors.evaluation_list(viewer=request.user, filters=request.GET.dict())
    if request.GET.get("format") == "csv" and filters.is_valid():
        return _export_evaluations(request, evaluations)
    page = Paginator(evaluations, EVALUATIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluation/evaluation_list.html",
        {
            "filter_form": filters,
            "page_obj": page,
            "programmes": programme_selectors.programme_list(viewer=request.user),
            "statuses": Evaluation.Status.choices,
            "methods": Evaluation.Method.choices,
            "kinds": Evaluation.Kind.choices,
            "ratings": MARYLAND_SMS,
            "current_sort": request.GET.get("sort", ""),
            "can_create": permissions.can_create_evaluations(request.user),
        },
    )


def _subject(evaluation: Evaluation) -> str:
    if evaluation.programme_id:
        return str(evaluation.programme)
    application = evaluation.award.decision.application
    return f"Grant: {application.title} ({application.organisation})"


def _export_evaluations(request, evaluations):
    dataset = tablib.Dataset(
        headers=[
            "title",
            "evaluates",
            "kind",
            "method",
            "evaluator",
            "status",
            "starts_on",
            "ends_on",
            "reported_on",
            "maryland_sms_level",
            "findings",
        ]
    )
    for e in evaluations:
        dataset.append(
            [
                e.title,
                _subject(e),
                e.get_kind_display(),
                e.get_method_display(),
                e.evaluator,
                e.get_status_display(),
                e.starts_on.isoformat(),
                e.ends_on.isoformat() if e.ends_on else "",
                e.reported_on.isoformat() if e.reported_on else "",
                e.evidence_rating or "",
                e.findings,
            ]
        )
    return exports.audited_download(
        request,
        dataset,
        file_stem="evaluations",
        file_format="csv",
        verb="evaluations.exported",
        partnership=request.user.partnership,
    )


def _evaluation_form(request, evaluation: Evaluation | None):
    programmes = list(selectors.programmes_for_evaluation(viewer=request.user))
    awards = list(selectors.awards_for_evaluation(viewer=request.user))
    if evaluation is not None:
        # keep what it evaluates choosable even if the editor could not pick it today
        if evaluation.programme_id and evaluation.programme not in programmes:
            programmes.append(evaluation.programme)
        if evaluation.award_id and evaluation.award not in awards:
            awards.append(evaluation.award)
    initial = EvaluationForm.initial_for(evaluation) if evaluation else {"status": "planned"}
    form = EvaluationForm(
        doors.posted(request), programmes=programmes, awards=awards, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.evaluation_save(
                actor=request.user,
                partnership=request.user.partnership,
                evaluation=evaluation,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            doors.add_errors(form, exc, {"programme": "subject", "award": "subject"})
        else:
            messages.success(request, f"Saved “{saved}”.")
            return redirect(saved)
    return render(
        request,
        "evaluation/evaluation_form.html",
        {
            "form": form,
            "evaluation": evaluation,
            "title": f"Change {evaluation}" if evaluation else "New evaluation",
        },
    )


@require_http_methods(["GET", "POST"])
def evaluation_create(request):
    doors.require(permissions.can_create_evaluations(request.user))
    return _evaluation_form(request, None)


@require_http_methods(["GET", "POST"])
def evaluation_edit(request, pk: int):
    evaluation = _evaluation(request, pk)
    doors.require(permissions.can_edit_evaluation(request.user, evaluation))
    return _evaluation_form(request, evaluation)


@require_GET
def evaluation_detail(request, pk: int):
    evaluation = _evaluation(request, pk)
    outcomes = []
    if evaluation.programme_id and permissions.can_view_outcome_summaries(request.user):
        outcomes = selectors.outcome_summaries_for(
            viewer=request.user,
            partnership=evaluation.partnership,
            start=evaluation.starts_on,
            end=evaluation.ends_on,
            programme=evaluation.programme,
        )
    return render(
        request,
        "evaluation/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "subject": _subject(evaluation),
            "scale": MARYLAND_SMS,
            "outcomes": outcomes,
            "value": selectors.evaluation_cost_benefit(viewer=request.user, evaluation=evaluation),
            "assumptions": evaluation.benefit_assumptions.select_related("unit_cost"),
            "can_edit": permissions.can_edit_evaluation(request.user, evaluation),
        },
    )


@require_http_methods(["GET", "POST"])
def benefit_add(request, pk: int):
    evaluation = _evaluation(request, pk)
    doors.require(permissions.can_edit_evaluation(request.user, evaluation))
    form = BenefitAssumptionForm(
        doors.posted(request),
        unit_costs=selectors.unit_costs_for(partnership_id=evaluation.partnership_id),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.benefit_assumption_add(
                actor=request.user, evaluation=evaluation, **form.cleaned_data
            )
        except ValidationError as exc:
            doors.add_errors(form, exc)
        else:
            messages.success(request, "Benefit assumption added.")
            return redirect(evaluation)
    return render(
        request,
        "evaluation/evaluation_form.html",
        {"form": form, "evaluation": evaluation, "title": "Add a benefit assumption"},
    )


@require_http_methods(["GET", "POST"])
def benefit_remove(request, pk: int, assumption_pk: int):
    evaluation = _evaluation(request, pk)
    doors.require(permissions.can_edit_evaluation(request.user, evaluation))
    assumption = get_object_or_404(
        BenefitAssumption.objects.select_related("unit_cost", "evaluation"),
        pk=assumption_pk,
        evaluation=evaluation,
    )
    if request.method == "POST":
        services.benefit_assumption_remove(actor=request.user, assumption=assumption)
        messages.success(request, "Benefit assumption removed.")
        return redirect(evaluation)
    return render(
        request,
        "evaluation/benefit_remove.html",
        {"evaluation": evaluation, "assumption": assumption},
    )


@require_GET
def outcome_summaries(request):
    doors.require(permissions.can_view_outcome_summaries(request.user))
    period = PeriodFilterForm(
        request.GET or None,
        labels=("Scores from", "Scores to"),
        whole_only=permissions.sees_suppressed_outcomes(request.user),
    )
    start, end = period.period()
    programmes = programme_selectors.programme_list(viewer=request.user)
    programme = None
    if request.GET.get("programme", "").isdigit():
        programme = programmes.filter(pk=int(request.GET["programme"])).first()
    return render(
        request,
        "evaluation/outcome_summaries.html",
        {
            "summaries": selectors.outcome_summaries_for(
                viewer=request.user,
                partnership=request.user.partnership,
                start=start,
                end=end,
                programme=programme,
            ),
            "instruments": selectors.instruments_for(partnership_id=request.user.partnership_id),
            "programmes": programmes,
            "period": period,
            "suppressed": permissions.sees_suppressed_outcomes(request.user),
            "can_use_scores": permissions.can_use_outcome_scores(request.user),
        },
    )


@require_GET
def outcome_score_list(request):
    doors.require(permissions.can_use_outcome_scores(request.user))
    filters = doors.checked_filters(request, OutcomeScoreFilter)
    scores = selectors.outcome_score_list(viewer=request.user, filters=request.GET.dict())
    if request.GET.get("format") == "csv" and filters.is_valid():
        return _export_scores(request, scores)
    page = Paginator(scores, SCORES_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluation/outcome_score_list.html",
        {
            "filter_form": filters,
            "page_obj": page,
            "programmes": programme_selectors.programmes_for_referrals(viewer=request.user),
            "instruments": selectors.instruments_for(partnership_id=request.user.partnership_id),
            "current_sort": request.GET.get("sort", ""),
            **sharing_doors.page_choice(request, kind=DataKind.OUTCOME_SCORES),
        },
    )


def _export_scores(request, scores):
    """Outcome scores by young person's reference: to a partner organisation only under an
    agreement the rule offers (sharing.doors)."""
    return sharing_doors.guarded_download(
        request,
        kind=DataKind.OUTCOME_SCORES,
        build=lambda: _scores_dataset(scores),
        records=lambda: [
            Record("evaluation.outcomescore", pk, young_person_id)
            for pk, young_person_id in scores.order_by().values_list(
                "pk", "referral__young_person_id"
            )
        ],
        door="Outcome scores export",
        file_stem="outcome-scores",
        file_format="csv",
        verb="outcome_scores.exported",
        partnership=request.user.partnership,
    )


def _scores_dataset(scores):
    dataset = tablib.Dataset(
        headers=["reference", "referral", "programme", "instrument", "time_point", "date", "total"]
    )
    for s in scores:
        dataset.append(
            [
                s.referral.young_person.reference,
                s.referral_id,
                s.referral.programme.name,
                s.instrument.code,
                s.time_point,
                s.scored_on.isoformat(),
                s.total,
            ]
        )
    return dataset


@require_http_methods(["GET", "POST"])
def referral_scores(request, referral_pk: int):
    referral = selectors.referral_for_scores(viewer=request.user, pk=referral_pk)
    doors.require(referral is not None)
    instruments = selectors.instruments_for(partnership_id=referral.partnership_id)
    can_record = permissions.can_record_outcome_score(request.user, referral)
    form = OutcomeScoreForm(doors.posted(request), instruments=instruments)
    if request.method == "POST":
        doors.require(can_record)
        if form.is_valid():
            try:
                services.outcome_score_record(
                    actor=request.user, referral=referral, **form.cleaned_data
                )
            except ValidationError as exc:
                doors.add_errors(form, exc)
            else:
                messages.success(request, "Score recorded.")
                return redirect("evaluation:referral_scores", referral_pk=referral.pk)
    return render(
        request,
        "evaluation/referral_scores.html",
        {
            "referral": referral,
            "scores": selectors.outcome_score_list(viewer=request.user).filter(referral=referral),
            "form": form if can_record else None,
            "can_record": can_record,
        },
    )


@require_http_methods(["GET", "POST"])
def outcome_score_delete(request, referral_pk: int, score_pk: int):
    referral = selectors.referral_for_scores(viewer=request.user, pk=referral_pk)
    doors.require(
        referral is not None and permissions.can_record_outcome_score(request.user, referral)
    )
    score = get_object_or_404(
        selectors.outcome_score_list(viewer=request.user).filter(referral=referral), pk=score_pk
    )
    if request.method == "POST":
        services.outcome_score_delete(actor=request.user, score=score)
        messages.success(request, "Score removed.")
        return redirect("evaluation:referral_scores", referral_pk=referral.pk)
    return render(
        request, "evaluation/outcome_score_delete.html", {"referral": referral, "score": score}
    )


@require_GET
def value_for_money(request):
    doors.require(permissions.can_view_evaluations(request.user))
    period = PeriodFilterForm(
        request.GET or None,
        labels=("Running from", "Running to"),
        whole_only=permissions.sees_suppressed_outcomes(request.user),
    )
    start, end = period.period()
    return render(
        request,
        "evaluation/value_for_money.html",
        {
            "rows": selectors.cost_benefit_for(
                viewer=request.user, partnership=request.user.partnership, start=start, end=end
            ),
            "unit_costs": selectors.unit_costs_for(partnership_id=request.user.partnership_id),
            "published": PUBLISHED_BENEFIT_COST_RATIO,
            "period": period,
        },
    )
