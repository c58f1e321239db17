"""Assignment properties on random rounds (hypothesis): coverage, balance, no conflicts."""

from collections import Counter
from itertools import combinations, product

from hypothesis import given, settings
from hypothesis import strategies as st

from grants.services.assignment import pick_replacement, plan_assignments


@st.composite
def rounds(draw, *, with_conflicts: bool):
    n_apps = draw(st.integers(min_value=0, max_value=25))
    n_reviewers = draw(st.integers(min_value=1, max_value=12))
    per = draw(st.integers(min_value=1, max_value=4))
    apps = list(range(1, n_apps + 1))
    reviewers = list(range(100, 100 + n_reviewers))
    conflicts = set()
    if with_conflicts and apps:
        pairs = st.tuples(st.sampled_from(apps), st.sampled_from(reviewers))
        conflicts = draw(st.sets(pairs, max_size=n_apps * n_reviewers // 3))
    return apps, reviewers, per, conflicts


def final_pairs(plan, existing=()):
    return (set(existing) - set(plan.remove)) | set(plan.add)


def loads(pairs, reviewers):
    counts = Counter(r for _, r in pairs)
    return {r: counts.get(r, 0) for r in reviewers}


@settings(max_examples=200, deadline=None)
@given(rounds(with_conflicts=False))
def test_without_conflicts_every_application_is_covered_and_loads_differ_by_at_most_one(case):
    apps, reviewers, per, _ = case
    pairs = final_pairs(
        plan_assignments(applications=apps, reviewers=reviewers, per_application=per)
    )
    per_app = Counter(a for a, _ in pairs)
    for app in apps:
        assert per_app[app] == min(per, len(reviewers))
    load = loads(pairs, reviewers)
    assert max(load.values()) - min(load.values()) <= 1
    assert len(pairs) == sum(per_app.values())  # no reviewer twice on one application


@settings(max_examples=300, deadline=None)
@given(rounds(with_conflicts=True))
def test_with_conflicts_no_conflicted_pair_full_coverage_where_possible_and_no_move_left(case):
    apps, reviewers, per, conflicts = case
    plan = plan_assignments(
        applications=apps, reviewers=reviewers, per_application=per, conflicts=conflicts
    )
    pairs = final_pairs(plan)
    assert not pairs & conflicts
    per_app = Counter(a for a, _ in pairs)
    for app in apps:
        free = sum(1 for r in reviewers if (app, r) not in conflicts)
        assert per_app[app] == min(per, free)
    # Balance: wherever one reviewer has 2+ more than another, no application of the busier
    # one could be given to the other (conflicted or already theirs).
    load = loads(pairs, reviewers)
    for busy in reviewers:
        for free in reviewers:
            if load[busy] - load[free] > 1:
                for app in {a for a, r in pairs if r == busy}:
                    assert (app, free) in conflicts or (app, free) in pairs


@settings(max_examples=100, deadline=None)
@given(rounds(with_conflicts=True), st.data())
def test_topping_up_keeps_started_assignments(case, data):
    apps, reviewers, per, conflicts = case
    first = final_pairs(
        plan_assignments(
            applications=apps, reviewers=reviewers, per_application=per, conflicts=conflicts
        )
    )
    started = data.draw(st.sets(st.sampled_from(sorted(first)))) if first else set()
    movable = first - started
    plan = plan_assignments(
        applications=apps,
        reviewers=reviewers,
        per_application=per,
        existing=first,
        movable=movable,
        conflicts=conflicts,
    )
    assert not set(plan.remove) & started
    assert final_pairs(plan, first) >= started


def test_a_hand_sized_round_is_spread_evenly():
    plan = plan_assignments(applications=[1, 2, 3], reviewers=[10, 11, 12], per_application=2)
    assert plan.add == [(1, 10), (1, 11), (2, 10), (2, 12), (3, 11), (3, 12)]
    assert plan.remove == []


def test_replacement_is_the_least_busy_free_reviewer():
    choice = pick_replacement(
        application=1,
        reviewers=[10, 11, 12, 13],
        loads={10: 1, 11: 0, 12: 0, 13: 0},
        assigned=[10, 11],
        conflicts=[12],
    )
    assert choice == 13
    assert (
        pick_replacement(application=1, reviewers=[10], loads={}, assigned=[10], conflicts=[])
        is None
    )


# Optimal balance with conflicts: augmenting paths against a brute-force optimum ----------


def test_a_chain_of_hand_overs_balances_where_no_direct_move_can():
    # given: A reviews 1 and 2, B reviews 3, C reviews nothing but is conflicted with 1 and
    # 2, so nothing can go straight from A to C
    a, b, c = 10, 11, 12
    existing = {(1, a), (2, a), (3, b)}

    # when
    plan = plan_assignments(
        applications=[1, 2, 3],
        reviewers=[a, b, c],
        per_application=1,
        existing=existing,
        movable=existing,
        conflicts={(1, c), (2, c)},
    )

    # then: A hands one to B, B hands 3 to C
    pairs = final_pairs(plan, existing)
    assert loads(pairs, [a, b, c]) == {a: 1, b: 1, c: 1}
    assert not pairs & {(1, c), (2, c)}


def _brute_force(apps, reviewers, per, conflicts, started=frozenset()):
    """Every valid plan: each application gets min(per, free) reviewers it is not
    conflicted with, keeping its started ones. Returns the best (sum of squared loads,
    largest load, smallest load) reachable, each on its own."""
    options = []
    for app in apps:
        free = [r for r in reviewers if (app, r) not in conflicts]
        keep = {r for a, r in started if a == app}
        k = min(per, len(free))
        options.append(
            [{(app, r) for r in chosen} for chosen in combinations(free, k) if keep <= set(chosen)]
        )
    best_squares = best_max = None
    best_min = -1
    for choice in product(*options):
        load = loads(set().union(*choice), reviewers)
        squares = sum(v * v for v in load.values())
        best_squares = squares if best_squares is None else min(best_squares, squares)
        best_max = max(load.values()) if best_max is None else min(best_max, max(load.values()))
        best_min = max(best_min, min(load.values()))
    return best_squares, best_max, best_min


@st.composite
def small_rounds(draw):
    n_apps = draw(st.integers(min_value=1, max_value=4))
    n_reviewers = draw(st.integers(min_value=1, max_value=5))
    per = draw(st.integers(min_value=1, max_value=2))
    apps = list(range(1, n_apps + 1))
    reviewers = list(range(100, 100 + n_reviewers))
    pairs = st.tuples(st.sampled_from(apps), st.sampled_from(reviewers))
    conflicts = draw(st.sets(pairs, max_size=n_apps * n_reviewers // 2))
    return apps, reviewers, per, conflicts


def _measures(pairs, reviewers):
    load = loads(pairs, reviewers)
    return sum(v * v for v in load.values()), max(load.values()), min(load.values())


@settings(max_examples=300, deadline=None)
@given(small_rounds())
def test_a_fresh_plan_is_as_balanced_as_the_brute_force_optimum(case):
    apps, reviewers, per, conflicts = case
    plan = plan_assignments(
        applications=apps, reviewers=reviewers, per_application=per, conflicts=conflicts
    )
    assert _measures(final_pairs(plan), reviewers) == _brute_force(apps, reviewers, per, conflicts)


@settings(max_examples=300, deadline=None)
@given(small_rounds(), st.data())
def test_rebalancing_around_started_reviews_reaches_the_brute_force_optimum(case, data):
    # given: a lopsided starting point (every application on its lowest-id free reviewers),
    # some of it already started
    apps, reviewers, per, conflicts = case
    first = set()
    for app in apps:
        free = [r for r in reviewers if (app, r) not in conflicts]
        first |= {(app, r) for r in free[:per]}
    started = data.draw(st.sets(st.sampled_from(sorted(first)))) if first else set()

    # when
    plan = plan_assignments(
        applications=apps,
        reviewers=reviewers,
        per_application=per,
        existing=first,
        movable=first - started,
        conflicts=conflicts,
    )

    # then
    pairs = final_pairs(plan, first)
    assert pairs >= started
    assert not pairs & conflicts
    assert _measures(pairs, reviewers) == _brute_force(
        apps, reviewers, per, conflicts, frozenset(started)
    )
