"""Balanced reviewer assignment: a pure function, so its properties can be tested at speed.

Rules (issue 5):
- every eligible application gets `per_application` reviewers who are not conflicted with it
  (fewer only when fewer non-conflicted reviewers exist);
- loads stay balanced: reviewers are picked least-loaded first, then assignments that have
  not been started are handed on along augmenting paths (busy -> r1 -> ... -> free, see
  `_rebalance`) while one joins two reviewers whose loads differ by 2 or more. The result
  is optimal: the smallest sum of squared loads any valid plan allows, so no reviewer has
  more than one more than another unless conflicts make that impossible (the tests compare
  with a brute-force optimum on small random rounds);
- conflicted reviewers are never assigned.
Ties are broken by reviewer id, so the same input gives the same plan.
"""

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class Plan:
    """Pairs to create and pairs to remove (movable ones only), as (application, reviewer)."""

    add: list[tuple[int, int]] = field(default_factory=list)
    remove: list[tuple[int, int]] = field(default_factory=list)


def plan_assignments(
    *,
    applications: Iterable[int],
    reviewers: Iterable[int],
    per_application: int,
    existing: Iterable[tuple[int, int]] = (),
    movable: Iterable[tuple[int, int]] = (),
    conflicts: Iterable[tuple[int, int]] = (),
) -> Plan:
    """Top up every application to `per_application` reviewers and rebalance.

    `existing` are the assignments that count (not conflicted); `movable` is the subset not
    yet started (may be moved to rebalance); `conflicts` are (application, reviewer) pairs
    that must never be assigned. Existing assignments of reviewers not in `reviewers` count
    for their application but are never moved to or from.
    """
    apps = sorted(set(applications))
    pool = sorted(set(reviewers))
    blocked = set(conflicts)
    current = {pair for pair in existing if pair not in blocked}
    can_move = {pair for pair in movable if pair in current}
    load = dict.fromkeys(pool, 0)
    assigned: dict[int, set[int]] = {a: set() for a in apps}
    for app, reviewer in current:
        if app in assigned:
            assigned[app].add(reviewer)
            if reviewer in load:
                load[reviewer] += 1

    added: set[tuple[int, int]] = set()
    for app in apps:
        need = per_application - len(assigned[app])
        if need <= 0:
            continue
        candidates = sorted(
            (r for r in pool if r not in assigned[app] and (app, r) not in blocked),
            key=lambda r: (load[r], r),
        )
        for reviewer in candidates[:need]:
            assigned[app].add(reviewer)
            load[reviewer] += 1
            added.add((app, reviewer))

    removed: set[tuple[int, int]] = set()
    _rebalance(pool, assigned, load, blocked, can_move | added, added, removed)
    return Plan(add=sorted(added), remove=sorted(removed))


def _rebalance(pool, assigned, load, blocked, movable, added, removed) -> None:
    """Move not-yet-started assignments from busy reviewers to less busy ones along
    augmenting paths, until no path is left.

    Reviewer r1 "can hand" an application to r2 when r1 holds it (movable), and r2 neither
    reviews it nor is conflicted with it. A path busy -> r1 -> ... -> free hands one
    application along each step: the reviewers in the middle keep their load, `busy` loses
    one and `free` gains one. With conflicts, a direct move may be impossible where such a
    chain exists. When no path joins two reviewers whose loads differ by 2 or more, the
    loads are optimal: the assignments a round allows form a flow, and for flows this
    exchange condition is enough for the sum of squared loads to be minimal (which also
    makes the largest load as small, and the smallest as large, as they can be)."""
    holds: dict[int, set[int]] = {r: set() for r in pool}
    for app, reviewers in assigned.items():
        for reviewer in reviewers:
            if reviewer in holds and (app, reviewer) in movable:
                holds[reviewer].add(app)
    while True:
        path = _find_path(pool, assigned, load, blocked, holds)
        if path is None:
            return
        for app, busy, free in path:
            assigned[app].discard(busy)
            assigned[app].add(free)
            holds[busy].discard(app)
            holds[free].add(app)
            movable.discard((app, busy))
            movable.add((app, free))
            if (app, busy) in added:
                added.discard((app, busy))
            else:
                removed.add((app, busy))
            if (app, free) in removed:
                removed.discard((app, free))
            else:
                added.add((app, free))
        load[path[0][1]] -= 1
        load[path[-1][2]] += 1


def _find_path(pool, assigned, load, blocked, holds):
    """A shortest hand-over path from the busiest reviewer that has one to a reviewer with
    a load at least 2 lower, as [(app, giver, taker), ...]; None when there is none.
    Breadth-first, least busy takers first, then by id, so the plan is deterministic.

    On a shortest path each application appears once (a repeat would give a shorter
    path), so the hand-overs can be applied one after another."""
    takers = sorted(pool, key=lambda r: (load[r], r))
    for source in sorted(pool, key=lambda r: (-load[r], r)):
        target = load[source] - 2
        if load[takers[0]] > target:
            return None  # every later source is no busier: nobody is 2 below any of them
        parent: dict[int, tuple[int, int] | None] = {source: None}
        queue = deque([source])
        while queue:
            giver = queue.popleft()
            for app in sorted(holds[giver]):
                reviewers = assigned[app]
                for taker in takers:
                    if taker in parent or taker in reviewers or (app, taker) in blocked:
                        continue
                    parent[taker] = (app, giver)
                    if load[taker] <= target:
                        return _path_to(taker, parent)
                    queue.append(taker)
    return None


def _path_to(sink, parent) -> list[tuple[int, int, int]]:
    path = []
    node = sink
    while parent[node] is not None:
        app, giver = parent[node]
        path.append((app, giver, node))
        node = giver
    path.reverse()
    return path


def pick_replacement(
    *,
    application: int,
    reviewers: Iterable[int],
    loads: dict[int, int],
    assigned: Iterable[int],
    conflicts: Iterable[int],
) -> int | None:
    """The least-loaded reviewer who neither reviews nor is conflicted with `application`."""
    excluded = set(assigned) | set(conflicts)
    candidates = sorted(
        (r for r in set(reviewers) if r not in excluded), key=lambda r: (loads.get(r, 0), r)
    )
    return candidates[0] if candidates else None
