"""Benchmark: the risk index at national scale on PostgreSQL: 35,000 LSOAs x 8 factors x 5 years.

    .venv/bin/python bench/risk_index.py [--lsoas 35000] [--years 5] [--runs 3]

Builds a fresh database (VRU_BENCH_DB, default `vru_bench_risk`) with set-based SQL: one partnership, 35,000 LSOAs,
the 8 public-proxy factors (5 police.uk crime factors, violence-hotspot persistence, IMD income
and employment), 5 years of crime counts (6 crime types per LSOA per year: ~1.05M rows) and
2 indicators per LSOA. Then times, through the product's services:

1. hotspots for every crime factor and year (5 x 5 = 25 Poisson tests over 35,000 LSOAs);
2. a risk run (gather the 8 factors' values with database aggregates, z-score, weight, rank,
   store 35,000 scores with their inputs) - the thing an analyst starts from the page.

The floor for (2) is the same index computed in ONE SQL statement in the database (aggregate,
window-function z-scores, weighted sum, row_number rank) written into an unlogged table:
the database work a run cannot avoid. Paired runs, median, ratio.

3. An analyst's lists of the result (risk runs, hotspots, neighbourhoods: pages and API)
   beside both floors (bench/floors.py).
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

DB = os.environ.setdefault("VRU_BENCH_DB", "vru_bench_risk")
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"  # tasks run in-process
PSQL = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-q"]
TYPES = {
    "Violence and sexual offences": 12,
    "Possession of weapons": 1,
    "Drugs": 2,
    "Robbery": 1,
    "Anti-social behaviour": 10,
    "Criminal damage and arson": 4,
}


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def psql(sql: str, db: str = DB) -> None:
    subprocess.run([*PSQL, "-d", db, "-c", sql], check=True)


def build(n: int, years: int, last_year: int):
    database.create(DB)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from vru import services
    from vru.models import CommunitySafetyPartnership, LocalAuthority, Partnership

    call_command("migrate", verbosity=0)
    partnership = Partnership.objects.create(slug="national", name="National", short_name="All")
    csp = CommunitySafetyPartnership.objects.create(partnership=partnership, name="All")
    la = LocalAuthority.objects.create(
        code="E06000001", name="All", partnership=partnership, community_safety_partnership=csp
    )
    services.factor_set_install(actor=None, partnership=partnership, factor_set="proxies")
    start = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("SELECT setseed(0.42)")
        cur.execute(
            """INSERT INTO vru_lsoa (code, name, lsoa11_code, partnership_id, local_authority_id,
                   community_safety_partnership_id, population)
               SELECT 'E01' || lpad(i::text, 6, '0'), 'Area ' || i, 'E01' || lpad(i::text, 6, '0'),
                      %s, %s, %s, 1000 + (random() * 1500)::int
               FROM generate_series(1, %s) AS i""",
            [partnership.pk, la.pk, csp.pk, n],
        )
        for key in ("income", "employment"):
            cur.execute(
                """INSERT INTO vru_areaindicator (partnership_id, lsoa_id, factor_id, period,
                       period_start, value, source)
                   SELECT %s, l.id, f.id, 'year', '2025-01-01', random() * 0.5, 'bench'
                   FROM vru_lsoa l, vru_factor f WHERE f.key = %s AND f.partnership_id = %s""",
                [partnership.pk, key, partnership.pk],
            )
        for crime_type, mean in TYPES.items():
            # A skewed count: most areas near the mean, a few far above it (hotspots).
            cur.execute(
                """INSERT INTO vru_crimecount (partnership_id, lsoa_id, month, crime_type, count)
                   SELECT %s, l.id, make_date(y, 1, 1), %s,
                          floor(%s * l.population / 1000.0 * (0.5 + random())
                                * CASE WHEN random() < 0.03 THEN 4 ELSE 1 END)::int
                   FROM vru_lsoa l, generate_series(%s, %s) AS y""",
                [partnership.pk, crime_type, mean, last_year - years + 1, last_year],
            )
        cur.execute("ANALYZE")
        cur.execute("SELECT count(*) FROM vru_crimecount")
        crime_rows = cur.fetchone()[0]
    out(
        f"built {n:,} LSOAs, {crime_rows:,} crime-count rows in {time.perf_counter() - start:.1f} s"
    )
    return partnership


FLOOR_SQL = """
DROP TABLE IF EXISTS bench_scores;
CREATE UNLOGGED TABLE bench_scores AS
WITH crime AS (
  SELECT lsoa_id,
    sum(count) FILTER (WHERE crime_type = 'Violence and sexual offences') AS violence,
    sum(count) FILTER (WHERE crime_type = 'Possession of weapons') AS weapons,
    sum(count) FILTER (WHERE crime_type = 'Drugs') AS drugs,
    sum(count) FILTER (WHERE crime_type = 'Robbery') AS robbery,
    sum(CASE crime_type WHEN 'Anti-social behaviour' THEN count
                        WHEN 'Criminal damage and arson' THEN 2 * count ELSE 0 END) AS disorder
  FROM vru_crimecount WHERE partnership_id = {p} AND month BETWEEN '{start}' AND '{end}'
  GROUP BY lsoa_id),
vals AS (
  SELECT l.id,
    coalesce(c.violence, 0) * 1000.0 / l.population AS violence,
    coalesce(c.weapons, 0) * 1000.0 / l.population AS weapons,
    coalesce(c.drugs, 0) * 1000.0 / l.population AS drugs,
    coalesce(c.robbery, 0) * 1000.0 / l.population AS robbery,
    coalesce(c.disorder, 0) * 1000.0 / l.population AS disorder,
    coalesce(h.persistence, 0)::float AS persistence,
    inc.value AS income, emp.value AS employment
  FROM vru_lsoa l
  LEFT JOIN crime c ON c.lsoa_id = l.id
  LEFT JOIN vru_hotspot h ON h.lsoa_id = l.id AND h.year = {year}
       AND h.factor_id = (SELECT id FROM vru_factor WHERE partnership_id = {p} AND key = 'violence')
  LEFT JOIN vru_areaindicator inc ON inc.lsoa_id = l.id
       AND inc.factor_id = (SELECT id FROM vru_factor WHERE partnership_id = {p} AND key = 'income')
  LEFT JOIN vru_areaindicator emp ON emp.lsoa_id = l.id
       AND emp.factor_id = (SELECT id FROM vru_factor WHERE partnership_id = {p} AND key = 'employment')
  WHERE l.partnership_id = {p}),
z AS (
  SELECT id,
    {zsum} AS score
  FROM vals)
SELECT id, score, row_number() OVER (ORDER BY score DESC, id) AS rank FROM z;
"""


def zsum() -> str:
    cols = [
        "violence",
        "weapons",
        "drugs",
        "robbery",
        "disorder",
        "persistence",
        "income",
        "employment",
    ]
    return " + ".join(
        f"coalesce(({c} - avg({c}) OVER ()) / nullif(stddev_pop({c}) OVER (), 0), 0)" for c in cols
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lsoas", type=int, default=35_000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--requests", type=int, default=100, help="of each list, beside the floors")
    args = parser.parse_args()
    last_year = 2024
    partnership = build(args.lsoas, args.years, last_year)
    from vru import services
    from vru.models import Hotspot, RiskRun

    start = time.perf_counter()
    found = services.hotspots_compute_all(actor=None, partnership=partnership)
    hotspot_time = time.perf_counter() - start
    out(
        f"hotspots: {len(found)} factor-years, {Hotspot.objects.count():,} hotspots, "
        f"{hotspot_time:.2f} s ({hotspot_time / len(found) * 1000:.0f} ms per factor-year)"
    )
    period = (date(last_year - args.years + 1, 1, 1), date(last_year, 12, 31))
    floor_sql = FLOOR_SQL.format(
        p=partnership.pk, start=period[0], end=period[1], year=last_year, zsum=zsum()
    )
    product, floor = [], []
    for _ in range(args.runs):  # paired: A B A B ...
        t = time.perf_counter()
        psql(floor_sql)
        floor.append(time.perf_counter() - t)
        t = time.perf_counter()
        run = services.risk_run_create(
            actor=None,
            partnership=partnership,
            weights={f.key: 1 for f in partnership.factors.all()},
            period_start=period[0],
            period_end=period[1],
        )
        run = services.risk_run_compute(run_id=run.pk)
        product.append(time.perf_counter() - t)
        if run.status != RiskRun.Status.DONE or run.lsoa_count != args.lsoas:
            raise SystemExit(f"run {run.pk} did not finish: {run.status} {run.error}")
    t = time.perf_counter()
    reproduced = services.risk_run_reproduce(run=run)
    reproduce_time = time.perf_counter() - t
    stored = list(run.scores.order_by("rank").values_list("lsoa__code", "rank"))
    same = [(s.code, s.rank) for s in reproduced] == stored
    p, f = statistics.median(product), statistics.median(floor)
    ratios = sorted(a / b for a, b in zip(product, floor, strict=True))
    out(f"risk run: {args.lsoas:,} LSOAs x 8 factors x {args.years} years, {args.runs} paired runs")
    out(f"  floor  one SQL statement (psql process): median {f:.2f} s")
    out(
        f"  product risk_run_create + compute:        median {p:.2f} s "
        f"({run.priority_count:,} priority LSOAs)"
    )
    out(f"  ratio product/floor, paired median: {statistics.median(ratios):.2f}x")
    out(f"  reproduce from stored inputs: {reproduce_time:.2f} s, identical ranks: {same}")
    lists(partnership, args.requests)


def lists(partnership, requests: int) -> None:
    from bench import floors
    from vru import services
    from vru.models import Role

    analyst = services.user_create(
        actor=None, username="bench.analyst", partnership=partnership, roles=[Role.ANALYST]
    )
    timings = floors.measure(
        analyst,
        [
            ("risk runs page", "/risk/runs/"),
            ("risk runs API list", "/api/risk-runs/"),
            ("hotspots page", "/risk/hotspots/"),
            ("hotspots API list", "/api/hotspots/"),
            ("neighbourhoods page", "/neighbourhoods/"),
            ("LSOA API list", "/api/lsoas/"),
        ],
        requests,
    )
    floors.report(f"an analyst's lists ({requests} requests each):", timings)


if __name__ == "__main__":
    main()
