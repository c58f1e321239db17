"""Benchmark: a partnership-year impact report over 1,000,000 referrals on PostgreSQL.

    .venv/bin/python bench/impact_report_bench.py [--referrals 1000000] [--repeat 5] [--reuse]

1. Loads, with set-based SQL into a fresh database (VRU_BENCH_DB, default `vru_bench_report`): one partnership with
   1,111 LSOAs (Essex's count) in 14 local authorities, a current risk run flagging the top 5%
   as priority, 10 programmes linked to an 11-recommendation SNA, N referrals over five
   financial years (2021/22 to 2025/26) with ages, home LSOAs and first contacts, an outcome
   for ~15% of them, and weekly group and detached sessions with head counts.
2. Builds the 2025/26 report (about N/5 referrals) through the product's service
   (`impact_report_build`: every section, then the PDF) R times: median total time.
3. Times the aggregation the report does over referral-scale tables (the one pass grouping
   referrals by programme, age band and home LSOA with the 24-hour clock, from which the
   priority/elsewhere split and the map's per-LSOA counts are summed; outcomes by programme
   and kind) through the ORM (the report's own ReportScope) and the same aggregates written
   by hand in raw SQL and summed the same way, interleaved, R times each: medians and the
   ratio (target: ORM within 1.5x of raw SQL).
4. The commissioner's pages for the reports built: the list of reports and a report's page
   (drawn from its stored snapshot), beside both floors (bench/floors.py).
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import database  # noqa: E402  (after the path)

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
DB = os.environ.setdefault("VRU_BENCH_DB", "vru_bench_report")
PSQL = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-q"]
PERIOD = (date(2025, 4, 1), date(2026, 3, 31))


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def psql(sql: str, db: str = DB) -> None:
    subprocess.run([*PSQL, "-d", db, "-c", sql], check=True)


def load(n: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from tests.factories import PartnershipFactory, UserFactory
    from vru.models import Role

    call_command("migrate", verbosity=0)
    partnership = PartnershipFactory(slug="bench", name="Bench VRU")
    UserFactory(partnership=partnership, username="bench.commissioner", roles=[Role.COMMISSIONER])
    pid = partnership.pk
    started = time.perf_counter()
    with connection.cursor() as c:
        c.execute(
            f"""
            INSERT INTO vru_communitysafetypartnership (id, name, partnership_id)
            SELECT g, 'CSP ' || g, {pid} FROM generate_series(1, 14) g;
            INSERT INTO vru_localauthority (id, code, name, partnership_id,
                community_safety_partnership_id, police_force)
            SELECT g, 'E07' || lpad(g::text, 6, '0'), 'District ' || g, {pid}, g, 'Bench Police'
            FROM generate_series(1, 14) g;
            INSERT INTO vru_lsoa (id, code, name, lsoa11_code, partnership_id, local_authority_id,
                community_safety_partnership_id, population, imd_decile)
            SELECT g, 'E01' || lpad(g::text, 6, '0'), 'Bench ' || g, 'E01' || lpad(g::text, 6, '0'),
                {pid}, 1 + g % 14, 1 + g % 14, 1500, 1 + g % 10
            FROM generate_series(1, 1111) g;
            INSERT INTO vru_riskrun (id, partnership_id, label, status, progress, weights, factors,
                method, top_percent, period_start, period_end, lsoa_count, priority_count,
                is_current, error, created_at)
            VALUES (1, {pid}, 'Bench run', 'done', 100, '{{}}', '[]', '{{}}', 5, '2025-01-01',
                '2025-12-31', 1111, 56, true, '', now());
            INSERT INTO vru_riskscore (partnership_id, run_id, lsoa_id, inputs, score, rank,
                percentile, is_priority)
            SELECT {pid}, 1, g, '{{}}', 1111 - g, g, 100.0 * (1111 - g) / 1111, g <= 56
            FROM generate_series(1, 1111) g;
            INSERT INTO programmes_programme (id, partnership_id, name, description,
                delivering_organisation, prevention_stage, kind, referral_target_hours, min_age,
                max_age, eligible_reasons, yef_approach, budget, retention_months,
                risk_factors, protective_factors)
            SELECT g, {pid}, 'Programme ' || g, '', '', 'secondary',
                CASE WHEN g <= 6 THEN 'referral' WHEN g <= 8 THEN 'detached' ELSE 'group' END,
                24, 10, 25, '[]', '', 100000 + g * 5000, 72, '[]', '[]'
            FROM generate_series(1, 10) g;
            INSERT INTO vru_strategicneedsassessment (id, partnership_id, title, period_start,
                period_end, status, document, source)
            VALUES (1, {pid}, 'Bench SNA', '2025-01-01', '2025-12-31', 'published', '', '');
            INSERT INTO vru_recommendation (id, needs_assessment_id, number, text,
                prevention_stage, intended_impacts)
            SELECT g, 1, g, 'Recommendation ' || g, 'primary', '[]' FROM generate_series(1, 11) g;
            INSERT INTO programmes_programme_recommendations (programme_id, recommendation_id)
            SELECT g, g FROM generate_series(1, 10) g;
            INSERT INTO programmes_youngperson (id, partnership_id, reference, gender, ethnicity,
                home_lsoa_id, education_status, created_at)
            SELECT g, {pid}, 'YP-R' || g, 'male', 'white', 1 + g % 1111, 'school', now()
            FROM generate_series(1, {n}) g;
            INSERT INTO programmes_referral (id, partnership_id, programme_id, young_person_id,
                source, reason, event_at, referred_at, due_at, first_contact_at, consent_given_by,
                status, closure_reason, status_changed_at, closed_at, awaiting_contact,
                age_at_referral, lsoa_id, risk_factors, protective_factors, eligibility_override,
                created_at)
            SELECT g, {pid}, 1 + g % 6, g, 'custody', 'knife', e, e + interval '1 hour',
                e + interval '24 hours',
                CASE WHEN g % 10 < 8 THEN e + (g % 30) * interval '1 hour' END, '',
                CASE WHEN g % 10 >= 8 THEN 'received' ELSE 'contacted' END, '',
                e + interval '1 hour', NULL, g % 10 >= 8,
                CASE WHEN g % 50 = 0 THEN NULL ELSE 8 + g % 19 END,
                CASE WHEN g % 40 = 0 THEN NULL ELSE 1 + (g * 7) % 1111 END,
                '[]', '[]', '', now()
            FROM (SELECT g, timestamptz '2021-04-01 00:00+01'
                        + (g::float / {n}) * interval '1826 days' AS e
                  FROM generate_series(1, {n}) g) s;
            INSERT INTO programmes_outcome (referral_id, kind, achieved_on, notes)
            SELECT id, CASE WHEN id % 3 = 0 THEN 'eet' ELSE 'diverted' END,
                (event_at + interval '90 days')::date, ''
            FROM programmes_referral WHERE id % 7 = 0;
            INSERT INTO programmes_session (id, programme_id, kind, held_on, place, lsoa_id,
                issues_raised)
            SELECT g, 7 + g % 4, CASE WHEN g % 4 < 2 THEN 'detached' ELSE 'group' END,
                date '2021-04-01' + (g % 1826), 'Park ' || g, 1 + (g * 13) % 1111, ''
            FROM generate_series(1, 5000) g;
            INSERT INTO programmes_sessioncount (session_id, age_band, gender, count)
            SELECT s, b, 'male', 3 + (s + length(b)) % 9
            FROM generate_series(1, 5000) s, unnest(array['10-13', '14-17', '18-24']) b;
            SELECT setval(pg_get_serial_sequence('programmes_youngperson', 'id'), {n});
            SELECT setval(pg_get_serial_sequence('programmes_referral', 'id'), {n});
            SELECT setval(pg_get_serial_sequence('programmes_programme', 'id'), 10);
            SELECT setval(pg_get_serial_sequence('programmes_session', 'id'), 5000);
            """
        )
    analyze()
    out(
        f"loaded {n:,} referrals (+ outcomes, sessions, areas) in {time.perf_counter() - started:.1f} s"
    )


def analyze() -> None:
    # table by table: a database-wide VACUUM also takes the shared catalogs and waits for
    # every other database's sessions on a shared server
    psql(
        "VACUUM (ANALYZE) programmes_referral, programmes_outcome, programmes_session, "
        "programmes_sessioncount, programmes_youngperson, vru_lsoa, vru_riskscore"
    )


RAW_GROUPS = """
SELECT programme_id,
       CASE WHEN age_at_referral <= 9 THEN 'u10'
            WHEN age_at_referral BETWEEN 10 AND 13 THEN '10-13'
            WHEN age_at_referral BETWEEN 14 AND 17 THEN '14-17'
            WHEN age_at_referral BETWEEN 18 AND 24 THEN '18-24'
            WHEN age_at_referral >= 25 THEN '25+'
            ELSE 'not_known' END AS band,
       lsoa_id,
       coalesce(sum({weight}), 0),
       coalesce(sum({weight}) FILTER (WHERE first_contact_at <= due_at), 0),
       coalesce(sum({weight}) FILTER (WHERE first_contact_at > due_at
                        OR (first_contact_at IS NULL AND due_at < %(now)s
                            AND (closed_at IS NULL OR closed_at > due_at))), 0)
FROM programmes_referral
WHERE partnership_id = %(pid)s AND referred_at >= %(start)s AND referred_at < %(end)s
GROUP BY 1, 2, 3
"""
RAW_OUTCOMES = """
SELECT r.programme_id, o.kind, sum({outcome_weight})
FROM programmes_outcome o JOIN programmes_referral r ON r.id = o.referral_id
WHERE r.partnership_id = %(pid)s AND o.achieved_on BETWEEN %(day0)s AND %(day1)s
  AND o.kind IN ('diverted', 'eet')
GROUP BY 1, 2
"""


def orm_aggregates(report) -> int:
    from evaluation.selectors.report_content import ReportScope
    from vru.selectors import disclosure

    scope = ReportScope(report=report)
    groups = scope.referral_groups()
    per_lsoa = scope.referrals_by_lsoa()
    outcomes = list(
        scope.outcomes()
        .filter(kind__in=["diverted", "eet"])
        .order_by()
        .values("referral__programme_id", "kind")
        .annotate(n=disclosure.people("outcome"))
    )
    return (
        sum(g["n"] for g in groups)
        + len(per_lsoa)
        + len(outcomes)
        + sum(row["n"] for row in outcomes)
    )


def raw_aggregates(report) -> int:
    from django.db import connection
    from django.utils import timezone

    from evaluation.selectors.report_content import ReportScope
    from vru.models import LSOA
    from vru.selectors.areas import priority_lsoa_codes

    scope = ReportScope(report=report)
    priority = list(
        LSOA.objects.filter(code__in=priority_lsoa_codes(report.partnership_id)).values_list(
            "pk", flat=True
        )
    )
    params = {
        "pid": report.partnership_id,
        "start": scope.start_at,
        "end": scope.end_before,
        "now": timezone.now(),
        "priority": priority,
        "day0": report.period_start,
        "day1": report.period_end,
    }
    with connection.cursor() as c:
        c.execute(RAW_GROUPS.format(weight=weight_sql("referral", "id")), params)
        rows = c.fetchall()
        c.execute(RAW_OUTCOMES.format(outcome_weight=weight_sql("outcome", "o.id")), params)
        outcomes = c.fetchall()
    # the same sums the report makes from the groups: by place, and per LSOA for the map
    priority_ids = set(priority)
    groups: dict = {}
    per_lsoa: dict = {}
    for programme_id, band, lsoa_id, n, met, breached in rows:
        place = (
            "unknown"
            if lsoa_id is None
            else ("priority" if lsoa_id in priority_ids else "elsewhere")
        )
        if lsoa_id is not None:
            per_lsoa[lsoa_id] = per_lsoa.get(lsoa_id, 0) + n
        g = groups.setdefault((programme_id, band, place), [0, 0, 0])
        g[0] += n
        g[1] += met
        g[2] += breached
    return (
        sum(g[0] for g in groups.values())
        + len(per_lsoa)
        + len(outcomes)
        + sum(n for _, _, n in outcomes)
    )


def weight_sql(kind: str, column: str) -> str:
    """What a record counts as in published figures (vru.disclosure), written by hand."""
    from vru.selectors import disclosure

    a, b = disclosure._coefficients(kind)
    h = f"mod({column}::bigint * {a} + {b}, {disclosure.MODULUS})"
    return (
        f"CASE WHEN {h} < {disclosure.DOWN_BELOW} THEN 0 "
        f"WHEN {h} >= {disclosure.UP_FROM} THEN 2 ELSE 1 END"
    )


def bench(repeat: int) -> None:
    from django.db import connection

    from evaluation import services
    from evaluation.models import ImpactReport
    from vru.models import User

    commissioner = User.objects.get(username="bench.commissioner")
    referrals_in_year = None
    totals, sections = [], []
    for _ in range(repeat):
        report = services.request_impact_report(
            actor=commissioner, period_start=PERIOD[0], period_end=PERIOD[1]
        )  # eager: built on commit (outside a transaction here, so at once)
        report = ImpactReport.objects.get(pk=report.pk)
        ImpactReport.objects.filter(pk=report.pk).update(status="queued")
        t = time.perf_counter()
        built = services.impact_report_build(report_id=report.pk)
        totals.append(time.perf_counter() - t)
        assert built.status == "ready", built.error
        headline = built.content["sections"][0]["blocks"][0]["items"]
        referrals_in_year = next(i["figure"] for i in headline if i["key"] == "referrals")
        sections.append(len(built.pdf.read()))
    out(
        f"\nreport {PERIOD[0]} to {PERIOD[1]}: {referrals_in_year} referrals in the year; "
        f"PDF {statistics.median(sections) / 1024:.0f} kB"
    )
    out(
        f"  total build (every section + PDF), median of {repeat}: "
        f"{statistics.median(totals) * 1000:.0f} ms (min {min(totals) * 1000:.0f} ms)"
    )

    report = ImpactReport.objects.filter(status="ready").first()
    assert orm_aggregates(report) == raw_aggregates(report)
    orm, raw = [], []
    for _ in range(repeat):
        t = time.perf_counter()
        raw_aggregates(report)
        raw.append(time.perf_counter() - t)
        t = time.perf_counter()
        orm_aggregates(report)
        orm.append(time.perf_counter() - t)
    ratio = statistics.median(orm) / statistics.median(raw)
    out(
        f"  aggregation over referral-scale tables: ORM median {statistics.median(orm) * 1000:.0f} ms,"
        f" raw SQL median {statistics.median(raw) * 1000:.0f} ms = {ratio:.2f}x (target <= 1.5x)"
    )
    with connection.cursor() as c:
        t = time.perf_counter()
        c.execute("SELECT count(*) FROM programmes_referral")
        c.fetchone()
        out(f"  floor: count(*) of all referrals {(time.perf_counter() - t) * 1000:.0f} ms")


def pages(requests: int) -> None:
    from bench import floors
    from evaluation.models import ImpactReport
    from vru.models import User

    commissioner = User.objects.get(username="bench.commissioner")
    report = ImpactReport.objects.filter(status="ready").first()
    timings = floors.measure(
        commissioner,
        [
            ("reports list page", "/evaluation/reports/"),
            ("a report's page", report.get_absolute_url()),
        ],
        requests,
    )
    floors.report(f"the commissioner's pages ({requests} requests each):", timings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--referrals", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="keep an already loaded database")
    parser.add_argument("--requests", type=int, default=100, help="of each page, beside the floors")
    args = parser.parse_args()
    if not args.reuse:
        database.create(DB)
    import django

    django.setup()
    if args.reuse:
        analyze()
    else:
        load(args.referrals)
    bench(args.repeat)
    pages(args.requests)


if __name__ == "__main__":
    main()
