"""Benchmark: community grants at scale on PostgreSQL.

    .venv/bin/python bench/grants_bench.py [--applications 2000] [--reviewers 60]
                                           [--requests 100]

Builds a fresh database (VRU_BENCH_DB, default `vru_bench_grants`) with one round of N eligible applications, a
panel of R reviewers, 3 reviewers per application (assigned by the product's balanced
assignment) and every reviewer's 1-5 scores on 4 weighted criteria, plus N/4 awards. Then,
each product path beside its floor measured in the same run:

1. moderation of the round (`selectors.moderation_for`: weighted scores, spread,
   Krippendorff's alpha, normalised scores, ranking) against the floor: one raw SQL query
   that computes every reviewer's weighted score (the aggregation the product must at
   least do), median of 5;
2. the grants officer's lists (rounds, applications and awards, pages and API, full
   middleware stack, signed in with a second factor) beside both floors (bench/floors.py:
   the bare view and the minimal signed-in view): median and p95 of --requests each;
3. a decision letter PDF (reportlab) against a trivial one-line reportlab PDF, median of 9;
4. the assignment plan for the whole round (pure Python), timed alone (no floor: it runs
   once per round).
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import database  # noqa: E402  (after the path)

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
DB = os.environ.setdefault("VRU_BENCH_DB", "vru_bench_grants")
PSQL = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-q"]


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def psql(sql: str, db: str = "postgres") -> None:
    subprocess.run([*PSQL, "-d", db, "-c", sql], check=True)


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def build(n_apps: int, n_reviewers: int):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    from grants import services
    from grants.models import (
        Application,
        Assignment,
        Criterion,
        GrantRound,
        Organisation,
        PanelMember,
        Score,
    )
    from vru import services as core_services
    from vru.models import Partnership, Role, User

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    partnership = Partnership.objects.create(name="Bench VRU", short_name="Bench", slug="bench")
    officer = core_services.user_create(
        actor=None,
        username="bench.grants",
        partnership=partnership,
        roles=[Role.GRANTS_OFFICER],
        password="bench-password-1",
    )
    now = timezone.now()
    grant_round = GrantRound.objects.create(
        partnership=partnership,
        fund="Bench fund",
        title="Bench round",
        budget=Decimal(n_apps) * 3000,
        minimum_award=Decimal("1000"),
        maximum_award=Decimal("5000"),
        opens_at=now - datetime.timedelta(days=30),
        closes_at=now - datetime.timedelta(days=1),
        panel_deadline=now + datetime.timedelta(days=30),
        reviewers_per_application=3,
    )
    criteria = Criterion.objects.bulk_create(
        Criterion(
            grant_round=grant_round,
            title=f"Criterion {i}",
            guidance="g",
            worked_example="e",
            weight=Decimal(w),
            position=i,
            descriptor_1="1",
            descriptor_2="2",
            descriptor_3="3",
            descriptor_4="4",
            descriptor_5="5",
        )
        for i, w in enumerate(["2", "1", "1", "1.5"])
    )
    orgs = Organisation.objects.bulk_create(
        Organisation(
            partnership=partnership,
            name=f"Org {i}",
            kind="charity",
            charity_number=str(1100000 + i),
        )
        for i in range(n_apps)
    )
    rng = random.Random(5)
    Application.objects.bulk_create(
        Application(
            grant_round=grant_round,
            organisation=o,
            status="eligible",
            title=f"Project {i}",
            summary="s",
            created_by=officer,
            amount_requested=Decimal(rng.choice([2000, 3000, 4000, 5000])),
            submitted_at=now,
        )
        for i, o in enumerate(orgs)
    )
    users = [
        User(username=f"bench.reviewer{i}", partnership=partnership) for i in range(n_reviewers)
    ]
    User.objects.bulk_create(users)
    users = list(User.objects.filter(username__startswith="bench.reviewer"))
    PanelMember.objects.bulk_create(
        PanelMember(
            partnership=partnership,
            user=u,
            date_of_birth=datetime.date(2000, 1, 1),
            training_completed_on=datetime.date(2026, 1, 1),
        )
        for u in users
    )
    t = time.perf_counter()
    services.assignments_generate(actor=None, grant_round=grant_round)
    assign_ms = (time.perf_counter() - t) * 1000
    Assignment.objects.filter(application__grant_round=grant_round).update(
        status="submitted", submitted_at=now
    )
    assignments = list(Assignment.objects.filter(application__grant_round=grant_round))
    quality = {a.pk: rng.randint(1, 5) for a in Application.objects.filter(grant_round=grant_round)}
    Score.objects.bulk_create(
        (
            Score(
                assignment=a,
                criterion=c,
                score=max(1, min(5, quality[a.application_id] + rng.choice([-1, 0, 0, 1]))),
            )
            for a in assignments
            for c in criteria
        ),
        batch_size=5000,
    )
    for application in Application.objects.filter(grant_round=grant_round)[: n_apps // 4]:
        decision = services.decision_record(
            actor=officer,
            application=application,
            outcome="fund",
            amount=application.amount_requested,
            reasons="Bench",
        )
        services.award_create(
            actor=officer,
            decision=decision,
            starts_on=datetime.date(2027, 1, 1),
            ends_on=datetime.date(2027, 12, 31),
            tranche_count=3,
        )
    Application.objects.filter(grant_round=grant_round, status="decided").update(status="eligible")
    psql("VACUUM ANALYZE", db=DB)
    out(
        f"built {n_apps:,} applications, {len(assignments):,} assignments, "
        f"{len(assignments) * len(criteria):,} scores in {time.perf_counter() - started:.1f} s"
    )
    return officer, grant_round, assign_ms


FLOOR_SQL = """
SELECT a.application_id, a.reviewer_id,
       SUM(c.weight * s.score) / SUM(c.weight) AS weighted
FROM grants_score s
JOIN grants_assignment a ON a.id = s.assignment_id
JOIN grants_criterion c ON c.id = s.criterion_id
JOIN grants_application ap ON ap.id = a.application_id
WHERE ap.grant_round_id = %s AND a.status = 'submitted' AND s.score IS NOT NULL
GROUP BY a.application_id, a.reviewer_id
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=2000)
    parser.add_argument("--reviewers", type=int, default=60)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()

    database.create(DB)
    import django

    django.setup()
    from django.db import connection
    from django.urls import reverse
    from reportlab.pdfgen import canvas

    from grants import selectors
    from grants.models import Decision
    from grants.services import letters

    officer, grant_round, assign_ms = build(args.applications, args.reviewers)

    out("\n1. Moderation of the round")

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(FLOOR_SQL, [grant_round.pk])
            return cursor.fetchall()

    floor()
    floor_ms = median_ms(floor, 5)
    product_ms = median_ms(
        lambda: selectors.moderation_for(viewer=officer, grant_round=grant_round), 5
    )
    result = selectors.moderation_for(viewer=officer, grant_round=grant_round)
    out(f"   floor (raw SQL weighted scores, {len(floor()):,} rows): {floor_ms:8.1f} ms")
    out(f"   product (moderation_for, alpha {result.alpha:.3f}):    {product_ms:8.1f} ms")
    out(f"   ratio: {product_ms / floor_ms:.2f}x")

    from bench import floors

    timings = floors.measure(
        officer,
        [
            ("rounds page", reverse("grants:round_list")),
            ("applications page", reverse("grants:application_list")),
            ("awards page", reverse("grants:award_list")),
            ("rounds API list", reverse("grants-api:round-list")),
            ("applications API list", reverse("grants-api:application-list")),
            ("awards API list", reverse("grants-api:award-list")),
        ],
        args.requests,
    )
    floors.report(
        f"2. The grants officer's lists ({args.requests} requests each, signed in):", timings
    )

    out("\n3. Decision letter PDF")
    decision = Decision.objects.select_related(
        "application__organisation", "application__grant_round__partnership"
    ).first()

    def trivial():
        import io

        buffer = io.BytesIO()
        c = canvas.Canvas(buffer)
        c.drawString(72, 720, "Hello")
        c.save()
        return buffer.getvalue()

    trivial()
    trivial_ms = median_ms(trivial, 9)
    letter_ms = median_ms(lambda: letters.decision_letter_pdf(decision), 9)
    out(f"   floor (one-line reportlab PDF): {trivial_ms:6.2f} ms")
    out(f"   product (decision letter):      {letter_ms:6.2f} ms")
    out(f"   ratio: {letter_ms / trivial_ms:.2f}x")

    out("\n4. Balanced assignment of the round (plan + bulk insert, once per round)")
    out(
        f"   {args.applications:,} applications x 3 of {args.reviewers} reviewers: {assign_ms:.0f} ms"
    )


if __name__ == "__main__":
    main()
