"""Every read of evaluations, outcome scores and value for money that depends on who is asking.

Evaluations carry no personal data. Outcome scores are per young person: they are read only
through `outcome_score_list`, which shows a viewer the scores of the referrals programmes'
own rule lets them see (administrators, managers of the programme, the practitioner whose
caseload it is). Everyone else gets aggregates, computed in the database, with counts of
people from 1 to 4 shown as "<5" to commissioners (and the figures that would reveal them
left out).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum

from evaluation import permissions
from evaluation.filters import EVALUATION_SORTS, EvaluationFilter, OutcomeScoreFilter  # noqa: F401
from evaluation.models import (
    Evaluation,
    Instrument,
    OutcomeScore,
    UnitCost,
)
from evaluation.selectors.statistics import paired_change_interval
from grants.models import Award
from programmes import selectors as programme_selectors
from programmes.models import Programme, Referral
from vru.filters import ordered
from vru.models import Partnership, Role, User
from vru.permissions import has_role
from vru.selectors import disclosure
from vru.selectors.disclosure import shown_count


def evaluation_list(*, viewer: User, filters: dict | None = None) -> QuerySet[Evaluation]:
    """The viewer's partnership's evaluations, filtered (q, status, method, kind, programme,
    rating) and sorted (`sort` one of EVALUATION_SORTS, "-" for descending)."""
    if not permissions.can_view_evaluations(viewer):
        return Evaluation.objects.none()
    qs = Evaluation.objects.for_viewer(viewer).select_related(
        "programme", "award__decision__application__organisation"
    )
    qs = EvaluationFilter(filters or {}, queryset=qs).qs
    return ordered(qs, "pk") if qs.query.order_by else qs.order_by("-starts_on", "pk")


def evaluation_get(*, viewer: User, pk: int) -> Evaluation | None:
    return evaluation_list(viewer=viewer).filter(pk=pk).first()


def programmes_for_evaluation(*, viewer: User) -> QuerySet[Programme]:
    """Programmes the viewer may attach an evaluation to."""
    if not permissions.can_create_evaluations(viewer):
        return Programme.objects.none()
    if has_role(viewer, *permissions.EVALUATION_EDITORS):
        return Programme.objects.for_viewer(viewer)
    return programme_selectors.managed_programmes(viewer=viewer)


def awards_for_evaluation(*, viewer: User) -> QuerySet[Award]:
    """Grant awards the viewer may attach an evaluation to."""
    if not permissions.can_create_evaluations(viewer):
        return Award.objects.none()
    if has_role(viewer, *permissions.EVALUATION_EDITORS, Role.GRANTS_OFFICER):
        return Award.objects.for_viewer(viewer).select_related(
            "decision__application__organisation"
        )
    return Award.objects.none()


def unit_costs_for(*, partnership_id: int | None) -> QuerySet[UnitCost]:
    """The national published unit costs and the partnership's own."""
    return UnitCost.objects.filter(Q(partnership__isnull=True) | Q(partnership_id=partnership_id))


def instruments_for(*, partnership_id: int | None) -> QuerySet[Instrument]:
    """The standard instruments and the partnership's own questionnaires."""
    return Instrument.objects.filter(Q(partnership__isnull=True) | Q(partnership_id=partnership_id))


# --- Per-young-person scores: caseload staff only ----------------------------------------


def _visible_referral_ids(viewer: User) -> QuerySet:
    return programme_selectors.referral_list(viewer=viewer).order_by().values("pk")


def outcome_score_list(*, viewer: User, filters: dict | None = None) -> QuerySet[OutcomeScore]:
    """Scores of the referrals the viewer may see (programmes' caseload rule)."""
    if not permissions.can_use_outcome_scores(viewer):
        return OutcomeScore.objects.none()
    qs = OutcomeScore.objects.filter(referral_id__in=_visible_referral_ids(viewer)).select_related(
        "instrument", "referral__programme", "referral__young_person", "recorded_by"
    )
    qs = OutcomeScoreFilter(filters or {}, queryset=qs).qs
    return ordered(qs, "pk") if qs.query.order_by else qs.order_by("-scored_on", "pk")


def referral_for_scores(*, viewer: User, pk: int) -> Referral | None:
    """A referral whose scores the viewer may see and record, or None (the door 404s)."""
    if not permissions.can_use_outcome_scores(viewer):
        return None
    return programme_selectors.referral_get(viewer=viewer, pk=pk)


# --- Aggregates: what the impact report and commissioners see -----------------------------


def _may_read(viewer: User, partnership: Partnership, allowed: bool) -> bool:
    return allowed and viewer.partnership_id == partnership.pk


def _in_period(qs: QuerySet, start: date | None, end: date | None) -> QuerySet:
    if end is not None:
        qs = qs.filter(starts_on__lte=end)
    if start is not None:
        qs = qs.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
    return qs


def evaluation_findings_for(
    *,
    viewer: User,
    partnership: Partnership,
    start: date | None,
    end: date | None,
    programme: Programme | None = None,
) -> QuerySet[Evaluation]:
    """Evaluations of `partnership` running at any time in [start, end] (either end open when
    None), of `programme` if given: title, what was evaluated, kind, method, evaluator, status,
    dates, findings and the Maryland SMS rating. No personal data. Empty for a viewer who may
    not read evaluations or belongs to another partnership."""
    if not _may_read(viewer, partnership, permissions.can_view_evaluations(viewer)):
        return Evaluation.objects.none()
    qs = Evaluation.objects.filter(partnership=partnership).select_related(
        "programme", "award__decision__application__organisation"
    )
    if programme is not None:
        qs = qs.filter(programme=programme)
    return _in_period(qs, start, end).order_by("-starts_on", "title")


def published_evaluations(
    *, partnership: Partnership, start: date, end: date
) -> QuerySet[Evaluation]:
    """Evaluations of `partnership` running at any time in [start, end], as
    `evaluation_findings_for` gives them, for the impact report (built by a task for
    commissioners, so there is no viewer; the report narrows them to its scope)."""
    qs = Evaluation.objects.filter(partnership=partnership).select_related(
        "programme", "award__decision__application__organisation"
    )
    return _in_period(qs, start, end).order_by("-starts_on", "title")


@dataclass(frozen=True)
class OutcomeSummary:
    """One instrument on one programme. When `suppressed`, a figure that would reveal a count
    of 1 to 4 people is None and its `_shown` text says "<5"."""

    instrument: Instrument
    programme: Programme
    participants: int | None
    participants_shown: str
    mean_change: float | None
    ci_low: float | None
    ci_high: float | None
    improved: int | None
    improved_shown: str
    share_improved: int | None  # percent
    suppressed: bool

    @property
    def threshold(self) -> Decimal:
        return self.instrument.meaningful_change


def _change_by_programme(
    instrument: Instrument, referrals: QuerySet, start: date | None, end: date | None
):
    """Per programme: participants with 2+ scores, Σ change, Σ change², and how many improved
    by at least the instrument's meaningful change. One query."""
    in_period = OutcomeScore.objects.filter(instrument=instrument)
    if start is not None:
        in_period = in_period.filter(scored_on__gte=start)
    if end is not None:
        in_period = in_period.filter(scored_on__lte=end)
    scores = in_period.filter(referral_id=OuterRef("pk"))
    first = Subquery(scores.order_by("scored_on", "id").values("total")[:1])
    last = Subquery(scores.order_by("-scored_on", "-id").values("total")[:1])
    count = Subquery(
        scores.order_by().values("referral_id").annotate(c=Count("pk")).values("c")[:1]
    )
    threshold = instrument.meaningful_change
    improved = (
        Q(change__gte=threshold) if instrument.higher_is_better else Q(change__lte=-threshold)
    )
    return (
        # only referrals with a score in the period (not every referral of the partnership)
        referrals.filter(pk__in=in_period.values("referral_id"))
        .annotate(n_scores=count, first=first, last=last)
        .filter(n_scores__gte=2)
        .annotate(change=F("last") - F("first"))
        .order_by()
        .values("programme_id")
        .annotate(
            n=Count("pk"),
            total=Sum("change", output_field=IntegerField()),
            squares=Sum(F("change") * F("change"), output_field=IntegerField()),
            improved=Count("pk", filter=improved),
            n_published=disclosure.people("referral"),
            improved_published=disclosure.people("referral", filter=improved),
        )
        .order_by("programme_id")
    )


def _summary(instrument, programme, row, suppress: bool) -> OutcomeSummary:
    interval = paired_change_interval(n=row["n"], total=row["total"], total_squares=row["squares"])
    # Outside casework the counts are the disclosure control's (adjusted) ones; the mean and
    # interval are shown only beside a count of participants at the threshold or over.
    n, improved = (
        (row["n_published"], row["improved_published"]) if suppress else (row["n"], row["improved"])
    )
    small = suppress and n < disclosure.threshold()
    # With the participants shown, the number improved also gives the number not improved,
    # so both must be 0 or at the threshold and over to show.
    if not suppress or (
        not small and not disclosure.is_small(improved) and not disclosure.is_small(n - improved)
    ):
        improved_value, improved_shown = improved, shown_count(improved, suppress=suppress)
    elif small or disclosure.is_small(improved):
        improved_value, improved_shown = None, shown_count(improved, suppress=True)
    else:
        improved_value, improved_shown = None, "not shown"
    return OutcomeSummary(
        instrument=instrument,
        programme=programme,
        participants=None if small else n,
        participants_shown=shown_count(n, suppress=suppress),
        mean_change=None if small else interval.mean,
        ci_low=None if small else interval.low,
        ci_high=None if small else interval.high,
        improved=improved_value,
        improved_shown=improved_shown,
        share_improved=None if improved_value is None or not n else round(100 * improved / n),
        suppressed=suppress,
    )


def outcome_summaries_for(
    *,
    viewer: User,
    partnership: Partnership,
    start: date | None,
    end: date | None,
    programme: Programme | None = None,
) -> list[OutcomeSummary]:
    """Per instrument and programme of `partnership`: participants (referrals with two or more
    scores dated in [start, end]), the mean change from each one's first to last score with
    its 95% confidence interval (paired t), and how many improved by at least the
    instrument's documented meaningful change. Aggregates come from the database (2 queries
    plus 1 per instrument in use); the t quantile from evaluation.statistics.

    Commissioners get counts of 1 to 4 as "<5", and no mean, interval or share for fewer than
    5 participants; the share improved is left out whenever improved or not improved is 1 to
    4. Empty for a viewer who may not read outcome aggregates or is of another partnership."""
    if not _may_read(viewer, partnership, permissions.can_view_outcome_summaries(viewer)):
        return []
    referrals = Referral.objects.filter(partnership=partnership)
    if programme is not None:
        referrals = referrals.filter(programme=programme)
    return _outcome_summaries(
        partnership, referrals, start, end, suppress=permissions.sees_suppressed_outcomes(viewer)
    )


def published_outcome_summaries(
    *, partnership: Partnership, referrals: QuerySet[Referral], start: date, end: date
) -> list[OutcomeSummary]:
    """As `outcome_summaries_for` shows them to a commissioner (always suppressed), over
    `referrals` (the partnership's, narrowed to a report's scope). For the impact report,
    which is built for commissioners by a task, not read by a viewer."""
    return _outcome_summaries(
        partnership, referrals.filter(partnership=partnership), start, end, suppress=True
    )


def _outcome_summaries(
    partnership: Partnership,
    referrals: QuerySet[Referral],
    start: date | None,
    end: date | None,
    *,
    suppress: bool,
) -> list[OutcomeSummary]:
    instruments = list(
        instruments_for(partnership_id=partnership.pk)
        .filter(scores__referral__partnership=partnership)
        .distinct()
        .order_by("name")
    )
    rows = [
        (instrument, row)
        for instrument in instruments
        for row in _change_by_programme(instrument, referrals, start, end)
    ]
    programmes = Programme.objects.in_bulk({row["programme_id"] for _, row in rows})
    return sorted(
        (
            _summary(instrument, programmes[row["programme_id"]], row, suppress)
            for instrument, row in rows
        ),
        key=lambda s: (s.programme.name, s.instrument.name),
    )
