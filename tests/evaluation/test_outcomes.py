"""Outcome measures: scoring, change from first to last, the 95% interval, who improved, and
who may see what."""

import datetime
import math
import statistics
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluation import selectors, services
from evaluation.models import Instrument, OutcomeScore
from evaluation.selectors.statistics import paired_change_interval, t_cdf, t_quantile
from tests.evaluation.factories import instrument, past_referral, scores
from tests.factories import ProgrammeFactory, programme_staff
from tests.published import published, until_published_small
from vru.models import Role
from vru.selectors import disclosure

pytestmark = pytest.mark.django_db


# --- The t quantile and the interval (no database) ---------------------------------------


@pytest.mark.parametrize(
    ("df", "expected"),
    [
        # closed forms: df 1 is Cauchy, df 2 has t = (2p - 1) / sqrt(2p(1 - p))
        (1, math.tan(math.pi * (0.975 - 0.5))),
        (2, (2 * 0.975 - 1) / math.sqrt(2 * 0.975 * 0.025)),
        # published two-sided 95% critical values (any statistics table)
        (5, 2.570582),
        (9, 2.262157),
        (10, 2.228139),
        (30, 2.042272),
        (120, 1.979930),
    ],
)
def test_t_quantile_matches_known_values(df, expected):
    assert t_quantile(0.975, df) == pytest.approx(expected, abs=1e-6)


def test_t_quantile_is_the_inverse_of_the_distribution_function_and_symmetric():
    for df in [1, 3, 7.5, 40]:
        for p in [0.6, 0.9, 0.99, 0.999]:
            assert t_cdf(t_quantile(p, df), df) == pytest.approx(p, abs=1e-12)
            assert t_quantile(1 - p, df) == pytest.approx(-t_quantile(p, df), abs=1e-9)


def test_t_quantile_approaches_the_normal_for_many_degrees_of_freedom():
    assert t_quantile(0.975, 1_000_000) == pytest.approx(1.959964, abs=1e-5)


def test_paired_interval_on_hand_made_changes():
    # changes 2, 4, 6, 8, 10: mean 6, sample sd sqrt(10), t(0.975, 4) = 2.776445
    changes = [2, 4, 6, 8, 10]
    interval = paired_change_interval(
        n=5, total=sum(changes), total_squares=sum(d * d for d in changes)
    )

    half = 2.776445 * math.sqrt(10) / math.sqrt(5)
    assert interval.mean == 6
    assert interval.sd == pytest.approx(math.sqrt(10))
    assert interval.low == pytest.approx(6 - half, abs=1e-5)
    assert interval.high == pytest.approx(6 + half, abs=1e-5)


def test_one_participant_has_a_mean_but_no_interval_and_none_has_nothing():
    one = paired_change_interval(n=1, total=4, total_squares=16)
    assert (one.mean, one.low, one.high) == (4, None, None)
    assert paired_change_interval(n=0, total=0, total_squares=0) is None


# --- Scoring --------------------------------------------------------------------------------


def test_wemwbs_is_14_items_scored_1_to_5_with_a_total_from_14_to_70():
    wemwbs = instrument("wemwbs")

    assert wemwbs.total_of([1] * 14) == 14
    assert wemwbs.total_of([5] * 14) == 70
    assert wemwbs.total_of([3, 4] * 7) == 49
    assert wemwbs.higher_is_better
    assert wemwbs.meaningful_change == 3
    with pytest.raises(ValueError, match="14 items"):
        wemwbs.total_of([3] * 13)
    with pytest.raises(ValueError, match="from 1 to 5"):
        wemwbs.total_of([3] * 13 + [6])


def test_swemwbs_has_7_items():
    swemwbs = instrument("swemwbs")
    assert swemwbs.total_of([5] * 7) == 35
    assert (swemwbs.min_total, swemwbs.max_total) == (7, 35)


def test_sdq_total_difficulties_reverses_the_five_positive_items_and_lower_is_better():
    sdq = instrument("sdq-total")

    # every answer "certainly true" (2): 15 difficulty items give 30, the 5 reversed give 0
    assert sdq.total_of([2] * 20) == 30
    assert sdq.total_of([0] * 20) == 10
    assert (sdq.min_total, sdq.max_total, sdq.higher_is_better) == (0, 40, False)
    assert sdq.improvement(first=20, last=14) == 6


# --- Recording scores ----------------------------------------------------------------------


@pytest.fixture
def programme(partnership):
    return ProgrammeFactory(partnership=partnership)


def test_a_score_from_item_answers_stores_the_computed_total(programme):
    referral = past_referral(programme)
    score = services.outcome_score_record(
        actor=None,
        referral=referral,
        instrument=instrument("wemwbs"),
        time_point="baseline",
        scored_on=timezone.localdate(referral.referred_at),
        items=[3] * 14,
    )
    assert score.total == 42
    assert score.items == [3] * 14


@pytest.mark.parametrize(
    ("code", "total", "message"),
    [
        ("wemwbs", 13, "from 14 to 70"),
        ("wemwbs", 71, "from 14 to 70"),
        ("sdq-total", 41, "0 to 40"),
    ],
)
def test_a_total_outside_the_instruments_range_is_refused(programme, code, total, message):
    referral = past_referral(programme)
    with pytest.raises(ValidationError, match=message):
        scores(referral, code, total)


def test_one_score_per_time_point(programme):
    referral = past_referral(programme)
    scores(referral, "wemwbs", 40)
    with pytest.raises(ValidationError, match="already has a score"):
        scores(referral, "wemwbs", 44)


def test_practitioners_record_for_their_own_caseload_only(programme):
    mine = programme_staff(programme, "practitioner")
    colleague = programme_staff(programme, "practitioner")
    referral = past_referral(programme, assigned_to=mine)
    kwargs = {
        "referral": referral,
        "instrument": instrument("wemwbs"),
        "time_point": "baseline",
        "scored_on": timezone.localdate(referral.referred_at),
        "total": 40,
    }

    with pytest.raises(PermissionDenied):
        services.outcome_score_record(actor=colleague, **kwargs)
    assert services.outcome_score_record(actor=mine, **kwargs).recorded_by == mine


def test_managers_record_for_their_programmes_and_not_others(partnership, programme):
    manager = programme_staff(programme, "manager")
    elsewhere = past_referral(ProgrammeFactory(partnership=partnership))
    ours = past_referral(programme)

    scores(ours, "wemwbs", 40)  # set up; the manager's own call below
    services.outcome_score_record(
        actor=manager,
        referral=ours,
        instrument=instrument("sdq-total"),
        time_point="baseline",
        scored_on=timezone.localdate(ours.referred_at),
        total=20,
    )
    with pytest.raises(PermissionDenied):
        services.outcome_score_record(
            actor=manager,
            referral=elsewhere,
            instrument=instrument("sdq-total"),
            time_point="baseline",
            scored_on=timezone.localdate(elsewhere.referred_at),
            total=20,
        )


# --- Change from first to last, per instrument and programme ---------------------------------


def _six_participants(programme):
    # WEMWBS first -> last: changes +8, +3, +2, 0, -1, +6 (middle scores don't count)
    pairs = [(40, 44, 48), (50, 53), (45, 47), (60, 60), (30, 29), (35, 41)]
    for totals in pairs:
        scores(past_referral(programme), "wemwbs", *totals)
    scores(past_referral(programme), "wemwbs", 50)  # one score only: not a participant
    return [8, 3, 2, 0, -1, 6]


def test_mean_change_interval_and_improved_are_computed_from_first_and_last(
    partnership, programme, user_with_role
):
    changes = _six_participants(programme)

    [summary] = selectors.outcome_summaries_for(
        viewer=user_with_role(Role.ANALYST),
        partnership=partnership,
        start=None,
        end=None,
    )

    n = len(changes)
    mean = sum(changes) / n
    sd = math.sqrt(sum((d - mean) ** 2 for d in changes) / (n - 1))
    half = 2.570582 * sd / math.sqrt(n)  # t(0.975, 5)
    assert summary.instrument.code == "wemwbs"
    assert summary.programme == programme
    assert summary.participants == 6
    assert summary.mean_change == pytest.approx(3.0)
    assert summary.ci_low == pytest.approx(mean - half, abs=1e-5)
    assert summary.ci_high == pytest.approx(mean + half, abs=1e-5)
    # improved by 3 points or more: +8, +3, +6
    assert summary.improved == 3
    assert summary.share_improved == 50


def test_for_sdq_a_fall_is_an_improvement(partnership, programme, user_with_role):
    for first, last in [(20, 14), (18, 16), (10, 13), (25, 20), (22, 19)]:
        scores(past_referral(programme), "sdq-total", first, last)

    [summary] = selectors.outcome_summaries_for(
        viewer=user_with_role(Role.ADMINISTRATOR), partnership=partnership, start=None, end=None
    )

    assert summary.mean_change == pytest.approx((-6 - 2 + 3 - 5 - 3) / 5)
    assert summary.improved == 3  # -6, -5 and -3 reach the 3-point threshold


def test_summaries_are_per_programme_and_can_be_limited_to_one(partnership, user_with_role):
    first, second = (
        ProgrammeFactory(partnership=partnership),
        ProgrammeFactory(partnership=partnership),
    )
    scores(past_referral(first), "wemwbs", 40, 45)
    scores(past_referral(second), "wemwbs", 40, 41)
    analyst = user_with_role(Role.ANALYST)

    both = selectors.outcome_summaries_for(
        viewer=analyst, partnership=partnership, start=None, end=None
    )
    only = selectors.outcome_summaries_for(
        viewer=analyst, partnership=partnership, start=None, end=None, programme=second
    )

    assert {(s.programme, s.mean_change) for s in both} == {(first, 5.0), (second, 1.0)}
    assert [(s.programme, s.mean_change) for s in only] == [(second, 1.0)]


def test_the_period_limits_which_scores_count(partnership, programme, user_with_role):
    referral = past_referral(programme, days_ago=200)
    recorded = scores(referral, "wemwbs", 40, 50, 60)  # a month apart

    summaries = selectors.outcome_summaries_for(
        viewer=user_with_role(Role.ANALYST),
        partnership=partnership,
        start=recorded[0].scored_on,
        end=recorded[1].scored_on,
    )

    assert [s.mean_change for s in summaries] == [10.0]


def test_commissioners_see_fewer_than_5_as_suppressed_and_no_mean(
    partnership, programme, user_with_role
):
    # 3 young people scored (the control counts each 0, 1 or 2: fewer once their published
    # count reaches 3, more while it counts them as none), so the published count is 1 to 4
    changes = iter([(40, 48), (40, 41), (50, 52)] * 10)

    def scored():
        referral = past_referral(programme)
        scores(referral, "wemwbs", *next(changes))
        return referral

    participants = until_published_small(scored, "referral", at_least=3)
    assert disclosure.is_small(published("referral", participants))

    [summary] = selectors.outcome_summaries_for(
        viewer=user_with_role(Role.COMMISSIONER), partnership=partnership, start=None, end=None
    )

    assert summary.participants is None
    assert summary.participants_shown == "<5"
    assert (summary.mean_change, summary.ci_low, summary.ci_high) == (None, None, None)
    assert summary.improved is None
    assert summary.share_improved is None
    # staff who may see casework get the true count
    [staff] = selectors.outcome_summaries_for(
        viewer=user_with_role(Role.ANALYST), partnership=partnership, start=None, end=None
    )
    assert staff.participants == len(participants)
    assert staff.participants_shown == str(len(participants))


def test_commissioners_do_not_get_a_share_that_reveals_1_to_4_not_improved(
    partnership, programme, user_with_role
):
    # 6 participants improved and 1 did not (the control counts each 0, 1 or 2, so more are
    # added where it takes more for the improved to publish 5 or over, and the not improved
    # from 1 to 4): the not improved must not be recoverable from the published figures
    improved, not_improved = [], []
    while len(improved) < 6 or published("referral", improved) < 5:
        improved.append(past_referral(programme))
        scores(improved[-1], "wemwbs", 40, 48)
    while published("referral", not_improved) == 0:
        not_improved.append(past_referral(programme))
        scores(not_improved[-1], "wemwbs", 40, 40)
    participants = published("referral", improved + not_improved)
    rest = published("referral", not_improved)
    assert disclosure.is_small(rest)

    [summary] = selectors.outcome_summaries_for(
        viewer=user_with_role(Role.COMMISSIONER), partnership=partnership, start=None, end=None
    )

    # the participants are the published count of the 7 (or so) scored, the mean their scores'
    assert summary.participants == participants >= 5
    true = len(improved) + len(not_improved)
    assert summary.mean_change == pytest.approx(8 * len(improved) / true)
    # but neither the number improved nor the share: participants - improved = the rest
    assert summary.improved is None
    assert summary.improved_shown == "not shown"
    assert summary.share_improved is None
    # staff who may see casework get the true counts
    [staff] = selectors.outcome_summaries_for(
        viewer=user_with_role(Role.ANALYST), partnership=partnership, start=None, end=None
    )
    assert (staff.participants, staff.improved) == (true, len(improved))


def test_staff_see_the_same_figures_unsuppressed(partnership, programme, user_with_role):
    for first, last in [(40, 48)] * 6 + [(40, 40)]:
        scores(past_referral(programme), "wemwbs", first, last)

    [summary] = selectors.outcome_summaries_for(
        viewer=user_with_role(Role.ANALYST), partnership=partnership, start=None, end=None
    )

    assert (summary.improved, summary.improved_shown, summary.share_improved) == (6, "6", 86)


@pytest.mark.parametrize(
    "role",
    [Role.PRACTITIONER, Role.GRANTS_OFFICER, Role.YOUTH_REVIEWER, Role.APPLICANT],
)
def test_roles_without_outcome_aggregates_get_nothing(partnership, programme, user_with_role, role):
    scores(past_referral(programme), "wemwbs", 40, 50)
    assert (
        selectors.outcome_summaries_for(
            viewer=user_with_role(role), partnership=partnership, start=None, end=None
        )
        == []
    )


def test_nobody_gets_another_partnerships_outcomes(
    partnership, other_partnership, programme, user_with_role
):
    scores(past_referral(programme), "wemwbs", 40, 50)
    theirs = user_with_role(Role.ADMINISTRATOR, partnership=other_partnership)

    assert (
        selectors.outcome_summaries_for(
            viewer=theirs, partnership=partnership, start=None, end=None
        )
        == []
    )


def test_summaries_take_a_bounded_number_of_queries(
    partnership, user_with_role, django_assert_max_num_queries
):
    for _ in range(3):
        programme = ProgrammeFactory(partnership=partnership)
        for _ in range(4):
            scores(past_referral(programme), "wemwbs", 40, 45)
            scores(past_referral(programme), "sdq-total", 20, 15)
    analyst = user_with_role(Role.ANALYST)
    analyst.role_names  # noqa: B018 - roles cached, as on a request

    # instruments in use; one aggregate per instrument (2); programmes by id
    with django_assert_max_num_queries(4):
        summaries = selectors.outcome_summaries_for(
            viewer=analyst, partnership=partnership, start=None, end=None
        )
    assert len(summaries) == 6
    assert {s.participants for s in summaries} == {4}
    assert Decimal(summaries[0].threshold) == 3


# --- A programme's own questionnaire and corrections ----------------------------------------


def test_a_programmes_own_questionnaire_has_its_own_range_and_direction(
    partnership, programme, user_with_role
):
    own = Instrument.objects.create(
        partnership=partnership,
        code="worry",
        name="How worried are you about violence? (own)",
        min_total=0,
        max_total=10,
        higher_is_better=False,
        meaningful_change=Decimal("2"),
    )
    for first, last in [(8, 3), (6, 5), (9, 6), (7, 7), (5, 2)]:
        referral = past_referral(programme)
        for point, total, day in [("baseline", first, 1), ("exit", last, 60)]:
            services.outcome_score_record(
                actor=None,
                referral=referral,
                instrument=own,
                time_point=point,
                scored_on=timezone.localdate(referral.referred_at) + datetime.timedelta(days=day),
                total=total,
            )
    with pytest.raises(ValidationError, match="from 0 to 10"):
        services.outcome_score_record(
            actor=None,
            referral=referral,
            instrument=own,
            time_point="follow_up",
            scored_on=timezone.localdate(referral.referred_at),
            total=11,
        )

    [summary] = selectors.outcome_summaries_for(
        viewer=user_with_role(Role.ANALYST),
        partnership=partnership,
        start=None,
        end=None,
    )

    assert summary.instrument == own
    assert summary.mean_change == pytest.approx((-5 - 1 - 3 + 0 - 3) / 5)
    assert summary.improved == 3  # falls of 5, 3 and 3 reach the threshold of 2


def test_another_partnerships_questionnaire_cannot_be_used(programme, other_partnership):
    theirs = Instrument.objects.create(
        partnership=other_partnership,
        code="theirs",
        name="Theirs",
        min_total=0,
        max_total=10,
        meaningful_change=Decimal("1"),
    )
    referral = past_referral(programme)
    with pytest.raises(ValidationError, match="standard instrument or one of yours"):
        services.outcome_score_record(
            actor=None,
            referral=referral,
            instrument=theirs,
            time_point="baseline",
            scored_on=timezone.localdate(referral.referred_at),
            total=5,
        )


def test_a_mistaken_score_is_removed_by_whoever_may_record_it_and_audited(client, programme):
    from vru.models import AuditEvent

    practitioner = programme_staff(programme, "practitioner")
    colleague = programme_staff(programme, "practitioner")
    referral = past_referral(programme, assigned_to=practitioner)
    [score] = scores(referral, "wemwbs", 40)
    url = f"/evaluation/outcomes/referrals/{referral.pk}/scores/{score.pk}/remove/"

    client.force_login(colleague)
    assert client.post(url).status_code == 404
    client.force_login(practitioner)
    assert client.get(url).status_code == 200  # the confirmation page
    assert client.post(url).status_code == 302

    assert not OutcomeScore.objects.exists()
    assert AuditEvent.objects.filter(verb="outcome_score.deleted", actor=practitioner).exists()
    with pytest.raises(PermissionDenied):
        services.outcome_score_delete(actor=colleague, score=scores(referral, "wemwbs", 41)[0])


# --- Properties of the statistics --------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    changes=st.lists(st.integers(min_value=-56, max_value=56), min_size=2, max_size=60),
)
def test_the_interval_from_sums_equals_the_textbook_interval(changes):
    n = len(changes)
    interval = paired_change_interval(
        n=n, total=sum(changes), total_squares=sum(d * d for d in changes)
    )

    sd = statistics.stdev(changes)
    half = t_quantile(0.975, n - 1) * sd / math.sqrt(n)
    assert interval.mean == pytest.approx(statistics.fmean(changes))
    assert interval.sd == pytest.approx(sd, abs=1e-9)
    assert interval.low == pytest.approx(statistics.fmean(changes) - half, abs=1e-9)
    assert interval.low <= interval.mean <= interval.high


@settings(max_examples=60, deadline=None)
@given(
    p=st.floats(min_value=0.501, max_value=0.9995),
    df=st.floats(min_value=0.5, max_value=500),
)
def test_the_t_quantile_inverts_the_distribution_for_any_p_and_df(p, df):
    t = t_quantile(p, df)
    assert t > 0
    assert t_cdf(t, df) == pytest.approx(p, abs=1e-10)
